/* global document, navigator */
// Seele through the real VS Code UI (code-server + headless Chromium), against the built-in sandbox. Same calling
// convention as ui.e2e.mjs: `ctx` carries the runner, the workbench and the page of an open session. It checks a game
// from the command palette (prompt, model, engine, generation model as one multi-step input, then a confirmation
// naming the koin), current_operation in the tree while it runs, a follow-up step sent while processing (confirmed,
// queued, shown as queued, sent after the finish), a second queued step cancelled, summary + koin when finished, the preview's artifacts with the three.js page framed (sandbox origin),
// the project unpacked into the workspace (and merged into it again without overwriting), an output inserted into a
// Markdown file as a reference and saved as a copy, and a game from a reference file (upload).
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../../scripts/e2e/lib/paths.mjs';
import { retryUntil, sleep, waitUntil } from '../../scripts/e2e/lib/util.mjs';

const NEW_GAME = 'GenDeck: New Game from Prompt (Seele)';
const NEW_FROM_FILES = 'GenDeck: New Game from Selected Files (Seele)';
const ADD_STEP = 'GenDeck: Add Follow-up Step…';
const CANCEL_STEP = 'GenDeck: Cancel Queued Step';
const DOWNLOAD = 'GenDeck: Download Outputs';
const UNPACK = 'GenDeck: Unpack Project…';

export default async function seeleSuite(ctx) {
  const { runner, wb, dirs, page } = ctx;
  const t = (name, fn, opts) => runner.test(`seele: ${name}`, fn, opts);
  // Every Seele start is confirmed first: a modal naming the koin, its action on the button.
  const confirmSpend = async (message, button) => {
    const d = await wb.waitForDialog({ match: /koin/ });
    if (!message.test(d.message) || !d.buttons.includes(button) || !/in koin when the game finishes/.test(d.detail))
      throw new Error(`the confirmation: ${JSON.stringify(d)}`);
    await wb.clickDialogButton(button);
    return d;
  };
  const PROMPT = 'A cozy cat farming game with fishing';
  const STEP1 = 'Add a day-night cycle';
  const STEP2 = 'Add a boss battle';

  await t(
    'sandbox on, GenDeck view open',
    async () => {
      await wb.openViewContainer('GenDeck');
      await wb.startSandbox();
    },
    { timeout: 60_000 },
  );

  await t(
    'a game from the command palette shows current_operation while it runs',
    async () => {
      await wb.runCommand(NEW_GAME);
      await wb.inputText(PROMPT, { match: /New Seele game/i });
      const m = await wb.waitForQuickInput({ match: /Seele model/i });
      if (m.title !== 'New Seele game (2/4): Model') throw new Error(`the model step's title: ${m.title}`);
      await wb.pick('Seele02-flash', { match: /Seele model/i, exact: true });
      await wb.pick('threejs', { match: /Engine/i, exact: true });
      await wb.inputText('seedream5', { match: /Generation model/i });
      // Nothing is sent before the confirmation, which says what goes and that the koin come at the finish.
      const d = await confirmSpend(/Start a Seele game with Seele02-flash on threejs/, 'Start Game');
      for (const said of [PROMPT, 'Generation model: seedream5', 'No reference files', 'not known before'])
        if (!d.detail.includes(said)) throw new Error(`the confirmation does not say "${said}": ${d.detail}`);
      await wb.waitForTreeRow(PROMPT, { timeout: 20_000 });
      const row = await wb.waitForRowDescription(
        PROMPT,
        /Planning game design|Generating assets|Writing code|Testing gameplay|Packaging|Submitted/,
        { timeout: 30_000 },
      );
      console.log(`#   running: ${row.description}`);
      // The first poll comes after Seele's 10 s minimum; then the operation shows.
      const op = await wb.waitForRowDescription(
        PROMPT,
        /Planning game design|Generating assets|Writing code|Testing gameplay|Packaging/,
        { timeout: 40_000 },
      );
      console.log(`#   current_operation: ${op.description}`);
    },
    { timeout: 90_000, needs: ['seele: sandbox on, GenDeck view open'] },
  );

  await t(
    'a step added while it runs is queued and shown as queued; a second one is cancelled',
    async () => {
      for (const step of [STEP1, STEP2]) {
        await wb.runCommand(ADD_STEP);
        await wb.pick(PROMPT, { match: /Add a step to which Seele job/i });
        await wb.inputText(step, { match: /Follow-up step/i });
        await wb.pick('No files', { match: /Reference files/i, exact: true });
        await confirmSpend(/Queue a step for/, 'Send Step');
        await waitUntil(async () => (await wb.notifications()).some((n) => /step is queued/i.test(n.message)), {
          timeout: 20_000,
          what: 'the "step is queued" notification',
        });
        await wb.dismissNotifications();
      }
      await wb.expandRow(PROMPT);
      await wb.waitForRowDescription(STEP1, /queued/, { timeout: 10_000 });
      await wb.waitForRowDescription(STEP2, /queued/, { timeout: 10_000 });
      await wb.runCommand(CANCEL_STEP);
      await wb.pick(STEP2, { match: /Cancel which queued step/i });
      await wb.waitForRowDescription(STEP2, /canceled/, { timeout: 10_000 });
    },
    { timeout: 90_000, needs: ['seele: a game from the command palette shows current_operation while it runs'] },
  );

  await t(
    'after the finish the queued step is sent, the job runs again and finishes with summary and koin',
    async () => {
      const sent = await wb.waitForRowDescription(STEP1, /^step_/, { timeout: 120_000 });
      console.log(`#   step sent: ${sent.description}`);
      const done = await wb.waitForRowDescription(PROMPT, /succeeded · \d+ koin · A three\.js game/, {
        timeout: 120_000,
      });
      console.log(`#   finished: ${done.description}`);
      const all = await wb.rowSummaries();
      if (!all.some((r) => r.label === 'Game Project') || !all.some((r) => r.label === 'Preview'))
        throw new Error(`artifacts missing under the job: ${JSON.stringify(all)}`);
      if (!all.find((r) => r.label === STEP2)?.description.includes('canceled'))
        throw new Error('the cancelled step changed state');
    },
    {
      timeout: 260_000,
      needs: ['seele: a step added while it runs is queued and shown as queued; a second one is cancelled'],
    },
  );

  await t(
    'the preview lists the artifacts and frames the three.js page from the sandbox',
    async () => {
      await wb.runCommand('View: Close All Editors').catch(() => {});
      await wb.treeRow(PROMPT).click();
      const frame = await wb.findFrame(
        async (f) => (await f.evaluate(() => document.querySelector('#app h1')?.textContent || null)) === PROMPT,
        { timeout: 30_000, what: 'the Seele preview' },
      );
      const info = await waitUntil(
        () =>
          frame.evaluate(() => {
            const iframe = document.querySelector('iframe');
            const labels = [...document.querySelectorAll('section.output h3')].map((h) => h.textContent);
            return iframe
              ? {
                  src: iframe.getAttribute('src'),
                  sandbox: iframe.getAttribute('sandbox'),
                  labels,
                  summary: document.querySelector('p.summary')?.textContent,
                }
              : null;
          }),
        { timeout: 20_000, what: 'an iframe in the preview' },
      );
      console.log(`#   preview: ${JSON.stringify(info)}`);
      if (!/\/media\/seele\/.+\/index\.html/.test(info.src)) throw new Error(`unexpected frame src ${info.src}`);
      if (!info.labels.includes('Game Project') || !info.labels.includes('Preview'))
        throw new Error(`artifacts not listed: ${info.labels}`);
      if (!/three\.js game/.test(info.summary ?? '')) throw new Error(`no summary: ${info.summary}`);
      // The game page itself runs inside the frame: a canvas appears.
      const game = await wb.findFrame(
        async (f) =>
          /\/media\/seele\//.test(f.url()) &&
          (await f.evaluate(() => !!document.querySelector('canvas')).catch(() => false)),
        { timeout: 30_000, what: 'the framed three.js game with a canvas' },
      );
      console.log(`#   game frame: ${game.url()}`);
      await wb.screenshot(`${ctx.LOGS}/seele-preview.png`);
    },
    {
      timeout: 90_000,
      needs: ['seele: after the finish the queued step is sent, the job runs again and finishes with summary and koin'],
    },
  );

  await t(
    'downloaded, the game still plays in the preview; a second download reuses the files',
    async () => {
      const download = async (said) => {
        await wb.dismissNotifications();
        await wb.runCommand(DOWNLOAD);
        await wb.pick(PROMPT, { match: /Download the outputs/i });
        return waitUntil(async () => (await wb.notifications()).find((n) => said.test(n.message)), {
          timeout: 30_000,
          what: `a notification matching ${said}`,
        });
      };
      const first = await download(/^Saved \d+ files? to gendeck-outputs/);
      console.log(`#   ${first.message}`);
      const out = join(dirs.workspace, 'gendeck-outputs');
      // One folder for the job, named from the day and the prompt, with its sidecar.
      const folders = readdirSync(out);
      if (folders.length !== 1 || !/^\d{4}-\d{2}-\d{2}-a-cozy-cat-farming-game-with-fishing$/.test(folders[0]))
        throw new Error(`job folders: ${folders.join(', ')}`);
      const jobDir = join(out, folders[0]);
      const files = readdirSync(jobDir).sort();
      const again = await download(/^Already in gendeck-outputs/);
      console.log(`#   ${again.message}`);
      const now = readdirSync(jobDir).sort();
      if (
        JSON.stringify(now) !== JSON.stringify(files) ||
        now.some((n) => / \(2\)/.test(n)) ||
        readdirSync(out).length !== 1
      )
        throw new Error(`a second download copied files: ${now.join(', ')}`);
      if (!files.includes('index.html') || !files.includes('gendeck.json'))
        throw new Error(`no local copy of the game and its record: ${files.join(', ')}`);
      const side = JSON.parse(readFileSync(join(jobDir, 'gendeck.json'), 'utf8'));
      if (side.prompt !== PROMPT || !side.outputs.some((o) => o.file === 'index.html'))
        throw new Error(`sidecar: ${JSON.stringify(side).slice(0, 300)}`);
      await wb.dismissNotifications();
      await wb.runCommand('View: Close All Editors').catch(() => {});
      await wb.treeRow(PROMPT).click();
      await wb.findFrame(
        async (f) =>
          /\/media\/seele\//.test(f.url()) &&
          (await f.evaluate(() => !!document.querySelector('canvas')).catch(() => false)),
        { timeout: 30_000, what: 'the framed three.js game, after the download' },
      );
    },
    {
      timeout: 120_000,
      needs: ['seele: the preview lists the artifacts and frames the three.js page from the sandbox'],
    },
  );

  await t(
    'an output goes into a Markdown file as a reference (Insert at Cursor) and is saved as a copy (Save As)',
    async () => {
      mkdirSync(join(dirs.workspace, 'docs'), { recursive: true });
      writeFileSync(join(dirs.workspace, 'docs', 'notes.md'), '# Notes\n\n');
      await wb.dismissNotifications();
      await wb.runCommand('Go to File...');
      await wb.pick('notes.md', { match: /Search files by name/i });
      const tab = page.locator('.tabs-container .tab', { hasText: 'notes.md' }).first();
      await tab.waitFor({ state: 'visible', timeout: 20_000 });
      await page.locator('.part.editor .editor-instance .view-lines').first().click();
      await page.keyboard.press('Control+End');
      await wb.expandRow(PROMPT);
      const project = wb.treeRow('Game Project');
      const reference =
        /\[Game Project\]\(\.\.\/gendeck-outputs\/\d{4}-\d{2}-\d{2}-a-cozy-cat-farming-game-with-fishing\/project\.zip\)/;
      await wb.contextMenu(
        project,
        'Insert Output Reference at Cursor',
        async () => reference.test(await wb.editorText()),
        {
          what: 'the Markdown link in notes.md',
        },
      );
      console.log(`#   notes.md: ${(await wb.editorText()).replace(/\s+/g, ' ').trim()}`);
      const preview = wb.treeRow('Preview');
      await wb.contextMenu(
        preview,
        'Save Output As…',
        async () => wb.waitForQuickInput({ match: /Save “Preview” as/, timeout: 3_000 }),
        {
          what: 'the save dialog',
        },
      );
      const dest = join(dirs.workspace, 'docs', 'game.html');
      await wb.chooseFile(dest, { match: /Save “Preview” as/ });
      await waitUntil(async () => (await wb.notifications()).some((n) => /^Saved docs\/game\.html/.test(n.message)), {
        timeout: 20_000,
        what: 'the "Saved docs/game.html" notification',
      });
      const jobDir = join(dirs.workspace, 'gendeck-outputs', readdirSync(join(dirs.workspace, 'gendeck-outputs'))[0]);
      if (readFileSync(dest, 'utf8') !== readFileSync(join(jobDir, 'index.html'), 'utf8'))
        throw new Error('the saved copy differs from the download');
      await wb.dismissNotifications();
    },
    {
      timeout: 120_000,
      needs: ['seele: downloaded, the game still plays in the preview; a second download reuses the files'],
    },
  );

  await t(
    'Copy Output Reference puts the reference in the clipboard, in the language of the file at the cursor, and it pastes',
    async () => {
      await wb.runCommand('Go to File...');
      await wb.pick('notes.md', { match: /Search files by name/i });
      const lines = page.locator('.part.editor .editor-instance .view-lines').first();
      await lines.click();
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Enter');
      const reference =
        /\[Preview\]\(\.\.\/gendeck-outputs\/\d{4}-\d{2}-\d{2}-a-cozy-cat-farming-game-with-fishing\/index\.html\)/;
      await wb.contextMenu(
        wb.treeRow('Preview'),
        'Copy Output Reference',
        async () => reference.test(await page.evaluate(() => navigator.clipboard.readText()).catch(() => '')),
        { what: 'the Markdown link in the clipboard' },
      );
      const before = (await wb.editorText()).match(new RegExp(reference.source, 'g'))?.length ?? 0;
      await lines.click();
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Control+V');
      await waitUntil(
        async () => ((await wb.editorText()).match(new RegExp(reference.source, 'g'))?.length ?? 0) > before,
        { timeout: 20_000, what: 'the pasted reference in notes.md' },
      );
      console.log(`#   notes.md: ${(await wb.editorText()).replace(/\s+/g, ' ').trim()}`);
    },
    {
      timeout: 90_000,
      needs: [
        'seele: an output goes into a Markdown file as a reference (Insert at Cursor) and is saved as a copy (Save As)',
      ],
    },
  );

  await t(
    'an output dragged from the Jobs tree into the Markdown editor (Shift held, as VS Code asks) lands as a link',
    async () => {
      const link = /\]\(\.\.\/gendeck-outputs\/\d{4}-\d{2}-\d{2}-a-cozy-cat-farming-game-with-fishing\/project\.zip\)/g;
      // Wrapped lines come back split: the link is looked for in the text without white space.
      const count = async () => (await wb.editorText()).replace(/\s+/g, '').match(link)?.length ?? 0;
      const before = await count();
      const source = wb.treeRow('Game Project');
      // A real drag (Chromium's, through Playwright): Shift held over the editor, as VS Code asks to drop into text.
      const drag = async () => {
        const from = await source.boundingBox();
        // Below the text of notes.md, in the editor part (the one editor open beside the preview tab).
        const box = await page.locator('.part.editor').boundingBox();
        await page.mouse.move(from.x + 30, from.y + from.height / 2);
        await page.mouse.down();
        await page.mouse.move(from.x + 60, from.y + from.height / 2, { steps: 5 });
        await page.mouse.move(box.x + 300, box.y + 220, { steps: 10 });
        await page.keyboard.down('Shift');
        await page.mouse.move(box.x + 310, box.y + 230, { steps: 5 });
        await page.mouse.up();
        await page.keyboard.up('Shift');
      };
      await retryUntil(drag, async () => ((await count()) > before ? true : null), {
        timeout: 45_000,
        what: 'the dropped link in notes.md',
      });
      console.log(`#   notes.md: ${(await wb.editorText()).replace(/\s+/g, ' ').trim()}`);
    },
    {
      timeout: 90_000,
      needs: [
        'seele: Copy Output Reference puts the reference in the clipboard, in the language of the file at the cursor, and it pastes',
      ],
    },
  );

  await t(
    'the project unpacks from the job menu into a new workspace folder; unpacked there again, it asks before merging',
    async () => {
      await wb.dismissNotifications();
      await wb.runCommand('View: Close All Editors').catch(() => {});
      const slug = 'a-cozy-cat-farming-game-with-fishing';
      await wb.contextMenu(wb.treeRow(PROMPT), 'Unpack Project', async () =>
        /Unpack/.test((await wb.quickInputState())?.title ?? '') ? true : null,
      );
      const box = await wb.inputText(slug, { match: /Unpack/ });
      if (box.value !== slug) throw new Error(`the folder offered is ${box.value}, not ${slug}`);
      const done = await waitUntil(
        async () => (await wb.notifications()).find((n) => /^Unpacked \d+ files to /.test(n.message)),
        { timeout: 30_000, what: 'the "Unpacked N files" notification' },
      );
      console.log(`#   ${done.message}`);
      const files = readdirSync(join(dirs.workspace, slug)).sort();
      if (!done.message.includes(slug) || !['README.md', 'game.js', 'index.html'].every((f) => files.includes(f)))
        throw new Error(`unpacked: ${files.join(', ')}`);
      if (!done.buttons.includes('Open Folder') || !done.buttons.includes('Reveal in Explorer'))
        throw new Error(`buttons: ${done.buttons.join(', ')}`);
      await wb.dismissNotifications();
      // From the palette into the same folder: the box warns, a modal asks, merging overwrites nothing.
      await wb.runCommand(UNPACK);
      await wb.pick(PROMPT, { match: /Unpack the project of which/i });
      await wb.inputText(slug, { match: /Unpack/ });
      const d = await wb.waitForDialog({ match: /already exists and is not empty/ });
      if (!d.buttons.some((b) => /Merge/.test(b))) throw new Error(`dialog buttons: ${d.buttons.join(', ')}`);
      await wb.clickDialogButton('Merge');
      const merged = await waitUntil(
        async () => (await wb.notifications()).find((n) => /^Nothing new to unpack/.test(n.message)),
        { timeout: 30_000, what: 'the "Nothing new to unpack" notification' },
      );
      console.log(`#   ${merged.message}`);
      await wb.dismissNotifications();
    },
    {
      timeout: 120_000,
      needs: ['seele: downloaded, the game still plays in the preview; a second download reuses the files'],
    },
  );

  await t(
    'a game from a reference file uploads it (file dialog) and starts',
    async () => {
      await wb.runCommand('View: Close All Editors').catch(() => {});
      await wb.runCommand(NEW_FROM_FILES);
      // No Explorer selection: the (simple) open dialog asks for the file, which the workspace now holds.
      mkdirSync(join(dirs.workspace, 'refs'), { recursive: true });
      copyFileSync(join(REPO, 'media', 'sample.png'), join(dirs.workspace, 'refs', 'concept.png'));
      await wb.chooseFile(`${dirs.workspace}/refs/concept.png`, { okLabel: 'Use as Seele reference' });
      await wb.inputText('A platformer from this concept art', { match: /New Seele game/i });
      await wb.pick('Seele02-flash', { match: /Seele model/i, exact: true });
      await wb.pick('threejs', { match: /Engine/i, exact: true });
      await wb.inputText('', { match: /Generation model/i });
      const d = await confirmSpend(/Start a Seele game/, 'Start Game');
      if (!/1 reference file, uploaded first.*concept\.png/.test(d.detail))
        throw new Error(`the confirmation does not name the upload: ${d.detail}`);
      await wb.waitForTreeRow('A platformer from this concept art', { timeout: 30_000 });
      await sleep(500);
    },
    { timeout: 90_000, needs: ['seele: sandbox on, GenDeck view open'] },
  );
}
