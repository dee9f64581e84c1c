// Runs every compiled *.test.js under out/test (unit + contract) with node's built-in runner.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.test.js')) out.push(p);
  }
  return out;
}
const files = walk(join('out', 'test')).filter((f) => !f.includes(`${join('test', 'e2e')}`)).sort();
const extra = process.argv.slice(2);
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', '--unhandled-rejections=strict', ...extra, ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
