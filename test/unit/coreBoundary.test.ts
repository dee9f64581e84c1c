import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';

const ROOT = join(__dirname, '..', '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

it('src/core and src/sandbox never import the editor API', () => {
  const offenders = [...files(join(ROOT, 'src', 'core')), ...files(join(ROOT, 'src', 'sandbox'))].filter((f) =>
    /(from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\))/.test(
      readFileSync(f, 'utf8'),
    ),
  );
  assert.deepEqual(offenders, []);
});
