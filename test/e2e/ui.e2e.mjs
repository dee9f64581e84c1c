/* global console, document, window, HTMLVideoElement */
// GenDeck through the real VS Code UI (code-server + headless Chromium). Called by scripts/e2e/phases/ui.mjs with a
// workbench that is already open. Every check goes through what a user sees and does: the activity bar, the command
// palette, quick picks, input boxes, dialogs, the Jobs tree, the preview webview, the Output view.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { retryUntil, sleep, waitUntil } from '../../scripts/e2e/lib/util.mjs';

const SANDBOX = 'GenDeck: Try the Sandbox';
const SET_KEY = 'GenDeck: Set API Key…';
const NEW_VIDEO = 'GenDeck: New Video from Prompt (Seedancee2)';
const JOBS = 'Jobs'; // the Jobs view's pane title
const HOSTILE = '<img src=x onerror="window.__pwned=1">';

/** Every file under `dir` (recursively) whose bytes contain `needle` (utf8 or utf16le). */
export function filesContaining(dir, needle) {
  const hits = [];
  const pats = [Buffer.from(needle, 'utf8'), Buffer.from(needle, 'utf16le')];
  const walk = (d) => {
    let names = [];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(d, n);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && st.size < 64 * 1024 * 1024) {
        const buf = readFileSync(p);
        if (pats.some((pat) => buf.includes(pat))) hits.push(p);
      }
    }
  };
  walk(dir);
  return hits;
}

export default async function uiSuite(ctx) {
  const { runner, wb, page, dirs } = ctx;
  const KEY = `sk-e2e-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const t = (name, fn, opts) => runner.test(`ui: ${name}`, fn, opts);

  await t('GenDeck view container appears in the activity bar', async () => {
    await wb.openViewContainer('GenDeck');
    // The tree's data provider is registered once GenDeck has activated.
    await waitUntil(
      async () => {
        const text = await page.locator('.part.sidebar [id="workbench.view.extension.gendeck"]').innerText();
        return !/no data provider registered/i.test(text) && text;
      },
      { timeout: 30_000, what: 'GenDeck to activate and fill its view' },
    );
    await wb.screenshot(join(ctx.LOGS, 'ui', 'gendeck-view.png'));
  });

  // VS Code counts a walkthrough's completion events from when it first shows the walkthrough (as it does when the
  // extension is installed); the steps are checked again once the sandbox runs and a video has succeeded.
  const walkthroughSteps = () => page.locator('.getting-started-step');
  const openWalkthrough = async () => {
    await wb.runCommand('Welcome: Open Walkthrough...');
    await wb.pick('Get started with GenDeck', { match: /walkthrough/i });
    await waitUntil(async () => ((await walkthroughSteps().count()) >= 8 ? true : null), {
      timeout: 20_000,
      what: 'the eight GenDeck walkthrough steps',
    });
  };
  const walkthroughStepDone = (title) =>
    walkthroughSteps()
      .filter({ hasText: title })
      .first()
      .evaluate((e) => e.getAttribute('aria-checked') === 'true' || !!e.querySelector('.complete[data-done-step-id]'))
      .catch(() => false);

  await t(
    'the walkthrough lists a step per provider, none done yet',
    async () => {
      await openWalkthrough();
      const titles = await walkthroughSteps().locator('h3').allInnerTexts();
      for (const want of [
        'Try the sandbox',
        'Make a game (Seele)',
        'Run a media tool (Seisoai)',
        'Run a worker (Seek API)',
      ])
        if (!titles.some((x) => x.includes(want))) throw new Error(`no step "${want}": ${titles.join(' | ')}`);
      if (await walkthroughStepDone('Try the sandbox'))
        throw new Error('the sandbox step is done before the sandbox runs');
      await wb.runCommand('View: Close All Editors').catch(() => {});
    },
    { timeout: 60_000, needs: ['ui: GenDeck view container appears in the activity bar'] },
  );

  await t(
    'sandbox starts from the command palette',
    async () => {
      await wb.runCommand(SANDBOX);
      await waitUntil(async () => (await wb.notifications()).some((n) => /sandbox is on/i.test(n.message)), {
        timeout: 30_000,
        what: 'the "sandbox is on" notification',
      });
      await wb.dismissNotifications();
    },
    { needs: ['ui: GenDeck view container appears in the activity bar'] },
  );

  // ---- API key through the password input box -------------------------------------------------------------
  await t(
    'API key can be set through the password input box',
    async () => {
      await wb.runCommand(SET_KEY);
      await wb.pick('Seedancee2', { exact: true });
      const box = await wb.waitForQuickInput({ match: /API key/i });
      if (box.type !== 'password') throw new Error(`the key input box is not a password box: ${JSON.stringify(box)}`);
      await wb.inputText(KEY, { match: /API key/i, expectPassword: true });
      // The key is checked against the real provider first; that host is unreachable here, so GenDeck asks whether to
      // save it unchecked. Either way it must end with "key saved".
      await waitUntil(
        async () => {
          const d = await wb.dialog();
          if (d && d.buttons.some((b) => /Save Without Checking/i.test(b)))
            await wb.clickDialogButton('Save Without Checking');
          const n = await wb.notifications();
          const bad = n.find((x) => /not saved/i.test(x.message));
          if (bad) throw new Error(`key rejected: ${bad.message}`);
          return n.some((x) => /key saved/i.test(x.message));
        },
        { timeout: 40_000, what: 'the "key saved" notification' },
      );
      await wb.dismissNotifications();
    },
    { timeout: 90_000, needs: ['ui: GenDeck view container appears in the activity bar'] },
  );

  await t(
    'the key is not in settings.json nor in plain text under the user-data-dir',
    async () => {
      const settingsFile = join(dirs.userData, 'User', 'settings.json');
      const settingsText = readFileSync(settingsFile, 'utf8');
      if (settingsText.includes(KEY)) throw new Error('the API key is in settings.json');
      await sleep(1500); // let state/log writers flush
      // Everything this instance wrote: code-server's user-data-dir, extensions, workspace, and the browser profile
      // (where the web workbench keeps its encrypted secret storage). The key's bytes must be nowhere in plain text.
      const hits = filesContaining(dirs.root, KEY);
      if (hits.length)
        throw new Error(
          `the API key is in plain text in: ${hits.map((h) => h.replace(dirs.root, '<tmp>')).join(', ')}`,
        );
    },
    { needs: ['ui: API key can be set through the password input box'] },
  );

  // ---- A Seedancee2 job from the command palette ----------------------------------------------------------------
  async function newVideo(prompt, { tryOutOfRange = false, fromNewMenu = false } = {}) {
    if (fromNewMenu) {
      // New… lists what every provider can start, under its name.
      await wb.runCommand('GenDeck: New…');
      const q = await wb.waitForQuickInput({ match: /Start something new/ });
      for (const row of ['Video from a Prompt…', 'Game from a Prompt…', 'Run a Tool…'])
        if (!q.rows.some((r) => r?.startsWith(row))) throw new Error(`New… has no "${row}": ${JSON.stringify(q.rows)}`);
      await wb.pick('Video from a Prompt…', { match: /Start something new/ });
    } else await wb.runCommand(NEW_VIDEO);
    await wb.inputText(prompt, { match: /New Seedancee2 video|Describe/i });
    if (tryOutOfRange) {
      // One multi-step input: each step says where it is, and Back returns to the prompt with it still filled in.
      const m = await wb.waitForQuickInput({ match: /Model/i });
      if (m.title !== 'New Seedancee2 video (2/5): Model') throw new Error(`the model step's title: ${m.title}`);
      await wb.quickInputBack();
      const p = await wb.waitForQuickInput({ match: /\(1\/5\): Prompt/ });
      if (p.value !== prompt) throw new Error(`Back lost the prompt: ${JSON.stringify(p)}`);
      await wb.inputText(prompt, { match: /\(1\/5\): Prompt/ });
    }
    await wb.pick('mini', { match: /Model/i, exact: true });
    if (tryOutOfRange) {
      // 99 s is refused with the range named, not silently ignored; 0 is not taken as "10 s".
      const q = await wb.waitForQuickInput({ match: /Duration/i });
      if (!/4–15 s/.test(q.title ?? ''))
        throw new Error(`the Duration step does not name its range: ${JSON.stringify(q)}`);
      for (const typed of ['99', '0']) {
        await wb.page.locator('.quick-input-widget .quick-input-box input').fill(typed);
        await waitUntil(async () => (await wb.rowLabels()).some((l) => /from 4 to 15 s/.test(l ?? '')), {
          timeout: 15_000,
          what: `the range row for "${typed}"`,
        });
      }
    }
    await wb.pick('4 s', { match: /Duration/i, exact: true });
    await wb.pick('480p', { match: /Resolution/i, exact: true });
    await wb.pick('16:9', { match: /Aspect ratio/i, exact: true });
    const d = await wb.waitForDialog({ match: /Generate/i });
    if (!/Estimate: ~\d+ credits/.test(d.detail))
      throw new Error(`the confirmation shows no credit estimate: ${JSON.stringify(d)}`);
    // The account's usage, read while the questions were answered (the sandbox answers at once).
    if (!/Account usage today: -?\d+ credits net/.test(d.detail))
      throw new Error(`the confirmation shows no account usage: ${JSON.stringify(d)}`);
    await wb.clickDialogButton('Generate');
    return d;
  }

  async function waitForJobStatus(label, re, timeout = 60_000) {
    return waitUntil(
      async () => {
        const rows = await wb.treeRows(JOBS);
        const row = rows.find((r) => r.label === label);
        if (!row) return null;
        if (/failed/.test(row.description) && !re.test(row.description))
          throw new Error(`job failed: ${JSON.stringify(row)}`);
        return re.test(row.description) ? row : null;
      },
      {
        timeout,
        what: async () =>
          `job "${label}" to match ${re} in the Jobs tree (rows: ${JSON.stringify((await wb.treeRows(JOBS).catch(() => [])).map((r) => `${r.label} | ${r.description}`))})`,
      },
    );
  }

  const PROMPT = 'A red fox trotting through fresh snow at dawn';
  await t(
    'a Seedancee2 video started from the command palette appears in the Jobs tree',
    async () => {
      await wb.openViewContainer('GenDeck');
      const d = await newVideo(PROMPT, { tryOutOfRange: true, fromNewMenu: true });
      console.log(`#   confirmation: ${d.message} — ${d.detail}`);
      await wb.waitForTreeRow(PROMPT, { pane: JOBS, timeout: 20_000 });
      const rows = await wb.treeRows(JOBS);
      if (!rows.some((r) => r.label === 'Seedancee2'))
        throw new Error(`no Seedancee2 group in the tree: ${JSON.stringify(rows)}`);
    },
    { timeout: 90_000, needs: ['ui: sandbox starts from the command palette'] },
  );

  await t(
    'the job reaches succeeded in the tree',
    async () => {
      const t0 = Date.now();
      const row = await waitForJobStatus(PROMPT, /succeeded/, 60_000);
      console.log(`#   succeeded after ${((Date.now() - t0) / 1000).toFixed(1)} s: ${row.label} — ${row.description}`);
      await wb.dismissNotifications();
    },
    { timeout: 90_000, needs: ['ui: a Seedancee2 video started from the command palette appears in the Jobs tree'] },
  );

  await t(
    'Sort Jobs… lists every job in one list by status, each naming its provider, and groups them again by provider',
    async () => {
      await wb.runCommand('GenDeck: Sort Jobs…');
      await wb.pick('By status', { match: /List GenDeck jobs/ });
      await waitUntil(
        async () => {
          const rows = await wb.treeRows(JOBS);
          return !rows.some((r) => r.label === 'Seedancee2') &&
            rows.some((r) => r.label === PROMPT && /Seedancee2/.test(r.description))
            ? rows
            : null;
        },
        { timeout: 20_000, what: 'the flat list, the job naming its provider' },
      );
      await wb.runCommand('GenDeck: Sort Jobs…');
      await wb.pick('By provider', { match: /List GenDeck jobs/ });
      await wb.waitForTreeRow('Seedancee2', { pane: JOBS, timeout: 20_000 });
    },
    { timeout: 60_000, needs: ['ui: the job reaches succeeded in the tree'] },
  );

  await t(
    'the walkthrough marks the sandbox and video steps done by what happened since it was opened',
    async () => {
      await openWalkthrough();
      await waitUntil(
        async () =>
          (await walkthroughStepDone('Try the sandbox')) && (await walkthroughStepDone('Generate a video'))
            ? true
            : null,
        { timeout: 20_000, what: 'the sandbox and video steps marked done' },
      );
      if (await walkthroughStepDone('Make a game')) throw new Error('the game step is done without a game');
      await wb.runCommand('View: Close All Editors').catch(() => {});
    },
    {
      timeout: 60_000,
      needs: [
        'ui: the walkthrough lists a step per provider, none done yet',
        'ui: the job reaches succeeded in the tree',
      ],
    },
  );

  // ---- Preview webview with a playing <video> ------------------------------------------------------------------
  const previewFrame = (title) =>
    wb.findFrame(
      async (f) => (await f.evaluate(() => document.querySelector('#app h1')?.textContent || null)) === title,
      {
        timeout: 30_000,
        what: `the preview webview for "${title}"`,
      },
    );

  await t(
    'the preview webview shows a <video> that loads and plays',
    async () => {
      await wb.runCommand('View: Close All Editors').catch(() => {});
      await wb.treeRow(PROMPT, JOBS).click(); // the job item's command is gendeck.openPreview
      const frame = await previewFrame(PROMPT);
      const info = await waitUntil(
        () =>
          frame.evaluate(() => {
            const v = document.querySelector('video');
            return v && v.readyState >= 1
              ? {
                  src: v.currentSrc || v.src,
                  readyState: v.readyState,
                  duration: v.duration,
                  w: v.videoWidth,
                  h: v.videoHeight,
                }
              : null;
          }),
        { timeout: 30_000, what: 'the <video> element to load its metadata' },
      );
      if (!info.duration || !(info.w > 0)) throw new Error(`video metadata looks wrong: ${JSON.stringify(info)}`);
      const t1 = await frame.evaluate(async () => {
        const v = document.querySelector('video');
        v.muted = true;
        await v.play();
        return v.currentTime;
      });
      const t2 = await waitUntil(
        () =>
          frame.evaluate((a) => {
            const v = document.querySelector('video');
            return !v.paused && v.currentTime > a + 0.3 ? v.currentTime : null;
          }, t1),
        { timeout: 15_000, what: 'currentTime to advance while playing' },
      );
      console.log(
        `#   video ${info.src.slice(0, 90)} ${info.w}x${info.h} ${info.duration.toFixed(2)} s; currentTime ${t1.toFixed(2)} → ${t2.toFixed(2)}`,
      );
      await frame.evaluate(() => {
        const v = document.querySelector('video');
        v.pause();
        v.currentTime = Math.min(1, v.duration / 3);
      });
      await sleep(500);
      await wb.screenshot(join(ctx.LOGS, 'ui', 'preview.png'));
      await ctx.saveScreenshot('preview.png', () => wb.screenshot(join(ctx.SHOTS, 'preview.png')));
    },
    { timeout: 90_000, needs: ['ui: the job reaches succeeded in the tree'] },
  );

  await t(
    'a "[fail]" prompt ends as failed in the tree',
    async () => {
      await wb.runCommand('View: Close All Editors').catch(() => {});
      await wb.openViewContainer('GenDeck');
      const prompt = 'A timelapse of clouds over a mountain ridge [fail]';
      await newVideo(prompt);
      await waitForJobStatus(prompt, /failed/, 60_000);
    },
    { timeout: 90_000, needs: ['ui: sandbox starts from the command palette'] },
  );

  await t(
    'Show Seedancee2 Usage opens a read-only report whose net is never negative; closing it asks nothing',
    async () => {
      await wb.runCommand('View: Close All Editors').catch(() => {});
      await wb.runCommand('GenDeck: Show Seedancee2 Usage');
      // It opens in VS Code's Markdown preview (a webview, frames within frames): the summary table's first row is
      // | jobs | completed | failed | running | charged | refunded | net |
      const row = await waitUntil(
        async () => {
          const found = await wb.evalAllFrames(() => {
            if (!/Seedancee2 usage/.test(document.body?.innerText || '')) return null;
            const first = [...document.querySelectorAll('tr')].find((tr) => tr.querySelectorAll('td').length === 7);
            return first ? ['', ...[...first.querySelectorAll('td')].map((c) => c.textContent?.trim() ?? '')] : null;
          });
          return found.find((f) => f.value)?.value ?? null;
        },
        { timeout: 20_000, what: 'the summary row of the usage report' },
      );
      const [, , , failed, , charged, refunded, net] = row.map(Number);
      console.log(`#   usage: failed ${failed}, charged ${charged}, refunded ${refunded}, net ${net}`);
      if (failed < 1) throw new Error('the [fail] video is not in the usage');
      if (net < 0 || net !== charged - (refunded || 0))
        throw new Error(`net ${net} for charged ${charged}, refunded ${refunded}`);
      await wb.runCommand('View: Close All Editors');
      await waitUntil(
        async () => ((await page.locator('.tabs-container .tab').count()) === 0 ? true : ((await wb.dialog()) ?? null)),
        {
          timeout: 15_000,
          what: 'the report tab to close',
        },
      ).then((r) => {
        if (r !== true) throw new Error(`closing the report asked: ${JSON.stringify(r)}`);
      });
    },
    { timeout: 60_000, needs: ['ui: a "[fail]" prompt ends as failed in the tree'] },
  );

  await t(
    "a removed job's preview closes with it, and Undo brings the job back",
    async () => {
      const prompt = 'A timelapse of clouds over a mountain ridge [fail]';
      await wb.runCommand('View: Close All Editors').catch(() => {});
      await wb.treeRow(prompt, JOBS).click();
      const tab = page.locator('.tabs-container .tab', { hasText: 'Preview: A timelapse of clouds' });
      await tab.first().waitFor({ state: 'visible', timeout: 20_000 });
      await wb.runCommand('GenDeck: Remove from List');
      await wb.pick(prompt, { match: /Remove which job/i });
      await waitUntil(async () => (await tab.count()) === 0 || undefined, {
        timeout: 20_000,
        what: 'the preview tab of the removed job to close',
      });
      const gone = () =>
        waitUntil(async () => !(await wb.treeRows(JOBS)).some((r) => r.label === prompt) || undefined, {
          timeout: 20_000,
          what: 'the removed job to leave the tree',
        });
      await gone();
      // Undo puts it back; removing it again takes it off for good.
      // A click a busy workbench drops is repeated until the job is back.
      await retryUntil(
        () => wb.clickNotificationButton('from the list', 'Undo', { timeout: 5_000 }),
        async () => (await wb.treeRows(JOBS)).some((r) => r.label === prompt) || undefined,
        { timeout: 30_000, what: 'the job back in the tree after Undo' },
      );
      await wb.runCommand('GenDeck: Remove from List');
      await wb.pick(prompt, { match: /Remove which job/i });
      await gone();
      await wb.dismissNotifications();
    },
    { timeout: 90_000, needs: ['ui: a "[fail]" prompt ends as failed in the tree'] },
  );

  await t(
    'the Seedancee2 group stops saying "running" once its jobs have finished',
    async () => {
      const group = await waitUntil(async () => (await wb.treeRows(JOBS)).find((r) => r.label === 'Seedancee2'), {
        what: 'the Seedancee2 group row',
      });
      await waitUntil(
        async () => {
          const g = (await wb.treeRows(JOBS)).find((r) => r.label === 'Seedancee2');
          return g && !/running/.test(g.description) ? g : null;
        },
        {
          timeout: 10_000,
          what: `the group description to drop "running" (it reads "${group.description}" while every job has finished)`,
        },
      );
    },
    { needs: ['ui: a "[fail]" prompt ends as failed in the tree', 'ui: the job reaches succeeded in the tree'] },
  );

  await t(
    'screenshot of the Jobs tree',
    async () => {
      await wb.runCommand('View: Close All Editors').catch(() => {});
      await wb.dismissNotifications();
      // Expand the finished job (its twistie only expands; a click on the label would open the preview).
      const row = wb.treeRow(PROMPT, JOBS);
      if ((await row.getAttribute('aria-expanded')) === 'false') await row.locator('.monaco-tl-twistie').click();
      await waitUntil(async () => (await row.getAttribute('aria-expanded')) === 'true', {
        what: 'the job row to expand',
      });
      // Widen the side bar so status and cost are readable, then move the mouse out of the way.
      const sb = await page.locator('.part.sidebar').boundingBox();
      if (sb && sb.width < 560) {
        await page.mouse.move(sb.x + sb.width + 1, sb.y + 300);
        await page.mouse.down();
        await page.mouse.move(sb.x + 600, sb.y + 300, { steps: 8 });
        await page.mouse.up();
      }
      await page.mouse.move(1000, 700);
      await sleep(400);
      const pane = await wb.pane(JOBS).boundingBox();
      const clip = pane
        ? {
            x: 0,
            y: 0,
            width: Math.min(1440, pane.x + pane.width + 240),
            height: Math.min(900, pane.y + pane.height + 2),
          }
        : { x: 0, y: 0, width: 900, height: 300 };
      await wb.screenshot(join(ctx.LOGS, 'ui', 'jobs-tree.png'), { clip });
      await ctx.saveScreenshot('jobs-tree.png', () => wb.screenshot(join(ctx.SHOTS, 'jobs-tree.png'), { clip }));
    },
    { needs: ['ui: the job reaches succeeded in the tree'] },
  );

  // ---- A hostile provider string is text, never markup ---------------------------------------------------------
  await t(
    'a hostile prompt is shown as text in the tree and the preview and runs nothing',
    async () => {
      await wb.runCommand('View: Close All Editors').catch(() => {});
      await wb.openViewContainer('GenDeck');
      await newVideo(HOSTILE);
      const row = await waitForJobStatus(HOSTILE, /succeeded/, 60_000);
      if (row.label !== HOSTILE) throw new Error(`tree label differs from the raw prompt: ${JSON.stringify(row)}`);
      await wb.treeRow(HOSTILE, JOBS).click();
      const frame = await previewFrame(HOSTILE);
      const shown = await frame.evaluate(
        (h) => ({
          h1: document.querySelector('#app h1')?.textContent,
          visible: document.body.innerText.includes(h),
          imgs: [...document.querySelectorAll('img')].map((i) => i.getAttribute('src')),
        }),
        HOSTILE,
      );
      if (!shown.visible || shown.h1 !== HOSTILE)
        throw new Error(`the hostile text is not shown verbatim: ${JSON.stringify(shown)}`);
      if (shown.imgs.includes('x')) throw new Error('an <img src=x> element was created in the preview');
      await sleep(1000);
      const pwned = (
        await wb.evalAllFrames(() => ({
          pwned: window.__pwned,
          imgX: document.querySelectorAll('img[src="x"]').length,
        }))
      ).filter((r) => r.value.pwned !== undefined || r.value.imgX > 0);
      if (pwned.length) throw new Error(`hostile markup ran or was inserted: ${JSON.stringify(pwned)}`);
      const mainImg = await page.locator('img[src="x"]').count();
      if (mainImg) throw new Error('an <img src=x> element exists in the workbench DOM');
      await wb.screenshot(join(ctx.LOGS, 'ui', 'hostile.png'));
    },
    { timeout: 120_000, needs: ['ui: the job reaches succeeded in the tree'] },
  );

  // ---- Logs carry no key ---------------------------------------------------------------------------------------
  await t(
    'the GenDeck log (files and Output view) contains no key',
    async () => {
      const logsDir = join(dirs.userData, 'logs');
      const logFiles = [];
      const walk = (d) => {
        for (const n of readdirSync(d)) {
          const p = join(d, n);
          if (statSync(p).isDirectory()) walk(p);
          else logFiles.push(p);
        }
      };
      if (existsSync(logsDir)) walk(logsDir);
      const gendeckLogs = logFiles.filter((p) => /GenDeck/i.test(p));
      if (!gendeckLogs.length)
        throw new Error(
          `no GenDeck log file under ${logsDir} (files: ${logFiles.map((p) => p.slice(logsDir.length)).join(', ')})`,
        );
      const text = gendeckLogs.map((p) => readFileSync(p, 'utf8')).join('\n');
      if (!/Activated|sandbox|GenDeck started/i.test(text))
        throw new Error(`the GenDeck log looks empty: ${text.slice(0, 300)}`);
      const hits = filesContaining(logsDir, KEY);
      if (hits.length) throw new Error(`the key is in log files: ${hits.join(', ')}`);
      // The scanner itself works: the job prompt is found in GenDeck's job store under the same user-data-dir.
      if (!filesContaining(dirs.userData, PROMPT).length)
        throw new Error('scanner self-check: the job prompt was not found under the user-data-dir');
      const shown = await wb.outputText('GenDeck');
      if (!shown.trim()) throw new Error('the GenDeck Output view shows nothing');
      if (shown.includes(KEY)) throw new Error('the key is shown in the GenDeck Output view');
      await wb.screenshot(join(ctx.LOGS, 'ui', 'output.png'));
    },
    { needs: ['ui: API key can be set through the password input box'] },
  );

  // ---- A sandbox job run again while the sandbox is off asks first -----------------------------------------------
  await t(
    'with the sandbox off its jobs read "sandbox (off)", and Run Again asks before anything goes to the real provider',
    async () => {
      await wb.dismissNotifications();
      await wb.runCommand('GenDeck: Stop the Sandbox');
      await wb.waitForRowDescription(PROMPT, /sandbox \(off\)$/, { pane: JOBS, timeout: 20_000 });
      await wb.runCommand('GenDeck: Retry / Run Again');
      await wb.pick(PROMPT, { match: /Run which job again/i });
      const d = await wb.waitForDialog({ match: /ran in the sandbox/i });
      if (!/real Seedancee2/.test(`${d.message} ${d.detail}`) || !d.buttons.some((b) => /Run on Seedancee2/.test(b)))
        throw new Error(`the dialog does not say where it would go: ${JSON.stringify(d)}`);
      await wb.clickDialogButton('Start the Sandbox and Run');
      // The sandbox is on again and the same questions open, the prompt first and filled in: nothing was sent.
      const q = await wb.waitForQuickInput({ match: /New Seedancee2 video|Describe/i, timeout: 30_000 });
      if (q.value !== PROMPT) throw new Error(`the prompt is not filled in: ${JSON.stringify(q)}`);
      await wb.page.keyboard.press('Escape');
      await wb.waitForRowDescription(PROMPT, /sandbox$/, { pane: JOBS, timeout: 20_000 });
    },
    { timeout: 120_000, needs: ['ui: the job reaches succeeded in the tree'] },
  );
}
