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
    box.append(el('p', { class: 'muted' }, '3D model — download it to open in a viewer.'));
  } else if (o.kind === 'html' && o.url) {
    box.append(
      el('p', { class: 'muted' }, 'This page is not on a host GenDeck may embed. Open it in your browser instead.'),
    );
  }
  if (o.offline)
    box.append(el('p', { class: 'muted offline' }, 'Offline: the sandbox that serves this output is stopped.'));
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
        el('span', {}, `Saved ✓ ${o.saved}`),
        ' · ',
        button('Open', act('open')),
        button('Reveal in Explorer', act('reveal')),
      ),
    );
  }
  const actions = el('div', { class: 'actions' });
  if (o.url && /^https?:/i.test(o.url) && !o.saved)
    actions.append(button('Download', () => send({ type: 'download', key: current!.key, index: o.index }), false));
  if (o.canSave) actions.append(button('Save As…', act('saveAs')), button('Copy Reference', act('copyReference')));
  if (o.url && /^https?:/i.test(o.url)) {
    actions.append(button('Open in Browser', () => send({ type: 'openExternal', url: o.url! })));
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
    el('span', { class: `badge status-${job.status}` }, job.status),
    job.sandbox ? el('span', { class: 'badge sandbox' }, job.offline ? 'sandbox (off)' : 'sandbox') : undefined,
  );
  app.append(header);
  if (job.progress && (job.status === 'queued' || job.status === 'running'))
    app.append(el('p', { class: 'progress' }, job.progress));
  if (job.error) app.append(el('div', { class: 'error', role: 'alert' }, job.error));
  if (job.offline) {
    const start = el('button', { type: 'button' }, 'Start the Sandbox');
    start.addEventListener('click', () => send({ type: 'startSandbox' }));
    app.append(
      el('div', { class: 'notice' }, el('span', {}, 'The sandbox is off, so its media are not served. '), start),
    );
  }
  if (job.summary && job.status === 'succeeded') app.append(el('p', { class: 'summary' }, job.summary));
  const actions = el('div', { class: 'actions' });
  if (job.outputs.some((o) => o.url)) {
    const b = el('button', { type: 'button' }, 'Download All');
    b.addEventListener('click', () => send({ type: 'download', key: job.key }));
    actions.append(b);
  }
  if (job.canRetry) {
    const b = el('button', { type: 'button', class: 'secondary' }, job.status === 'failed' ? 'Retry' : 'Run Again');
    b.addEventListener('click', () => send({ type: 'retry', key: job.key }));
    actions.append(b);
  }
  if (job.webUrl) {
    const b = el('button', { type: 'button', class: 'secondary' }, 'Open in Provider Workspace');
    b.addEventListener('click', () => send({ type: 'openExternal', url: job.webUrl! }));
    actions.append(b);
  }
  if (actions.childElementCount) app.append(actions);
  for (const o of job.outputs) app.append(renderOutput(o));
  if (job.steps.length) {
    app.append(
      el('h2', {}, 'Steps'),
      el(
        'ol',
        { class: 'steps' },
        ...job.steps.map((s) => el('li', {}, `${s.prompt} — ${s.state}${s.id ? ` (${s.id})` : ''}`)),
      ),
    );
  }
  app.append(
    el('h2', {}, 'Details'),
    el(
      'table',
      { class: 'meta' },
      ...[
        row('Provider', job.provider),
        row('Kind', job.kind),
        row('Job', job.key.slice(job.key.indexOf(':') + 1)),
        row('Status', job.remoteStatus ? `${job.status} (${job.remoteStatus})` : job.status),
        row('Prompt', job.prompt),
        row('Parameters', job.params.join(', ') || undefined),
        row('Cost', job.cost),
        row('Created', localTime(job.createdAt)),
        row('Finished', localTime(job.finishedAt)),
      ].filter((r): r is HTMLElement => !!r),
    ),
  );
  const copy = el('button', { type: 'button', class: 'secondary small' }, 'Copy JSON');
  copy.addEventListener('click', () => send({ type: 'copy', text: job.raw }));
  app.append(el('details', {}, el('summary', {}, 'Raw response'), copy, el('pre', { class: 'raw' }, job.raw)));
}

onHostMessage<HostToPreview>((msg) => {
  if (msg?.type === 'show') render(msg.job);
  else if (msg?.type === 'missing') {
    clear(app);
    app.append(el('p', { class: 'muted' }, 'This job is no longer in the GenDeck list.'));
  }
});

send({ type: 'ready' });
