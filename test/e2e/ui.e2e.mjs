/* global console, document, window, HTMLVideoElement */
// GenDeck through the real VS Code UI (code-server + headless Chromium). Called by scripts/e2e/phases/ui.mjs with a
// workbench that is already open. Every check goes through what a user sees and does: the activity bar, the command
// palette, quick picks, input boxes, dialogs, the Jobs tree, the preview webview, the Output view.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sleep, waitUntil } from '../../scripts/e2e/lib/util.mjs';

const SANDBOX = 'GenDeck: Try the Sandbox';
const SET_KEY = 'GenDeck: Set API Key…';
const NEW_VIDEO = 'GenDeck: New Video from Prompt (Seedancee2)';
const HOSTILE = '<img src=x onerror="window.__pwned=1">';

/** Every file under `dir` (recursively) whose bytes contain `needle` (utf8 or utf16le). */
export function filesContaining(dir, needle) {
  const hits = [];
  const pats = [Buffer.from(needle, 'utf8'), Buffer.from(needle, 'utf16le')];
  const walk = (d) => {
    let names = [];
    try { names = readdirSync(d); } catch { return; }
    for (const n of names) {
      const p = join(d, n);
      let st;
      try { st = statSync(p); } catch { continue; }
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
  const shots = join(ctx.REPO, 'docs', 'screenshots');
  const KEY = `sk-e2e-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const t = (name, fn, opts) => runner.test(`ui: ${name}`, fn, opts);

  await t('GenDeck view container appears in the activity bar', async () => {
    await wb.openViewContainer('GenDeck');
    await wb.pane('Jobs').waitFor({ state: 'visible', timeout: 20_000 });
    await wb.screenshot(join(ctx.LOGS, 'ui', 'gendeck-view.png'));
  });

  await t('sandbox starts from the command palette', async () => {
    await wb.runCommand(SANDBOX);
    await waitUntil(async () => (await wb.notifications()).some((n) => /sandbox is on/i.test(n.message)), {
      timeout: 30_000, what: 'the "sandbox is on" notification',
    });
    await wb.dismissNotifications();
  }, { needs: ['ui: GenDeck view container appears in the activity bar'] });

  void KEY; void NEW_VIDEO; void SET_KEY; void HOSTILE; void shots; void page; void dirs; void sleep;
}
