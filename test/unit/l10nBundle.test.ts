// The shipped string bundle is current: exporting the vscode.l10n.t / @vscode/l10n calls of src again gives exactly
// l10n/bundle.l10n.json (`npm run l10n` writes it). A string added in code without a new export fails here, so a
// translation can never miss it; package.json points VS Code at the folder.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';

const root = join(__dirname, '..', '..', '..');
const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

describe('l10n/bundle.l10n.json', () => {
  const out = mkdtempSync(join(tmpdir(), 'gendeck-l10n-'));
  after(() => rmSync(out, { recursive: true, force: true }));

  it('is what `npm run l10n` exports from src now', () => {
    const cli = join(dirname(require.resolve('@vscode/l10n-dev/package.json')), 'dist', 'cli.js');
    const r = spawnSync(process.execPath, [cli, 'export', '--outDir', out, join(root, 'src')], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr || r.stdout);
    const fresh = read(join(out, 'bundle.l10n.json'));
    const committed = read(join(root, 'l10n', 'bundle.l10n.json'));
    const missing = Object.keys(fresh).filter((k) => !(k in committed));
    const stale = Object.keys(committed).filter((k) => !(k in fresh));
    assert.deepEqual({ missing, stale }, { missing: [], stale: [] }, 'the bundle is stale: run npm run l10n');
    assert.deepEqual(committed, fresh);
  });

  it('is where package.json says the bundles are', () => {
    assert.equal((read(join(root, 'package.json')) as { l10n?: string }).l10n, './l10n');
  });
});
