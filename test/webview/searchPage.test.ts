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
      groups: [
        {
          name: 'red.mp4',
          results: [{ id: 0, name: 'red.mp4', score: 0.9, label: 'strong', weaker: false, tags: {} }],
        },
      ],
    });
    await page.waitForFunction(() => document.querySelectorAll('.results .result').length === 1);
    await post(page, { type: 'status', status: status({ sandbox: false }) });
    await post(page, { type: 'clearResults' });
    await page.waitForFunction(() => document.querySelectorAll('.results li').length === 0);
    assert.match((await view(page)).statusText, /No videos indexed yet\./);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('shows moments grouped per file with labels, weaker ones behind a button, and explains an empty query', async () => {
    const { page, errors } = await open(browser, 'search.js', 'search.css');
    await post(page, { type: 'status', status: status({ indexed: 2, moments: 5, folders: 1 }) });
    assert.match((await view(page)).statusText, /2 videos indexed \(sandbox\) \(5 moments\)/);
    const r = (id: number, name: string, score: number, label: string, weaker: boolean, range?: string) => ({
      id,
      name,
      score,
      label,
      weaker,
      range,
      tags: {},
    });
    await post(page, {
      type: 'results',
      query: 'green',
      groups: [
        {
          name: 'long.mp4',
          results: [
            r(0, 'long.mp4', 0.91, 'strong', false, '0:10–0:20'),
            r(1, 'long.mp4', 0.1, 'weak', true, '0:00–0:10'),
          ],
        },
        { name: 'short.mp4', results: [r(2, 'short.mp4', 0.05, 'weak', true)] },
      ],
    });
    const shown = () =>
      page.evaluate(() => ({
        groups: Array.from(document.querySelectorAll('.group-name')).map((e) => e.textContent),
        moments: Array.from(document.querySelectorAll('.result')).map((e) => [
          e.querySelector('.range')?.textContent ?? '',
          e.querySelector('.score')?.textContent,
          (e.querySelector('.score') as HTMLElement).title,
        ]),
        toggle: document.querySelector('.show-weaker')?.textContent,
      }));
    await page.waitForFunction(() => document.querySelectorAll('.result').length === 1);
    let s = await shown();
    assert.deepEqual(s.groups, ['long.mp4']);
    assert.deepEqual(s.moments[0].slice(0, 2), ['0:10–0:20', 'strong']);
    assert.match(s.moments[0][2] ?? '', /0\.910/, 'the number is in the tooltip');
    assert.equal(s.toggle, 'Show weaker matches (2)');
    await page.click('.show-weaker');
    s = await shown();
    assert.deepEqual(s.groups, ['long.mp4', 'short.mp4']);
    assert.equal(s.moments.length, 3);
    assert.equal(s.toggle, 'Hide weaker matches');
    // A click opens the moment; "Similar" asks for moments like it.
    await page.click('.result .range');
    await page.click('.result .similar');
    const msgs = (await sent(page)) as { type: string; id?: number }[];
    assert.ok(msgs.some((m) => m.type === 'open' && m.id === 0));
    assert.ok(msgs.some((m) => m.type === 'similar' && m.id === 0));
    // An empty query explains itself and sends nothing.
    const before = (await sent(page)).length;
    await page.fill('input[type=search]', '  ');
    await page.click('form.query button[type=submit]');
    await page.waitForFunction(() => !!document.querySelector('.empty-query'));
    assert.match((await page.textContent('.empty-query')) ?? '', /Type what happens in the moment/);
    assert.equal((await sent(page)).length, before);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
