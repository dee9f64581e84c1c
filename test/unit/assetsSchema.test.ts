// The manifest's JSON Schema (completion and hover in the editor, via jsonValidation) and the zod schema GenDeck
// checks with name the same fields; the schema file ships in the VSIX.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assetEntrySchema, MANIFEST_NAME, parseManifest } from '../../src/core/assets/manifest';

const root = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes: { jsonValidation: { fileMatch: string; url: string }[]; languages: { filenames?: string[] }[] };
};

describe('assets manifest schema', () => {
  const entry = pkg.contributes.jsonValidation.find((j) => j.fileMatch === MANIFEST_NAME);
  it('is contributed for gendeck.assets.json, as JSON with comments, and shipped', () => {
    assert.ok(entry, 'jsonValidation');
    assert.ok(
      pkg.contributes.languages.some((l) => l.filenames?.includes(MANIFEST_NAME)),
      'jsonc',
    );
    assert.match(readFileSync(join(root, '.vscodeignore'), 'utf8'), /^!media\/schemas\/\*\.json$/m);
  });
  it('names exactly the fields the manifest parser accepts', () => {
    const schema = JSON.parse(readFileSync(join(root, entry!.url), 'utf8')) as {
      definitions: { asset: { properties: Record<string, unknown>; required: string[] } };
    };
    assert.deepEqual(
      Object.keys(schema.definitions.asset.properties).sort(),
      Object.keys(assetEntrySchema.shape).sort(),
    );
    const required = Object.entries(assetEntrySchema.shape)
      .filter(([, s]) => !s.safeParse(undefined).success)
      .map(([k]) => k);
    assert.deepEqual(schema.definitions.asset.required.sort(), required.sort());
  });
  it('reads comments and trailing commas, and places each problem', () => {
    const text = '{\n  // mine\n  "assets": [{ "id": "x", "out": "/abs.mp4", "provider": "seedancee2" },],\n}';
    const m = parseManifest(text);
    assert.equal(m.problems.length, 1);
    assert.equal(text.slice(m.problems[0].offset, m.problems[0].offset + m.problems[0].length), '"out": "/abs.mp4"');
  });
});
