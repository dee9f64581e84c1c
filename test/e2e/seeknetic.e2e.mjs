/* global document */
// Seeknetic video search through the real VS Code UI (code-server + headless Chromium), against the built-in sandbox.
// Same calling convention as ui.e2e.mjs. It starts with `gendeck.ffmpegPath` pointing nowhere (in the remote Machine
// settings, where code-server reads machine-scoped settings): the Search view must say what is missing before any
// indexing, with Install and Locate; "Locate ffmpeg…" is answered through the real file dialogs with the repo's npm
// binaries (ffmpeg and ffprobe sit in two folders; a wrong pick is refused) and must land in the Machine settings.
// Then it makes three coloured clips in the workspace, runs "GenDeck: Index Workspace Videos" from the palette,
// searches with "GenDeck: Search Videos…" and checks the Search view (right clip first, thumbnails loaded, tag
// filters), opens a result in the editor, and checks that the file watcher indexes a new clip by itself.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { machineSettingsFile } from '../../scripts/e2e/lib/codeserver.mjs';
import { sleep, waitUntil } from '../../scripts/e2e/lib/util.mjs';

const npmBin = (repo, tool) =>
  join(repo, 'node_modules', `@${tool}-installer`, `${process.platform}-${process.arch}`, tool);
const onPath = (name) => (process.env.PATH || '').split(delimiter).some((d) => d && existsSync(join(d, name)));

/** A setting that names a missing binary: the same "ffmpeg is not there" state on every machine, whatever PATH holds. */
export function sessionOptions(ctx) {
  return { machineSettings: { 'gendeck.ffmpegPath': join(ctx.TMP, 'no-ffmpeg-here', 'ffmpeg') } };
}

export default async function seekneticSuite(ctx) {
  const { runner, wb, page, dirs } = ctx;
  const t = (name, fn, opts) => runner.test(`seeknetic: ${name}`, fn, opts);
  const ws = dirs.workspace;
  const ffmpeg = npmBin(ctx.REPO, 'ffmpeg');
  const ffprobe = npmBin(ctx.REPO, 'ffprobe');
  const clip = (name, colour) => {
    const r = spawnSync(
      ffmpeg,
      [
        '-v',
        'error',
        '-nostdin',
        '-y',
        '-f',
        'lavfi',
        '-i',
        `color=c=${colour}:s=320x180:r=10:d=3`,
        '-c:v',
        'mpeg4',
        '-q:v',
        '3',
        join(ws, name),
      ],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`ffmpeg could not make ${name}: ${r.stderr}`);
  };
  const searchFrame = () =>
    wb.findFrame(async (f) => await f.evaluate(() => !!document.querySelector('form.query')), {
      timeout: 30_000,
      what: 'the Search view',
    });
  const setupBox = (frame) =>
    frame.evaluate(() => {
      const box = document.querySelector('.setup');
      return {
        shown: !!box && !box.hidden,
        text: box?.textContent || '',
        buttons: [...(box?.querySelectorAll('button') ?? [])].map((b) => b.textContent),
        indexButton: [...document.querySelectorAll('.status button')].map((b) => b.textContent),
        status: document.querySelector('.status')?.textContent || '',
      };
    });

  await t(
    'clips in the workspace, sandbox on',
    async () => {
      for (const bin of [ffmpeg, ffprobe]) if (!existsSync(bin)) throw new Error(`${bin} missing (run npm ci)`);
      mkdirSync(join(ws, 'clips'), { recursive: true });
      clip('clips/red-car.mp4', '0xD01818');
      clip('clips/forest.mp4', '0x18A030');
      clip('ocean.mp4', '0x1830C0');
      await wb.openViewContainer('GenDeck');
      await wb.startSandbox();
    },
    { timeout: 90_000 },
  );

  await t(
    'without ffmpeg the Search view says what is missing, with Install and Locate, and indexing does not start',
    async () => {
      await wb.setPaneOpen('Search', true);
      const frame = await searchFrame();
      const box = await waitUntil(
        async () => {
          const b = await setupBox(frame);
          return b.shown ? b : null;
        },
        { timeout: 30_000, what: 'the "needs ffmpeg" box in the Search view' },
      );
      console.log(`#   setup box: ${JSON.stringify(box)}`);
      if (!/needs ffmpeg and ffprobe/.test(box.text) || !/no-ffmpeg-here/.test(box.text))
        throw new Error(`box text: ${box.text}`);
      const hasManager = ['apt-get', 'dnf', 'pacman', 'zypper', 'apk', 'brew'].some(onPath);
      const want = [...(hasManager ? [/^Install with /] : []), /^Locate ffmpeg…$/, /^Check Again$/];
      if (box.buttons.length !== want.length || !want.every((re, i) => re.test(box.buttons[i])))
        throw new Error(`buttons: ${box.buttons}`);
      if (box.indexButton.length) throw new Error(`an index button is offered without ffmpeg: ${box.indexButton}`);
      // From the palette: the same reason, no progress notification, nothing indexed.
      await wb.runCommand('GenDeck: Index Workspace Videos');
      const note = await waitUntil(
        async () => (await wb.notifications()).find((n) => /no-ffmpeg-here/.test(n.message)),
        { timeout: 20_000, what: 'the missing-ffmpeg notification' },
      );
      if (!note.buttons.includes('Locate ffmpeg…')) throw new Error(`notification buttons: ${note.buttons}`);
      if ((await wb.notifications()).some((n) => /Indexing workspace videos/.test(n.message)))
        throw new Error('indexing started without ffmpeg');
      await wb.dismissNotifications();
    },
    { timeout: 90_000, needs: ['seeknetic: clips in the workspace, sandbox on'] },
  );

  await t(
    'Locate ffmpeg… checks each pick with -version and saves both in the Machine settings',
    async () => {
      const frame = await searchFrame();
      await frame.evaluate(() =>
        [...document.querySelectorAll('.setup button')].find((b) => b.textContent === 'Locate ffmpeg…').click(),
      );
      await wb.chooseFile(ffmpeg, { match: /ffmpeg binary/, okLabel: 'Use as ffmpeg' });
      // ffprobe is not beside the npm ffmpeg: a second picker. The wrong binary first: refused, asked again.
      await wb.chooseFile(ffmpeg, { match: /ffprobe binary/, okLabel: 'Use as ffprobe' });
      await waitUntil(async () => (await wb.notifications()).some((n) => /is not ffprobe/.test(n.message)), {
        timeout: 20_000,
        what: 'the "is not ffprobe" error',
      });
      await wb.clickNotificationButton('is not ffprobe', 'Choose Another…');
      await wb.chooseFile(ffprobe, { match: /ffprobe binary/, okLabel: 'Use as ffprobe' });
      await waitUntil(async () => (await wb.notifications()).some((n) => /Video search is ready/.test(n.message)), {
        timeout: 30_000,
        what: 'the "video search is ready" notification',
      });
      await wb.dismissNotifications();
      const box = await waitUntil(
        async () => {
          const b = await setupBox(frame);
          return !b.shown && b.indexButton.includes('Index Workspace Videos') ? b : null;
        },
        { timeout: 20_000, what: 'the Search view without the ffmpeg box, with its Index button' },
      );
      console.log(`#   status: ${box.status}`);
      const machine = JSON.parse(readFileSync(machineSettingsFile(dirs), 'utf8'));
      if (machine['gendeck.ffmpegPath'] !== ffmpeg || machine['gendeck.ffprobePath'] !== ffprobe)
        throw new Error(`Machine settings: ${JSON.stringify(machine)}`);
      const user = readFileSync(join(dirs.userData, 'User', 'settings.json'), 'utf8');
      if (/ffmpegPath|ffprobePath/.test(user)) throw new Error(`the paths went to the User settings too: ${user}`);
    },
    {
      timeout: 120_000,
      needs: [
        'seeknetic: without ffmpeg the Search view says what is missing, with Install and Locate, and indexing does not start',
      ],
    },
  );

  await t(
    'Index Workspace Videos indexes the three clips with a progress notification',
    async () => {
      await wb.runCommand('GenDeck: Index Workspace Videos');
      await waitUntil(
        async () =>
          (await wb.notifications()).some((n) => /Video index up to date: 3 videos, 3 indexed/.test(n.message)),
        {
          timeout: 120_000,
          what: async () => `the "index up to date" notification (shown: ${JSON.stringify(await wb.notifications())})`,
        },
      );
      await wb.dismissNotifications();
    },
    {
      timeout: 150_000,
      needs: ['seeknetic: Locate ffmpeg… checks each pick with -version and saves both in the Machine settings'],
    },
  );

  await t(
    'Search Videos… shows the red clip first, with thumbnail, score, tags and filters',
    async () => {
      await wb.runCommand('GenDeck: Search Videos…');
      await wb.inputText('a red car');
      const frame = await searchFrame();
      // The other clips score low: they wait behind "Show weaker matches".
      await waitUntil(
        () =>
          frame.evaluate(() => {
            const more = document.querySelector('.show-weaker');
            if (more && /Show/.test(more.textContent)) more.click();
            return document.querySelectorAll('.result').length;
          }),
        { timeout: 30_000, what: 'results' },
      );
      // The weaker two were just revealed: wait for their thumbnails too.
      await waitUntil(
        () =>
          frame.evaluate(
            () =>
              document.querySelectorAll('.result').length === 3 &&
              [...document.querySelectorAll('.result img.thumb')].every((i) => i.complete && i.naturalWidth > 0),
          ),
        {
          timeout: 30_000,
          what: 'three results with their thumbnails',
        },
      );
      const view = await frame.evaluate(() => ({
        names: [...document.querySelectorAll('.result .name')].map((e) => e.textContent),
        scores: [...document.querySelectorAll('.result .score')].map((e) => Number(e.dataset.score)),
        labels: [...document.querySelectorAll('.result .score')].map((e) => e.textContent),
        thumbs: [...document.querySelectorAll('.result img.thumb')].map((i) => i.naturalWidth),
        tags: document.querySelectorAll('.result .tag').length,
        families: [...document.querySelectorAll('.family legend')].map((e) => e.textContent),
        status: document.querySelector('.status')?.textContent,
      }));
      if (view.names[0] !== 'clips/red-car.mp4') throw new Error(`first result ${view.names[0]} (all: ${view.names})`);
      if (!(view.scores[0] > view.scores[1])) throw new Error(`scores not ordered: ${view.scores}`);
      if (view.labels[0] !== 'strong')
        throw new Error(`the red clip is labelled ${view.labels[0]} (all: ${view.labels})`);
      if (view.thumbs.length !== 3 || view.thumbs.some((w) => w !== 224))
        throw new Error(`thumbnails not loaded: ${view.thumbs}`);
      if (view.tags < 9) throw new Error(`tags missing (${view.tags})`);
      if (view.families.join() !== 'Shot size,Camera movement,Angle') throw new Error(`filters: ${view.families}`);
      if (!/3 videos indexed \(sandbox\)/.test(view.status)) throw new Error(`status: ${view.status}`);
      // Room for the results: fold the container's other views.
      for (let i = 0; i < 10; i++) {
        const headers = page.locator('.part.sidebar .pane-header[aria-expanded="true"]');
        const labels = await headers.evaluateAll((els) =>
          els.map((e) => (e.getAttribute('aria-label') || e.textContent || '').trim()),
        );
        const other = labels.findIndex((l) => !/^Search/.test(l));
        if (other < 0) break;
        await headers.nth(other).click();
        await sleep(200);
      }
      await sleep(500);
      await ctx.saveScreenshot('search.png', () => wb.screenshot(join(ctx.SHOTS, 'search.png')));
    },
    {
      timeout: 60_000,
      needs: ['seeknetic: Index Workspace Videos indexes the three clips with a progress notification'],
    },
  );

  await t(
    'a tag filter keeps only the clips with that tag; a click opens the video',
    async () => {
      const frame = await searchFrame();
      const results = () =>
        frame.evaluate(() =>
          [...document.querySelectorAll('.result')].map((r) => ({
            name: r.querySelector('.name').textContent,
            tags: [...r.querySelectorAll('.tag')].map((x) => x.textContent),
          })),
        );
      const before = await results();
      const label = before[before.length - 1].tags[0]; // the last clip's shot size
      const expected = before.filter((r) => r.tags.includes(label)).map((r) => r.name);
      await frame.evaluate(
        (l) =>
          [...document.querySelectorAll('.family')]
            .find((f) => f.querySelector('legend').textContent === 'Shot size')
            .querySelectorAll('.chip')
            .forEach((c) => c.textContent === l && c.querySelector('input').click()),
        label,
      );
      await waitUntil(async () => JSON.stringify((await results()).map((r) => r.name)) === JSON.stringify(expected), {
        timeout: 15_000,
        what: async () =>
          `results with "${label}": ${JSON.stringify(expected)} (shown: ${JSON.stringify(await results())})`,
      });
      await frame.evaluate(
        (l) =>
          [...document.querySelectorAll('.chip')].forEach(
            (c) => c.textContent === l && c.querySelector('input').click(),
          ),
        label,
      );
      await waitUntil(async () => (await results()).length === before.length, {
        timeout: 15_000,
        what: 'all results back without the filter',
      });
      await frame.evaluate(() => document.querySelector('.result')?.click());
      await waitUntil(
        async () => (await page.locator('.tabs-container .tab').allInnerTexts()).some((x) => /red-car/.test(x)),
        { timeout: 20_000, what: 'an editor tab for red-car.mp4' },
      );
    },
    {
      timeout: 60_000,
      needs: ['seeknetic: Search Videos… shows the red clip first, with thumbnail, score, tags and filters'],
    },
  );

  await t(
    'a new clip is indexed by the file watcher and found',
    async () => {
      clip('sunflower.mp4', '0xE0D020');
      const frame = await searchFrame();
      await waitUntil(
        () => frame.evaluate(() => /4 videos indexed/.test(document.querySelector('.status')?.textContent || '')),
        { timeout: 60_000, what: 'the watcher to index sunflower.mp4' },
      );
      await frame.evaluate(() => {
        document.querySelector('input[type=search]').value = 'yellow flowers';
        document.querySelector('form.query').requestSubmit();
      });
      await waitUntil(
        () => frame.evaluate(() => document.querySelector('.result .name')?.textContent === 'sunflower.mp4'),
        { timeout: 20_000, what: '"yellow flowers" to find sunflower.mp4' },
      );
      await sleep(300);
      await wb.screenshot(join(ctx.LOGS, 'seeknetic', 'watcher.png'));
    },
    { timeout: 90_000, needs: ['seeknetic: a tag filter keeps only the clips with that tag; a click opens the video'] },
  );
  await t(
    'after Stop the Sandbox the Search view drops the sandbox results and says why, not "No videos indexed yet." above them',
    async () => {
      const frame = await searchFrame();
      await wb.runCommand('GenDeck: Stop the Sandbox');
      await waitUntil(
        () =>
          frame.evaluate(() => {
            const results = document.querySelectorAll('.result').length;
            const status = document.querySelector('.status')?.textContent || '';
            return results === 0 && !!status ? status : null;
          }),
        { timeout: 20_000, what: 'the results of the sandbox index to go' },
      );
      const shown = await frame.evaluate(() => ({
        results: document.querySelectorAll('.result').length,
        text: document.body.textContent || '',
      }));
      if (shown.results && /No videos indexed yet/.test(shown.text))
        throw new Error('"No videos indexed yet." shown above results');
      await wb.runCommand('GenDeck: Try the Sandbox');
      await waitUntil(
        () => frame.evaluate(() => /4 videos indexed/.test(document.querySelector('.status')?.textContent || '')),
        { timeout: 30_000, what: 'the sandbox index back once the sandbox runs again' },
      );
    },
    { timeout: 90_000, needs: ['seeknetic: a new clip is indexed by the file watcher and found'] },
  );

  await t(
    'a long clip is indexed per window; a query finds the right moment, opening it seeks there, Find Similar Moments works',
    async () => {
      // 30 s, three windows of different content: red, green, blue (VP8, which Chromium plays).
      const r = spawnSync(
        ffmpeg,
        [
          '-v',
          'error',
          '-nostdin',
          '-y',
          ...['0xD01818', '0x18B030', '0x1830C0'].flatMap((c) => [
            '-f',
            'lavfi',
            '-i',
            `color=c=${c}:s=320x180:r=10:d=10`,
          ]),
          '-filter_complex',
          '[0:v][1:v][2:v]concat=n=3:v=1:a=0[v]',
          '-map',
          '[v]',
          '-c:v',
          'libvpx',
          '-b:v',
          '300k',
          '-g',
          '10',
          join(ws, 'moments.webm'),
        ],
        { encoding: 'utf8' },
      );
      if (r.status !== 0) throw new Error(`ffmpeg could not make moments.webm: ${r.stderr}`);
      // The file watcher indexes it (the folder is indexed already): 4 short clips + 3 windows.
      const frame = await searchFrame();
      await waitUntil(
        () =>
          frame.evaluate(() =>
            /5 videos indexed.*\(7 moments\)/.test(document.querySelector('.status')?.textContent || ''),
          ),
        {
          timeout: 120_000,
          what: async () =>
            `moments.webm indexed as 3 windows (status: ${await frame.evaluate(() => document.querySelector('.status')?.textContent)})`,
        },
      );
      await frame.evaluate(() => {
        document.querySelector('input[type=search]').value = 'green grass';
        document.querySelector('form.query').requestSubmit();
      });
      const first = () =>
        frame.evaluate(() => {
          const r = document.querySelector('.result');
          return r && { name: r.querySelector('.name')?.textContent, range: r.querySelector('.range')?.textContent };
        });
      await waitUntil(async () => (await first())?.range === '0:10–0:20', {
        timeout: 20_000,
        what: async () =>
          `"green grass" to find moments.webm 0:10–0:20 first (shown: ${JSON.stringify(await first())})`,
      });
      if ((await first()).name !== 'moments.webm') throw new Error(`first hit ${JSON.stringify(await first())}`);
      await frame.evaluate(() => document.querySelector('.result .range').click());
      const player = await wb.findFrame(async (f) => await f.evaluate(() => !!document.querySelector('video#player')), {
        timeout: 30_000,
        what: 'the moment player',
      });
      const at = await waitUntil(
        () => player.evaluate(() => (document.body.dataset.seeked ? Number(document.body.dataset.seeked) : null)),
        { timeout: 30_000, what: 'the player to seek' },
      );
      if (!(Math.abs(at - 10) < 0.5)) throw new Error(`the player seeked to ${at}, not 10 s`);
      if (
        !(await page.locator('.tabs-container .tab').allInnerTexts()).some((x) => /moments\.webm · 0:10–0:20/.test(x))
      )
        throw new Error('no tab "moments.webm · 0:10–0:20"');
      await wb.screenshot(join(ctx.LOGS, 'seeknetic', 'moment.png'));
      // Find Similar Moments from the result: the query window itself is left out.
      await frame.evaluate(() => document.querySelector('.result .similar').click());
      await waitUntil(
        () =>
          frame.evaluate(() =>
            /Moments like moments\.webm at 0:10/.test(document.querySelector('.similar-title')?.textContent || ''),
          ),
        { timeout: 20_000, what: 'the similar-moments answer' },
      );
      const similar = await frame.evaluate(() =>
        [...document.querySelectorAll('.result')].map(
          (r) => `${r.querySelector('.name').textContent} ${r.querySelector('.range')?.textContent ?? ''}`,
        ),
      );
      if (similar.includes('moments.webm 0:10–0:20'))
        throw new Error(`the query window is among its own matches: ${similar}`);
    },
    {
      timeout: 200_000,
      needs: [
        'seeknetic: after Stop the Sandbox the Search view drops the sandbox results and says why, not "No videos indexed yet." above them',
      ],
    },
  );
}
