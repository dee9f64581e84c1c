// Runs every compiled *.test.js under out/test (unit, contract, faults, webview pages) with node's built-in runner.
// The webview page tests need Chromium: it is installed first when missing (Debian's package), so they run on a
// fresh machine too; when it cannot be had they fail, they never skip.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureChromium } from './e2e/install.mjs';

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.test.js')) out.push(p);
  }
  return out;
}
let chromium;
try {
  chromium = ensureChromium();
} catch (e) {
  console.error(`Chromium for the webview page tests could not be installed: ${e.message}`);
}
const files = walk(join('out', 'test'))
  .filter((f) => !f.includes(`${join('test', 'e2e')}`))
  .sort();
const extra = process.argv.slice(2);
const r = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=2', '--unhandled-rejections=strict', ...extra, ...files],
  {
    stdio: 'inherit',
    env: { ...process.env, ...(chromium ? { GENDECK_CHROMIUM: chromium } : {}) },
  },
);
process.exit(r.status ?? 1);
