// UI phase: GenDeck alone in a fresh code-server, driven through the real workbench by headless Chromium.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openSession } from '../lib/session.mjs';

export async function runUi(ctx) {
  const { runner } = ctx;
  let s;
  runner.onFailure = async (name) => {
    if (!s?.page) return;
    const file = join(ctx.LOGS, 'ui', `FAILED-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80)}.png`);
    await s.wb.screenshot(file).catch(() => {});
    console.log(`#   screenshot: ${file}`);
  };
  if (!ctx.vsix) return;
  const ok = await runner.test('ui: code-server starts with GenDeck installed from the VSIX', async () => {
    s = await openSession(ctx, {
      name: 'ui',
      vsix: [ctx.vsix],
      settings: { 'gendeck.requestTimeoutSeconds': 5 },
      files: { 'README.md': '# e2e workspace\n' },
    });
    const out = s.installs.map((i) => i.output).join('\n');
    if (!/successfully installed/i.test(out)) throw new Error(`unexpected install output: ${out}`);
  }, { timeout: 180_000, });
  if (!ok) return;
  await runner.test('ui: workbench opens in headless Chromium', async () => {
    await s.wb.open();
    await s.wb.screenshot(join(ctx.LOGS, 'ui', 'workbench.png'));
  }, { timeout: 120_000 });
  if (runner.status('ui: workbench opens in headless Chromium') !== 'passed') return;

  const spec = await import(pathToFileURL(join(ctx.REPO, 'test', 'e2e', 'ui.e2e.mjs')).href);
  await spec.default({ ...ctx, session: s, wb: s.wb, page: s.page, dirs: s.dirs });
}
