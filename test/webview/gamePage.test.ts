// The sandbox's sample game as the sandbox serves it (media/game.html with dist/three.js inlined), in headless
// Chromium: the game reads three.js from the inlined global and starts, with nothing else fetched.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { createSandbox, type Sandbox } from '../../src/sandbox/index';
import { launchChromium } from '../support/page';
import { MEDIA_DIR } from '../support/sandbox';

describe('the sandbox game page in Chromium', () => {
  let browser: Browser;
  let sb: Sandbox;
  let origin: string;
  before(async () => {
    browser = await launchChromium();
    sb = createSandbox({ mediaDir: MEDIA_DIR });
    origin = await sb.start();
  });
  after(async () => {
    await browser?.close();
    await sb?.stop();
  });

  it('starts the game over the inlined three.js, requesting only the page', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    const requested: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => requested.push(r.url()));
    const url = `${origin}/media/seele/job_1/index.html`;
    await page.goto(url);
    // Started, the game shows how to play; without WebGL (headless, no GPU) it says so instead.
    await page.waitForFunction(
      () => /Arrow keys|WebGL/.test(document.querySelector('#overlay-text')?.textContent ?? ''),
      undefined,
      { timeout: 15_000 },
    );
    const text = (await page.locator('#overlay-text').textContent()) ?? '';
    if (/Arrow keys/.test(text)) assert.deepEqual(errors, []);
    else
      assert.deepEqual(
        errors.filter((e) => !/WebGL/i.test(e)),
        [],
        text,
      );
    assert.equal(await page.evaluate(() => typeof (window as { GenDeckThree?: unknown }).GenDeckThree), 'object');
    assert.deepEqual(
      requested.filter((u) => !u.endsWith('/favicon.ico')),
      [url],
    );
    await page.close();
  });
});
