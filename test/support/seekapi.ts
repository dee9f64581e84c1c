import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { newJob } from '../../src/core/jobs/job';
import { PollScheduler, type PollPolicy } from '../../src/core/jobs/scheduler';
import { JobStore } from '../../src/core/jobs/store';
import type { ProviderId } from '../../src/core/providerIds';
import { SeekApiProvider } from '../../src/core/providers/seekapi/provider';
import { DEFAULT_POLL_POLICIES } from '../../src/core/providers/index';
import type { Harness } from './sandbox';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A Seek provider of its own (own key, own token bucket) against the harness's sandbox. */
export function providerFor(h: Harness, key: () => string): SeekApiProvider {
  return h.create('seekapi', { getKey: async () => key() });
}

/**
 * Runs `count` active Seek jobs through the real PollScheduler (real budget logic; a shorter
 * poll interval than the product's so the test is quick) and records what the emulator saw.
 */
export async function pollManyJobs(
  h: Harness,
  o: { count: number; runMs?: number; untilAllDone?: boolean; timeoutMs?: number },
) {
  const emu = h.emulators.seekapi;
  const key = `sk_test_${randomBytes(12).toString('hex')}`;
  const p = providerFor(h, () => key);
  await p.me(); // learn the plan (Free): 10 req/s, burst 20
  const store = new JobStore(join(h.tmp, `load-${key.slice(-6)}.json`), h.log, { saveDelayMs: 5_000 });
  for (const a of emu.seedJobs(key, o.count)) {
    store.upsert(
      newJob({
        provider: 'seekapi',
        id: a.job_uuid,
        title: a.job_uuid,
        kind: `worker:${a.worker}`,
        status: 'queued',
        remoteStatus: a.status,
        createdAt: a.created_at,
      }),
    );
  }
  // The provider's own policy object (its budget follows the key's limits), with quicker intervals.
  const policy: PollPolicy = Object.defineProperties(
    { ...p.pollPolicy, minMs: 150, maxMs: 600 },
    { budgetPerSec: { get: () => p.pollPolicy.budgetPerSec, enumerable: true } },
  );
  const policies = { ...DEFAULT_POLL_POLICIES, seekapi: policy } as Record<ProviderId, PollPolicy>;
  const started = Date.now();
  const scheduler = new PollScheduler(store, { seekapi: p }, policies, undefined, h.log);
  scheduler.start();
  // A user action in the middle of it all must still get through promptly.
  await sleep(1500);
  const t0 = Date.now();
  await p.client.credits();
  const userActionMs = Date.now() - t0;
  const deadline = started + (o.timeoutMs ?? 120_000);
  for (;;) {
    const active = store.all().filter((j) => j.status === 'queued' || j.status === 'running').length;
    if (o.untilAllDone ? active === 0 : Date.now() - started >= (o.runMs ?? 4000)) break;
    if (Date.now() > deadline) break;
    await sleep(100);
  }
  const elapsedMs = Date.now() - started;
  scheduler.dispose();
  await sleep(50);
  const jobs = store.all();
  return {
    provider: p,
    key,
    elapsedMs,
    userActionMs,
    finished: jobs.filter((j) => j.status === 'succeeded').length,
    active: jobs.filter((j) => j.status === 'queued' || j.status === 'running').length,
    perSecond: emu.perSecond(key, started),
    requests: emu.count(key, { since: started }),
    rejected: emu.count(key, { status: 429 }),
    polls: scheduler.stats.requests.seekapi ?? 0,
  };
}
