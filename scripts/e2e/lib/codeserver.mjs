// Starts and stops a throwaway code-server (real VS Code workbench + extension host) on a free port.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { NODE_BIN, CS_ENTRY } from './paths.mjs';
import { node24Env } from '../install.mjs';
import { sleep } from './util.mjs';

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Settings that keep the workbench quiet and deterministic (no welcome page, no AI/chat, no update checks). */
export const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
  'notebook.experimental.generate': false,
};

function csArgs(dirs) {
  return [
    CS_ENTRY,
    '--config',
    join(dirs.root, 'code-server.yaml'),
    '--user-data-dir',
    dirs.userData,
    '--extensions-dir',
    dirs.extensions,
  ];
}

function csEnv(dirs, extra) {
  // Keep code-server's own config/data out of $HOME, and GenDeck's shared state (the job list every face shares, the
  // user's sandbox) in this session: the extension host inherits it, so no run sees another's or the user's jobs.
  return node24Env({
    XDG_CONFIG_HOME: join(dirs.root, 'xdg-config'),
    XDG_DATA_HOME: join(dirs.root, 'xdg-data'),
    XDG_CACHE_HOME: join(dirs.root, 'xdg-cache'),
    VSCODE_CLI_DISABLE_KEYCHAIN_ENCRYPT: '1',
    GENDECK_STATE_DIR: stateDirOf(dirs),
    ...extra,
  });
}

/**
 * The ffmpeg/ffprobe of a checkout (the npm dev dependencies, each in its own folder) as GenDeck settings, or {} when
 * `npm ci` has not put them there.
 */
export function checkoutFfmpegSettings(repo) {
  const bin = (tool) => join(repo, 'node_modules', `@${tool}-installer`, `${process.platform}-${process.arch}`, tool);
  if (!existsSync(bin('ffmpeg')) || !existsSync(bin('ffprobe'))) return {};
  return { 'gendeck.ffmpegPath': bin('ffmpeg'), 'gendeck.ffprobePath': bin('ffprobe') };
}

/**
 * Creates the folder layout for one code-server instance under `root`. `settings` go to the User settings;
 * `machineSettings` to the remote Machine settings, the only place code-server's extension host reads
 * machine-scoped settings (such as `gendeck.ffmpegPath`) from.
 */
export function makeDirs(root, settings = {}, machineSettings = {}) {
  const dirs = {
    root,
    userData: join(root, 'user-data'),
    extensions: join(root, 'extensions'),
    workspace: join(root, 'workspace'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(
    join(dirs.userData, 'User', 'settings.json'),
    JSON.stringify({ ...DEFAULT_SETTINGS, ...settings }, null, 2),
  );
  mkdirSync(join(dirs.userData, 'Machine'), { recursive: true });
  writeFileSync(machineSettingsFile(dirs), JSON.stringify(machineSettings, null, 2));
  writeFileSync(join(root, 'code-server.yaml'), 'auth: none\ncert: false\n');
  return dirs;
}

/** GenDeck's state folder (GENDECK_STATE_DIR) of one code-server instance: its job list and its user's sandbox. */
export function stateDirOf(dirs) {
  return join(dirs.root, 'gendeck-state');
}

export function machineSettingsFile(dirs) {
  return join(dirs.userData, 'Machine', 'settings.json');
}

export function installExtension(dirs, vsix, logFile) {
  const t0 = Date.now();
  const r = spawnSync(NODE_BIN, [...csArgs(dirs), '--install-extension', vsix, '--force'], {
    env: csEnv(dirs),
    encoding: 'utf8',
    timeout: 180_000,
  });
  const text = `$ code-server --install-extension ${vsix}\n${r.stdout || ''}${r.stderr || ''}\n`;
  if (logFile) writeFileSync(logFile, text, { flag: 'a' });
  if (r.status !== 0 || /Failed Installing/i.test(`${r.stdout}${r.stderr}`)) {
    throw new Error(
      `--install-extension ${vsix} failed (exit ${r.status}): ${(r.stderr || r.stdout || '').trim().slice(-2000)}`,
    );
  }
  return { ms: Date.now() - t0, output: (r.stdout || '').trim() };
}

/**
 * Starts code-server for `dirs.workspace`. Resolves once /healthz answers.
 * Returns { url, port, proc, stop() }; stop() ends the whole process group.
 */
export async function startCodeServer(dirs, { env = {}, logFile, timeoutMs = 90_000 } = {}) {
  const port = await freePort();
  const args = [
    ...csArgs(dirs),
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    dirs.workspace,
  ];
  const log = createWriteStream(logFile || join(dirs.root, 'code-server.log'), { flags: 'a' });
  log.write(`$ ${NODE_BIN} ${args.join(' ')}\n`);
  const proc = spawn(NODE_BIN, args, { env: csEnv(dirs, env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout.pipe(log, { end: false });
  proc.stderr.pipe(log, { end: false });
  let exited = null;
  const exitP = new Promise((resolve) =>
    proc.on('exit', (code, sig) => {
      exited = { code, sig };
      resolve(exited);
    }),
  );

  const stop = async () => {
    if (exited) return exited;
    for (const [sig, wait] of [
      ['SIGTERM', 5000],
      ['SIGKILL', 5000],
    ]) {
      try {
        process.kill(-proc.pid, sig);
      } catch {
        /* already gone */
      }
      const r = await Promise.race([exitP, sleep(wait).then(() => null)]);
      if (r) break;
    }
    // Stray children (extension hosts, pty hosts) share the process group: make sure none survive.
    try {
      process.kill(-proc.pid, 'SIGKILL');
    } catch {
      /* none left */
    }
    log.end();
    return exited;
  };

  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`code-server exited early (${JSON.stringify(exited)}); see ${logFile}`);
    try {
      const res = await fetch(`${url}healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on ${url} within ${timeoutMs} ms`);
    }
    await sleep(250);
  }
  return { url, port, proc, stop, dirs };
}
