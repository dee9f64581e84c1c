// The manifest's JSON Schema (what the editor underlines as you type, via jsonValidation) against what GenDeck itself
// refuses (the manifest parser and each provider's checks on the sandbox), entry by entry: they agree on every
// entry whose fault the schema can know; the ones only a live schema can judge (a field a Seisoai tool or a Seek API
// worker does not have) the schema lets through and GenDeck refuses. ajv is the validator VS Code's is modelled on.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Ajv from 'ajv';
import { planAssets } from '../../src/core/assets/plan';
import { launchersOf, workspace } from '../support/assets';
import { startHarness, type Harness } from '../support/sandbox';

const schema = JSON.parse(
  readFileSync(join(__dirname, '..', '..', '..', 'media', 'schemas', 'assets.schema.json'), 'utf8'),
) as object;

const clip = { out: 'a.mp4', provider: 'seedancee2', prompt: 'a hero' };
const tool = {
  out: 'b.png',
  provider: 'seisoai',
  tool: 'image.upscale',
  input: { scale: 2 },
  inputs: ['refs/sample.jpg'],
};
const worker = {
  out: 'c.json',
  provider: 'seekapi',
  worker: 'linkedin-profile',
  input: { profile_url: 'https://linkedin.com/in/x' },
};
const game = { out: 'g.html', provider: 'seele', prompt: 'a maze' };

/** [name, entry, valid]: the schema and GenDeck must both say `valid`. */
const CASES: [string, Record<string, unknown>, boolean][] = [
  ['a clip', clip, true],
  ['a clip on pro in 1080p', { ...clip, model: 'pro', params: { resolution: '1080p', duration: 8 } }, true],
  ['a clip on fast in 720p, 3 variants', { ...clip, model: 'fast', params: { resolution: '720p' }, variants: 3 }, true],
  ['1080p on mini', { ...clip, model: 'mini', params: { resolution: '1080p' } }, false],
  ['1080p with no model (mini)', { ...clip, params: { resolution: '1080p' } }, false],
  ['a duration past 15 s', { ...clip, params: { duration: 20 } }, false],
  ['an aspect ratio no model has', { ...clip, params: { aspect_ratio: '2:1' } }, false],
  ['a field Seedancee2 does not take', { ...clip, params: { colour: 'red' } }, false],
  ['a model Seedancee2 does not have', { ...clip, model: 'huge' }, false],
  ['a clip with no prompt', { out: 'a.mp4', provider: 'seedancee2' }, false],
  ['a Seedancee2 entry naming a tool', { ...clip, tool: 'image.upscale' }, false],
  ['a Seedancee2 entry naming an engine', { ...clip, engine: 'unity' }, false],
  ['a tool', tool, true],
  ['a tool with no tool named', { ...tool, tool: undefined }, false],
  ['a tool naming a worker', { ...tool, worker: 'linkedin-profile' }, false],
  ['a worker', worker, true],
  ['a worker with no worker named', { ...worker, worker: undefined }, false],
  ['a worker naming a tool', { ...worker, tool: 'image.upscale' }, false],
  ['a game', game, true],
  ['a game on unity, its html kept', { ...game, engine: 'unity', artifact: 'html' }, true],
  ['a game on a named model', { ...game, model: 'Seele02-flash' }, true],
  ['a game on an unknown model', { ...game, model: 'Seele09' }, false],
  ['a game on an unknown engine', { ...game, engine: 'godot' }, false],
  ['a game with a field Seele does not take', { ...game, params: { levels: 3 } }, false],
  ['a game with no prompt', { out: 'g.html', provider: 'seele' }, false],
  ['an unknown provider', { ...clip, provider: 'elsewhere' }, false],
  ['an unknown field', { ...clip, colour: 'red' }, false],
  ['an out path leaving the folder', { ...clip, out: '../a.mp4' }, false],
  ['an absolute out path', { ...clip, out: '/tmp/a.mp4' }, false],
  ['a Windows out path', { ...clip, out: 'C:\\a.mp4' }, false],
  ['an out path with dots that stays inside', { ...clip, out: 'assets/..hidden/a.mp4' }, true],
  ['an input file outside', { ...tool, inputs: ['refs/../../sample.jpg'] }, false],
  ['a bad id', { ...clip, id: '-x' }, false],
  ['0 variants', { ...clip, variants: 0 }, false],
  ['9 variants', { ...clip, variants: 9 }, false],
];

/** Faults only the tool's or worker's live schema knows: the JSON Schema lets them through, GenDeck does not. */
const LIVE_ONLY: [string, Record<string, unknown>][] = [
  ['a field the Seisoai tool does not have', { ...tool, input: { scale: 2, sharpness: 1 } }],
  ['a Seek API URL the worker refuses', { ...worker, input: { profile_url: 'https://example.com/x' } }],
];

describe('the manifest JSON Schema agrees with GenDeck’s own checks', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.stop());
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

  /** Whether GenDeck accepts the entry: the parser and its provider's checks find nothing. */
  async function gendeckAccepts(entry: Record<string, unknown>): Promise<boolean> {
    const ws = workspace(h.tmp, { assets: [{ id: 'x', ...entry }] });
    const plan = await planAssets({ ...ws, launchers: launchersOf(h.providers) });
    return plan.problems.length === 0 && plan.items.length === 1 && plan.items[0].status !== 'invalid';
  }

  it('on every entry whose fault the schema can know', async () => {
    const disagree: string[] = [];
    for (const [name, entry, valid] of CASES) {
      const json = JSON.parse(JSON.stringify({ assets: [{ id: 'x', ...entry }] })) as unknown;
      const bySchema = validate(json);
      const byGenDeck = await gendeckAccepts(entry);
      if (bySchema !== valid || byGenDeck !== valid)
        disagree.push(`${name}: expected ${valid}, schema ${bySchema}, GenDeck ${byGenDeck}`);
    }
    assert.deepEqual(disagree, []);
  });

  it('lets through what only a live schema can judge, which GenDeck refuses', async () => {
    for (const [name, entry] of LIVE_ONLY) {
      assert.equal(validate({ assets: [{ id: 'x', ...entry }] }), true, name);
      assert.equal(await gendeckAccepts(entry), false, name);
    }
  });
});
