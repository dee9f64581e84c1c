// `npm run test:e2e`: GenDeck packaged as a VSIX, installed into a fresh code-server (real VS Code workbench and
// extension host) and driven through the real UI by headless Chromium; plus the in-host suite of the harness extension.
//
// Environment:
//   GENDECK_E2E_CACHE     toolchain cache (default ${XDG_CACHE_HOME:-~/.cache}/gendeck-e2e)
//   GENDECK_E2E_VSIX      use this VSIX instead of running `npm run package`
//   GENDECK_E2E_ONLY      "ui" or "inhost" to run one phase
//   GENDECK_E2E_SPECS     comma-separated UI spec names (test/e2e/<name>.e2e.mjs) to run; default all
//   GENDECK_E2E_KEEP=1    keep the temp folders and logs even when everything passed
//   GENDECK_E2E_TIMEOUT   hard limit in seconds for everything after the toolchain install (default 1800;
//                         every test has its own, much shorter timeout)
// Flags: --update-screenshots  also write the README screenshots to docs/screenshots/*.png
// Screenshots for the README always go to test-results/e2e/screenshots/; logs of a failed run to test-results/e2e/<time>/.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './lib/paths.mjs';
import { ensureInstalled } from './install.mjs';
import { Runner } from './lib/runner.mjs';
import { secs } from './lib/util.mjs';

const T0 = Date.now();
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const LOGS = join(REPO, 'test-results', 'e2e', stamp);
const TMP = mkdtempSync(join(tmpdir(), 'gendeck-e2e-'));
mkdirSync(LOGS, { recursive: true });

const cleanups = []; // LIFO async functions: stop code-server, close browsers
export function onCleanup(fn) {
  cleanups.push(fn);
}
async function cleanup() {
  while (cleanups.length) {
    const fn = cleanups.pop();
    try {
      await fn();
    } catch (e) {
      console.log(`# cleanup: ${e.message}`);
    }
  }
}

let finishing = false;
async function finish(runner, code) {
  if (finishing) return;
  finishing = true;
  await cleanup();
  const s = runner.summary();
  const failed = s.failed > 0 || code !== 0;
  const keep = failed || process.env.GENDECK_E2E_KEEP === '1';
  if (keep) {
    // Copy the interesting parts of the temp folders (code-server logs, settings) beside our own logs.
    const instances = existsSync(TMP) ? readdirSync(TMP).filter((d) => existsSync(join(TMP, d, 'user-data'))) : [];
    for (const inst of instances) {
      const ud = join(TMP, inst, 'user-data');
      if (existsSync(join(ud, 'logs')))
        cpSync(join(ud, 'logs'), join(LOGS, inst, 'user-data-logs'), { recursive: true });
      if (existsSync(join(ud, 'User', 'settings.json')))
        cpSync(join(ud, 'User', 'settings.json'), join(LOGS, inst, 'settings.json'));
    }
    console.log(`# logs: ${LOGS}`);
    if (process.env.GENDECK_E2E_KEEP === '1') console.log(`# temp: ${TMP}`);
  } else {
    rmSync(LOGS, { recursive: true, force: true });
  }
  if (process.env.GENDECK_E2E_KEEP !== '1') rmSync(TMP, { recursive: true, force: true });
  const took = Date.now() - T0;
  console.log(`# e2e duration ${secs(took)}${took > 600_000 ? ' — over the 10-minute budget for a warm run' : ''}`);
  console.log(`${s.passed} passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ''}`);
  process.exit(failed ? 1 : 0);
}

function packageVsix() {
  if (process.env.GENDECK_E2E_VSIX) return process.env.GENDECK_E2E_VSIX;
  const vsix = join(REPO, 'dist', 'gendeck.vsix');
  const r = spawnSync('npm', ['run', 'package'], { cwd: REPO, encoding: 'utf8', timeout: 300_000 });
  writeFileSync(join(LOGS, 'package.log'), `${r.stdout || ''}\n${r.stderr || ''}`);
  if (r.status !== 0)
    throw new Error(
      `npm run package failed (exit ${r.status}); see ${join(LOGS, 'package.log')}\n${(r.stderr || r.stdout || '').trim().split('\n').slice(-15).join('\n')}`,
    );
  if (!existsSync(vsix)) throw new Error(`npm run package did not produce ${vsix}`);
  // Others may repackage while we run: work from our own copy.
  const copy = join(TMP, 'gendeck.vsix');
  cpSync(vsix, copy);
  return copy;
}

/**
 * When `npm run package` fails, the rest of the suite still runs against a VSIX built the same way by hand (vsce
 * without relative-link rewriting) so its results stay useful; the packaging test itself stays failed.
 */
function fallbackVsix() {
  const out = join(TMP, 'gendeck-fallback.vsix');
  const b = spawnSync('node', ['esbuild.mjs', '--production'], { cwd: REPO, encoding: 'utf8', timeout: 300_000 });
  const vsce = join(REPO, 'node_modules', '.bin', 'vsce');
  const r =
    b.status === 0
      ? spawnSync(
          vsce,
          ['package', '--no-dependencies', '--no-rewrite-relative-links', '--allow-missing-repository', '-o', out],
          { cwd: REPO, encoding: 'utf8', timeout: 300_000 },
        )
      : b;
  writeFileSync(join(LOGS, 'package-fallback.log'), `${r.stdout || ''}\n${r.stderr || ''}`);
  if (r.status !== 0 || !existsSync(out))
    throw new Error(`fallback packaging failed too: ${(r.stderr || r.stdout || '').trim().slice(-1500)}`);
  return out;
}

function packageHarness() {
  const out = join(TMP, 'gendeck-e2e-harness.vsix');
  const vsce = join(REPO, 'node_modules', '.bin', 'vsce');
  const r = spawnSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '-o', out], {
    cwd: join(REPO, 'test', 'e2e', 'harness-extension'),
    encoding: 'utf8',
    timeout: 120_000,
  });
  writeFileSync(join(LOGS, 'package-harness.log'), `${r.stdout || ''}\n${r.stderr || ''}`);
  if (r.status !== 0 || !existsSync(out))
    throw new Error(`packaging the harness extension failed: ${(r.stderr || r.stdout || '').trim().slice(-1500)}`);
  return out;
}

async function main() {
  const runner = new Runner();
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      console.log(`# ${sig}: stopping`);
      runner.record({ name: 'interrupted', status: 'failed', ms: 0, error: new Error(sig) });
      finish(runner, 130);
    });
  }
  console.log(`# e2e logs (kept on failure): ${LOGS}`);

  const SHOTS = join(REPO, 'test-results', 'e2e', 'screenshots');
  const DOCS_SHOTS = join(REPO, 'docs', 'screenshots');
  mkdirSync(SHOTS, { recursive: true });
  const updateDocs =
    process.argv.includes('--update-screenshots') || process.env.GENDECK_E2E_UPDATE_SCREENSHOTS === '1';
  const ctx = {
    REPO,
    TMP,
    LOGS,
    SHOTS,
    runner,
    onCleanup,
    /** Takes a README screenshot (via `take`, which writes SHOTS/name) and copies it to docs/screenshots when asked. */
    async saveScreenshot(name, take) {
      await take();
      if (updateDocs) {
        mkdirSync(DOCS_SHOTS, { recursive: true });
        cpSync(join(SHOTS, name), join(DOCS_SHOTS, name));
        console.log(`#   updated docs/screenshots/${name}`);
      }
    },
  };
  await runner.test('toolchain installed (node 24, code-server, chromium)', () => ensureInstalled(), {
    timeout: 30 * 60_000,
  });
  // The hard limit covers everything after the (possibly cold, minutes long) toolchain install.
  const hard = Number(process.env.GENDECK_E2E_TIMEOUT || 1800) * 1000;
  const timer = setTimeout(() => {
    runner.record({
      name: 'whole e2e run within time limit',
      status: 'failed',
      ms: hard,
      error: new Error(`hard timeout ${secs(hard)} reached; stopping`),
    });
    finish(runner, 1);
  }, hard);
  timer.unref();
  const packaged = await runner.test(
    'GenDeck VSIX packaged (npm run package)',
    () => {
      ctx.vsix = packageVsix();
    },
    { timeout: 300_000 },
  );
  if (!packaged) {
    try {
      ctx.vsix = fallbackVsix();
      console.log(`#   continuing with a fallback VSIX built by hand: ${ctx.vsix}`);
    } catch (e) {
      console.log(`#   ${e.message}`);
    }
  }
  await runner.test(
    'harness VSIX packaged',
    () => {
      ctx.harnessVsix = packageHarness();
    },
    { timeout: 120_000 },
  );

  const only = process.env.GENDECK_E2E_ONLY;
  if (!only || only === 'inhost') {
    const { runInHost } = await import('./phases/inhost.mjs');
    await runInHost(ctx);
  }
  if (!only || only === 'ui') {
    const { runUi } = await import('./phases/ui.mjs');
    await runUi(ctx);
  }
  await finish(runner, 0);
}

main().catch(async (e) => {
  console.log(`✖ e2e runner crashed\n    ${(e.stack || e.message).split('\n').join('\n    ')}`);
  await cleanup();
  if (process.env.GENDECK_E2E_KEEP !== '1') rmSync(TMP, { recursive: true, force: true });
  console.log(`# logs: ${LOGS}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
