// Assets as code over real HTTP against the sandbox: plan statuses, apply writing outputs and the lock, a second apply
// doing nothing, an edited output made stale (and restored without a new job), invalid entries refused with no
// request, --max-cost refusing before anything is sent.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { applyAssets, CostLimitError, forgetUnconfirmed, pickVariant } from '../../src/core/assets/apply';
import { CheckCache } from '../../src/core/assets/checks';
import { lockText, readLock } from '../../src/core/assets/lock';
import { parseManifest } from '../../src/core/assets/manifest';
import { planAssets } from '../../src/core/assets/plan';
import { remoteJobLister } from '../../src/core/providers/index';
import { createCounts, jobsLife, launchersOf, workspace } from '../support/assets';
import { startHarness, type Harness } from '../support/sandbox';

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
/** Every request the sandbox answered so far. */
const requestsAt = (h: Harness) => [...h.sandbox.requests.values()].reduce((a, b) => a + b, 0);

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
  it('plans again through a CheckCache without asking the providers again; an edited entry is asked about alone', async () => {
    const text = (scale: number) =>
      JSON.stringify({
        assets: [
          ...manifest.assets.map((a) => (a.id === 'hero-big' ? { ...a, input: { scale } } : a)),
          { id: 'bad', out: 'bad.png', provider: 'seisoai', tool: 'image.upscale', input: { sharpness: 2 } },
        ],
      });
    const ws = workspace(h.tmp, text(4));
    const checks = new CheckCache();
    const ctx = { ...ws, launchers: launchersOf(h.providers), checks };
    const r0 = requestsAt(h);
    const first = await planAssets({ ...ctx, text: text(4) });
    assert.ok(requestsAt(h) > r0, 'the first plan reads the live schemas and prices');
    const seisoaiCalls = h.emulators.seisoai.calls.length;
    const r1 = requestsAt(h);
    for (let keystroke = 0; keystroke < 5; keystroke++) {
      const again = await planAssets({ ...ctx, text: text(4) });
      assert.deepEqual(again.totals, first.totals);
      assert.deepEqual(
        again.problems.map((p) => p.message),
        first.problems.map((p) => p.message),
        'a refusal is kept too',
      );
    }
    assert.equal(requestsAt(h), r1, 'five more plans, not one request');
    // One entry edited: its price is asked for (the tool's schema is still known), nothing else.
    const edited = await planAssets({ ...ctx, text: text(2) });
    assert.equal(edited.items.find((i) => i.id === 'hero-big')?.status, 'missing');
    const asked = h.emulators.seisoai.calls.slice(seisoaiCalls);
    assert.equal(requestsAt(h) - r1, asked.length, 'only Seisoai was asked');
    assert.ok(asked.length === 1 && /price/.test(asked[0]), `one price request: ${asked.join(', ')}`);
    // Without the cache every plan asks again (what the cache saves).
    const r2 = requestsAt(h);
    await planAssets({ ...ws, launchers: launchersOf(h.providers), text: text(2) });
    assert.ok(requestsAt(h) > r2);
    // A failure is not kept: the next plan asks again.
    const failing = new CheckCache();
    let calls = 0;
    await assert.rejects(failing.get('k', async () => Promise.reject(new Error(`down ${++calls}`))));
    await assert.rejects(
      failing.get('k', async () => Promise.reject(new Error(`down ${++calls}`))),
      /down 2/,
    );
  });

  it('a job the lock names and the job list lacks: found on a provider that lists jobs and followed; else needs attention, forgotten on request, never sent silently', async () => {
    const assets = [
      { ...manifest.assets[0], id: 'lost-clip', prompt: 'a hero lost and found' },
      { ...manifest.assets[1], id: 'lost-big' },
    ];
    const ws = workspace(h.tmp, { assets });
    const http = (id: 'seedancee2' | 'seisoai') => h.providers[id].http;
    const first = await jobsLife(join(ws.root, '..', `jobs-lost-a-${Date.now()}.json`), h.providers);
    try {
      const r = await applyAssets({ ...ws, launchers: launchersOf(h.providers), jobs: first.jobs, http });
      assert.deepEqual(
        r.items.map((i) => i.outcome),
        ['made', 'made'],
      );
    } finally {
      await first.dispose();
    }
    // As if GenDeck stopped once each job was made, before its output was written, and the job list is another one
    // (a teammate's machine, or the list was cleared).
    const lockPath = join(ws.root, 'gendeck.lock.json');
    const { lock } = await readLock(lockPath);
    for (const id of ['lost-clip', 'lost-big']) {
      const e = lock.assets[id];
      delete e.outputHash;
      delete e.pick;
      delete e.variants[0].file;
      delete e.variants[0].fileHash;
      rmSync(join(ws.root, e.out));
    }
    writeFileSync(lockPath, lockText(lock));
    const before = createCounts(h.emulators);
    const life = await jobsLife(join(ws.root, '..', `jobs-lost-b-${Date.now()}.json`), h.providers);
    const ctx = {
      ...ws,
      launchers: launchersOf(h.providers),
      jobs: life.jobs,
      http,
      remoteJobs: remoteJobLister(h.providers),
    };
    try {
      const plan = await planAssets(ctx);
      const clip = plan.items.find((i) => i.id === 'lost-clip')!;
      const big = plan.items.find((i) => i.id === 'lost-big')!;
      assert.equal(clip.status, 'inProgress', 'Seedancee2 lists its tasks: found');
      assert.equal(clip.adopt?.[0].id, lock.assets['lost-clip'].variants[0].jobId);
      assert.equal(clip.toSend, 0);
      assert.equal(big.status, 'needsAttention', 'Seisoai lists no jobs');
      assert.match(big.reason!, /neither this job list nor seisoai has it/);
      assert.deepEqual(plan.totals, [], 'nothing to pay');
      const r = await applyAssets({ ...ctx, plan });
      assert.deepEqual(r.items.map((i) => [i.id, i.outcome]).sort(), [
        ['lost-big', 'needsAttention'],
        ['lost-clip', 'made'],
      ]);
      assert.match(r.items.find((i) => i.id === 'lost-big')!.message!, /--forget/);
      assert.deepEqual(createCounts(h.emulators), before, 'nothing sent again');
      const after = (await readLock(lockPath)).lock;
      assert.equal(after.assets['lost-clip'].outputHash, sha(join(ws.root, assets[0].out)), 'followed to its file');
      assert.ok(life.store.get(after.assets['lost-clip'].variants[0].jobKey!), 'the found job is in the list now');
      // Forgotten on request: made anew, paid once more.
      assert.equal(await forgetUnconfirmed(lockPath, 'lost-big', life.jobs), 1);
      assert.equal(await forgetUnconfirmed(lockPath, 'lost-clip', life.jobs), 0, 'a known job is kept');
      const replan = await planAssets(ctx);
      assert.deepEqual(
        replan.items.map((i) => [i.id, i.status]),
        [
          ['lost-clip', 'upToDate'],
          ['lost-big', 'missing'],
        ],
      );
      await applyAssets({ ...ctx, plan: replan });
      assert.deepEqual(createCounts(h.emulators), { ...before, seisoai: before.seisoai + 1 });
    } finally {
      await life.dispose();
    }
  });

  it('Seele: `artifact` names the output to keep (the playable page, the project zip), else the kind `out` is', async () => {
    const ws = workspace(h.tmp, {
      assets: [
        { id: 'maze-page', out: 'games/maze.html', provider: 'seele', prompt: 'a maze', artifact: 'html' },
        { id: 'maze-project', out: 'games/maze.zip', provider: 'seele', prompt: 'a maze too', artifact: 'archive' },
        { id: 'maze-default', out: 'games/default.zip', provider: 'seele', prompt: 'a maze again' },
        { id: 'maze-none', out: 'games/none.glb', provider: 'seele', prompt: 'a maze model', artifact: 'model' },
      ],
    });
    const life = await jobsLife(join(ws.root, '..', `jobs-seele-${Date.now()}.json`), h.providers);
    try {
      const r = await applyAssets({
        ...ws,
        launchers: launchersOf(h.providers),
        jobs: life.jobs,
        http: (id) => h.providers[id].http,
        concurrency: 4,
      });
      const outcome = Object.fromEntries(r.items.map((i) => [i.id, [i.outcome, i.message]]));
      assert.equal(outcome['maze-page'][0], 'made', String(outcome['maze-page'][1]));
      assert.equal(outcome['maze-project'][0], 'made');
      assert.equal(outcome['maze-default'][0], 'made');
      assert.deepEqual(outcome['maze-none'][0], 'failed');
      assert.match(String(outcome['maze-none'][1]), /no output to keep \(model\)/);
      assert.match(readFileSync(join(ws.root, 'games/maze.html'), 'utf8'), /<html|<!doctype/i);
      assert.equal(readFileSync(join(ws.root, 'games/maze.zip')).subarray(0, 2).toString(), 'PK');
      assert.equal(readFileSync(join(ws.root, 'games/default.zip')).subarray(0, 2).toString(), 'PK');
      const { lock } = await readLock(join(ws.root, 'gendeck.lock.json'));
      assert.equal(lock.assets['maze-page'].outputHash, sha(join(ws.root, 'games/maze.html')));
      assert.equal(lock.assets['maze-none'].outputHash, undefined);
    } finally {
      await life.dispose();
    }
  });
});
