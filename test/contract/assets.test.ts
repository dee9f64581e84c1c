// Assets as code over real HTTP against the sandbox: plan statuses, apply writing outputs and the lock, a second apply
// doing nothing, an edited output made stale (and restored without a new job), invalid entries refused with no
// request, --max-cost refusing before anything is sent.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { applyAssets, CostLimitError, pickVariant } from '../../src/core/assets/apply';
import { readLock } from '../../src/core/assets/lock';
import { parseManifest } from '../../src/core/assets/manifest';
import { planAssets } from '../../src/core/assets/plan';
import { createCounts, jobsLife, launchersOf, workspace } from '../support/assets';
import { startHarness, type Harness } from '../support/sandbox';

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

describe('assets as code: plan and apply against the sandbox', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ timeScale: 0.01 });
  });
  after(() => h.stop());

  const manifest = {
    assets: [
      {
        id: 'hero-idle',
        out: 'assets/hero-idle.mp4',
        provider: 'seedancee2',
        model: 'mini',
        prompt: 'a hero standing idle',
        params: { duration: 4, resolution: '480p' },
      },
      {
        id: 'hero-big',
        out: 'assets/hero-big.png',
        provider: 'seisoai',
        tool: 'image.upscale',
        input: { scale: 4 },
        inputs: ['refs/sample.jpg'],
      },
      {
        id: 'profile',
        out: 'data/profile.json',
        provider: 'seekapi',
        worker: 'linkedin-profile',
        input: { profile_url: 'https://linkedin.com/in/someone' },
      },
    ],
  };

  it('plans every asset missing with its estimate, applies once, and a second apply sends nothing', async () => {
    const ws = workspace(h.tmp, manifest);
    const life = await jobsLife(join(ws.root, '..', `jobs-${Date.now()}.json`), h.providers);
    const ctx = { ...ws, launchers: launchersOf(h.providers), jobs: life.jobs };
    try {
      const before = createCounts(h.emulators);
      const plan = await planAssets(ctx);
      assert.deepEqual(plan.problems, []);
      assert.deepEqual(
        plan.items.map((i) => [i.id, i.status, i.toSend]),
        [
          ['hero-idle', 'missing', 1],
          ['hero-big', 'missing', 1],
          ['profile', 'missing', 1],
        ],
      );
      const totals = Object.fromEntries(plan.totals.map((t) => [`${t.provider} ${t.unit}`, t.amount]));
      assert.ok(totals['seedancee2 credits'] > 0, 'the Seedancee2 formula');
      assert.equal(totals['seisoai USD'], 0.04, "the tool's price");
      assert.equal(totals['seekapi credits'], 5, "the worker's pricing");
      assert.deepEqual(createCounts(h.emulators), before, 'planning creates nothing');

      const phases: string[] = [];
      const r = await applyAssets({
        ...ctx,
        http: (id) => h.providers[id].http,
        onProgress: (p) => phases.push(`${p.id}:${p.phase}`),
      });
      assert.deepEqual(r.items.map((i) => [i.id, i.outcome, i.message]).sort(), [
        ['hero-big', 'made', undefined],
        ['hero-idle', 'made', undefined],
        ['profile', 'made', undefined],
      ]);
      for (const id of ['hero-idle', 'hero-big', 'profile']) assert.ok(phases.includes(`${id}:done`), id);
      const after1 = createCounts(h.emulators);
      assert.deepEqual(after1, {
        seedancee2: before.seedancee2 + 1,
        seisoai: before.seisoai + 1,
        seekapi: before.seekapi + 1,
      });
      const { lock } = await readLock(plan.lockPath);
      for (const a of manifest.assets) {
        const e = lock.assets[a.id];
        assert.equal(e.outputHash, sha(join(ws.root, a.out)), a.id);
        assert.equal(e.provider, a.provider);
        assert.equal(e.variants.length, 1);
        assert.ok(e.variants[0].jobKey && life.store.get(e.variants[0].jobKey), 'the job is in the store');
      }
      assert.equal(readFileSync(join(ws.root, 'assets/hero-idle.mp4')).subarray(4, 8).toString(), 'ftyp', 'an mp4');
      assert.ok(JSON.parse(readFileSync(join(ws.root, 'data/profile.json'), 'utf8')));

      const again = await planAssets(ctx);
      assert.deepEqual(
        again.items.map((i) => i.status),
        ['upToDate', 'upToDate', 'upToDate'],
      );
      assert.deepEqual(again.totals, []);
      const r2 = await applyAssets({ ...ctx, http: (id) => h.providers[id].http });
      assert.deepEqual(
        r2.items.map((i) => i.outcome),
        ['upToDate', 'upToDate', 'upToDate'],
      );
      assert.deepEqual(createCounts(h.emulators), after1, 'nothing sent the second time');

      // Stale: an output edited, another removed; restored from the finished jobs, nothing paid.
      writeFileSync(join(ws.root, 'data/profile.json'), '{"edited": true}');
      rmSync(join(ws.root, 'assets/hero-big.png'));
      const stale = await planAssets(ctx);
      assert.deepEqual(
        stale.items.map((i) => [i.id, i.status, i.toSend]),
        [
          ['hero-idle', 'upToDate', 0],
          ['hero-big', 'stale', 0],
          ['profile', 'stale', 0],
        ],
      );
      const r3 = await applyAssets({ ...ctx, http: (id) => h.providers[id].http });
      assert.deepEqual(r3.items.map((i) => [i.id, i.outcome]).sort(), [
        ['hero-big', 'restored'],
        ['hero-idle', 'upToDate'],
        ['profile', 'restored'],
      ]);
      assert.deepEqual(createCounts(h.emulators), after1, 'restoring sends nothing');
      assert.deepEqual(
        (await planAssets(ctx)).items.map((i) => i.status),
        ['upToDate', 'upToDate', 'upToDate'],
      );

      // Changed: a field of the entry, or the bytes of an input file.
      const changed = structuredClone(manifest);
      changed.assets[0].prompt = 'a hero waving';
      writeFileSync(ws.manifestPath, JSON.stringify(changed));
      writeFileSync(
        join(ws.root, 'refs/sample.jpg'),
        Buffer.concat([readFileSync(join(ws.root, 'refs/sample.jpg')), Buffer.from([0])]),
      );
      const ch = await planAssets(ctx);
      assert.deepEqual(
        ch.items.map((i) => i.status),
        ['changed', 'changed', 'upToDate'],
      );
      const r4 = await applyAssets({ ...ctx, http: (id) => h.providers[id].http, only: ['hero-idle'] });
      assert.deepEqual(
        r4.items.map((i) => [i.id, i.outcome]),
        [['hero-idle', 'made']],
      );
      assert.equal(createCounts(h.emulators).seedancee2, after1.seedancee2 + 1);
      assert.equal(createCounts(h.emulators).seisoai, after1.seisoai, '--only left hero-big alone');
      assert.deepEqual(
        (await planAssets(ctx)).items.map((i) => i.status),
        ['upToDate', 'changed', 'upToDate'],
      );
    } finally {
      await life.dispose();
    }
  });

  it('variants: three jobs, three files side by side, `out` holds the pick the lock records', async () => {
    const ws = workspace(h.tmp, {
      assets: [{ ...manifest.assets[0], id: 'walk', out: 'assets/walk.mp4', prompt: 'a hero walking', variants: 3 }],
    });
    const life = await jobsLife(join(ws.root, '..', `jobs-var-${Date.now()}.json`), h.providers);
    const ctx = {
      ...ws,
      launchers: launchersOf(h.providers),
      jobs: life.jobs,
      http: (id: 'seedancee2') => h.providers[id].http,
    };
    try {
      const before = createCounts(h.emulators).seedancee2;
      const plan = await planAssets(ctx);
      assert.equal(plan.items[0].toSend, 3);
      assert.equal(
        plan.totals[0].amount,
        3 *
          (await planAssets({ ...ctx, text: JSON.stringify({ assets: [{ ...manifest.assets[0] }] }) })).totals[0]
            .amount,
      );
      const r = await applyAssets(ctx);
      assert.deepEqual(
        r.items.map((i) => i.outcome),
        ['made'],
      );
      assert.equal(createCounts(h.emulators).seedancee2, before + 3);
      const { lock } = await readLock(plan.lockPath);
      const e = lock.assets.walk;
      assert.deepEqual(
        e.variants.map((v) => v.file),
        ['assets/walk.v1.mp4', 'assets/walk.v2.mp4', 'assets/walk.v3.mp4'],
      );
      assert.equal(new Set(e.variants.map((v) => v.jobKey)).size, 3);
      for (const v of e.variants) assert.equal(sha(join(ws.root, v.file!)), v.fileHash);
      assert.equal(e.pick, 1);
      assert.equal(e.outputHash, e.variants[0].fileHash);
      // The sandbox's clips are one sample, so the copy is seen by `out` coming back after it is removed.
      rmSync(join(ws.root, 'assets/walk.mp4'));
      await pickVariant(ws.manifestPath, ws.root, 'walk', 2);
      const after = (await readLock(plan.lockPath)).lock.assets.walk;
      assert.equal(after.pick, 2);
      assert.equal(sha(join(ws.root, 'assets/walk.mp4')), after.variants[1].fileHash);
      assert.equal(after.outputHash, after.variants[1].fileHash);
      assert.deepEqual(
        (await planAssets(ctx)).items.map((i) => i.status),
        ['upToDate'],
      );
      await assert.rejects(pickVariant(ws.manifestPath, ws.root, 'walk', 4), /no variant 4/);
      assert.equal(createCounts(h.emulators).seedancee2, before + 3, 'picking sends nothing');
    } finally {
      await life.dispose();
    }
  });

  it('refuses over --max-cost, and with an unknown cost, before sending anything', async () => {
    const ws = workspace(h.tmp, {
      assets: [manifest.assets[0], { id: 'game', out: 'game/index.html', provider: 'seele', prompt: 'a maze' }],
    });
    const life = await jobsLife(join(ws.root, '..', `jobs-max-${Date.now()}.json`), h.providers);
    const ctx = {
      ...ws,
      launchers: launchersOf(h.providers),
      jobs: life.jobs,
      http: (id: 'seele') => h.providers[id].http,
    };
    try {
      const before = createCounts(h.emulators);
      const games = h.emulators.seele.jobs.size;
      const plan = await planAssets(ctx);
      assert.deepEqual(plan.unknown, [{ provider: 'seele', ids: ['game'] }], 'Seele: unknown before it ends');
      await assert.rejects(applyAssets({ ...ctx, maxCost: 1 }), CostLimitError);
      await assert.rejects(applyAssets({ ...ctx, maxCost: 100000 }), /unknown/);
      await assert.rejects(applyAssets({ ...ctx, maxCost: 1, only: ['hero-idle'] }), /above the limit of 1/);
      assert.deepEqual(createCounts(h.emulators), before);
      assert.equal(h.emulators.seele.jobs.size, games);
      assert.deepEqual((await readLock(plan.lockPath)).lock.assets, {}, 'no intent written');
    } finally {
      await life.dispose();
    }
  });

  it('invalid entries: diagnostics placed on the field, from the schema and from each provider, no request sent', async () => {
    const text = `{
  // comments are fine
  "assets": [
    { "id": "a", "out": "a.mp4", "provider": "seedancee2", "model": "mini", "prompt": "x", "params": { "resolution": "1080p" } },
    { "id": "b", "out": "b.png", "provider": "seisoai", "tool": "image.upscale", "input": { "scale": 4, "sharpness": 2 }, "inputs": ["refs/sample.jpg"] },
    { "id": "c", "out": "../outside.mp4", "provider": "seedancee2", "prompt": "x" },
    { "id": "d", "out": "d.mp4", "provider": "seedancee2", "prompt": "x", "colour": "red" },
    { "id": "e", "out": "e.json", "provider": "seekapi", "worker": "linkedin-profile", "input": { "profile_url": "https://example.com/x" } },
    { "id": "a", "out": "a2.mp4", "provider": "seedancee2", "prompt": "x" },
  ],
}`;
    const ws = workspace(h.tmp, text);
    const before = createCounts(h.emulators);
    const plan = await planAssets({ ...ws, launchers: launchersOf(h.providers) });
    const byId = (id: string) => plan.problems.filter((p) => p.id === id);
    const at = (p: { offset: number; length: number }) => text.slice(p.offset, p.offset + p.length);
    assert.match(byId('a')[0].message, /1080p is not available on mini/);
    assert.match(at(byId('a')[0]), /"resolution": "1080p"/, 'on the field');
    assert.ok(byId('b').length === 1, 'the tool has no such field');
    assert.match(at(byId('b')[0]), /sharpness/);
    assert.match(byId('c')[0].message, /inside the workspace folder/);
    assert.match(byId('d')[0].message, /Unknown field colour/);
    assert.match(at(byId('e')[0]), /profile_url/);
    assert.match(byId('a')[1].message, /used twice/);
    assert.deepEqual(
      plan.items.map((i) => [i.id, i.status]),
      [
        ['a', 'invalid'],
        ['b', 'invalid'],
        ['e', 'invalid'],
      ],
    );
    const life = await jobsLife(join(ws.root, '..', `jobs-bad-${Date.now()}.json`), h.providers);
    try {
      const r = await applyAssets({
        ...ws,
        launchers: launchersOf(h.providers),
        jobs: life.jobs,
        http: (id) => h.providers[id].http,
      });
      assert.ok(r.items.every((i) => i.outcome === 'invalid'));
    } finally {
      await life.dispose();
    }
    assert.deepEqual(createCounts(h.emulators), before, 'no create request for an invalid entry');
    assert.ok(parseManifest('{ "assets": [ }').problems.length > 0, 'broken JSON is a problem, not a throw');
  });
});
