// The host's end of every page: each receiver (preview panel, Search view, schema form panel) parses what its page
// sends with the page's schema (src/webview/protocol.ts). A malformed, wrong-typed, unknown or oversized message
// is dropped before it reaches a command, the clipboard, the browser or a provider, and is logged at debug level
// with its type only. Runs against the `vscode` stub; the page bundles are checked to carry no zod.
import '../support/vscodeStub';
import assert from 'node:assert/strict';
import { newJob } from '../../src/core/jobs/job';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, it } from 'node:test';
import {
  createdPanels,
  env,
  executedCommands,
  openedExternal,
  RecordingPanel,
  RecordingWebview,
  Uri,
  window,
} from '../support/vscodeStub';
import type { Logger } from '../../src/core/log';
import { SearchViewProvider } from '../../src/features/seeknetic/searchView';
import { openSchemaFormPanel } from '../../src/webview/formPanel';
import { PreviewPanels } from '../../src/webview/previewPanel';
import { FormToHost, LIMITS, PreviewToHost, SearchToHost } from '../../src/webview/protocol';

/** Marks page content: it must never reach the log. */
const SECRET = 'SECRET-PAGE-CONTENT';
const tick = () => new Promise((r) => setTimeout(r, 5));

function recordingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (m: string) => void lines.push(`${level} ${m}`);
  return { lines, trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Not a message of any page. */
const NOT_MESSAGES: unknown[] = [
  null,
  undefined,
  'ready',
  42,
  [],
  [{ type: 'ready' }],
  {},
  { type: 7, text: SECRET },
  { type: null },
  { type: 'nope', text: SECRET },
  { type: `${SECRET}-${'x'.repeat(200)}` },
  { type: 'constructor' },
  { type: '__proto__' },
];

const BAD_PREVIEW: unknown[] = [
  ...NOT_MESSAGES,
  { type: 'download' },
  { type: 'download', key: 5 },
  { type: 'download', key: '' },
  { type: 'download', key: 'seedancee2:a', index: 1.5 },
  { type: 'download', key: 'seedancee2:a', index: -1 },
  { type: 'download', key: 'seedancee2:a', index: '0' },
  { type: 'download', key: SECRET.repeat(LIMITS.key) },
  { type: 'retry' },
  { type: 'retry', key: ['seedancee2:a'] },
  { type: 'openExternal' },
  { type: 'openExternal', url: 42 },
  { type: 'openExternal', url: `https://example.com/${SECRET}${'a'.repeat(LIMITS.url)}` },
  { type: 'copy' },
  { type: 'copy', text: { toString: SECRET } },
  { type: 'copy', text: SECRET.padEnd(LIMITS.clipboard + 1, 'x') },
  { type: 'output', key: 'seedancee2:a', index: 0 },
  { type: 'output', key: 'seedancee2:a', index: 0, action: 'delete' },
  { type: 'output', key: 'seedancee2:a', index: -1, action: 'saveAs' },
  { type: 'output', key: 'seedancee2:a', action: 'open' },
];

const BAD_SEARCH: unknown[] = [
  ...NOT_MESSAGES,
  { type: 'search', query: SECRET },
  { type: 'search', query: 1, tags: {} },
  { type: 'search', query: SECRET, tags: null },
  { type: 'search', query: SECRET, tags: [] },
  { type: 'search', query: SECRET, tags: { shot_size: 'close_up' } },
  { type: 'search', query: SECRET, tags: { shot_size: [1] } },
  { type: 'search', query: SECRET.padEnd(LIMITS.query + 1, 'x'), tags: {} },
  { type: 'search', query: SECRET, tags: { shot_size: [SECRET.padEnd(LIMITS.name + 1, 'x')] } },
  { type: 'search', query: SECRET, tags: { [SECRET.padEnd(LIMITS.name + 1, 'x')]: [] } },
  { type: 'search', query: SECRET, tags: { shot_size: Array.from({ length: LIMITS.tags + 1 }, (_, i) => `l${i}`) } },
  {
    type: 'search',
    query: SECRET,
    tags: Object.fromEntries(Array.from({ length: LIMITS.tags + 1 }, (_, i) => [i, []])),
  },
  { type: 'open' },
  { type: 'open', id: '0' },
  { type: 'open', id: 0.5 },
  { type: 'open', id: -1 },
  { type: 'open', id: Number.NaN },
  { type: 'open', id: 2 ** 60 },
];

const BAD_FORM: unknown[] = [
  ...NOT_MESSAGES,
  // The messages before requests carried ids.
  { type: 'changed', values: { prompt: SECRET } },
  { type: 'price', values: { prompt: SECRET } },
  { type: 'price', id: '1', values: {} },
  { type: 'price', id: -1, values: {} },
  { type: 'price', id: 1.5, values: {} },
  { type: 'price', id: 1, values: [SECRET] },
  { type: 'price', id: 1, values: null },
  { type: 'price', id: 1, values: SECRET },
  { type: 'submit', id: 1 },
  { type: 'submit', values: { prompt: SECRET } },
  { type: 'submit', id: 1, values: [] },
  { type: 'pickFile', id: 1, field: 'image_url' },
  { type: 'pickFile', id: 1, field: 'image_url', kinds: 'image' },
  { type: 'pickFile', id: 1, field: 'image_url', kinds: [] },
  { type: 'pickFile', id: 1, field: 'image_url', kinds: ['exe'] },
  { type: 'pickFile', id: 1, field: 'image_url', kinds: ['image', 'video', 'audio', 'image'] },
  { type: 'pickFile', id: 1, field: '', kinds: ['image'] },
  { type: 'pickFile', id: 1, field: 7, kinds: ['image'] },
  { type: 'pickFile', id: 1, field: SECRET.padEnd(LIMITS.name + 1, 'x'), kinds: ['image'] },
  { type: 'pickFile', id: 1, field: 'image_url', kinds: ['image'], index: -1 },
  { type: 'pickFile', id: 1, field: 'image_url', kinds: ['image'], index: '0' },
];

/** Every log line is a debug line naming the page and at most the message's type, never its content. */
function assertDropLog(log: { lines: string[] }, page: string, count: number): void {
  assert.equal(log.lines.length, count, 'one line per dropped message');
  for (const l of log.lines) {
    assert.match(
      l,
      new RegExp(`^debug Dropped an invalid message from the ${page} page \\(type(: \\w+| "\\w{1,40}")\\)\\.$`),
    );
    assert.ok(!l.includes(SECRET), `no page content in "${l}"`);
  }
}

describe('page message schemas', () => {
  it('accept what the pages send', () => {
    for (const m of [
      { type: 'ready' },
      { type: 'download', key: 'seedancee2:a' },
      { type: 'download', key: 'seedancee2:a', index: 0 },
      { type: 'retry', key: 'seele:b' },
      { type: 'openExternal', url: 'https://example.com/a' },
      { type: 'copy', text: '{}' },
      { type: 'startSandbox' },
      { type: 'output', key: 'seedancee2:a', index: 0, action: 'saveAs' },
      { type: 'output', key: 'seedancee2:a', index: 2, action: 'reveal' },
    ])
      assert.ok(PreviewToHost.safeParse(m).success, JSON.stringify(m));
    for (const m of [
      { type: 'ready' },
      { type: 'search', query: 'a red car', tags: {} },
      { type: 'search', query: 'a red car', tags: { shot_size: ['close_up'], camera_movement: [] } },
      { type: 'open', id: 0 },
      { type: 'index' },
      { type: 'cancel' },
      { type: 'installFfmpeg' },
      { type: 'locateFfmpeg' },
      { type: 'checkFfmpeg' },
    ])
      assert.ok(SearchToHost.safeParse(m).success, JSON.stringify(m));
    for (const m of [
      { type: 'ready' },
      { type: 'cancel' },
      { type: 'price', id: 1, values: { prompt: 'a fox', n: 2, image: 'gendeck-file:abc' } },
      { type: 'pickFile', id: 2, field: 'image_url', kinds: ['image'] },
      { type: 'pickFile', id: 3, field: 'reference_urls', kinds: ['image', 'video', 'audio'], index: 2 },
      { type: 'submit', id: 4, values: {} },
    ])
      assert.ok(FormToHost.safeParse(m).success, JSON.stringify(m));
  });

  it('refuse malformed, wrong-typed, unknown and oversized messages', () => {
    for (const [schema, bad] of [
      [PreviewToHost, BAD_PREVIEW],
      [SearchToHost, BAD_SEARCH],
      [FormToHost, BAD_FORM],
    ] as const)
      for (const m of bad) assert.equal(schema.safeParse(m).success, false, JSON.stringify(m)?.slice(0, 200));
  });

  it('drop fields a message does not have', () => {
    assert.deepEqual(PreviewToHost.parse({ type: 'retry', key: 'seele:b', command: 'workbench.action.terminal.new' }), {
      type: 'retry',
      key: 'seele:b',
    });
  });
});

describe('host receivers drop invalid page messages', () => {
  const copied: string[] = [];
  const dialogs: unknown[] = [];
  // The stub has no clipboard contents and no file dialog: record what reaches them.
  Object.assign(env.clipboard, { writeText: async (t: string) => void copied.push(t) });
  Object.assign(window, { showOpenDialog: async (o: unknown) => void dialogs.push(o) });
  beforeEach(() => {
    copied.length = 0;
    dialogs.length = 0;
    executedCommands.length = 0;
    openedExternal.length = 0;
  });

  it('the preview panel', async () => {
    const log = recordingLog();
    const panels = new PreviewPanels({
      store: { get: () => undefined, onDidChange: () => ({ dispose() {} }) },
      context: { extensionUri: Uri.file('/ext') },
      sandbox: { origin: 'http://127.0.0.1:1', active: true, onDidChange: () => ({ dispose() {} }) },
      log,
    } as never);
    panels.open('seedancee2:a');
    const panel = createdPanels[createdPanels.length - 1] as RecordingPanel;
    await tick();
    const posted = panel.webview.posted.length;
    for (const m of BAD_PREVIEW) panel.webview.receive(m);
    await tick();
    assert.deepEqual([executedCommands, openedExternal, copied], [[], [], []], 'nothing reached a sink');
    assert.equal(panel.webview.posted.length, posted, 'no answer to a dropped message');
    assertDropLog(log, 'preview', BAD_PREVIEW.length);
    // The same receiver still acts on what the page really sends.
    panel.webview.receive({ type: 'retry', key: 'seedancee2:a' });
    panel.webview.receive({ type: 'copy', text: '{}' });
    panel.webview.receive({ type: 'openExternal', url: 'https://example.com/a' });
    await tick();
    assert.deepEqual(
      executedCommands.map((c) => c.command),
      ['gendeck.retryJob'],
    );
    assert.deepEqual(copied, ['{}']);
    assert.deepEqual(openedExternal, ['https://example.com/a']);
    assert.equal(log.lines.length, BAD_PREVIEW.length);
    panels.dispose();
  });

  it('the preview panel acts on its own job only, and closes when that job is removed from the list', async () => {
    const log = recordingLog();
    const own = newJob({ provider: 'seedancee2', id: 'own', title: 'own', kind: 'video', status: 'running' });
    const listeners: ((keys: string[]) => void)[] = [];
    let present = true;
    const panels = new PreviewPanels({
      store: {
        get: (k: string) => (present && k === own.key ? own : undefined),
        onDidChange: (fn: (keys: string[]) => void) => {
          listeners.push(fn);
          return { dispose() {} };
        },
      },
      context: { extensionUri: Uri.file('/ext') },
      sandbox: { origin: 'http://127.0.0.1:1', active: true, onDidChange: () => ({ dispose() {} }) },
      log,
    } as never);
    panels.open('seedancee2:own');
    const panel = createdPanels[createdPanels.length - 1] as RecordingPanel;
    let closed = false;
    panel.onDidDispose(() => (closed = true));
    await tick();
    panel.webview.receive({ type: 'retry', key: 'seedancee2:other' });
    panel.webview.receive({ type: 'download', key: 'seedancee2:other', index: 0 });
    panel.webview.receive({ type: 'output', key: 'seedancee2:other', index: 0, action: 'saveAs' });
    await tick();
    assert.equal(executedCommands.length, 0, "another job's key reaches no command");
    panel.webview.receive({ type: 'download', key: 'seedancee2:own', index: 0 });
    panel.webview.receive({ type: 'output', key: 'seedancee2:own', index: 0, action: 'saveAs' });
    panel.webview.receive({ type: 'output', key: 'seedancee2:own', index: 0, action: 'copyReference' });
    await tick();
    assert.deepEqual(
      executedCommands.map((c) => [c.command, c.args[0]]),
      [
        ['gendeck.downloadOutputs', { type: 'job', key: 'seedancee2:own' }],
        ['gendeck.saveOutputAs', { type: 'output', key: 'seedancee2:own', index: 0 }],
        ['gendeck.copyOutputReference', { type: 'output', key: 'seedancee2:own', index: 0 }],
      ],
    );
    for (const fn of listeners) fn(['seedancee2:own']);
    await tick();
    assert.ok(!closed, 'a change to its job keeps the panel');
    present = false;
    for (const fn of listeners) fn(['seedancee2:own']);
    assert.ok(closed, 'the panel closed with its job');
    panels.dispose();
  });

  it('a downloaded Seele game still plays: the html output is framed from where it was served', async () => {
    const origin = 'http://127.0.0.1:1';
    const game = newJob({
      provider: 'seele',
      id: 'job_1',
      title: 'maze',
      kind: 'game',
      status: 'succeeded',
      outputs: [
        { kind: 'html', label: 'Play', url: `${origin}/seele/play/job_1/index.html`, localPath: '/w/out/index.html' },
        { kind: 'archive', label: 'Project', url: `${origin}/seele/p.zip`, localPath: '/w/out/project.zip' },
      ],
    });
    const panels = new PreviewPanels({
      store: { get: () => game, onDidChange: () => ({ dispose() {} }) },
      context: { extensionUri: Uri.file('/ext') },
      sandbox: { origin, active: true, onDidChange: () => ({ dispose() {} }) },
      log: recordingLog(),
    } as never);
    panels.open(game.key);
    const panel = createdPanels[createdPanels.length - 1] as RecordingPanel;
    await tick();
    panel.webview.receive({ type: 'ready' });
    await tick();
    const shown = [...panel.webview.posted].reverse().find((m) => (m as { type: string }).type === 'show') as
      { job: { outputs: { kind: string; frameSrc?: string; src?: string }[] } } | undefined;
    assert.ok(shown, 'the job was shown');
    const [html, zip] = shown.job.outputs;
    assert.equal(html.frameSrc, `${origin}/seele/play/job_1/index.html`);
    assert.match(zip.src ?? '', /project\.zip/, 'other outputs use the local copy');
    panels.dispose();
  });

  it("a sandbox job's media read offline while the sandbox is off, and come back when it starts", async () => {
    const origin = 'http://127.0.0.1:1';
    const clip = newJob({
      provider: 'seedancee2',
      id: 'vid_1',
      title: 'fox',
      kind: 'video',
      status: 'succeeded',
      sandbox: true,
      outputs: [{ kind: 'video', label: 'Video', url: `${origin}/media/clip.mp4` }],
    });
    let active = false;
    let changed = () => {};
    const panels = new PreviewPanels({
      store: { get: () => clip, onDidChange: () => ({ dispose() {} }) },
      context: { extensionUri: Uri.file('/ext') },
      sandbox: {
        origin,
        get active() {
          return active;
        },
        onDidChange: (fn: () => void) => {
          changed = fn;
          return { dispose() {} };
        },
      },
      log: recordingLog(),
    } as never);
    panels.open(clip.key);
    const panel = createdPanels[createdPanels.length - 1] as RecordingPanel;
    await tick();
    panel.webview.receive({ type: 'ready' });
    await tick();
    type Shown = { job: { offline?: boolean; outputs: { offline?: boolean; src?: string }[] } };
    const lastShown = () =>
      [...panel.webview.posted].reverse().find((m) => (m as { type: string }).type === 'show') as Shown | undefined;
    assert.equal(lastShown()?.job.offline, true);
    assert.deepEqual(
      lastShown()?.job.outputs.map((o) => [o.offline, o.src]),
      [[true, undefined]],
      'no broken media',
    );
    panel.webview.receive({ type: 'startSandbox' });
    await tick();
    assert.deepEqual(
      executedCommands.slice(-1).map((c) => c.command),
      ['gendeck.trySandbox'],
    );
    active = true;
    changed();
    await tick();
    // The media origin joins the page's CSP: a new page, which says ready again.
    panel.webview.receive({ type: 'ready' });
    await tick();
    assert.equal(lastShown()?.job.offline, false);
    assert.equal(lastShown()?.job.outputs[0].src, `${origin}/media/clip.mp4`);
    panels.dispose();
  });

  it('the Search view drops results from the other index when the sandbox is turned on or off', async () => {
    const none = () => ({ dispose() {} });
    let sandboxChanged = () => {};
    const hit = {
      path: '/w/red.mp4',
      folder: { name: 'w', uri: Uri.file('/w') },
      entry: { rel: 'red.mp4', tags: {}, duration: 1, start: 0, end: 1 },
      score: 0.9,
    };
    const found = {
      groups: [{ path: hit.path, best: hit.score, moments: [{ hit, label: 'strong', weaker: false }] }],
      count: 1,
    };
    const search = {
      onDidChange: none,
      storageRoot: () => Uri.file('/storage'),
      state: async () => ({ indexed: 1, folders: 1, sandbox: true, tags: {} }),
      checkTools: async () => undefined,
      search: async () => found,
      cancel: () => undefined,
    };
    const provider = new SearchViewProvider(
      {
        context: { extensionUri: Uri.file('/ext') },
        log: recordingLog(),
        sandbox: {
          onDidChange: (fn: () => void) => {
            sandboxChanged = fn;
            return { dispose() {} };
          },
        },
      } as never,
      search as never,
    );
    const webview = new RecordingWebview();
    provider.resolveWebviewView({ webview, onDidDispose: none } as never);
    webview.receive({ type: 'search', query: 'red', tags: {} });
    await tick();
    assert.ok(webview.posted.some((m) => (m as { type: string }).type === 'results'));
    sandboxChanged();
    await tick();
    assert.deepEqual(webview.posted.at(-1), { type: 'clearResults' });
    webview.receive({ type: 'open', id: 0 });
    await tick();
    assert.equal(executedCommands.length, 0, 'a result of the other index opens nothing');
    provider.dispose();
  });

  it('the Search view', async () => {
    const log = recordingLog();
    const calls: string[] = [];
    const none = () => ({ dispose() {} });
    const search = {
      onDidChange: none,
      storageRoot: () => Uri.file('/storage'),
      state: async () => ({ indexed: 0, folders: 0, sandbox: true, tags: {} }),
      checkTools: async () => void calls.push('checkTools'),
      search: async (q: string) => {
        calls.push(`search ${q}`);
        return { groups: [], count: 0 };
      },
      cancel: () => void calls.push('cancel'),
    };
    const provider = new SearchViewProvider(
      { context: { extensionUri: Uri.file('/ext') }, log, sandbox: { onDidChange: none } } as never,
      search as never,
    );
    const webview = new RecordingWebview();
    provider.resolveWebviewView({ webview, onDidDispose: none } as never);
    for (const m of BAD_SEARCH) webview.receive(m);
    await tick();
    assert.deepEqual([calls, executedCommands, webview.posted], [[], [], []], 'nothing reached a sink');
    assertDropLog(log, 'search', BAD_SEARCH.length);
    webview.receive({ type: 'search', query: 'a red car', tags: { shot_size: ['close_up'] } });
    webview.receive({ type: 'index' });
    await tick();
    assert.deepEqual(calls, ['search a red car']);
    assert.deepEqual(
      executedCommands.map((c) => c.command),
      ['gendeck.seeknetic.indexVideos'],
    );
    assert.equal(log.lines.length, BAD_SEARCH.length);
    provider.dispose();
  });

  it('the schema form panel', async () => {
    const log = recordingLog();
    const calls: string[] = [];
    openSchemaFormPanel(Uri.file('/ext') as never, {
      title: 'Form',
      init: { title: 'Tool', form: { fields: [] } as never, values: {}, submitLabel: 'Run' },
      maxInlineBytes: 1024,
      price: async () => {
        calls.push('price');
        return 'Price: $0.03';
      },
      submit: async () => {
        calls.push('submit');
        return { message: 'Done' };
      },
      log,
    });
    const panel = createdPanels[createdPanels.length - 1] as RecordingPanel;
    let disposed = false;
    panel.onDidDispose(() => (disposed = true));
    for (const m of BAD_FORM) panel.webview.receive(m);
    await tick();
    assert.deepEqual([calls, dialogs, panel.webview.posted], [[], [], []], 'nothing reached a sink');
    assert.equal(disposed, false);
    assertDropLog(log, 'form', BAD_FORM.length);
    // Requests are answered with their own id.
    panel.webview.receive({ type: 'price', id: 7, values: { prompt: 'a fox' } });
    panel.webview.receive({ type: 'pickFile', id: 8, field: 'image_url', kinds: ['image'] });
    await tick();
    panel.webview.receive({ type: 'submit', id: 9, values: { prompt: 'a fox' } });
    await tick();
    assert.deepEqual(calls, ['price', 'submit']);
    assert.equal(dialogs.length, 1);
    assert.deepEqual(panel.webview.posted, [
      { type: 'reply', id: 7, ok: true, value: 'Price: $0.03' },
      { type: 'reply', id: 8, ok: true, value: null },
      { type: 'reply', id: 9, ok: true, value: 'Done' },
    ]);
    assert.equal(log.lines.length, BAD_FORM.length);
    panel.dispose();
  });
});

describe('page bundles', () => {
  it('carry no zod: the pages import the protocol as types only', () => {
    const dist = join(__dirname, '..', '..', '..', 'dist');
    for (const bundle of ['webview.js', 'search.js', 'form.js']) {
      const js = readFileSync(join(dist, bundle), 'utf8');
      assert.ok(js.length > 1000, `${bundle} was built`);
      assert.ok(!/\$Zod|ZodError/.test(js), `${bundle} holds zod`);
    }
  });
});
