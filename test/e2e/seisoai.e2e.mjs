/* global document */
// Seisoai through the real VS Code UI (code-server + headless Chromium), against the built-in sandbox. Same calling
// convention as ui.e2e.mjs: `ctx` carries the runner, the workbench and the page of an open session. It checks the
// Tools view (live registry by category, prices, a disabled tool), "Run Tool…" in the generated schema form (price
// before submit, a sync image opening in the preview), a queued 3D job that finishes in the Jobs tree and shows its
// glb in the preview's three.js viewer, x402 in the sandbox (a payment confirmed in the modal with amount, recipient,
// network and resource; a receipt; a price over the cap refused before anything is asked; a declined payment), and
// "Run Agent…" (agent from the list, declared tools only, audit log), and "Run Seisoai Tool on Selection…" (an image
// from the Explorer's context menu: its tools with image → 3D marked, the form with the file filled in; a video from
// the palette's file dialog: only the tools with a video field).
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../../scripts/e2e/lib/paths.mjs';
import { sleep, waitUntil } from '../../scripts/e2e/lib/util.mjs';

const PANE = 'Tools';
const RUN = 'GenDeck: Run Tool…';

export default async function seisoaiSuite(ctx) {
  const { runner, wb, page, dirs } = ctx;
  const t = (name, fn, opts) => runner.test(`seisoai: ${name}`, fn, opts);
  const text = async (f, sel) =>
    (
      (await f
        .locator(sel)
        .first()
        .textContent()
        .catch(() => '')) ?? ''
    ).trim();
  const until = (f, sel, re, timeout = 20_000) =>
    waitUntil(async () => re.test(await text(f, sel)), {
      timeout,
      what: async () => `${sel} to match ${re} (is "${await text(f, sel)}")`,
    });
  /** "Choose Seisoai Payment…" from the palette; the choice is saved in the user settings. */
  const choosePayment = async (label) => {
    await wb.runCommand('GenDeck: Choose Seisoai Payment (API Key or x402)…');
    await wb.pick(label, { match: /How should Seisoai calls be paid/i });
    await waitUntil(
      async () => (await wb.notifications()).some((n) => /Seisoai calls are now paid with/.test(n.message)),
      { timeout: 10_000, what: 'the payment choice notification' },
    );
    await wb.dismissNotifications();
    if (!readFileSync(join(dirs.userData, 'User', 'settings.json'), 'utf8').includes('"gendeck.seisoai.payWith"'))
      throw new Error('the choice is not in the user settings');
  };

  await t(
    'sandbox on, the Tools view lists live tools by category with prices',
    async () => {
      await wb.openViewContainer('GenDeck');
      await wb.startSandbox();
      await page.setViewportSize({ width: 1440, height: 1600 });
      await wb.pane(PANE).locator('.pane-header').first().waitFor({ state: 'visible', timeout: 20_000 });
      for (const other of ['Search', 'Seek API', 'Spend']) await wb.setPaneOpen(other, false);
      await wb.setPaneOpen(PANE, true);
      await wb.waitForRowDescription('Images', /^3$/, { pane: PANE });
      await wb.waitForRowDescription('3D', /^2$/, { pane: PANE });
      await wb.waitForRowDescription('Training', /^1$/, { pane: PANE });
      await wb.waitForRowDescription('FLUX.2 text to image', /^\$0\.03$/, { pane: PANE });
      await wb.waitForRowDescription('Kling Image v3', /^disabled$/, { pane: PANE });
      await wb.waitForRowDescription('Veo 3 text to video', /^\$0\.60 · queued$/, { pane: PANE });
      console.log(`#   tools: ${JSON.stringify((await wb.rowSummaries(PANE)).slice(0, 8))}`);
    },
    { timeout: 90_000 },
  );

  await t(
    '"Run Tool…" shows the price for the input and a sync image opens in the preview',
    async () => {
      await wb.runCommand(RUN);
      await wb.pick('FLUX.2 text to image', { match: /Run a Seisoai tool/i });
      const f = await wb.schemaForm('FLUX.2 text to image');
      await until(f, '.price', /^Price: \$0\.03 · 3 credits$/);
      // Sent empty, the prompt is marked; typing clears the mark. 9 images (at most 4) is marked and not priced.
      await f.locator('button[type=submit]').click();
      await until(f, '#f-prompt-error', /is required/);
      await f.locator('#f-prompt').fill('a lighthouse at dusk');
      await until(f, '#f-prompt-error', /^$/);
      await f.locator('#f-num_images').fill('9');
      await until(f, '#f-num_images-error', /must be from 1 to 4/);
      await until(f, '.price', /once the marked fields are fixed/);
      await f.locator('#f-num_images').fill('2');
      await until(f, '.price', /^Price: \$0\.06 · 6 credits$/);
      await f.locator('button[type=submit]').click();
      await until(f, '.status', /^Done: 2 image; opened in a preview\.$/);
      const preview = await wb.findFrame(
        async (fr) =>
          (await fr.locator('img.media').count()) === 2 &&
          (await fr.locator('h1').first().textContent()) === 'FLUX.2 text to image: a lighthouse at dusk',
        { what: 'the preview with two images' },
      );
      await waitUntil(
        () =>
          preview.evaluate(() =>
            [...document.querySelectorAll('img.media')].every((i) => i.complete && i.naturalWidth > 0),
          ),
        { timeout: 20_000, what: 'the images to load' },
      );
      await wb.waitForRowDescription('FLUX.2 text to image: a lighthouse at dusk', /succeeded · 0\.06 USD/, {
        pane: 'Jobs',
      });
      await ctx.saveScreenshot?.('seisoai-form.png', () => wb.screenshot(join(ctx.SHOTS, 'seisoai-form.png')));
    },
    { timeout: 90_000, needs: ['seisoai: sandbox on, the Tools view lists live tools by category with prices'] },
  );

  await t(
    'a queued 3D job finishes in the Jobs tree and its glb shows in the 3D viewer',
    async () => {
      await wb.treeRow('Image to 3D', PANE).click();
      const f = await wb.schemaForm('Image to 3D');
      await until(f, '.price', /^Price: \$0\.20/);
      await f.locator('.media-slot input').fill('https://example.com/chair.png');
      await f.locator('button[type=submit]').click();
      await until(f, '.status', /^Started job job_\w+; follow it in the Jobs view\.$/);
      await wb.waitForRowDescription('Image to 3D', /succeeded · 0\.20 USD|succeeded · 0\.2 USD/, {
        pane: 'Jobs',
        timeout: 60_000,
      });
      await wb.runCommand('GenDeck: Open Preview');
      await wb.pick('Image to 3D', { match: /job/i });
      const preview = await wb.findFrame(
        async (fr) =>
          (await fr.locator('.model-status').count()) > 0 &&
          /Drag to orbit|not available/.test((await fr.locator('.model-status').first().textContent()) ?? ''),
        { timeout: 40_000, what: 'the 3D viewer status' },
      );
      const status = await text(preview, '.model-status');
      console.log(`#   3D viewer: ${status}`);
      if (!/Drag to orbit/.test(status)) throw new Error(`3D viewer: ${status}`);
      if ((await preview.locator('canvas.model-canvas').count()) !== 1) throw new Error('no canvas');
      await ctx.saveScreenshot?.('seisoai-3d.png', () => wb.screenshot(join(ctx.SHOTS, 'seisoai-3d.png')));
    },
    { timeout: 120_000, needs: ['seisoai: sandbox on, the Tools view lists live tools by category with prices'] },
  );

  await t(
    'x402: the payment is confirmed in a modal (amount, recipient, network, resource) and a receipt is kept',
    async () => {
      await wb.runCommand('View: Close All Editors');
      await choosePayment('x402 pay per request');
      await wb.runCommand(RUN);
      await wb.pick('FLUX.2 text to image', { match: /Run a Seisoai tool/i });
      const f = await wb.schemaForm('FLUX.2 text to image');
      await until(f, '.badge', /\S/);
      const badges = await f.locator('.badge').allTextContents();
      if (!badges.includes('x402 (USDC)')) throw new Error(`badges: ${badges}`);
      await until(f, '.price', /paid in USDC with x402 after you confirm/);
      await f.locator('#f-prompt').fill('a paid lighthouse');
      await f.locator('button[type=submit]').click();
      const d = await wb.waitForDialog({ match: /Pay 0\.03 USDC to Seisoai for image\.generate\.flux-2\?/ });
      for (const re of [
        /Recipient: 0x5e15a0a1/,
        /Network: Base Sepolia \(testnet\) \(eip155:84532\)/,
        /Resource: .*\/api\/gateway\/invoke\/image\.generate\.flux-2/,
        /throwaway wallet/,
      ])
        if (!re.test(d.detail)) throw new Error(`dialog detail lacks ${re}: ${d.detail}`);
      await wb.clickDialogButton('Pay 0.03 USDC');
      await until(
        f,
        '.status',
        /^Done: 1 image; opened in a preview\. Paid 0\.03 USDC on Base Sepolia \(testnet\) \(transaction 0x/,
      );
      await wb.waitForRowDescription('FLUX.2 text to image: a paid lighthouse', /succeeded · 0\.0300 USDC/, {
        pane: 'Jobs',
      });
      await wb.runCommand('GenDeck: Show x402 Receipts');
      await waitUntil(async () => /x402 receipts \(sandbox\)[\s\S]*0\.03[\s\S]*settled/.test(await wb.editorText()), {
        timeout: 15_000,
        what: async () => `the receipts document (is: ${(await wb.editorText()).slice(0, 300)})`,
      });
    },
    { timeout: 90_000, needs: ['seisoai: sandbox on, the Tools view lists live tools by category with prices'] },
  );

  await t(
    'x402: a price over the per-payment cap is refused before anything is asked; a declined payment sends nothing',
    async () => {
      await wb.runCommand(RUN);
      await wb.pick('Veo 3 text to video', { match: /Run a Seisoai tool/i });
      const f = await wb.schemaForm('Veo 3 text to video');
      await f.locator('#f-prompt').fill('an expensive clip');
      await f.locator('#f-duration').selectOption({ label: '8s' });
      await until(f, '.price', /^Price: \$0\.80/);
      await f.locator('button[type=submit]').click();
      await until(f, '[role=alert]', /costs 0\.80 USDC, above your limit of 0\.50 USDC per payment.*Nothing was paid/);
      if (await wb.dialog()) throw new Error('a payment dialog was shown for a price over the cap');
      // Declined: the form says so and no job is added.
      await f.locator('#f-duration').selectOption({ label: '4s' });
      await until(f, '.price', /^Price: \$0\.40/);
      await f.locator('button[type=submit]').click();
      await wb.waitForDialog({ match: /Pay 0\.40 USDC to Seisoai/ });
      await wb.clickDialogButton('Cancel');
      await until(f, '[role=alert]', /Payment declined; nothing was sent/);
      if ((await wb.rowSummaries('Jobs')).some((r) => r.label.includes('an expensive clip')))
        throw new Error('a job was added');
      await choosePayment('Automatic');
    },
    {
      timeout: 90_000,
      needs: [
        'seisoai: x402: the payment is confirmed in a modal (amount, recipient, network, resource) and a receipt is kept',
      ],
    },
  );

  await t(
    '"Run Agent…": an agent from the list, only its declared tools, every call audited',
    async () => {
      await wb.runCommand('View: Close All Editors');
      await wb.runCommand('GenDeck: Run Agent…');
      await wb.pick('Choose from my agents', { match: /Run a Seisoai agent/i });
      await wb.waitForQuickInput({ match: /Choose the agent/i });
      await sleep(600); // the first pick's widget is still closing
      await wb.pick('Studio Bot', { match: /Choose the agent/i });
      await wb.inputText('e2e: upscale a still with Studio Bot', { match: /Why run this agent/i });
      const s = await wb.waitForQuickInput({ match: /Studio Bot \(agent_studio_bot\) declares 3 tools/ });
      if (s.rows.some((r) => /video\.generate/.test(r))) throw new Error(`undeclared tools offered: ${s.rows}`);
      await wb.pick('image.upscale', { match: /declares 3 tools/ });
      const f = await wb.schemaForm('Upscale');
      const badges = await f.locator('.badge').allTextContents();
      if (!badges.includes('agent: Studio Bot')) throw new Error(`badges: ${badges}`);
      await f.locator('.media-slot input').fill('https://example.com/still.png');
      await f.locator('button[type=submit]').click();
      await until(f, '.status', /^Done: 1 image; opened in a preview\.$/);
      await wb.waitForRowDescription('Studio Bot → Upscale', /succeeded/, { pane: 'Jobs' });
      await wb.runCommand('GenDeck: Show Agent Audit Log');
      await waitUntil(
        async () =>
          /"route":"POST \/api\/gateway\/agent\/agent_studio_bot\/invoke\/image\.upscale","toolId":"image\.upscale","reason":"e2e: upscale a still with Studio Bot","outcome":"ok"/.test(
            await wb.editorText(),
          ),
        { timeout: 15_000, what: async () => `the audit log (is: ${(await wb.editorText()).slice(0, 300)})` },
      );
    },
    { timeout: 90_000, needs: ['seisoai: sandbox on, the Tools view lists live tools by category with prices'] },
  );

  await t(
    'Explorer: "Run Seisoai Tool on Selection…" on an image lists its tools (image → 3D marked), the form has the file',
    async () => {
      copyFileSync(join(REPO, 'media', 'sample.png'), join(dirs.workspace, 'chair.png'));
      await wb.runCommand('View: Close All Editors');
      await wb.runCommand('View: Show Explorer');
      const row = await wb.waitForTreeRow('chair.png', { timeout: 30_000 });
      const title = /Run a Seisoai tool on chair\.png/;
      await wb.contextMenu(row, 'Run Seisoai Tool on Selection…', () =>
        wb.waitForQuickInput({ match: title, timeout: 3_000 }),
      );
      const s = await wb.quickInputState();
      console.log(`#   tools for an image: ${JSON.stringify(s.rows)}`);
      if (!s.rows.some((r) => /Image to 3D/.test(r) && /image → 3D/.test(r))) throw new Error('no image → 3D tool');
      if (!s.rows.some((r) => /^Upscale/.test(r))) throw new Error('no Upscale');
      if (s.rows.some((r) => /FLUX\.2 text to image|Text to speech|Transcribe/i.test(r)))
        throw new Error('a tool that takes no image is offered');
      await wb.pick('Image to 3D', { match: title });
      const f = await wb.schemaForm('Image to 3D');
      await until(f, '.file-chip', /chair\.png \(image, \d+ KB, sent inline\)/);
      await until(f, '.notes', /From your selection: Image url ← chair\.png\./);
      await until(f, '.price', /^Price: \$0\.20/);
      await f.locator('button[type=submit]').click();
      await until(f, '.status', /^Started job job_\w+; follow it in the Jobs view\.$/);
      await ctx.saveScreenshot?.('seisoai-selection.png', () =>
        wb.screenshot(join(ctx.SHOTS, 'seisoai-selection.png')),
      );
    },
    { timeout: 90_000, needs: ['seisoai: sandbox on, the Tools view lists live tools by category with prices'] },
  );

  await t(
    'from the palette "Run Seisoai Tool on Selection…" asks for files; a video lists only the tools with a video field',
    async () => {
      copyFileSync(join(REPO, 'media', 'sample.mp4'), join(dirs.workspace, 'dance.mp4'));
      await wb.runCommand('View: Close All Editors');
      await wb.runCommand('GenDeck: Run Seisoai Tool on Selection…');
      await wb.chooseFile(`${dirs.workspace}/dance.mp4`, { okLabel: 'Use These Files' });
      const s = await wb.waitForQuickInput({ match: /Run a Seisoai tool on dance\.mp4/ });
      console.log(`#   tools for a video: ${JSON.stringify(s.rows)}`);
      if (s.rows.length !== 1 || !/DreamActor v2 motion transfer.*video → video/.test(s.rows[0]))
        throw new Error(`rows: ${JSON.stringify(s.rows)}`);
      await wb.closeQuickInput();
    },
    { timeout: 60_000, needs: ['seisoai: sandbox on, the Tools view lists live tools by category with prices'] },
  );
}
