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
  if (input.value.trim()) send({ type: 'search', query: input.value, tags: tagsSelected() });
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
    const text = s.sandbox
      ? s.indexed === 1
        ? l10n.t('1 video indexed (sandbox)')
        : s.indexed
          ? l10n.t('{0} videos indexed (sandbox)', s.indexed)
          : l10n.t('No videos indexed yet (sandbox).')
      : s.indexed === 1
        ? l10n.t('1 video indexed')
        : s.indexed
          ? l10n.t('{0} videos indexed', s.indexed)
          : l10n.t('No videos indexed yet.');
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

function renderResults(query: string, results: SearchResultView[]): void {
  clear(list);
  clear(message);
  if (!results.length) {
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
  for (const r of results) {
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
    const meta = el(
      'div',
      { class: 'meta' },
      el('span', { class: 'name', title: r.name }, r.name),
      el('span', { class: 'score', title: l10n.t('Cosine similarity to the query') }, r.score.toFixed(3)),
      duration(r.duration) ? el('span', { class: 'muted' }, duration(r.duration)!) : undefined,
      tags,
    );
    const item = el(
      'li',
      { class: 'result', tabindex: 0, role: 'button', 'aria-label': l10n.t('Open {0}', r.name) },
      thumb,
      meta,
    );
    const open = () => send({ type: 'open', id: r.id });
    item.addEventListener('click', open);
    item.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        open();
      }
    });
    list.append(item);
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
      return renderResults(m.query, m.results);
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
