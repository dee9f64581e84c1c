// Seek API through the real VS Code UI (code-server + headless Chromium), against the built-in sandbox. Same calling
// convention as ui.e2e.mjs / seele.e2e.mjs: `ctx` carries the runner, the workbench and the page of an open session.
// It checks the "Seek API" view (Account: plan, balance, usage, deployments; Workers: pages, "Load more…", filter,
// details), "Run Worker…" in the shared schema form (estimate, a 422 shown next to its field, a job submitted into
// the Jobs tree that completes with cost and duration), Cancel on a queued job, Publish… with confirmation, and "Run
// Seek API Worker on Selection…" (a video no worker takes is said so; an image fills Image to 3D's image_link).
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../../scripts/e2e/lib/paths.mjs';
import { sleep, waitUntil } from '../../scripts/e2e/lib/util.mjs';

const PANE = 'Seek API';
const RUN = 'GenDeck: Run Seek API Worker…';
const FILTER = 'GenDeck: Filter Seek API Workers…';

export default async function seekApiSuite(ctx) {
  const { runner, wb, page } = ctx;
  const t = (name, fn, opts) => runner.test(`seekapi: ${name}`, fn, opts);

  await t(
    'sandbox on, the Seek API view shows the account and the first page of workers',
    async () => {
      await wb.openViewContainer('GenDeck');
      await wb.startSandbox();
      await page.setViewportSize({ width: 1440, height: 1600 });
      await wb.pane(PANE).locator('.pane-header').first().waitFor({ state: 'visible', timeout: 20_000 });
      // Room for the Seek API view beside Jobs: the other GenDeck views are folded.
      for (const other of ['Search', 'Tools', 'Spend']) await wb.setPaneOpen(other, false);
      await wb.setPaneOpen(PANE, true);
      await wb.waitForRowDescription('Plan: Free', /10 req\/s · burst 20/, { pane: PANE });
      await wb.waitForRowDescription('Balance: 100 credits', /100 \/ month/, { pane: PANE });
      await wb.waitForRowDescription('Acme Price Tracker', /draft · v0\.3\.0/, { pane: PANE });
      await wb.waitForRowDescription('LinkedIn Profile', /5 credits per job/, { pane: PANE });
      await wb.waitForRowDescription('Workers', /^5 of 13$/, { pane: PANE });
      console.log(`#   view: ${JSON.stringify(await wb.rowSummaries(PANE))}`);
    },
    { timeout: 90_000 },
  );

  await t(
    '"Load more…" reads the next page; the filter finds a worker by name across pages',
    async () => {
      await wb.treeRow('Load more…', PANE).click();
      await wb.waitForRowDescription('Workers', /^10 of 13$/, { pane: PANE });
      await wb.runCommand(FILTER);
      await wb.inputText('sentiment', { match: /Filter Seek API workers/i });
      await wb.waitForRowDescription('Filter: “sentiment”', /^1 of 13 loaded \(all\)$/, {
        pane: PANE,
        timeout: 20_000,
      });
      const names = (await wb.rowSummaries(PANE)).map((r) => r.label);
      if (!names.includes('Sentiment Analysis') || names.includes('LinkedIn Profile'))
        throw new Error(`filter shows ${JSON.stringify(names)}`);
      await wb.treeRow('Filter: “sentiment”', PANE).click(); // clears it
      await wb.waitForRowDescription('LinkedIn Profile', /credits per job/, { pane: PANE });
    },
    {
      timeout: 60_000,
      needs: ['seekapi: sandbox on, the Seek API view shows the account and the first page of workers'],
    },
  );

  await t(
    'a worker shows its details: description, pricing, max duration and input fields',
    async () => {
      await wb.expandRow('Google Maps Search', PANE);
      await wb.waitForRowDescription('Pricing: 1 credit per result (max_results) + minimum 1 credit', /^$/, {
        pane: PANE,
      });
      await wb.waitForRowDescription('Max duration: 30 s', /0 credits/, { pane: PANE });
      await wb.waitForRowDescription('query', /string · required/, { pane: PANE });
      await wb.waitForRowDescription('max_results', /integer · optional · default 10/, { pane: PANE });
      await ctx.saveScreenshot?.('seekapi-view.png', () => wb.screenshot(join(ctx.SHOTS, 'seekapi-view.png')));
    },
    {
      timeout: 40_000,
      needs: ['seekapi: sandbox on, the Seek API view shows the account and the first page of workers'],
    },
  );

  await t(
    '"Run Worker…" opens the shared form with priority/webhook and the estimate; a 422 lands on its field',
    async () => {
      await wb.runCommand(RUN);
      await wb.pick('Website Screenshot', { match: /Run which Seek API worker/i });
      const f = await wb.schemaForm('Website Screenshot');
      for (const id of ['f-page', 'f-priority', 'f-webhook', 'f-width'])
        await f.locator(`#${id}`).waitFor({ state: 'visible', timeout: 10_000 });
      await waitUntil(
        async () =>
          /Estimate: 2 credits \(2 credits per job\) · balance \d+ credits/.test(
            (await f.locator('.price').textContent()) ?? '',
          ),
        { timeout: 15_000, what: 'the estimate line' },
      );
      // A data: URI passes the form's URL check; the worker's schema on the server wants http(s): 422 on `page`.
      await f.locator('#f-page').fill('data:text/html,hello');
      await f.locator('button[type=submit]').click();
      await waitUntil(async () => /valid URL/.test((await f.locator('#f-page-error').textContent()) ?? ''), {
        timeout: 15_000,
        what: 'the 422 error beside the page field',
      });
      const banner = await f.locator('.error[role=alert]').textContent();
      if (!/rejected the input/.test(banner ?? '')) throw new Error(`banner: ${banner}`);
      await ctx.saveScreenshot?.('seekapi-form-422.png', () => wb.screenshot(join(ctx.SHOTS, 'seekapi-form-422.png')));
    },
    {
      timeout: 60_000,
      needs: ['seekapi: sandbox on, the Seek API view shows the account and the first page of workers'],
    },
  );

  await t(
    'a submitted job lands in the Jobs tree and completes with its cost and duration',
    async () => {
      const f = await wb.schemaForm('Website Screenshot');
      await f.locator('#f-page').fill('https://example.com');
      await f.locator('#f-priority').selectOption({ label: 'high' });
      await f.locator('button[type=submit]').click();
      await waitUntil(
        async () => /Queued job_\w+ · estimate 2 credits/.test((await f.locator('.status').textContent()) ?? ''),
        { timeout: 20_000, what: 'the "Queued" line in the form' },
      );
      const title = 'Website Screenshot: https://example.com';
      await wb.waitForTreeRow(title, { pane: 'Jobs', timeout: 20_000 });
      const done = await wb.waitForRowDescription(title, /^succeeded · 2 credits · took \d/, {
        pane: 'Jobs',
        timeout: 60_000,
      });
      console.log(`#   finished: ${done.description}`);
    },
    {
      timeout: 100_000,
      needs: [
        'seekapi: "Run Worker…" opens the shared form with priority/webhook and the estimate; a 422 lands on its field',
      ],
    },
  );

  await t(
    'Cancel is offered on a queued job and cancels it; the balance gets the held credits back, the toast says it once',
    async () => {
      const balance = async () =>
        (await wb.rowSummaries(PANE)).map((r) => /^Balance: (\d+) credits$/.exec(r.label)?.[1]).find(Boolean);
      const before = await waitUntil(balance, { timeout: 20_000, what: 'the balance row' });
      await wb.runCommand(RUN);
      await wb.pick('Email Finder', { match: /Run which Seek API worker/i });
      const f = await wb.schemaForm('Email Finder');
      await f.locator('#f-domain').fill('example.com');
      await f.locator('#f-first_name').fill('[hold] Ada');
      await f.locator('#f-last_name').fill('Lovelace');
      await f.locator('button[type=submit]').click();
      await waitUntil(async () => /Queued job_/.test((await f.locator('.status').textContent()) ?? ''), {
        timeout: 20_000,
        what: 'the "Queued" line',
      });
      const title = 'Email Finder: example.com';
      await wb.waitForRowDescription(title, /Queued/, { pane: 'Jobs', timeout: 20_000 });
      await waitUntil(async () => (await balance()) !== before || undefined, {
        timeout: 20_000,
        what: 'the credits held for the queued job',
      });
      await wb.dismissNotifications();
      await wb.runCommand('GenDeck: Cancel Job');
      await wb.pick(title, { match: /Cancel which job/i });
      await wb.waitForRowDescription(title, /^canceled/, { pane: 'Jobs', timeout: 20_000 });
      // No manual refresh: the view was told its balance went stale.
      await waitUntil(async () => (await balance()) === before || undefined, {
        timeout: 20_000,
        what: `the balance back at ${before} credits`,
      });
      const toast = await waitUntil(async () => (await wb.notifications()).find((n) => n.message.includes(title)), {
        timeout: 20_000,
        what: 'the cancel notification',
      });
      if (!/was canceled\.$/.test(toast.message) || /canceled: canceled/.test(toast.message))
        throw new Error(`the cancel notification reads: ${toast.message}`);
    },
    {
      timeout: 90_000,
      needs: ['seekapi: a submitted job lands in the Jobs tree and completes with its cost and duration'],
    },
  );

  await t(
    '"Publish…" on a draft deployment asks first, then publishes it',
    async () => {
      await page.keyboard.press('Escape');
      const row = wb.treeRow('Acme Price Tracker', PANE);
      const asked = /Publish “Acme Price Tracker” \(acme-price-tracker, v0\.3\.0\) to the Seek API marketplace\?/;
      // The menu click is repeated until the confirmation shows (a busy workbench may drop it).
      const d = await wb.contextMenu(
        row,
        'Publish Seek API Worker…',
        async () => {
          const shown = await wb.dialog();
          return shown && asked.test(`${shown.message}\n${shown.detail}`) ? shown : null;
        },
        { what: 'the publish confirmation' },
      );
      if (!/Anyone on Seek API/.test(d.detail)) throw new Error(`dialog: ${JSON.stringify(d)}`);
      await wb.clickDialogButton('Publish');
      await waitUntil(
        async () => (await wb.notifications()).some((n) => /“Acme Price Tracker” is published/.test(n.message)),
        { timeout: 20_000, what: 'the "published" notification' },
      );
      await wb.waitForRowDescription('Acme Price Tracker', /^published · v0\.3\.0$/, { pane: PANE, timeout: 20_000 });
      await sleep(300);
    },
    {
      timeout: 60_000,
      needs: ['seekapi: sandbox on, the Seek API view shows the account and the first page of workers'],
    },
  );

  await t(
    '"Run Seek API Worker on Selection…": no worker takes a video (said so, with Refresh Workers); an image fills Image to 3D',
    async () => {
      copyFileSync(join(REPO, 'media', 'sample.mp4'), join(ctx.dirs.workspace, 'dance.mp4'));
      copyFileSync(join(REPO, 'media', 'sample.jpg'), join(ctx.dirs.workspace, 'chair.jpg'));
      await wb.runCommand('View: Close All Editors');
      await wb.dismissNotifications();
      await wb.runCommand('GenDeck: Run Seek API Worker on Selection…');
      await wb.chooseFile(`${ctx.dirs.workspace}/dance.mp4`, { okLabel: 'Use These Files' });
      const none = await waitUntil(
        async () => (await wb.notifications()).find((n) => /No Seek API worker takes video files\./.test(n.message)),
        { timeout: 30_000, what: 'the "No Seek API worker takes video files." notification' },
      );
      if (!none.buttons.includes('Refresh Workers')) throw new Error(`buttons: ${none.buttons.join(', ')}`);
      await wb.dismissNotifications();
      await wb.runCommand('GenDeck: Run Seek API Worker on Selection…');
      await wb.chooseFile(`${ctx.dirs.workspace}/chair.jpg`, { okLabel: 'Use These Files' });
      const s = await wb.waitForQuickInput({ match: /Run a Seek API worker on chair\.jpg/ });
      if (s.rows.length !== 1 || !/Image to 3D/.test(s.rows[0])) throw new Error(`rows: ${JSON.stringify(s.rows)}`);
      await wb.pick('Image to 3D', { match: /Run a Seek API worker on chair\.jpg/ });
      const f = await wb.schemaForm('Image to 3D');
      const text = async (sel) => ((await f.locator(sel).first().textContent()) ?? '').trim();
      await waitUntil(async () => /chair\.jpg \(image, \d+ KB, sent inline\)/.test(await text('.file-chip')), {
        timeout: 20_000,
        what: 'the file chip',
      });
      await waitUntil(async () => /Image link ← chair\.jpg/.test(await text('.notes')), {
        timeout: 20_000,
        what: 'the note naming the file',
      });
      await f.locator('button[type=submit]').click();
      await waitUntil(async () => /^Queued job_\w+ · estimate 10 credits\./.test(await text('.status')), {
        timeout: 30_000,
        what: async () => `the queued status (is "${await text('.status')}"; alert "${await text('[role=alert]')}")`,
      });
    },
    {
      timeout: 120_000,
      needs: ['seekapi: sandbox on, the Seek API view shows the account and the first page of workers'],
    },
  );
}
