/* global document */
// Seeknetic video search through the real VS Code UI (code-server + headless Chromium), against the built-in sandbox.
// Same calling convention as ui.e2e.mjs. It makes three coloured clips in the workspace with ffmpeg, runs
// "GenDeck: Index Workspace Videos" from the palette, searches with "GenDeck: Search Videos…" and checks the Search
// view (right clip first, thumbnails loaded, tag filters), opens a result in the editor, and checks that the file
// watcher indexes a new clip by itself. ffmpeg is found the product's way (PATH, then the repo's npm binaries); when
// it comes from npm, the spec points `gendeck.ffmpegPath` at it, since the VSIX carries no ffmpeg.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { sleep, waitUntil } from '../../scripts/e2e/lib/util.mjs';

function findFfmpeg(repo) {
  for (const dir of (process.env.PATH || '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'ffmpeg')) && existsSync(join(dir, 'ffprobe'))) return { ffmpeg: join(dir, 'ffmpeg'), npm: false };
  }
  const npm = join(repo, 'node_modules', '@ffmpeg-installer', `${process.platform}-${process.arch}`, 'ffmpeg');
  if (existsSync(npm)) return { ffmpeg: npm, npm: true };
  throw new Error('ffmpeg was not found on PATH nor in node_modules/@ffmpeg-installer (run npm ci)');
}

export default async function seekneticSuite(ctx) {
  const { runner, wb, page, dirs } = ctx;
  const t = (name, fn, opts) => runner.test(`seeknetic: ${name}`, fn, opts);
  const ws = dirs.workspace;
  let tool;
  const clip = (name, colour) => {
    const r = spawnSync(tool.ffmpeg, ['-v', 'error', '-nostdin', '-y', '-f', 'lavfi', '-i', `color=c=${colour}:s=320x180:r=10:d=3`, '-c:v', 'mpeg4', '-q:v', '3', join(ws, name)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ffmpeg could not make ${name}: ${r.stderr}`);
  };
  const searchFrame = () => wb.findFrame(async (f) => (await f.evaluate(() => !!document.querySelector('form.query'))), { timeout: 30_000, what: 'the Search view' });

  await t('clips in the workspace, sandbox on, ffmpeg reachable', async () => {
    tool = findFfmpeg(ctx.REPO);
    if (tool.npm) {
      // The ffprobe package sits beside: point the setting at a folder with both.
      const bin = join(dirs.root, 'ffmpeg-bin');
      mkdirSync(bin, { recursive: true });
      for (const name of ['ffmpeg', 'ffprobe']) {
        const src = join(ctx.REPO, 'node_modules', `@${name}-installer`, `${process.platform}-${process.arch}`, name);
        spawnSync('ln', ['-sf', src, join(bin, name)]);
      }
      const file = join(dirs.userData, 'User', 'settings.json');
      writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), 'gendeck.ffmpegPath': bin }, null, 2));
    }
    mkdirSync(join(ws, 'clips'), { recursive: true });
    clip('clips/red-car.mp4', '0xD01818');
    clip('clips/forest.mp4', '0x18A030');
    clip('ocean.mp4', '0x1830C0');
    await wb.openViewContainer('GenDeck');
    await wb.startSandbox();
  }, { timeout: 90_000 });

  await t('Index Workspace Videos indexes the three clips with a progress notification', async () => {
    await wb.runCommand('GenDeck: Index Workspace Videos');
    await waitUntil(async () => (await wb.notifications()).some((n) => /Video index up to date: 3 videos, 3 indexed/.test(n.message)), {
      timeout: 120_000,
      what: async () => `the "index up to date" notification (shown: ${JSON.stringify(await wb.notifications())})`,
    });
    await wb.dismissNotifications();
  }, { timeout: 150_000, needs: ['seeknetic: clips in the workspace, sandbox on, ffmpeg reachable'] });

  await t('Search Videos… shows the red clip first, with thumbnail, score, tags and filters', async () => {
    await wb.runCommand('GenDeck: Search Videos…');
    await wb.inputText('a red car');
    const frame = await searchFrame();
    await waitUntil(() => frame.evaluate(() => document.querySelectorAll('.result').length === 3), { timeout: 30_000, what: 'three results' });
    const view = await frame.evaluate(() => ({
      names: [...document.querySelectorAll('.result .name')].map((e) => e.textContent),
      scores: [...document.querySelectorAll('.result .score')].map((e) => Number(e.textContent)),
      thumbs: [...document.querySelectorAll('.result img.thumb')].map((i) => i.naturalWidth),
      tags: document.querySelectorAll('.result .tag').length,
      families: [...document.querySelectorAll('.family legend')].map((e) => e.textContent),
      status: document.querySelector('.status')?.textContent,
    }));
    if (view.names[0] !== 'clips/red-car.mp4') throw new Error(`first result ${view.names[0]} (all: ${view.names})`);
    if (!(view.scores[0] > view.scores[1])) throw new Error(`scores not ordered: ${view.scores}`);
    if (view.thumbs.length !== 3 || view.thumbs.some((w) => w !== 224)) throw new Error(`thumbnails not loaded: ${view.thumbs}`);
    if (view.tags < 9) throw new Error(`tags missing (${view.tags})`);
    if (view.families.join() !== 'Shot size,Camera movement,Angle') throw new Error(`filters: ${view.families}`);
    if (!/3 videos indexed \(sandbox\)/.test(view.status)) throw new Error(`status: ${view.status}`);
    // Room for the results: fold the container's other views.
    for (let i = 0; i < 10; i++) {
      const headers = page.locator('.part.sidebar .pane-header[aria-expanded="true"]');
      const labels = await headers.evaluateAll((els) => els.map((e) => (e.getAttribute('aria-label') || e.textContent || '').trim()));
      const other = labels.findIndex((l) => !/^Search/.test(l));
      if (other < 0) break;
      await headers.nth(other).click();
      await sleep(200);
    }
    await sleep(500);
    await ctx.saveScreenshot('search.png', () => wb.screenshot(join(ctx.SHOTS, 'search.png')));
  }, { timeout: 60_000, needs: ['seeknetic: Index Workspace Videos indexes the three clips with a progress notification'] });

  await t('a tag filter keeps only the clips with that tag; a click opens the video', async () => {
    const frame = await searchFrame();
    const results = () => frame.evaluate(() => [...document.querySelectorAll('.result')].map((r) => ({ name: r.querySelector('.name').textContent, tags: [...r.querySelectorAll('.tag')].map((x) => x.textContent) })));
    const before = await results();
    const label = before[before.length - 1].tags[0]; // the last clip's shot size
    const expected = before.filter((r) => r.tags.includes(label)).map((r) => r.name);
    await frame.evaluate((l) => [...document.querySelectorAll('.family')].find((f) => f.querySelector('legend').textContent === 'Shot size')
      .querySelectorAll('.chip').forEach((c) => c.textContent === l && c.querySelector('input').click()), label);
    await waitUntil(async () => JSON.stringify((await results()).map((r) => r.name)) === JSON.stringify(expected), { timeout: 15_000, what: async () => `results with "${label}": ${JSON.stringify(expected)} (shown: ${JSON.stringify(await results())})` });
    await frame.evaluate((l) => [...document.querySelectorAll('.chip')].forEach((c) => c.textContent === l && c.querySelector('input').click()), label);
    await waitUntil(async () => (await results()).length === before.length, { timeout: 15_000, what: 'all results back without the filter' });
    await frame.evaluate(() => document.querySelector('.result')?.click());
    await waitUntil(async () => (await page.locator('.tabs-container .tab').allInnerTexts()).some((x) => /red-car/.test(x)), { timeout: 20_000, what: 'an editor tab for red-car.mp4' });
  }, { timeout: 60_000, needs: ['seeknetic: Search Videos… shows the red clip first, with thumbnail, score, tags and filters'] });

  await t('a new clip is indexed by the file watcher and found', async () => {
    clip('sunflower.mp4', '0xE0D020');
    const frame = await searchFrame();
    await waitUntil(() => frame.evaluate(() => /4 videos indexed/.test(document.querySelector('.status')?.textContent || '')), { timeout: 60_000, what: 'the watcher to index sunflower.mp4' });
    await frame.evaluate(() => {
      document.querySelector('input[type=search]').value = 'yellow flowers';
      document.querySelector('form.query').requestSubmit();
    });
    await waitUntil(() => frame.evaluate(() => document.querySelector('.result .name')?.textContent === 'sunflower.mp4'), { timeout: 20_000, what: '"yellow flowers" to find sunflower.mp4' });
    await sleep(300);
    await wb.screenshot(join(ctx.LOGS, 'seeknetic', 'watcher.png'));
  }, { timeout: 90_000, needs: ['seeknetic: a tag filter keeps only the clips with that tag; a click opens the video'] });
}
