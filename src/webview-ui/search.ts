import './l10n';
import * as l10n from '@vscode/l10n';
import type { HostToSearch, SearchResultView, SearchStatusView, SearchToHost } from '../webview/protocol';
import { clear, el, onHostMessage, vscodeApi } from './dom';
import './search.css';

interface State {
  query: string;
  tags: Record<string, string[]>;
}

const vscode = vscodeApi<State>();
const send = (m: SearchToHost) => vscode.postMessage(m);
const saved = vscode.getState() ?? { query: '', tags: {} };
const selected: Record<string, Set<string>> = Object.fromEntries(
  Object.entries(saved.tags).map(([f, l]) => [f, new Set(l)]),
);

const FAMILY_LABELS: Record<string, string> = {
  shot_size: l10n.t('Shot size'),
  camera_movement: l10n.t('Camera movement'),
  shooting_angle: l10n.t('Angle'),
};
const familyLabel = (f: string) => FAMILY_LABELS[f] ?? f.replace(/_/g, ' ');

const app = document.getElementById('app')!;
clear(app);
const input = el('input', {
  type: 'search',
  placeholder: l10n.t('Describe a shot, e.g. a red car at night'),
  'aria-label': l10n.t('Search videos'),
  value: saved.query,
});
const go = el('button', { type: 'submit' }, l10n.t('Search'));
const form = el('form', { class: 'query' }, input, go);
const setup = el('div', { class: 'setup', hidden: true });
const status = el('div', { class: 'status', role: 'status' });
const filters = el('div', { class: 'filters' });
const message = el('div', { class: 'message' });
const list = el('ul', { class: 'results', 'aria-label': l10n.t('Results') });
app.append(form, setup, status, filters, message, list);

function tagsSelected(): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(selected)
      .filter(([, s]) => s.size)
      .map(([f, s]) => [f, [...s]]),
  );
}

function save(): void {
  vscode.setState({ query: input.value, tags: tagsSelected() });
}

function search(): void {
  save();
  if (input.value.trim()) return send({ type: 'search', query: input.value, tags: tagsSelected() });
  // An empty query says what to type instead of doing nothing.
  clear(list);
  clear(message);
  message.append(
    el(
      'p',
      { class: 'muted empty-query' },
      l10n.t(
        'Type what happens in the moment you are looking for, e.g. “a red car at night”; the closest moments of the indexed videos come first.',
      ),
    ),
  );
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  search();
});

/** What is missing before indexing can start (ffmpeg/ffprobe), with the ways forward; hidden when nothing is. */
function renderSetup(missing: SearchStatusView['missingTools']): void {
  clear(setup);
  setup.hidden = !missing;
  if (!missing) return;
  const buttons: HTMLButtonElement[] = [];
  if (missing.install) {
    const install = el(
      'button',
      { type: 'button', class: 'small', title: l10n.t('Runs in a terminal: {0}', missing.install.command) },
      l10n.t('Install with {0}', missing.install.manager),
    );
    install.addEventListener('click', () => send({ type: 'installFfmpeg' }));
    buttons.push(install);
  }
  const locate = el(
    'button',
    { type: 'button', class: missing.install ? 'secondary small' : 'small' },
    l10n.t('Locate ffmpeg…'),
  );
  locate.addEventListener('click', () => send({ type: 'locateFfmpeg' }));
  const again = el('button', { type: 'button', class: 'secondary small' }, l10n.t('Check Again'));
  again.addEventListener('click', () => send({ type: 'checkFfmpeg' }));
  buttons.push(locate, again);
  setup.append(
    el('p', { class: 'setup-title' }, l10n.t('Video search needs ffmpeg and ffprobe on this machine.')),
    el('p', { class: 'setup-detail' }, missing.message),
  );
  if (missing.install) setup.append(el('p', { class: 'muted' }, el('code', {}, missing.install.command)));
  setup.append(el('div', { class: 'setup-actions' }, ...buttons));
}

function renderStatus(s: SearchStatusView): void {
  renderSetup(s.missingTools);
  clear(status);
  if (s.progress) {
    const cancel = el('button', { type: 'button', class: 'secondary small' }, l10n.t('Cancel'));
    cancel.addEventListener('click', () => send({ type: 'cancel' }));
    status.append(el('span', { class: 'progress' }, s.progress), cancel);
  } else {
    const moments = s.moments && s.moments > s.indexed ? ` ${l10n.t('({0} moments)', s.moments)}` : '';
    const text =
      (s.sandbox
        ? s.indexed === 1
          ? l10n.t('1 video indexed (sandbox)')
          : s.indexed
            ? l10n.t('{0} videos indexed (sandbox)', s.indexed)
            : l10n.t('No videos indexed yet (sandbox).')
        : s.indexed === 1
          ? l10n.t('1 video indexed')
          : s.indexed
            ? l10n.t('{0} videos indexed', s.indexed)
            : l10n.t('No videos indexed yet.')) + (s.indexed ? moments : '');
    status.append(el('span', {}, text));
    if (!s.missingTools) {
      const index = el(
        'button',
        { type: 'button', class: s.indexed ? 'secondary small' : 'small' },
        s.indexed ? l10n.t('Update Index') : l10n.t('Index Workspace Videos'),
      );
      index.addEventListener('click', () => send({ type: 'index' }));
      status.append(index);
    }
  }
  renderFilters(s.tags);
}

function renderFilters(tags: Record<string, string[]>): void {
  clear(filters);
  for (const [family, labels] of Object.entries(tags)) {
    if (!labels.length) continue;
    const group = el('fieldset', { class: 'family' }, el('legend', {}, familyLabel(family)));
    for (const label of labels) {
      const box = el('input', { type: 'checkbox', checked: selected[family]?.has(label) ?? false });
      box.addEventListener('change', () => {
        const set = (selected[family] ??= new Set());
        if (box.checked) set.add(label);
        else set.delete(label);
        search();
      });
      group.append(el('label', { class: 'chip' }, box, label));
    }
    filters.append(group);
  }
}

function duration(sec: number | undefined): string | undefined {
  if (sec === undefined) return undefined;
  const s = Math.round(sec);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

const LABELS: Record<SearchResultView['label'], string> = {
  strong: l10n.t('strong'),
  good: l10n.t('good'),
  weak: l10n.t('weak'),
};

/** Whether the matches under the threshold are shown; reset by a new query. */
let showWeaker = false;
let last: { query: string; groups: { name: string; results: SearchResultView[] }[] } | undefined;

function resultItem(r: SearchResultView): HTMLElement {
  const thumb = r.thumbnail
    ? el('img', { src: r.thumbnail, alt: '', class: 'thumb' })
    : el('div', { class: 'thumb none' });
  const tags = el(
    'div',
    { class: 'tags' },
    ...Object.entries(r.tags).flatMap(([f, labels]) =>
      labels.map((l) => el('span', { class: 'tag', title: familyLabel(f) }, l)),
    ),
  );
  const similar = el(
    'button',
    { type: 'button', class: 'secondary small similar', title: l10n.t('Find Similar Moments') },
    l10n.t('Similar'),
  );
  similar.addEventListener('click', (e) => {
    e.stopPropagation();
    send({ type: 'similar', id: r.id });
  });
  const meta = el(
    'div',
    { class: 'meta' },
    el('span', { class: 'name', title: r.name }, r.name),
    r.range ? el('span', { class: 'range' }, r.range) : undefined,
    el(
      'span',
      {
        class: `score ${r.label}`,
        'data-score': r.score.toFixed(3),
        title: l10n.t('Similarity {0} (cosine, −1 to 1)', r.score.toFixed(3)),
      },
      LABELS[r.label],
    ),
    !r.range && duration(r.duration) ? el('span', { class: 'muted' }, duration(r.duration)!) : undefined,
    tags,
    similar,
  );
  const what = r.range ? `${r.name} ${r.range}` : r.name;
  const item = el(
    'li',
    {
      class: r.weaker ? 'result weaker' : 'result',
      tabindex: 0,
      role: 'button',
      'aria-label': l10n.t('Open {0}', what),
    },
    thumb,
    meta,
  );
  const open = () => send({ type: 'open', id: r.id });
  item.addEventListener('click', open);
  item.addEventListener('keydown', (e) => {
    if (e.target === item && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      open();
    }
  });
  return item;
}

function renderResults(query: string, groups: { name: string; results: SearchResultView[] }[], similar = false): void {
  last = { query, groups };
  clear(list);
  clear(message);
  if (similar) message.append(el('p', { class: 'muted similar-title' }, query));
  const total = groups.reduce((n, g) => n + g.results.length, 0);
  if (!total) {
    message.append(
      el(
        'p',
        { class: 'muted' },
        Object.keys(tagsSelected()).length
          ? l10n.t('No indexed video matches “{0}” with these filters.', query)
          : l10n.t('No indexed video matches “{0}”.', query),
      ),
    );
    return;
  }
  let hidden = 0;
  for (const g of groups) {
    const shown = g.results.filter((r) => showWeaker || !r.weaker);
    hidden += g.results.length - shown.length;
    if (!shown.length) continue;
    const group = el(
      'li',
      { class: 'group' },
      el('div', { class: 'group-name', title: g.name }, g.name),
      el('ul', { class: 'moments' }, ...shown.map(resultItem)),
    );
    list.append(group);
  }
  if (hidden && !list.childElementCount)
    message.append(el('p', { class: 'muted' }, l10n.t('No strong match for “{0}”.', query)));
  if (hidden || showWeaker) {
    const toggle = el(
      'button',
      { type: 'button', class: 'secondary small show-weaker' },
      showWeaker ? l10n.t('Hide weaker matches') : l10n.t('Show weaker matches ({0})', hidden),
    );
    toggle.addEventListener('click', () => {
      showWeaker = !showWeaker;
      if (last) renderResults(last.query, last.groups, similar);
    });
    list.append(el('li', { class: 'more' }, toggle));
  }
}

onHostMessage<HostToSearch>((m) => {
  switch (m?.type) {
    case 'status':
      return renderStatus(m.status);
    case 'searching':
      clear(message);
      message.append(el('p', { class: 'muted' }, l10n.t('Searching…')));
      return;
    case 'results':
      // "Show weaker matches" holds while the query stays (a filter changed); a new query starts folded.
      if (m.query !== last?.query) showWeaker = false;
      return renderResults(m.query, m.groups, m.similar);
    case 'error':
      clear(message);
      clear(list);
      message.append(el('div', { class: 'error', role: 'alert' }, m.message));
      return;
    case 'clearResults':
      clear(list);
      clear(message);
      return;
    case 'setQuery':
      input.value = m.query;
      save();
      return;
  }
});

send({ type: 'ready' });
