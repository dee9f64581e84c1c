// A page framed inside a webview (a provider's game page in the preview, say) posts messages that look like the
// extension host's. Every GenDeck page must ignore them and act only on messages from its host frame.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Frame, Page } from 'playwright-core';
import { formFromSchema } from '../../src/core/forms/schemaForm';
import { FRAMED_ORIGIN, launchChromium, open, post } from '../support/page';
import { request } from './hostReply';
import type { PreviewJob } from '../../src/webview/protocol';

/**
 * A child frame of `page` from which messages are posted to the page: a provider page on another site (what the
 * preview frames), or a frame of the page's own origin.
 */
async function childFrame(page: Page, sameOrigin = false): Promise<Frame> {
  const name = sameOrigin ? 'own' : 'provider';
  await page.evaluate(
    ({ n, src }) => {
      const f = document.createElement('iframe');
      f.name = n;
      if (src) f.src = src;
      document.body.append(f);
    },
    { n: name, src: sameOrigin ? '' : `${FRAMED_ORIGIN}/game.html` },
  );
  for (;;) {
    const f = page.frames().find((x) => x.name() === name);
    if (f && (sameOrigin || f.url().startsWith(FRAMED_ORIGIN))) {
      await f.waitForLoadState();
      return f;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

const forge = (frame: Frame, msg: unknown) => frame.evaluate((m) => window.parent.postMessage(m, '*'), msg);

describe('webview pages accept messages only from the extension host', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(() => browser?.close());

  it('the preview ignores a forged "show" and keeps the job the host sent', async () => {
    const { page, errors } = await open(browser, 'webview.js', 'webview.css');
    const job = (title: string): PreviewJob => ({
      key: `seedancee2:${title}`,
      provider: 'Seedancee2',
      title,
      kind: 'video',
      status: 'succeeded',
      statusLabel: 'succeeded',
      createdAt: '2026-01-01T00:00:00Z',
      sandbox: true,
      steps: [],
      raw: '{}',
      canRetry: true,
      params: [],
      outputs: [],
    });
    // Every heading the page ever draws is recorded, so a forged redraw shows even if a later host message covers it.
    await page.evaluate(() => {
      const seen: string[] = ((window as unknown as { drawn: string[] }).drawn = []);
      new MutationObserver(() => seen.push(document.querySelector('#app')?.textContent?.slice(0, 80) ?? '')).observe(
        document.getElementById('app')!,
        { childList: true, subtree: true },
      );
    });
    const forger = await childFrame(page);
    const own = await childFrame(page, true);
    await forge(forger, { type: 'show', job: job('forged') });
    await forge(own, { type: 'show', job: job('forged by a frame of ours') });
    await forge(forger, { type: 'missing' });
    await post(page, { type: 'show', job: job('from the host') });
    await page.waitForFunction(() => document.querySelector('#app h1')?.textContent === 'from the host');
    await forge(forger, { type: 'show', job: job('forged later') });
    await forge(forger, { type: 'missing' });
    // A message the page does act on, posted after the forgeries, proves they had their chance to land.
    await post(page, { type: 'show', job: job('host again') });
    await page.waitForFunction(() => document.querySelector('#app h1')?.textContent === 'host again');
    const drawn = await page.evaluate(() => (window as unknown as { drawn: string[] }).drawn);
    assert.ok(drawn.length > 0);
    assert.deepEqual(
      drawn.filter((t) => /forged|no longer in the GenDeck list/.test(t)),
      [],
      'nothing drawn from a forged message',
    );
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('the Search view and the schema form ignore forged messages', async () => {
    const { page } = await open(browser, 'search.js', 'search.css');
    const forger = await childFrame(page);
    await forge(forger, { type: 'results', query: 'x', results: [{ id: 0, name: 'forged.mp4', score: 1, tags: {} }] });
    await forge(forger, { type: 'setQuery', query: 'forged query' });
    await post(page, { type: 'searching', query: 'q' });
    await page.waitForFunction(() => /Searching/.test(document.body.textContent ?? ''));
    assert.equal(await page.locator('.result').count(), 0);
    assert.equal(await page.inputValue('input[type=search]'), '');
    await page.close();

    const form = await open(browser, 'form.js', 'form.css');
    const formForger = await childFrame(form.page);
    const init = (title: string) => ({
      title,
      subtitle: 'x',
      form: formFromSchema({ type: 'object', properties: { prompt: { type: 'string' } } }),
      values: {},
      submitLabel: 'Run',
      priced: true,
      badges: [],
      maxInlineBytes: 1024,
    });
    await forge(formForger, { type: 'init', init: init('Forged tool'), files: [] });
    await post(form.page, { type: 'init', init: init('Host tool'), files: [] });
    await form.page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Host tool');
    await forge(formForger, { type: 'init', init: init('Forged tool'), files: [] });
    // A forged answer to the page's pending price request, with its very id, before the host's own answer.
    const { id } = await request(form.page, 'price');
    await forge(formForger, { type: 'reply', id, ok: true, value: 'Price: $0.00 (forged)' });
    await post(form.page, { type: 'reply', id, ok: true, value: 'Price: $0.03' });
    await form.page.waitForFunction(() => document.querySelector('.price')?.textContent === 'Price: $0.03');
    assert.equal(await form.page.locator('h1').first().textContent(), 'Host tool');
    await form.page.close();
  });
});
