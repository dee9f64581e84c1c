// `npm start`: builds and packages GenDeck, then opens it in a real VS Code with the built-in sandbox on.
// Desktop VS Code (`code` on PATH) gets the extension in development mode; otherwise code-server
// (installed into a cache outside the repo) serves the workbench at a local URL you open in a browser.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args, env = process.env) => {
  const r = spawnSync(cmd, args, { cwd: repo, stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

run('npm', ['run', '--silent', 'package']);

const { tryoutSession } = await import('./e2e/lib/tryout.mjs');
const session = tryoutSession(repo);
const writeFiles = (folder) => {
  for (const [rel, content] of Object.entries(session.files)) {
    mkdirSync(dirname(join(folder, rel)), { recursive: true });
    writeFileSync(join(folder, rel), content);
  }
};

const hasCode = spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' }).status === 0;
if (hasCode) {
  // Development mode runs GenDeck from this checkout, so video search finds the npm ffmpeg/ffprobe in its
  // node_modules by itself. A throwaway profile holds the try-out's user settings (sandbox on): the user's own
  // settings are not touched.
  const root = mkdtempSync(join(tmpdir(), 'gendeck-try-'));
  const workspace = join(root, 'workspace');
  writeFiles(workspace);
  mkdirSync(join(root, 'user-data', 'User'), { recursive: true });
  writeFileSync(join(root, 'user-data', 'User', 'settings.json'), JSON.stringify(session.settings, null, 2));
  console.log(`Opening VS Code with GenDeck (development mode, a try-out profile) on ${workspace}`);
  // The try-out's own job list and sandbox (GENDECK_STATE_DIR): the user's jobs are not touched, nor theirs by it.
  run(
    'code',
    ['--new-window', `--user-data-dir=${join(root, 'user-data')}`, `--extensionDevelopmentPath=${repo}`, workspace],
    { ...process.env, GENDECK_STATE_DIR: join(root, 'gendeck-state') },
  );
  process.exit(0);
}

const { ensureInstalled } = await import('./e2e/install.mjs');
const { makeDirs, installExtension, startCodeServer, stateDirOf } = await import('./e2e/lib/codeserver.mjs');
ensureInstalled();
const root = mkdtempSync(join(tmpdir(), 'gendeck-start-'));
// The same session test/e2e/start.e2e.mjs checks: sandbox on, samples, the checkout's ffmpeg in the Machine settings.
if (!session.machineSettings['gendeck.ffmpegPath'])
  console.log('The npm ffmpeg/ffprobe dev dependencies are missing (run npm ci); video search will ask for ffmpeg.');
const dirs = makeDirs(root, session.settings, session.machineSettings);
writeFiles(dirs.workspace);
installExtension(dirs, join(repo, 'dist', 'gendeck.vsix'), join(root, 'install.log'));
// code-server's env gives the extension host a state folder in this session (GENDECK_STATE_DIR, codeserver.mjs): the
// demo's jobs and sandbox are its own, and `GENDECK_STATE_DIR=<it> gendeck jobs` shows them.
const cs = await startCodeServer(dirs, { logFile: join(root, 'code-server.log') });
console.log(`\nGenDeck is running in code-server: ${cs.url}?folder=${encodeURIComponent(dirs.workspace)}`);
console.log(`Its job list and sandbox are in ${stateDirOf(dirs)} (GENDECK_STATE_DIR for the CLI to share them).`);
console.log(
  'Open that URL in a browser, click the GenDeck icon in the activity bar, and run "GenDeck: New Video from Prompt".',
);
console.log('Press Ctrl+C to stop.');
const stop = async () => {
  await cs.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

setInterval(() => {}, 1 << 30);
