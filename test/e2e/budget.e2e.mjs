/* global console */
// Real mode against a local server: GenDeck is pointed at a stand-alone sandbox (as it would be at the real
// Seedancee2) with a key set through the UI, so the daily budget applies. One video fits the budget; the next one
// would pass it and is refused before anything is sent, with the reason and a button to the setting; the Spend view
// shows what today cost.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { waitUntil } from '../../scripts/e2e/lib/util.mjs';

const SANDBOX_JS = fileURLToPath(new URL('../../dist/sandbox.js', import.meta.url));
const KEY = `sk_test_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
const BUDGET = 30;

// The stand-alone sandbox, started before the session so its URL goes into the settings.
const server = spawn(process.execPath, [SANDBOX_JS, '--port', '0', '--test-keys', '--scale', '0.05'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
process.once('exit', () => server.kill());
let origin = '';
for (let out = ''; !origin;) {
  const [chunk] = await once(server.stdout, 'data');
  out += chunk.toString();
  origin = /GENDECK_SANDBOX_URL=(\S+)/.exec(out)?.[1] ?? '';
}

export function sessionOptions() {
  return {
    settings: {
      'gendeck.seedancee2.baseUrl': `${origin}/seedancee2`,
      'gendeck.seedancee2.dailyBudget': BUDGET,
    },
  };
}

/** The tasks the server holds for this key. */
async function serverTasks() {
  const res = await fetch(`${origin}/seedancee2/v1/videos?limit=100`, { headers: { authorization: `Bearer ${KEY}` } });
  const body = await res.json();
  return body.data ?? body.tasks ?? body.items ?? [];
}

export default async function budgetSuite(ctx) {
  const { runner, wb } = ctx;
  const t = (name, fn, opts) => runner.test(`budget: ${name}`, fn, opts);
  const FIRST = 'A paper lantern drifting over a dark lake';
  const SECOND = 'A second lantern, one too many for today';

  try {
    await t('a Seedancee2 key is set through the UI and checked against the configured server', async () => {
      await wb.openViewContainer('GenDeck');
      await wb.runCommand('GenDeck: Set API Key…');
      await wb.pick('Seedancee2', { exact: true });
      await wb.inputText(KEY, { match: /API key/i, expectPassword: true });
      await waitUntil(async () => (await wb.notifications()).some((n) => /key saved/i.test(n.message)), {
        timeout: 40_000,
        what: 'the "key saved" notification',
      });
      await wb.dismissNotifications();
    });

    const newVideo = async (prompt) => {
      await wb.runCommand('GenDeck: New Video from Prompt (Seedancee2)');
      await wb.inputText(prompt, { match: /New Seedancee2 video|Describe/i });
      await wb.pick('mini', { match: /Model/i, exact: true });
      await wb.pick('4 s', { match: /Duration/i, exact: true });
      await wb.pick('480p', { match: /Resolution/i, exact: true });
      await wb.pick('16:9', { match: /Aspect ratio/i, exact: true });
    };

    await t(
      'a video within the daily budget: the confirmation names the budget; the Spend view shows today',
      async () => {
        await newVideo(FIRST);
        const d = await wb.waitForDialog({ match: /Generate/i });
        console.log(`#   confirmation: ${d.message} — ${d.detail}`);
        if (!new RegExp(`Daily budget: 0 of ${BUDGET} credits spent today`).test(d.detail))
          throw new Error(`the confirmation does not name the daily budget: ${JSON.stringify(d)}`);
        if (/Sandbox/.test(d.detail)) throw new Error(`a real-mode confirmation says sandbox: ${d.detail}`);
        await wb.clickDialogButton('Generate');
        await wb.waitForRowDescription(FIRST, /succeeded/, { pane: 'Jobs', timeout: 60_000 });
        await wb.setPaneOpen('Spend', true);
        const row = await waitUntil(
          async () => {
            const rows = await wb.treeRows('Spend');
            return rows.find(
              (r) => r.label === 'Seedancee2' && new RegExp(`20 of ${BUDGET} credits today`).test(r.description),
            );
          },
          {
            timeout: 30_000,
            what: async () =>
              `the Spend row "20 of ${BUDGET} credits today" (rows: ${JSON.stringify(await wb.treeRows('Spend'))})`,
          },
        );
        console.log(`#   Spend: ${row.label} — ${row.description}`);
      },
      {
        timeout: 150_000,
        needs: ['budget: a Seedancee2 key is set through the UI and checked against the configured server'],
      },
    );

    await t(
      'a video past the daily budget is refused before sending, with the reason and Open Budget Setting',
      async () => {
        const before = (await serverTasks()).length;
        await newVideo(SECOND);
        const refusal = await waitUntil(
          async () => (await wb.notifications()).find((n) => /daily budget/.test(n.message)),
          { timeout: 30_000, what: 'the budget refusal' },
        );
        console.log(`#   refusal: ${refusal.message} [${refusal.buttons.join(', ')}]`);
        if (!/today ~?20 of your 30 credits daily budget; this video costs 20 \(estimate\)/.test(refusal.message))
          throw new Error(`the refusal does not say why: ${refusal.message}`);
        if (!refusal.buttons.includes('Open Budget Setting'))
          throw new Error(`no Open Budget Setting button: ${JSON.stringify(refusal.buttons)}`);
        if ((await wb.dialog()) !== null) throw new Error('a confirmation was shown for a refused video');
        if ((await serverTasks()).length !== before) throw new Error('the refused video reached the server');
        if ((await wb.treeRows('Jobs')).some((r) => r.label === SECOND)) throw new Error('the refused video is listed');
        await wb.clickNotificationButton('daily budget', 'Open Budget Setting');
        await waitUntil(
          async () => {
            const text = await wb.page
              .locator('.settings-editor')
              .innerText()
              .catch(() => '');
            return /Daily Budget/i.test(text) && /Seedancee2/i.test(text);
          },
          { timeout: 30_000, what: 'the Settings editor on the Seedancee2 daily budget' },
        );
      },
      {
        timeout: 120_000,
        needs: [
          'budget: a video within the daily budget: the confirmation names the budget; the Spend view shows today',
        ],
      },
    );
  } finally {
    server.kill();
  }
}
