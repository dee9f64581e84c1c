// Adopting a job by id for an asset that needs attention, over real HTTP against the sandbox: the job is made on the
// provider "by hand" (Seedancee2, Seisoai, Seek API, Seele; as the user would find it on the dashboard), the lock
// holds a request cut off mid-send or a job found nowhere; adoptJob looks the job up, records it, and apply follows
// it to the file — the emulators' create counts show nothing new was created. Bad ids, another provider's key, an
// unknown asset or job change nothing.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { adoptJob, parseJobRef } from '../../src/core/assets/adopt';
import { applyAssets } from '../../src/core/assets/apply';
import { readLock } from '../../src/core/assets/lock';
import { launchInputOf, specHash, type AssetEntry } from '../../src/core/assets/manifest';
import { planAssets } from '../../src/core/assets/plan';
import type { Job } from '../../src/core/jobs/job';
import { createCounts, jobsLife, launchersOf, workspace } from '../support/assets';
import { startHarness, type Harness } from '../support/sandbox';

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

describe('assets as code: adopt a job by id', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ timeScale: 0.01 });
  });
  after(() => h.stop());

  const clip: AssetEntry = {
    id: 'clip',
    out: 'assets/clip.mp4',
    provider: 'seedancee2',
    model: 'mini',
    prompt: 'a lantern at dusk',
    params: { duration: 4, resolution: '480p' },
  };
  const upscaled: AssetEntry = {
    id: 'big',
    out: 'assets/big.mp4',
    provider: 'seisoai',
    tool: 'video.generate.veo3',
    input: { prompt: 'a lantern swinging', duration: '4s' },
  };
  const game: AssetEntry = { id: 'maze', out: 'games/maze.zip', provider: 'seele', prompt: 'a tiny maze' };
  const profile: AssetEntry = {
    id: 'profile',
    out: 'data/profile.json',
    provider: 'seekapi',
    worker: 'linkedin-profile',
    input: { profile_url: 'https://linkedin.com/in/adopted' },
  };

  /** A workspace whose lock has, for each entry, the variant given (a cut-off request or a lost job). */
  async function setUp(entries: AssetEntry[], variant: Record<string, unknown>) {
    const ws = workspace(h.tmp, { assets: entries });
    const assets: Record<string, unknown> = {};
    for (const e of entries)
      assets[e.id] = {
        specHash: await specHash(e, ws.root),
        provider: e.provider,
        out: e.out,
        variants: [{ ref: `ref-${e.id}`, ...variant }],
        time: new Date().toISOString(),
      };
    writeFileSync(join(ws.root, 'gendeck.lock.json'), JSON.stringify({ version: 1, assets }, null, 2));
    const life = await jobsLife(join(ws.root, '..', `jobs-adopt-${Date.now()}-${Math.random()}.json`), h.providers);
    return { ws, life, ctx: { ...ws, launchers: launchersOf(h.providers), jobs: life.jobs } };
  }

  /** The job the user made on the provider's own site: sent through its launcher, into no job list of ours. */
  async function madeElsewhere(e: AssetEntry, root: string): Promise<Job> {
    const launcher = launchersOf(h.providers)[e.provider as 'seedancee2']!;
    return (await launcher.prepare(launchInputOf(e, root))).send();
  }

  it('a request cut off mid-send: the job named is looked up, recorded and followed to the file; nothing is created', async () => {
    const { ws, life, ctx } = await setUp([clip, upscaled, profile, game], { state: 'sending' });
    try {
      const made = {
        clip: await madeElsewhere(clip, ws.root),
        big: await madeElsewhere(upscaled, ws.root),
        profile: await madeElsewhere(profile, ws.root),
        maze: await madeElsewhere(game, ws.root),
      };
      const plan0 = await planAssets(ctx);
      assert.deepEqual(
        plan0.items.map((i) => i.status),
        ['needsAttention', 'needsAttention', 'needsAttention', 'needsAttention'],
      );
      const before = { ...createCounts(h.emulators), seele: h.emulators.seele.jobs.size };
      // The id as the dashboard shows it, the key as the Jobs view shows it.
      const a = await adoptJob({ ...ctx, id: 'clip', job: made.clip.id });
      assert.equal(a.key, made.clip.key);
      await adoptJob({ ...ctx, id: 'big', job: made.big.key });
      await adoptJob({ ...ctx, id: 'profile', job: ` ${made.profile.id} ` });
      await adoptJob({ ...ctx, id: 'maze', job: made.maze.id });
      const { lock } = await readLock(join(ws.root, 'gendeck.lock.json'));
      for (const id of ['clip', 'big', 'profile', 'maze'] as const) {
        const v = lock.assets[id].variants[0];
        assert.deepEqual([v.ref, v.state, v.jobId], [`ref-${id}`, 'sent', made[id].id], id);
        const job = life.store.get(made[id].key);
        assert.equal((job?.meta.asset as { ref?: string } | undefined)?.ref, `ref-${id}`, `${id}: in the store`);
      }
      const big = life.store.get(made.big.key)!;
      assert.equal(big.kind, 'tool:video.generate.veo3');
      assert.equal(big.sandbox, true);
      assert.deepEqual(
        (await planAssets(ctx)).items.map((i) => [i.id, i.status, i.toSend]),
        [
          ['clip', 'inProgress', 0],
          ['big', 'inProgress', 0],
          ['profile', 'inProgress', 0],
          ['maze', 'inProgress', 0],
        ],
      );

      const r = await applyAssets({ ...ctx, http: (id) => h.providers[id].http });
      assert.deepEqual(r.items.map((i) => [i.id, i.outcome, i.message]).sort(), [
        ['big', 'made', undefined],
        ['clip', 'made', undefined],
        ['maze', 'made', undefined],
        ['profile', 'made', undefined],
      ]);
      const after = (await readLock(join(ws.root, 'gendeck.lock.json'))).lock;
      assert.equal(after.assets.clip.outputHash, sha(join(ws.root, 'assets/clip.mp4')));
      assert.equal(readFileSync(join(ws.root, 'assets/clip.mp4')).subarray(4, 8).toString(), 'ftyp');
      assert.equal(after.assets.big.outputHash, sha(join(ws.root, 'assets/big.mp4')));
      assert.ok(JSON.parse(readFileSync(join(ws.root, 'data/profile.json'), 'utf8')));
      assert.equal(readFileSync(join(ws.root, 'games/maze.zip')).subarray(0, 2).toString(), 'PK');
      assert.deepEqual(
        { ...createCounts(h.emulators), seele: h.emulators.seele.jobs.size },
        before,
        'adopting and applying created nothing',
      );
    } finally {
      await life.dispose();
    }
  });

  it('a job the lock names that is found nowhere: the id the user found takes its place', async () => {
    const { ws, life, ctx } = await setUp([clip], { state: 'sent', jobId: 'vid_gone', jobKey: 'seedancee2:vid_gone' });
    try {
      const real = await madeElsewhere(clip, ws.root);
      const before = createCounts(h.emulators);
      await adoptJob({ ...ctx, id: 'clip', job: real.id });
      const v = (await readLock(join(ws.root, 'gendeck.lock.json'))).lock.assets.clip.variants[0];
      assert.deepEqual([v.state, v.jobId, v.jobKey], ['sent', real.id, real.key]);
      const r = await applyAssets({ ...ctx, http: (id) => h.providers[id].http });
      assert.deepEqual(
        r.items.map((i) => i.outcome),
        ['made'],
      );
      assert.deepEqual(createCounts(h.emulators), before);
    } finally {
      await life.dispose();
    }
  });

  it('bad ids, another provider’s key, an unknown asset or job, an asset needing nothing: refused, nothing changed', async () => {
    const clip2 = { ...clip, id: 'clip2', out: 'assets/clip2.mp4', prompt: 'a lantern at dawn' };
    const { ws, life, ctx } = await setUp([clip, clip2, profile], { state: 'sending' });
    const lockFile = join(ws.root, 'gendeck.lock.json');
    try {
      const other = await madeElsewhere(profile, ws.root);
      const mine = await madeElsewhere(clip, ws.root);
      const lockBefore = readFileSync(lockFile, 'utf8');
      const before = createCounts(h.emulators);
      const refused = async (id: string, job: string, re: RegExp) => {
        await assert.rejects(adoptJob({ ...ctx, id, job }), re, `${id} = ${job}`);
        assert.equal(readFileSync(lockFile, 'utf8'), lockBefore, `${id} = ${job}: the lock is unchanged`);
        assert.equal(life.store.all().length, 0, `${id} = ${job}: no job recorded`);
      };
      await refused('nope', 'vid_1', /No asset nope in the manifest/);
      await refused('clip', '', /is not a seedancee2 job id/);
      await refused('clip', '../etc/passwd', /is not a seedancee2 job id/);
      await refused('clip', 'vid 1', /is not a seedancee2 job id/);
      await refused('clip', other.key, /is a job of seekapi, not of seedancee2/);
      await refused('clip', 'vid_0000000000000000000000000', /seedancee2 has no job vid_0+\. Nothing was changed/);
      // A Seek API job's id is no Seedancee2 job.
      await refused('clip', other.id, /seedancee2 has no job/);
      assert.deepEqual(createCounts(h.emulators), before, 'no create');

      // Once adopted, a job is not another asset's too, and the asset needs no more attention.
      await adoptJob({ ...ctx, id: 'clip', job: mine.id });
      const after = readFileSync(lockFile, 'utf8');
      await assert.rejects(adoptJob({ ...ctx, id: 'clip2', job: mine.id }), /already recorded for clip/);
      await assert.rejects(adoptJob({ ...ctx, id: 'clip', job: mine.id }), /clip needs no attention/);
      assert.equal(readFileSync(lockFile, 'utf8'), after);
      assert.deepEqual(createCounts(h.emulators), before, 'still no create');
    } finally {
      await life.dispose();
    }
  });

  it('parseJobRef: the id, or the key of the asset’s own provider', () => {
    assert.equal(parseJobRef('seele', 'job_abc'), 'job_abc');
    assert.equal(parseJobRef('seele', 'seele:job_abc'), 'job_abc');
    assert.throws(() => parseJobRef('seele', 'seisoai:job_abc'), /is a job of seisoai/);
    assert.throws(() => parseJobRef('seele', 'job/abc'), /not a seele job id/);
    assert.throws(() => parseJobRef('seele', 'x'.repeat(201)), /not a seele job id/);
  });
});
