// The pages speak the editor's language: the host writes VS Code's bundle into each page shell as data (never as
// script: nothing in it can close the element), and the real page bundles look their strings up in it.
import '../support/vscodeStub';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { env, l10n, RecordingWebview, Uri } from '../support/vscodeStub';
import type { HostToPreview, SearchStatusView } from '../../src/webview/protocol';
import { bundlePageHtml } from '../../src/webview/html';
import { launchChromium, open, post, textOf } from '../support/page';

const GERMAN = {
  'Loading…': 'Wird geladen…',
  'Download All': 'Alle herunterladen',
  Details: 'Einzelheiten',
  'queued/A job status': 'in der Warteschlange',
  'No videos indexed yet (sandbox).': 'Noch keine Videos indiziert (Sandbox).',
  Search: 'Suchen',
};

describe('page strings in another language', () => {
  it('the host writes the bundle into the shell as escaped data, and nothing in English', () => {
    const webview = new RecordingWebview() as unknown as Parameters<typeof bundlePageHtml>[0];
    const root = Uri.file('/ext') as unknown as Parameters<typeof bundlePageHtml>[1];
    const english = bundlePageHtml(webview, root, { bundle: 'webview', title: 'Preview' });
    assert.doesNotMatch(english, /gendeck-l10n/);
    assert.match(english, /<html lang="en">/);
    assert.match(english, /Loading…/);
    l10n.bundle = { ...GERMAN, Evil: '</script><script>alert(1)</script>' };
    env.language = 'de';
    try {
      const html = bundlePageHtml(webview, root, { bundle: 'webview', title: 'Preview' });
      assert.match(html, /<html lang="de">/);
      assert.match(html, /<script type="application\/json" id="gendeck-l10n"/);
      assert.doesNotMatch(html, /<\/script><script>alert/);
      const data = /id="gendeck-l10n"[^>]*>([^<]*)<\/script>/.exec(html)?.[1];
      assert.equal(JSON.parse(data ?? 'null').Evil, '</script><script>alert(1)</script>');
    } finally {
      l10n.bundle = undefined;
      env.language = 'en';
    }
  });

  describe('in Chromium', () => {
    let browser: Browser;
    before(async () => {
      browser = await launchChromium();
    });
    after(() => browser?.close());

    it('the preview page shows its buttons, headings and statuses from the bundle', async () => {
      const { page, errors } = await open(browser, 'webview.js', 'webview.css', GERMAN);
      const show: HostToPreview = {
        type: 'show',
        job: {
          key: 'seedancee2:vid_1',
          provider: 'Seedancee2',
          title: 'A red paper boat',
          kind: 'video',
          status: 'queued',
          // The host words the status from the same bundle (views/format.ts statusText).
          statusLabel: 'in der Warteschlange',
          params: [],
          createdAt: '2026-12-01T08:30:00Z',
          sandbox: false,
          steps: [],
          raw: '{}',
          canRetry: false,
          outputs: [{ kind: 'video', label: 'Video', url: 'https://cdn.example/v.mp4', canSave: true, index: 0 }],
        },
      };
      await post(page, show);
      await textOf(page, '.actions', /Alle herunterladen/);
      await textOf(page, 'header', /in der Warteschlange/);
      await textOf(page, 'h2', /Einzelheiten/);
      // A string the bundle lacks stays English.
      await textOf(page, 'section.output', /Open in Browser/);
      assert.deepEqual(errors, []);
    });

    it('the search page too', async () => {
      const { page, errors } = await open(browser, 'search.js', 'search.css', GERMAN);
      const status: SearchStatusView = { indexed: 0, folders: 0, sandbox: true, busy: false, tags: {} };
      await post(page, { type: 'status', status });
      await textOf(page, '.status', /Noch keine Videos indiziert \(Sandbox\)\./);
      await textOf(page, 'form.query button', 'Suchen');
      assert.deepEqual(errors, []);
    });
  });
});
