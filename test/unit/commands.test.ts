// Command ids: what package.json contributes and what the shared commands and the features register must be the
// same set (the compiler holds each feature to the ids it declares in commandIds.ts' FeatureCommandIds); every menu, welcome view and walkthrough link names a command that
// exists. Also: one feature and one descriptor per provider id, each under its own id.
import '../support/vscodeStub';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RENAMED_COMMANDS, SHARED_COMMAND_IDS } from '../../src/commandIds';
import { SHARED_COMMANDS } from '../../src/commands/index';
import { PROVIDERS, PROVIDER_IDS } from '../../src/core/providers/index';
import { FEATURES } from '../../src/features/index';

interface Manifest {
  contributes: {
    commands: { command: string }[];
    menus: Record<string, { command?: string }[]>;
    viewsWelcome?: { contents: string }[];
    walkthroughs?: { steps: { description: string; completionEvents?: string[] }[] }[];
  };
}
const root = join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
/** The manifest's texts are `%key%`s of package.nls.json (English); a link is read in the text it stands for. */
const nls = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
const text = (s: string) => {
  const key = /^%([^%\s]+)%$/.exec(s)?.[1];
  if (key === undefined) return s;
  assert.equal(typeof nls[key], 'string', `package.nls.json has no ${key}`);
  return nls[key];
};
const contributed = manifest.contributes.commands.map((c) => c.command);

const sorted = (xs: Iterable<string>) => [...xs].sort();
const registered = [
  ...Object.keys(SHARED_COMMANDS),
  ...Object.values(FEATURES).flatMap((f) => Object.keys(f.commands)),
];

describe('command ids', () => {
  it('every contributed command is registered, and every registered one is contributed, each once', () => {
    assert.equal(new Set(contributed).size, contributed.length, 'a command is contributed twice');
    assert.equal(new Set(registered).size, registered.length, 'a command is registered twice');
    assert.deepEqual(sorted(contributed), sorted(registered));
  });

  it('the shared commands register exactly the shared list', () => {
    assert.deepEqual(sorted(Object.keys(SHARED_COMMANDS)), sorted(SHARED_COMMAND_IDS));
  });

  it("a feature's commands carry its provider id", () => {
    for (const f of Object.values(FEATURES))
      for (const id of Object.keys(f.commands)) assert.ok(id.startsWith(`gendeck.${f.id}.`), `${id} in ${f.id}`);
  });

  it('menus, welcome views and walkthroughs name existing commands', () => {
    const known = new Set<string>(registered);
    for (const [menu, items] of Object.entries(manifest.contributes.menus))
      for (const item of items) if (item.command) assert.ok(known.has(item.command), `${menu}: ${item.command}`);
    const texts = [
      ...(manifest.contributes.viewsWelcome ?? []).map((v) => text(v.contents)),
      ...(manifest.contributes.walkthroughs ?? []).flatMap((w) =>
        w.steps.flatMap((s) => [text(s.description), ...(s.completionEvents ?? [])]),
      ),
    ];
    const linked = texts.flatMap((t) => [...t.matchAll(/(?:command:|onCommand:)(gendeck\.[\w.]+)/g)].map((m) => m[1]));
    assert.ok(linked.length > 0, 'the welcome views link to commands');
    for (const id of linked) assert.ok(known.has(id), `link to ${id}`);
  });

  it('the New… menu lists exactly what the features can start, and every feature starts something', () => {
    const starts = Object.values(FEATURES).flatMap((f) => (f.starts ?? []).map((st) => st.command as string));
    const menu = (manifest.contributes.menus['gendeck.new'] ?? []).map((m) => m.command);
    assert.deepEqual(sorted(menu.filter((c): c is string => !!c)), sorted(starts));
    for (const f of Object.values(FEATURES)) assert.ok(f.starts?.length, `${f.id} starts nothing`);
  });

  it('renamed ids point at current commands and are not contributed (they only keep keybindings working)', () => {
    for (const [old, id] of Object.entries(RENAMED_COMMANDS)) {
      assert.ok(registered.includes(id), `${old} → ${id}`);
      assert.ok(!contributed.includes(old), `${old} is still contributed`);
    }
  });
});

describe('one descriptor and one feature per provider', () => {
  it('each sits under its own id', () => {
    assert.deepEqual(sorted(Object.keys(PROVIDERS)), sorted(PROVIDER_IDS));
    assert.deepEqual(sorted(Object.keys(FEATURES)), sorted(PROVIDER_IDS));
    for (const id of PROVIDER_IDS) {
      assert.equal(PROVIDERS[id].id, id);
      assert.equal(FEATURES[id].id, id);
    }
  });
});
