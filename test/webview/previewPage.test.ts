// The preview page in Chromium: a local copy reads "Saved ✓" with Open / Reveal, each output offers Save As and
// Copy Reference, and every button sends the host the typed message for that output; Details list the prompt,
// the parameters and local times.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { HostToPreview, PreviewToHost } from '../../src/webview/protocol';
import { launchChromium, ORIGIN, open, post, sent, textOf } from '../support/page';

const show: HostToPreview = {
  type: 'show',
  job: {
    key: 'seedancee2:vid_1',
    provider: 'Seedancee2',
    title: 'A red paper boat',
    kind: 'video',
    status: 'succeeded',
    statusLabel: 'succeeded',
    prompt: 'A red paper boat drifting on a dark lake at dawn',
    params: ['model seedancee2-mini', 'duration 5'],
    createdAt: '2026-12-01T08:30:00Z',
    finishedAt: '2026-12-01T08:31:00Z',
    sandbox: false,
    steps: [],
    raw: '{}',
    canRetry: true,
    outputs: [
      {
        kind: 'video',
        label: 'Video',
        url: `${ORIGIN}/media/clip.mp4`,
        saved: 'gendeck-outputs/2026-12-01-a-red-paper-boat/clip.mp4',
        canSave: true,
        index: 0,
      },
      { kind: 'image', label: 'Poster', url: `${ORIGIN}/media/poster.png`, canSave: true, index: 1 },
    ],
  },
};

async function click(page: Page, section: number, label: string): Promise<void> {
  await page.locator('section.output').nth(section).getByRole('button', { name: label, exact: true }).click();
}

describe('the preview page in Chromium', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(() => browser?.close());

  it('shows a local copy as saved and sends each output action for its own output', async () => {
    const { page, errors } = await open(browser, 'webview.js', 'webview.css');
    await post(page, show);
    await textOf(page, 'section.output .saved', /Saved ✓ gendeck-outputs\/2026-12-01-a-red-paper-boat\/clip\.mp4/);
    assert.equal(await page.locator('section.output').nth(0).getByRole('button', { name: 'Download' }).count(), 0);
    assert.equal(await page.locator('section.output').nth(1).locator('.saved').count(), 0, 'not saved: no mark');
    await click(page, 0, 'Open');
    await click(page, 0, 'Reveal in Explorer');
    await click(page, 0, 'Save As…');
    await click(page, 1, 'Copy Reference');
    await click(page, 1, 'Download');
    const want: PreviewToHost[] = [
      { type: 'output', key: 'seedancee2:vid_1', index: 0, action: 'open' },
      { type: 'output', key: 'seedancee2:vid_1', index: 0, action: 'reveal' },
      { type: 'output', key: 'seedancee2:vid_1', index: 0, action: 'saveAs' },
      { type: 'output', key: 'seedancee2:vid_1', index: 1, action: 'copyReference' },
      { type: 'download', key: 'seedancee2:vid_1', index: 1 },
    ];
    await page.waitForFunction(
      (n) =>
        (window as unknown as { sent: unknown[] }).sent.filter((m) => (m as { type: string }).type !== 'ready')
          .length >= n,
      want.length,
    );
    assert.deepEqual(
      (await sent(page)).filter((m) => m.type !== 'ready'),
      want,
    );
    const details = await textOf(page, 'table.meta', /Prompt/);
    assert.match(details, /A red paper boat drifting on a dark lake at dawn/);
    assert.match(details, /model seedancee2-mini, duration 5/);
    assert.doesNotMatch(details, /2026-12-01T08:30:00Z/, 'times are local, not ISO');
    assert.deepEqual(errors, []);
  });

  it('a sandbox job while the sandbox is off says so, with no media, and offers to start it', async () => {
    const { page, errors } = await open(browser, 'webview.js', 'webview.css');
    const off: HostToPreview = {
      type: 'show',
      job: {
        ...show.job,
        sandbox: true,
        offline: true,
        outputs: [
          { kind: 'video', label: 'Video', url: `${ORIGIN}/media/clip.mp4`, offline: true, canSave: true, index: 0 },
        ],
      },
    };
    await post(page, off);
    await textOf(page, '.notice', /The sandbox is off/);
    await textOf(page, 'section.output .offline', /Offline: the sandbox that serves this output is stopped/);
    assert.equal(await page.locator('video').count(), 0, 'no broken video element');
    await page.getByRole('button', { name: 'Start the Sandbox' }).click();
    await page.waitForFunction(() =>
      (window as unknown as { sent: { type: string }[] }).sent.some((m) => m.type === 'startSandbox'),
    );
    assert.deepEqual(errors, []);
  });
});
