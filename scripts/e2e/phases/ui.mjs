// UI phase: every spec test/e2e/<name>.e2e.mjs (ui.e2e.mjs first, then the rest by name) runs against its own fresh
// code-server with GenDeck installed from the VSIX, driven through the real workbench by headless Chromium.
// A spec exports `default async function (ctx)`; ctx = run context + {session, wb, page, dirs, specName}. It may also
// export `sessionOptions(ctx)` → {settings, machineSettings, files, vsix, env} merged into its session (e.g. Machine
// settings; `vsix`: more extensions beside GenDeck, such as ctx.harnessVsix; `env`: for code-server's processes).
// GENDECK_E2E_SPECS=ui,seekapi runs only those specs.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openSession } from '../lib/session.mjs';

export function specFiles(repo) {
  const dir = join(repo, 'test', 'e2e');
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.e2e.mjs'))
    .map((f) => f.slice(0, -'.e2e.mjs'.length));
  names.sort((a, b) => (a === 'ui' ? -1 : b === 'ui' ? 1 : a.localeCompare(b)));
  const only = (process.env.GENDECK_E2E_SPECS || '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return names
    .filter((n) => !only.length || only.includes(n))
    .map((n) => ({ name: n, file: join(dir, `${n}.e2e.mjs`) }));
}

async function runSpec(ctx, spec) {
  const { runner } = ctx;
  const prefix = spec.name;
  let s;
  const prevHook = runner.onFailure;
  runner.onFailure = async (name) => {
    if (!s?.page) return;
    const file = join(ctx.LOGS, prefix, `FAILED-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80)}.png`);
    await s.wb.screenshot(file).catch(() => {});
    console.log(`#   screenshot: ${file}`);
  };
  try {
    const mod = await import(pathToFileURL(spec.file).href);
    const own = mod.sessionOptions?.(ctx) ?? {};
    const ok = await runner.test(
      `${prefix}: code-server starts with GenDeck installed from the VSIX; workbench opens`,
      async () => {
        s = await openSession(ctx, {
          name: prefix,
          vsix: [ctx.vsix, ...(own.vsix ?? [])],
          settings: { 'gendeck.requestTimeoutSeconds': 5, ...own.settings },
          machineSettings: own.machineSettings,
          env: own.env,
          files: { 'README.md': '# e2e workspace\n', ...own.files },
        });
        const out = s.installs.map((i) => i.output).join('\n');
        if (!/successfully installed/i.test(out)) throw new Error(`unexpected install output: ${out}`);
        await s.wb.open();
        await s.wb.screenshot(join(ctx.LOGS, prefix, 'workbench.png'));
      },
      { timeout: 180_000 },
    );
    if (!ok) return;
    await mod.default({ ...ctx, session: s, wb: s.wb, page: s.page, dirs: s.dirs, specName: prefix });
  } catch (e) {
    runner.record({ name: `${prefix}: spec crashed`, status: 'failed', ms: 0, error: e });
  } finally {
    if (s) {
      await s.server.stop();
      await s.browser.close();
    }
    runner.onFailure = prevHook;
  }
}

export async function runUi(ctx) {
  if (!ctx.vsix) return;
  for (const spec of specFiles(ctx.REPO)) await runSpec(ctx, spec);
}
