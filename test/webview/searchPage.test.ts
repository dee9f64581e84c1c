// The Search view's page (dist/search.js) in headless Chromium: what it says when ffmpeg is missing, before any
// indexing, and which messages its buttons send.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { SearchStatusView } from '../../src/webview/protocol';
import { launchChromium, open, post, sent } from '../support/page';

const status = (patch: Partial<SearchStatusView> = {}): SearchStatusView => ({
  indexed: 0,
  folders: 0,
  sandbox: true,
  busy: false,
  tags: {},
  ...patch,
});
const view = (page: Page) =>
  page.evaluate(() => {
    const box = document.querySelector<HTMLElement>('.setup');
    return {
      shown: !!box && !box.hidden && getComputedStyle(box).display !== 'none',
      text: box?.textContent ?? '',
      buttons: Array.from(box?.querySelectorAll('button') ?? []).map((b) => ({ text: b.textContent, title: b.title })),
      statusButtons: Array.from(document.querySelectorAll('.status button')).map((b) => b.textContent),
      statusText: document.querySelector('.status')?.textContent ?? '',
    };
  });

describe('Search view page in Chromium', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(() => browser?.close());

  it('says ffmpeg is missing with Install, Locate and Check Again, offers no indexing, and sends each button', async () => {
    const { page, errors } = await open(browser, 'search.js', 'search.css');
    const message = 'ffprobe was not found at /opt/x/ffprobe (from "gendeck.ffmpegPath") <b>bold</b>';
    await post(page, {
      type: 'status',
      status: status({
        missingTools: { message, install: { manager: 'apt', command: 'sudo apt-get install -y ffmpeg' } },
      }),
    });
    await page.waitForSelector('.setup:not([hidden])');
    const v = await view(page);
    assert.ok(v.shown);
    assert.match(v.text, /Video search needs ffmpeg and ffprobe/);
    assert.ok(v.text.includes(message), 'the reason is shown as text');
    assert.match(v.text, /sudo apt-get install -y ffmpeg/);
    assert.deepEqual(
      v.buttons.map((b) => b.text),
      ['Install with apt', 'Locate ffmpeg…', 'Check Again'],
    );
    assert.equal(v.buttons[0].title, 'Runs in a terminal: sudo apt-get install -y ffmpeg');
    assert.deepEqual(v.statusButtons, [], 'no Index button while ffmpeg is missing');
    assert.equal(await page.locator('.setup b').count(), 0, 'no markup was parsed');
    for (const [label, type] of [
      ['Install with apt', 'installFfmpeg'],
      ['Locate ffmpeg…', 'locateFfmpeg'],
      ['Check Again', 'checkFfmpeg'],
    ]) {
      await page.click(`.setup button:text-is("${label}")`);
      assert.equal((await sent(page)).at(-1)?.type, type);
    }
    // Without a package manager: Locate is the first way.
    await post(page, { type: 'status', status: status({ missingTools: { message: 'ffmpeg was not found' } }) });
    await page.waitForFunction(() => document.querySelectorAll('.setup button').length === 2);
    assert.deepEqual(
      (await view(page)).buttons.map((b) => b.text),
      ['Locate ffmpeg…', 'Check Again'],
    );
    // Found: the box goes, the Index button comes.
    await post(page, { type: 'status', status: status() });
    await page.waitForFunction(() => document.querySelector<HTMLElement>('.setup')?.hidden === true);
    const found = await view(page);
    assert.equal(found.shown, false);
    assert.deepEqual(found.statusButtons, ['Index Workspace Videos']);
    assert.deepEqual(errors, []);
    await page.close();
  });
  it('drops the results shown when the host says they belong to the other index', async () => {
    const { page, errors } = await open(browser, 'search.js', 'search.css');
    await post(page, { type: 'status', status: status({ indexed: 1, folders: 1 }) });
    await post(page, {
      type: 'results',
      query: 'red',
      results: [{ id: 0, name: 'red.mp4', score: 0.9, tags: {} }],
    });
    await page.waitForFunction(() => document.querySelectorAll('.results li').length === 1);
    await post(page, { type: 'status', status: status({ sandbox: false }) });
    await post(page, { type: 'clearResults' });
    await page.waitForFunction(() => document.querySelectorAll('.results li').length === 0);
    assert.match((await view(page)).statusText, /No videos indexed yet\./);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
