/* global document */
// The session `npm start` opens (scripts/e2e/lib/tryout.mjs: the sandbox on by a workspace setting, sample files, the
// checkout's npm ffmpeg/ffprobe in the remote Machine settings), checked through the real UI: the sandbox is on by
// itself, the Search view asks for nothing, and the sample video is indexed and found, with no ffmpeg installed on the
// machine (CI has none on PATH).
import { waitUntil } from '../../scripts/e2e/lib/util.mjs';
import { tryoutSession } from '../../scripts/e2e/lib/tryout.mjs';

export function sessionOptions(ctx) {
  const session = tryoutSession(ctx.REPO);
  if (!session.machineSettings['gendeck.ffmpegPath'])
    throw new Error('node_modules has no @ffmpeg-installer / @ffprobe-installer binaries (run npm ci)');
  return session;
}

export default async function startSuite(ctx) {
  const { runner, wb, page } = ctx;
  const t = (name, fn, opts) => runner.test(`start: ${name}`, fn, opts);

  await t(
    'the sandbox is on by itself',
    async () => {
      await waitUntil(
        async () =>
          /GenDeck Sandbox|Sandbox/.test(
            (await page
              .locator('.part.statusbar')
              .innerText()
              .catch(() => '')) ?? '',
          ),
        { timeout: 60_000, what: 'the sandbox badge in the status bar' },
      );
    },
    { timeout: 90_000 },
  );

  await t(
    'video search needs nothing installed: the sample video is indexed and found',
    async () => {
      await wb.openViewContainer('GenDeck');
      await wb.setPaneOpen('Search', true);
      const frame = await wb.findFrame(async (f) => await f.evaluate(() => !!document.querySelector('form.query')), {
        timeout: 30_000,
        what: 'the Search view',
      });
      await waitUntil(
        () =>
          frame.evaluate(() =>
            [...document.querySelectorAll('.status button')].some((b) => /Index Workspace Videos/.test(b.textContent)),
          ),
        { timeout: 30_000, what: 'the Index button (ffmpeg found)' },
      );
      if (await frame.evaluate(() => !document.querySelector('.setup')?.hidden))
        throw new Error(
          `the view asks for ffmpeg: ${await frame.evaluate(() => document.querySelector('.setup')?.textContent)}`,
        );
      await wb.runCommand('GenDeck: Index Workspace Videos');
      await waitUntil(
        async () =>
          (await wb.notifications()).some((n) => /Video index up to date: 1 videos, 1 indexed/.test(n.message)),
        {
          timeout: 90_000,
          what: async () => `the "index up to date" notification (shown: ${JSON.stringify(await wb.notifications())})`,
        },
      );
      await wb.dismissNotifications();
      await wb.runCommand('GenDeck: Search Videos…');
      await wb.inputText('a short clip');
      const results = await wb.findFrame(async (f) => await f.evaluate(() => !!document.querySelector('form.query')), {
        timeout: 30_000,
        what: 'the Search view',
      });
      // The one video may score under the "weak" threshold for this query: then it waits behind "Show weaker matches".
      await waitUntil(
        () =>
          results.evaluate(() => {
            const more = document.querySelector('.show-weaker');
            if (more && /Show/.test(more.textContent)) more.click();
            return document.querySelector('.result .name')?.textContent === 'sample.mp4';
          }),
        { timeout: 30_000, what: 'sample.mp4 among the results' },
      );
    },
    { timeout: 180_000, needs: ['start: the sandbox is on by itself'] },
  );
}
