// The manifest is translatable: every user-facing string in package.json is a %key% whose English text is in
// package.nls.json (scripts/manifest-nls.mjs, `npm run nls`, moves new literals there), and nothing else is.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const root = join(__dirname, '..', '..', '..');
const script = join(root, 'scripts', 'manifest-nls.mjs');
const run = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });

describe('package.json strings go through package.nls.json', () => {
  it('no user-facing manifest string is a literal, and every %key% has its text', () => {
    const r = run('--check', '--dir', root);
    assert.equal(r.status, 0, `${r.stderr}\nRun npm run nls to move them into package.nls.json.`);
  });

  it('the manifest keeps its \\u escapes (both files are ASCII)', () => {
    for (const f of ['package.json', 'package.nls.json'])
      assert.ok(/^[\t\n\r -~]*$/.test(readFileSync(join(root, f), 'utf8')), `${f} has a non-ASCII character`);
  });

  describe('the script', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gendeck-nls-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const manifest = {
      name: 'x',
      displayName: 'X',
      description: 'Does x…',
      contributes: {
        commands: [
          { command: 'x.run', title: 'Run X…', category: 'X' },
          { command: 'x.stop', title: '%command.x.stop.title%', category: 'X', icon: '$(stop)' },
        ],
        views: { x: [{ id: 'x.jobs', name: 'Jobs' }] },
        viewsWelcome: [{ view: 'x.jobs', contents: 'Nothing yet.\n[Run](command:x.run)' }],
        configuration: {
          title: 'X',
          properties: {
            'x.mode': { type: 'string', enum: ['a', 'b'], enumDescriptions: ['A.', 'B.'], description: 'Mode.' },
          },
        },
      },
    };
    const write = (m: unknown, nls: unknown) => {
      writeFileSync(join(dir, 'package.json'), JSON.stringify(m, null, 2));
      writeFileSync(join(dir, 'package.nls.json'), JSON.stringify(nls, null, 2));
    };
    const read = (f: string) => readFileSync(join(dir, f), 'utf8');

    it('--check names each literal and each %key% missing from package.nls.json', () => {
      write(manifest, {});
      const r = run('--check', '--dir', dir);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /command\.x\.run\.title is a literal/);
      assert.match(r.stderr, /config\.x\.mode\.enumDescriptions\[1\] is a literal/);
      assert.match(r.stderr, /command\.x\.stop\.title names %command\.x\.stop\.title%, which package\.nls\.json lacks/);
    });

    it('moves literals under stable keys, leaves %key%s alone, writes ASCII escapes, and a second run changes nothing', () => {
      write(manifest, { 'command.x.stop.title': 'Stop X', 'stale.key': 'gone' });
      assert.equal(run('--dir', dir).status, 0);
      const m = JSON.parse(read('package.json'));
      const nls = JSON.parse(read('package.nls.json'));
      assert.equal(m.contributes.commands[0].title, '%command.x.run.title%');
      assert.equal(m.contributes.commands[0].category, '%category.x%');
      assert.equal(m.contributes.commands[1].title, '%command.x.stop.title%');
      assert.equal(m.contributes.viewsWelcome[0].contents, '%viewsWelcome.x.jobs.1%');
      assert.equal(
        m.contributes.configuration.properties['x.mode'].enumDescriptions[1],
        '%config.x.mode.enumDescriptions.2%',
      );
      assert.equal(m.displayName, '%extension.displayName%');
      assert.equal(nls['command.x.run.title'], 'Run X…');
      assert.equal(nls['command.x.stop.title'], 'Stop X');
      assert.equal(nls['stale.key'], undefined, 'a key nothing uses is dropped');
      assert.match(read('package.nls.json'), /Run X\\u2026/);
      const before = [read('package.json'), read('package.nls.json')];
      assert.equal(run('--dir', dir).status, 0);
      assert.deepEqual([read('package.json'), read('package.nls.json')], before);
      assert.equal(run('--check', '--dir', dir).status, 0);
    });

    it('a key another string holds with another text gets a numbered one; an unused key is free again', () => {
      write(
        {
          name: 'x',
          contributes: {
            commands: [
              { command: 'x.run', title: 'Run', category: 'X' },
              { command: 'x.go', title: 'Go', category: 'x!' },
            ],
          },
        },
        { 'command.x.run.title': 'An old text' },
      );
      assert.equal(run('--dir', dir).status, 0);
      const m = JSON.parse(read('package.json'));
      const nls = JSON.parse(read('package.nls.json'));
      assert.equal(m.contributes.commands[0].title, '%command.x.run.title%');
      assert.equal(nls['command.x.run.title'], 'Run');
      assert.equal(m.contributes.commands[0].category, '%category.x%');
      assert.equal(m.contributes.commands[1].category, '%category.x.2%');
      assert.deepEqual([nls['category.x'], nls['category.x.2']], ['X', 'x!']);
    });
  });
});
