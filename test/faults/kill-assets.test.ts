// Assets apply killed at random points: a real child process (test/faults/assetsChild.ts) runs `apply` against this
// process's sandbox and is SIGKILLed at a random moment, then run again, until one life finishes. Between lives an
// asset reported as needing attention (its intent is in the lock, no job recorded) is resolved the way a user
// would: the provider is asked whether it has that request (here: the emulator's records); none → the intent is
// forgotten and sent again, one → that job is adopted. At the end every asset's output and lock entry are complete,
// and each asset was created on its provider exactly once. After some kills the job list itself is lost (the next
// life starts on a new store file, as on a teammate's machine): jobs the lock names are then found on the providers
// that list theirs (Seedancee2, Seek API) and followed; a Seisoai one needs attention and the user adopts it by the
// job id the lock records (adoptJob: looked up on the provider, as `gendeck apply --adopt` does). GENDECK_FAULTS_SLOW runs more kill points.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { adoptJob } from '../../src/core/assets/adopt';
import { forgetUnconfirmed } from '../../src/core/assets/apply';
import { readLock } from '../../src/core/assets/lock';
import type { AssetEntry } from '../../src/core/assets/manifest';
import type { ProviderId } from '../../src/core/providerIds';
import { PROVIDER_IDS } from '../../src/core/providers/index';
import { jobsLife, launchersOf, workspace } from '../support/assets';
import { startHarness, type Harness } from '../support/sandbox';
import { assertNoKey, guardUnhandled, reportCounts, seeded, suiteKey, suiteSeed } from './helpers';

const unhandled = guardUnhandled();
const KILLS = process.env.GENDECK_FAULTS_SLOW ? 40 : 10;
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

describe(`fault injection: assets apply killed at ${KILLS} random points`, () => {
  let h: Harness;
  const seed = suiteSeed();
  const rnd = seeded(seed);
  before(async () => {
    h = await startHarness({ key: suiteKey(), timeScale: 0.1, timeoutMs: 5000 });
  });
  after(async () => {
    await h.stop();
    unhandled.check();
  });

  it('loses no output, pays for no asset twice, and the lock ends complete', async (t) => {
    const tag = `k${seed}`;
    const assets: AssetEntry[] = [
      ...[1, 2, 3, 4].map((n) => ({
        id: `clip-${n}`,
        out: `clips/clip-${n}.mp4`,
        provider: 'seedancee2',
        model: 'mini',
        prompt: `${tag} clip ${n}`,
        params: { duration: 4, resolution: '480p' },
      })),
      ...[1, 2].map((n) => ({
        id: `profile-${n}`,
        out: `data/profile-${n}.json`,
        provider: 'seekapi',
        worker: 'linkedin-profile',
        input: { profile_url: `https://linkedin.com/in/${tag}-${n}` },
      })),
      {
        id: 'theme',
        out: 'audio/theme.wav',
        provider: 'seisoai',
        tool: 'music.generate',
        input: { prompt: `${tag} theme`, duration_seconds: 5 },
      },
    ];
    const ws = workspace(h.tmp, { assets });
    let machine = 0;
    const storeFileOf = () => join(h.tmp, `assets-kill-jobs-${seed}-m${machine}.json`);
    const baseUrls = Object.fromEntries(PROVIDER_IDS.map((id) => [id, h.sandbox.baseUrl(id)]));
    const configOf = () =>
      JSON.stringify({ baseUrls, key: h.key, root: ws.root, manifestPath: ws.manifestPath, storeFile: storeFileOf() });
    /** The emulator's records of one asset (what its provider was asked to create). */
    const recordsOf = (a: AssetEntry): { provider: ProviderId; ids: string[] } => {
      const e = h.emulators;
      if (a.provider === 'seedancee2')
        return {
          provider: 'seedancee2',
          ids: [...e.seedancee2.tasks.values()].filter((t) => t.input.prompt === a.prompt).map((t) => t.id),
        };
      if (a.provider === 'seekapi')
        return {
          provider: 'seekapi',
          ids: [...e.seekapi.jobs.values()]
            .filter((j) => j.input.profile_url === a.input!.profile_url)
            .map((j) => j.uuid),
        };
      return {
        provider: 'seisoai',
        ids: [...e.seisoai.jobs.values()].filter((j) => j.input.prompt === a.input!.prompt).map((j) => j.id),
      };
    };

    const stats = {
      lives: 0,
      kills: 0,
      needsAttention: 0,
      forgotten: 0,
      adopted: 0,
      jobListsLost: 0,
      output: '',
      last: '',
    };
    let done = false;
    while (!done) {
      assert.ok(stats.lives < KILLS + 20, `seed ${seed}: apply did not finish in ${stats.lives} lives`);
      stats.lives++;
      const child = spawn(process.execPath, [join(__dirname, 'assetsChild.js')], {
        env: { ...process.env, NODE_TEST_CONTEXT: undefined, GENDECK_ASSETS_CHILD: configOf() },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
      let timer: NodeJS.Timeout | undefined;
      if (stats.kills < KILLS) {
        // Anywhere from start-up (modules loading) to well after the first jobs finished.
        timer = setTimeout(
          () => {
            stats.kills++;
            child.kill('SIGKILL');
          },
          150 + Math.floor(rnd() * 1200),
        );
      }
      const code = await exited;
      clearTimeout(timer);
      stats.output += out;
      stats.last += `[life ${stats.lives} exit ${code}: ${out.slice(0, 300)}]`;
      if (code === 0) done = true;
      else if (code === null && stats.jobListsLost < 3 && rnd() < 0.3) {
        machine++;
        stats.jobListsLost++;
      } else if (code === 3) {
        stats.needsAttention++;
        // Needs attention: ask the provider (the emulator's records) what it has, as the user would.
        const { lock } = await readLock(join(ws.root, 'gendeck.lock.json'));
        for (const a of assets) {
          const store = await jobsLife(storeFileOf(), h.providers);
          try {
            const known = (x: { ref: string; jobKey?: string }) =>
              store.jobs
                .all()
                .some((j) => j.key === x.jobKey || (j.meta.asset as { ref?: string } | undefined)?.ref === x.ref);
            const variants = lock.assets[a.id]?.variants ?? [];
            const lost = variants.find((x) => x.state === 'sent' && x.jobId && !known(x));
            const v = lost ?? variants.find((x) => x.state === 'sending' && !known(x));
            if (!v) continue;
            const found = recordsOf(a);
            // A lost job: the lock names its id. An unconfirmed intent: the provider's records say whether it came.
            const id = lost ? lost.jobId! : found.ids[0];
            if (!lost && found.ids.length === 0) {
              stats.forgotten += await forgetUnconfirmed(join(ws.root, 'gendeck.lock.json'), a.id);
            } else {
              // By the id alone, as from the provider's dashboard: looked up there, never sent again.
              await adoptJob({
                manifestPath: ws.manifestPath,
                id: a.id,
                job: id,
                launchers: launchersOf(h.providers),
                jobs: store.jobs,
              });
              stats.adopted++;
            }
          } finally {
            await store.dispose();
          }
        }
      } else if (code !== null) assert.fail(`seed ${seed}: the child failed (exit ${code}): ${out}`);
    }

    const { lock } = await readLock(join(ws.root, 'gendeck.lock.json'));
    const duplicates: string[] = [];
    for (const a of assets) {
      const e = lock.assets[a.id];
      assert.ok(e?.outputHash, `seed ${seed}: ${a.id} complete in the lock: ${JSON.stringify(e)} ${stats.last}`);
      assert.equal(e.outputHash, sha(join(ws.root, a.out)), `${a.id}: the file is what the lock says`);
      const n = recordsOf(a).ids.length;
      if (n !== 1) duplicates.push(`${a.id}: ${n} creates`);
    }
    assert.deepEqual(duplicates, [], `seed ${seed}: each asset created exactly once`);
    assertNoKey(h.key, { lock: readFileSync(join(ws.root, 'gendeck.lock.json'), 'utf8'), output: stats.output });
    t.diagnostic(JSON.stringify({ ...stats, output: undefined, last: undefined }));
    reportCounts({
      suite: `assets apply killed at ${KILLS} random points (child process + sandbox)`,
      faultsInjected: stats.kills,
      jobs: assets.length,
      losses: 0,
      duplicates: duplicates.length,
      leaks: 0,
      unhandledRejections: unhandled.list.length,
      extra: {
        seed,
        lives: stats.lives,
        intentsForgottenUnsent: stats.forgotten,
        intentsAdopted: stats.adopted,
        jobListsLost: stats.jobListsLost,
      },
    });
  });
});
