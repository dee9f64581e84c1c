// The schema form page and the preview's 3D viewer, in headless Chromium with the real bundles
// (dist/form.js, dist/webview.js, dist/three.js, dist/modelViewer.js) under the same nonce-only CSP the editor uses.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { formFromSchema, initialValues } from '../../src/core/forms/schemaForm';
import { sandboxTools } from '../../src/core/providers/seisoai/emulator';
import type { FormInit, HostToPreview } from '../../src/webview/protocol';
import { launchChromium, ORIGIN, open, post, sent, textOf } from '../support/page';
import { answer, request } from './hostReply';

function init(toolId: string, patch: Partial<FormInit> = {}): FormInit {
  const tool = sandboxTools().find((t) => t.id === toolId)!;
  const form = formFromSchema(tool.inputSchema);
  return {
    title: tool.name,
    subtitle: tool.id,
    form,
    values: initialValues(form),
    submitLabel: 'Run',
    maxInlineBytes: 1024 * 1024,
    priced: true,
    sandbox: true,
    ...patch,
  };
}

describe('Seisoai webview pages in Chromium', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(() => browser?.close());

  it('renders a tool schema as a form, shows the price, validates, and submits typed values', async () => {
    const { page, errors } = await open(browser, 'form.js', 'form.css');
    const hostile = '<img src=x onerror="window.pwned=1">Describe <b>it</b>';
    const i = init('image.generate.flux-2');
    i.form.fields[0].description = hostile;
    await post(page, { type: 'init', init: i, files: [] });
    await page.waitForSelector('form.schema-form');
    assert.equal(await page.locator('.field').count(), 5);
    assert.equal(await page.locator('.field.required').count(), 1);
    assert.equal(await page.locator('.field-desc').first().textContent(), hostile, 'provider text is text');
    assert.equal(await page.locator('img').count(), 0, 'no markup was parsed');
    assert.equal(await page.locator('.badge.sandbox').textContent(), 'sandbox', 'the sandbox flag marks its badge');
    assert.deepEqual(await page.locator('#f-image_size option').allTextContents(), [
      '(default: square_hd)',
      'square_hd',
      'square',
      'portrait_4_3',
      'landscape_16_9',
    ]);
    const priceRequests = async () => (await sent(page)).filter((m) => m.type === 'price').length;
    // The page asks for the price of the initial values (an empty required field does not stop it); the host answers.
    await answer(page, 'price', { value: 'Price: $0.03' });
    assert.equal(await textOf(page, '.price', 'Price: $0.03'), 'Price: $0.03');
    // Out of range: said as it is typed, and not priced.
    const priced = await priceRequests();
    await page.fill('#f-num_images', '9');
    assert.equal(await textOf(page, '#f-num_images-error', 'must be from 1 to 4'), 'must be from 1 to 4');
    assert.match(await textOf(page, '.price', /marked fields/), /once the marked fields are fixed/);
    // Invalid: nothing is sent, the fields say why.
    await page.fill('#f-prompt', '');
    const before = (await sent(page)).filter((m) => m.type === 'submit').length;
    await page.click('button[type=submit]');
    assert.equal(await page.locator('#f-prompt-error').textContent(), 'is required');
    assert.equal(await page.locator('#f-num_images-error').textContent(), 'must be from 1 to 4');
    assert.equal((await sent(page)).filter((m) => m.type === 'submit').length, before);
    // Fixed: each error goes as its field is filled in, not at the next Run; then the input is priced once.
    await page.fill('#f-prompt', 'a fox in the snow');
    assert.equal(await textOf(page, '#f-prompt-error', ''), '');
    await page.fill('#f-num_images', '2');
    assert.equal(await textOf(page, '#f-num_images-error', ''), '');
    await page.waitForFunction(
      (n) => (window as unknown as { sent: { type: string }[] }).sent.filter((m) => m.type === 'price').length > n,
      priced,
    );
    await answer(page, 'price', { value: 'Price: $0.06' });
    assert.equal(await textOf(page, '.price', 'Price: $0.06'), 'Price: $0.06');
    assert.equal(await priceRequests(), priced + 1, 'the invalid input was never priced');
    // Valid: typed values go to the host.
    await page.selectOption('#f-image_size', { label: 'portrait_4_3' });
    await page.click('button[type=submit]');
    const submit = (await sent(page)).filter((m) => m.type === 'submit').at(-1) as unknown as {
      values: Record<string, unknown>;
    };
    assert.deepEqual(submit.values, {
      prompt: 'a fox in the snow',
      image_size: 'portrait_4_3',
      num_images: 2,
      output_format: 'png',
    });
    // Errors from the provider land on their fields.
    await answer(page, 'submit', {
      fields: { prompt: 'was refused by the provider' },
      message: 'Seisoai rejected the input (400)',
    });
    assert.equal(await textOf(page, '#f-prompt-error', 'was refused by the provider'), 'was refused by the provider');
    assert.match(await textOf(page, '[role=alert]', /rejected the input/), /rejected the input/);
    assert.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);
    if (process.env.GENDECK_SHOTS)
      await page.screenshot({ path: join(process.env.GENDECK_SHOTS, 'form.png'), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('takes a media field as an https URL or a local file reference', async () => {
    const { page, errors } = await open(browser, 'form.js', 'form.css');
    await post(page, { type: 'init', init: init('image.upscale'), files: [] });
    await page.waitForSelector('.media-slot input');
    await page.fill('.media-slot input', 'ftp://example.com/a.png');
    await page.click('button[type=submit]');
    assert.match((await page.locator('#f-image_url-error').textContent()) ?? '', /https URL or a workspace file/);
    await page.click('text=Choose File…');
    const pick = await request(page, 'pickFile');
    assert.deepEqual([pick.field, pick.kinds, pick.index], ['image_url', ['image'], undefined]);
    await answer(page, 'pickFile', {
      value: { ref: 'gendeck-file:abc', name: 'art/cat.png', bytes: 20480, kind: 'image', mime: 'image/png' },
    });
    assert.match(
      await textOf(page, '.file-chip', /art\/cat\.png \(image, 20 KB, sent inline\)/),
      /art\/cat\.png \(image, 20 KB, sent inline\)/,
    );
    await page.click('button[type=submit]');
    const submit = (await sent(page)).filter((m) => m.type === 'submit').at(-1) as unknown as {
      values: Record<string, unknown>;
    };
    assert.deepEqual(submit.values, { image_url: 'gendeck-file:abc', scale: 2 });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('asks the host with a fresh id per request and shows only the answer to the latest price request', async () => {
    const { page, errors } = await open(browser, 'form.js', 'form.css');
    await post(page, { type: 'init', init: init('image.generate.flux-2'), files: [] });
    const first = await request(page, 'price');
    await page.evaluate(() => {
      const seen: string[] = ((window as unknown as { prices: string[] }).prices = []);
      const price = document.querySelector('.price')!;
      new MutationObserver(() => seen.push(price.textContent ?? '')).observe(price, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    await page.fill('#f-prompt', 'a fox in the snow');
    await page.waitForFunction(
      (id) => (window as unknown as { sent: { type: string; id?: number }[] }).sent.some((m) => (m.id ?? 0) > id),
      first.id,
    );
    const second = await request(page, 'price');
    assert.ok(second.id > first.id);
    await post(page, { type: 'reply', id: first.id, ok: true, value: 'Price: stale' });
    await post(page, { type: 'reply', id: 12345, ok: true, value: 'Price: unasked' });
    await post(page, { type: 'reply', id: second.id, ok: false, message: 'Seisoai is down' });
    assert.equal(
      await textOf(page, '.price', 'Price unavailable: Seisoai is down'),
      'Price unavailable: Seisoai is down',
    );
    assert.equal(await page.locator('.price.price-error').count(), 1);
    const prices = await page.evaluate(() => (window as unknown as { prices: string[] }).prices);
    assert.deepEqual(
      prices.filter((t) => /stale|unasked/.test(t)),
      [],
    );
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('shows a glb output in the bundled three.js viewer, loaded with the page nonce', async () => {
    const { page, errors } = await open(browser, 'webview.js', 'webview.css');
    const requested: string[] = [];
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
    const show: HostToPreview = {
      type: 'show',
      job: {
        key: 'seisoai:job_1',
        provider: 'Seisoai',
        title: 'Chair',
        kind: 'tool:3d.image-to-3d',
        status: 'succeeded',
        statusLabel: 'succeeded',
        createdAt: '2026-01-01T00:00:00Z',
        sandbox: true,
        steps: [],
        raw: '{}',
        canRetry: false,
        params: [],
        outputs: [
          {
            kind: 'model',
            label: 'Model glb',
            src: `${ORIGIN}/media/model.glb`,
            url: `${ORIGIN}/media/model.glb`,
            canSave: true,
            index: 0,
          },
        ],
      },
    };
    await post(page, show);
    await page.waitForFunction(
      () => /Drag to orbit|not available/.test(document.querySelector('.model-status')?.textContent ?? ''),
      undefined,
      { timeout: 15_000 },
    );
    assert.ok(requested.includes('/dist/three.js'), 'three.js is loaded on demand');
    assert.ok(requested.includes('/dist/modelViewer.js'), 'the viewer bundle is loaded on demand');
    assert.ok(requested.includes('/media/model.glb'));
    const status = await page.locator('.model-status').textContent();
    if (process.env.GENDECK_SHOTS) await page.screenshot({ path: join(process.env.GENDECK_SHOTS, 'model.png') });
    // Headless Chromium without a GPU may have no WebGL; then the page says so instead of failing.
    if (/Drag to orbit/.test(status ?? '')) assert.equal(await page.locator('canvas.model-canvas').count(), 1);
    else assert.match(status ?? '', /WebGL|3D preview is not available/);
    assert.deepEqual(
      errors.filter((e) => !/WebGL/i.test(e)),
      [],
    );
    await page.close();
  });
});
