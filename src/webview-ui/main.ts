import './l10n';
import * as l10n from '@vscode/l10n';
import type {
  HostToPreview,
  OUTPUT_ACTIONS,
  PreviewJob,
  PreviewOutput,
  PreviewState,
  PreviewToHost,
} from '../webview/protocol';
import { clear, el, onHostMessage, vscodeApi } from './dom';
import { mountModel } from './model/mount';
import './style.css';

const vscode = vscodeApi<PreviewState>();
const app = document.getElementById('app')!;
const send = (m: PreviewToHost) => vscode.postMessage(m);
type OutputAction = (typeof OUTPUT_ACTIONS)[number];

/** Renders one output by kind; provider URLs only ever land in src/href attributes, never as markup. */
function renderOutput(o: PreviewOutput): HTMLElement {
  const box = el(
    'section',
    { class: `output output-${o.kind}` },
    el('h3', {}, o.label),
    o.description ? el('p', { class: 'muted' }, o.description) : undefined,
  );
  if (o.kind === 'video' && o.src) {
    box.append(
      el('video', {
        src: o.src,
        poster: o.poster,
        controls: true,
        preload: 'metadata',
        playsinline: true,
        class: 'media',
      }),
    );
  } else if (o.kind === 'image' && o.src) {
    box.append(el('img', { src: o.src, alt: o.label, class: 'media' }));
  } else if (o.kind === 'audio' && o.src) {
    box.append(el('audio', { src: o.src, controls: true, preload: 'metadata' }));
  } else if (o.kind === 'html' && o.frameSrc) {
    box.append(
      el('iframe', { src: o.frameSrc, sandbox: 'allow-scripts allow-pointer-lock', class: 'frame', title: o.label }),
    );
  } else if (o.kind === 'model' && o.src && !/\.(obj|fbx|stl|ply|usdz)([?#]|$)/i.test(o.url ?? o.src)) {
    mountModel(box, o.src);
  } else if (o.kind === 'model' && o.src) {
    box.append(el('p', { class: 'muted' }, l10n.t('3D model — download it to open in a viewer.')));
  } else if (o.kind === 'html' && o.url) {
    box.append(
      el(
        'p',
        { class: 'muted' },
        l10n.t('This page is not on a host GenDeck may embed. Open it in your browser instead.'),
      ),
    );
  }
  if (o.offline)
    box.append(el('p', { class: 'muted offline' }, l10n.t('Offline: the sandbox that serves this output is stopped.')));
  if (o.text !== undefined) box.append(el('pre', { class: 'raw' }, o.text));
  const button = (label: string, onClick: () => void, secondary = true) => {
    const b = el('button', { type: 'button', class: secondary ? 'secondary' : undefined }, label);
    b.addEventListener('click', onClick);
    return b;
  };
  const act = (action: OutputAction) => () => send({ type: 'output', key: current!.key, index: o.index, action });
  if (o.saved) {
    box.append(
      el(
        'p',
        { class: 'saved' },
        el('span', {}, l10n.t('Saved ✓ {0}', o.saved)),
        ' · ',
        button(l10n.t('Open'), act('open')),
        button(l10n.t('Reveal in Explorer'), act('reveal')),
      ),
    );
  }
  const actions = el('div', { class: 'actions' });
  if (o.url && /^https?:/i.test(o.url) && !o.saved)
    actions.append(
      button(l10n.t('Download'), () => send({ type: 'download', key: current!.key, index: o.index }), false),
    );
  if (o.canSave)
    actions.append(button(l10n.t('Save As…'), act('saveAs')), button(l10n.t('Copy Reference'), act('copyReference')));
  if (o.url && /^https?:/i.test(o.url)) {
    actions.append(button(l10n.t('Open in Browser'), () => send({ type: 'openExternal', url: o.url! })));
    box.append(el('p', { class: 'url' }, o.url));
  }
  if (actions.childElementCount) box.append(actions);
  return box;
}

function row(label: string, value: string | undefined): HTMLElement | undefined {
  return value ? el('tr', {}, el('th', {}, label), el('td', {}, value)) : undefined;
}

/** An ISO time in the viewer's own time zone and format. */
function localTime(iso: string | undefined): string | undefined {
  const d = iso ? new Date(iso) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d.toLocaleString() : iso;
}

let current: PreviewJob | undefined;

function render(job: PreviewJob): void {
  current = job;
  vscode.setState({ key: job.key });
  clear(app);
  const header = el(
    'header',
    {},
    el('h1', {}, job.title),
    el('span', { class: `badge status-${job.status}` }, job.statusLabel),
    job.sandbox
      ? el('span', { class: 'badge sandbox' }, job.offline ? l10n.t('sandbox (off)') : l10n.t('sandbox'))
      : undefined,
  );
  app.append(header);
  if (job.progress && (job.status === 'queued' || job.status === 'running'))
    app.append(el('p', { class: 'progress' }, job.progress));
  if (job.error) app.append(el('div', { class: 'error', role: 'alert' }, job.error));
  if (job.offline) {
    const start = el('button', { type: 'button' }, l10n.t('Start the Sandbox'));
    start.addEventListener('click', () => send({ type: 'startSandbox' }));
    app.append(
      el(
        'div',
        { class: 'notice' },
        el('span', {}, l10n.t('The sandbox is off, so its media are not served.')),
        ' ',
        start,
      ),
    );
  }
  if (job.summary && job.status === 'succeeded') app.append(el('p', { class: 'summary' }, job.summary));
  const actions = el('div', { class: 'actions' });
  if (job.outputs.some((o) => o.url)) {
    const b = el('button', { type: 'button' }, l10n.t('Download All'));
    b.addEventListener('click', () => send({ type: 'download', key: job.key }));
    actions.append(b);
  }
  if (job.canRetry) {
    const b = el(
      'button',
      { type: 'button', class: 'secondary' },
      job.status === 'failed' ? l10n.t('Retry') : l10n.t('Run Again'),
    );
    b.addEventListener('click', () => send({ type: 'retry', key: job.key }));
    actions.append(b);
  }
  if (job.webUrl) {
    const b = el('button', { type: 'button', class: 'secondary' }, l10n.t('Open in Provider Workspace'));
    b.addEventListener('click', () => send({ type: 'openExternal', url: job.webUrl! }));
    actions.append(b);
  }
  if (actions.childElementCount) app.append(actions);
  for (const o of job.outputs) app.append(renderOutput(o));
  if (job.steps.length) {
    app.append(
      el('h2', {}, l10n.t('Steps')),
      el(
        'ol',
        { class: 'steps' },
        ...job.steps.map((s) => el('li', {}, `${s.prompt} — ${s.stateLabel}${s.id ? ` (${s.id})` : ''}`)),
      ),
    );
  }
  app.append(
    el('h2', {}, l10n.t('Details')),
    el(
      'table',
      { class: 'meta' },
      ...[
        row(l10n.t('Provider'), job.provider),
        row(l10n.t('Kind'), job.kind),
        row(l10n.t('Job'), job.key.slice(job.key.indexOf(':') + 1)),
        row(l10n.t('Status'), job.remoteStatus ? `${job.statusLabel} (${job.remoteStatus})` : job.statusLabel),
        row(l10n.t('Prompt'), job.prompt),
        row(l10n.t('Parameters'), job.params.join(', ') || undefined),
        row(l10n.t('Cost'), job.cost),
        row(l10n.t('Created'), localTime(job.createdAt)),
        row(l10n.t('Finished'), localTime(job.finishedAt)),
      ].filter((r): r is HTMLElement => !!r),
    ),
  );
  const copy = el('button', { type: 'button', class: 'secondary small' }, l10n.t('Copy JSON'));
  copy.addEventListener('click', () => send({ type: 'copy', text: job.raw }));
  app.append(el('details', {}, el('summary', {}, l10n.t('Raw response')), copy, el('pre', { class: 'raw' }, job.raw)));
}

onHostMessage<HostToPreview>((msg) => {
  if (msg?.type === 'show') render(msg.job);
  else if (msg?.type === 'missing') {
    clear(app);
    app.append(el('p', { class: 'muted' }, l10n.t('This job is no longer in the GenDeck list.')));
  }
});

send({ type: 'ready' });
