// Keys and hostile strings at the edge the user sees. Hostile text in every provider field a job carries
// (prompt/title, progress, summary, error message, output names and labels, step prompts, raw response, URLs)
// goes through the real preview view model (PreviewPanels against the `vscode` stub), the real page
// (previewHtml) and the real webview bundle (src/webview-ui, built with esbuild) rendered in a DOM (linkedom):
// nothing from those strings becomes an element or an attribute that runs code, and the key is nowhere.
import '../support/vscodeStub';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { after, before, describe, it } from 'node:test';
import { adaptersFor } from '../support/adapters';
import { createdPanels, openedExternal, RecordingPanel, Uri } from '../support/vscodeStub';
import { JobsTreeProvider } from '../../src/views/jobsTree';
import { PreviewPanels } from '../../src/webview/previewPanel';
import { newJob, type Job } from '../../src/core/jobs/job';
import { JobStore } from '../../src/core/jobs/store';
import { PROVIDER_IDS } from '../../src/core/providers/index';
import type { HostToPreview, PreviewJob } from '../../src/webview/protocol';
import { startHarness, type Harness } from '../support/sandbox';
import { assertNoKey, captureOutput, guardUnhandled, reportCounts, suiteKey } from './helpers';

const unhandled = guardUnhandled();
const output = captureOutput();
const REPO = join(__dirname, '..', '..', '..');
const HOSTILE = [
  `<img src=x onerror=alert(1)>`,
  `"><script>alert(2)</script>`,
  `<svg onload=alert(3)>`,
  `javascript:alert(4)`,
  `<a href="javascript:alert(5)">x</a>`,
  `{{constructor.constructor('alert(6)')()}}`,
  `</pre><iframe src=javascript:alert(7)>`,
];
const H = HOSTILE.join(' ');

function hostileJob(i: number, origin: string): Job {
  return newJob({
    provider: (['seedancee2', 'seele', 'seekapi', 'seisoai', 'seeknetic'] as const)[i % 5],
    id: `hostile_${i}`,
    title: H,
    kind: `video ${HOSTILE[0]}`,
    status: i % 2 ? 'running' : 'failed',
    remoteStatus: HOSTILE[1],
    progress: H,
    error: { code: HOSTILE[2], message: H },
    cost: { amount: 1, unit: HOSTILE[0] },
    webUrl: 'javascript:alert(8)',
    outputs: [
      { kind: 'video', url: `${origin}/media/x/${encodeURIComponent(HOSTILE[1])}.mp4`, label: H, name: H },
      {
        kind: 'image',
        url: `https://cdn.example.com/a.jpg?q=${encodeURIComponent(HOSTILE[0])}`,
        label: `Thumbnail ${H}`,
      },
      { kind: 'html', url: `${origin}/media/seele/${i}/index.html`, label: H },
      { kind: 'html', url: 'javascript:alert(9)', label: H },
      { kind: 'json', value: { summary: H, nested: [H] }, label: H },
      { kind: 'text', value: H, name: `${HOSTILE[0]}.txt` },
      { kind: 'archive', url: `https://x.example/${encodeURIComponent(H)}.zip`, name: H },
    ],
    steps: [
      {
        localId: 's1',
        prompt: H,
        state: 'sent',
        id: HOSTILE[2],
        request: {},
        createdAt: new Date().toISOString(),
        error: H,
      },
    ],
    meta: { summary: H },
    raw: { summary: H, error: { message: H }, artifacts: [{ name: H }] },
    request: { prompt: H },
  });
}

function files(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) files(p, out);
    else out.push(p);
  }
  return out;
}

describe('fault injection: keys and hostile strings in the webview', () => {
  let h: Harness;
  let store: JobStore;
  let bundle = '';
  const artifacts: Record<string, string> = {};
  let rendered = 0;
  before(async () => {
    h = await startHarness({ key: suiteKey(), timeScale: 0.01 });
    store = new JobStore(join(h.tmp, 'jobs.json'), h.log);
    await store.load();
    const esbuild = await import('esbuild');
    const r = await esbuild.build({
      entryPoints: [join(REPO, 'src', 'webview-ui', 'main.ts')],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      write: false,
      outdir: join(h.tmp, 'wv'),
      logLevel: 'silent',
    });
    bundle = r.outputFiles.find((f) => f.path.endsWith('.js'))!.text;
  });
  after(async () => {
    await store.flush();
    artifacts.store = existsSync(store.file) ? readFileSync(store.file, 'utf8') : '';
    artifacts.log = h.log.lines.join('\n');
    artifacts.output = output.text();
    let leaks = 0;
    try {
      assertNoKey(h.key, artifacts);
    } catch (err) {
      leaks++;
      throw err;
    } finally {
      reportCounts({
        suite: 'webview: hostile strings + key scan',
        faultsInjected: HOSTILE.length,
        jobs: store.all().length,
        losses: 0,
        duplicates: 0,
        leaks,
        unhandledRejections: unhandled.list.length,
        extra: { pagesRendered: rendered, artifactsScanned: Object.keys(artifacts).length },
      });
      await h.stop();
    }
    unhandled.check();
  });

  it('the webview code never parses text as HTML', () => {
    const banned =
      /\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment|DOMParser|srcdoc)\b/;
    const offenders = files(join(REPO, 'src', 'webview-ui'))
      .filter((f) => /\.(ts|js)$/.test(f))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((l, i) => [f, i + 1, l] as const),
      )
      .filter(([, , l]) => banned.test(l) && !/^\s*(\/\/|\*)/.test(l))
      .map(([f, n, l]) => `${f}:${n}: ${l.trim()}`);
    assert.deepEqual(offenders, []);
  });

  it('hostile strings from every provider field render as text, never as elements or handlers', async () => {
    // Real jobs through every provider's emulator with hostile prompts (Seeknetic's embedding request has no text
    // field: there the hostile text is the job's local title), plus jobs carrying hostile text in every field.
    const adapters = adaptersFor(h);
    assert.deepEqual(
      adapters.map((a) => a.id),
      [...PROVIDER_IDS],
    );
    for (const a of adapters) store.upsert(await a.submit(1, H));
    for (let i = 0; i < 5; i++) store.upsert(hostileJob(i, h.sandbox.origin));
    const { parseHTML } = await import('linkedom');
    const panels = new PreviewPanels({
      store,
      context: { extensionUri: Uri.file('/ext') },
      sandbox: { origin: h.sandbox.origin, active: true, onDidChange: () => ({ dispose() {} }) },
    } as never);
    const tree = new JobsTreeProvider(store, () => undefined);
    for (const job of store.all()) {
      panels.open(job.key);
      const panel = createdPanels[createdPanels.length - 1] as RecordingPanel;
      await new Promise((r) => setTimeout(r, 5));
      panel.webview.receive({ type: 'ready' });
      await new Promise((r) => setTimeout(r, 5));
      const page = panel.webview.html;
      const show = panel.webview.posted
        .filter((m): m is HostToPreview & { type: 'show' } => (m as HostToPreview).type === 'show')
        .pop();
      assert.ok(page && show, `${job.key}: page and job sent`);
      const view: PreviewJob = show.job;
      artifacts[`html ${job.key}`] = page;
      artifacts[`view ${job.key}`] = JSON.stringify(view);
      const item = tree.getTreeItem(tree.jobNode(job.key));
      artifacts[`tree ${job.key}`] = JSON.stringify(item);

      // The page itself: a strict CSP with a nonce, and no provider text inside it as markup.
      assert.match(
        page,
        /Content-Security-Policy" content="default-src 'none';[^"]*script-src 'nonce-[A-Za-z0-9+/=]+'/,
      );
      assert.equal((page.match(/<script/g) ?? []).length, 1, 'only the bundle script');
      const shell = parseHTML(page).document;
      const shellTags = Array.from(shell.querySelectorAll('*') as unknown as ArrayLike<Element>)
        .map((e) => e.tagName.toLowerCase())
        .sort();
      assert.deepEqual(
        shellTags,
        ['body', 'head', 'html', 'link', 'main', 'meta', 'meta', 'meta', 'p', 'script', 'title'],
        `${job.key}: the page shell holds only its own elements`,
      );
      for (const e of Array.from(shell.querySelectorAll('*') as unknown as ArrayLike<Element>))
        for (const a of Array.from(e.attributes as unknown as ArrayLike<Attr>))
          assert.ok(!/^on/i.test(a.name), `${job.key}: ${a.name} in the page shell`);

      // The real webview bundle, rendering this job in a DOM.
      const { document } = parseHTML(page.replace(/<script[^>]*><\/script>/, ''));
      const listeners: ((e: { data: unknown }) => void)[] = [];
      const sent: unknown[] = [];
      // The webview's window as the bundle sees it: messages from the host come from the page's own origin.
      const win = {
        origin: 'vscode-webview://test',
        frames: [] as unknown[],
        addEventListener: (t: string, fn: (e: { data: unknown }) => void) => t === 'message' && listeners.push(fn),
      };
      runInNewContext(bundle, {
        window: win,
        document,
        console,
        acquireVsCodeApi: () => ({
          postMessage: (m: unknown) => sent.push(m),
          getState: () => undefined,
          setState: () => undefined,
        }),
      });
      assert.equal(JSON.stringify(sent[0]), '{"type":"ready"}', 'the page says it is ready');
      for (const l of listeners) l({ data: show, origin: win.origin, source: null } as { data: unknown });
      rendered++;
      const app = document.getElementById('app')!;
      const all = Array.from(app.querySelectorAll('*') as unknown as ArrayLike<Element>);
      const allowed = new Set([
        'header',
        'h1',
        'h2',
        'h3',
        'span',
        'p',
        'div',
        'button',
        'section',
        'video',
        'img',
        'audio',
        'iframe',
        'pre',
        'ol',
        'li',
        'table',
        'tr',
        'th',
        'td',
        'details',
        'summary',
      ]);
      for (const el of all) {
        const tag = el.tagName.toLowerCase();
        assert.ok(allowed.has(tag), `${job.key}: unexpected <${tag}> element`);
        for (const attr of Array.from(el.attributes as unknown as ArrayLike<Attr>)) {
          assert.ok(!/^on/i.test(attr.name), `${job.key}: <${tag} ${attr.name}> handler attribute`);
          if (['src', 'href', 'poster'].includes(attr.name))
            assert.ok(!/^\s*javascript:/i.test(attr.value), `${job.key}: ${attr.name}=${attr.value}`);
        }
      }
      assert.equal(
        all.filter((e) => e.tagName.toLowerCase() === 'img').length,
        view.outputs.filter((o) => o.kind === 'image' && o.src).length,
        'one <img> per image output, none from text',
      );
      assert.equal(
        all.filter((e) => e.tagName.toLowerCase() === 'iframe').length,
        view.outputs.filter((o) => o.kind === 'html' && o.frameSrc).length,
        'frames only for frameable pages',
      );
      for (const f of all.filter((e) => e.tagName.toLowerCase() === 'iframe'))
        assert.equal(f.getAttribute('sandbox'), 'allow-scripts allow-pointer-lock');
      if (job.title.includes(HOSTILE[0]))
        assert.ok(app.textContent!.includes(HOSTILE[0]), `${job.key}: the hostile text is shown, as text`);
      artifacts[`dom ${job.key}`] = (app as unknown as { outerHTML: string }).outerHTML;
      // A javascript: link from the page is never opened.
      panel.webview.receive({ type: 'openExternal', url: 'javascript:alert(10)' });
    }
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(
      openedExternal.filter((u) => /^javascript:/i.test(u)),
      [],
    );
    tree.dispose();
    panels.dispose();
  });
});
