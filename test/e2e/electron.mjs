/* global process, console */
// `npm run test:electron`: the same in-host suite as the code-server harness, run by @vscode/test-electron in a
// desktop VS Code. It needs a VS Code build: set VSCODE_EXECUTABLE_PATH to an installed `code` binary, or let
// test-electron download one (needs internet; not possible on the CI machines, so this is not part of CI).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'gendeck-electron-'));
const results = join(tmp, 'results.json');
const workspace = join(tmp, 'workspace');

const build = spawnSync('node', ['esbuild.mjs'], { cwd: REPO, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

let code = 1;
try {
  code = await runTests({
    vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH || undefined,
    version: process.env.VSCODE_VERSION || 'stable',
    extensionDevelopmentPath: REPO,
    extensionTestsPath: join(REPO, 'test', 'e2e', 'harness-extension', 'electron-entry.js'),
    launchArgs: [
      workspace,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--user-data-dir',
      join(tmp, 'user-data'),
      '--extensions-dir',
      join(tmp, 'extensions'),
    ],
    // Its own job list and sandbox, not the user's (GENDECK_STATE_DIR).
    extensionTestsEnv: {
      GENDECK_E2E_RESULTS: results,
      GENDECK_E2E_NO_RELOAD: '1',
      GENDECK_STATE_DIR: join(tmp, 'gendeck-state'),
    },
  });
} catch (e) {
  console.error(`test-electron could not run VS Code: ${e.message}`);
}
let passed = 0;
let failed = 0;
if (existsSync(results)) {
  const r = JSON.parse(readFileSync(results, 'utf8'));
  for (const t of r.results || []) {
    if (t.status === 'passed') passed++;
    else if (t.status === 'failed') failed++;
    console.log(
      `${t.status === 'passed' ? '✔' : t.status === 'skipped' ? '﹣' : '✖'} ${t.name}${t.error ? `\n    ${t.error}` : ''}`,
    );
  }
} else {
  failed++;
}
rmSync(tmp, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed || code ? 1 : 0);
