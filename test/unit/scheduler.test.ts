import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ProviderError } from '../../src/core/errors';
import { SimulatedClock } from '../../src/core/jobs/clock';
import { newJob, type Job, type JobPatch } from '../../src/core/jobs/job';
import { PollScheduler, type PollPolicy } from '../../src/core/jobs/scheduler';
import { JobStore } from '../../src/core/jobs/store';
import type { ProviderId } from '../../src/core/providerIds';
import { DEFAULT_POLL_POLICIES } from '../../src/core/providers/index';

function setup(poll: (job: Job) => Promise<JobPatch>, policy: Partial<PollPolicy> = {}) {
  const store = new JobStore(join(mkdtempSync(join(tmpdir(), 'gendeck-sched-')), 'jobs.json'));
  const clock = new SimulatedClock(1_000_000);
  const calls: { key: string; at: number }[] = [];
  const policies = {
    ...DEFAULT_POLL_POLICIES,
    seedancee2: { ...DEFAULT_POLL_POLICIES.seedancee2, ...policy },
  } as Record<ProviderId, PollPolicy>;
  const scheduler = new PollScheduler(
    store,
    {
      seedancee2: {
        poll: (job) => {
          calls.push({ key: job.key, at: clock.now() });
          return poll(job);
        },
      },
    },
    policies,
    clock,
  );
  return { store, clock, calls, scheduler };
}

const job = (i: number, status: Job['status'] = 'running') =>
  newJob({ provider: 'seedancee2', id: `v${i}`, title: `t${i}`, kind: 'video', status });

describe('PollScheduler', () => {
  it('sends no request and arms no timer when nothing is active', async () => {
    const { store, clock, calls, scheduler } = setup(async () => ({}));
    store.upsert(job(1, 'succeeded'));
    scheduler.start();
    await clock.advance(10 * 60_000);
    assert.equal(calls.length, 0);
    assert.equal(clock.pendingTimers(), 0);
    scheduler.dispose();
  });

  it('polls an active job until it finishes, then stops', async () => {
    let n = 0;
    const { store, clock, calls, scheduler } = setup(async () =>
      ++n >= 3 ? { status: 'succeeded' } : { progress: `step ${n}` },
    );
    store.upsert(job(1));
    scheduler.start();
    await clock.advance(5 * 60_000);
    assert.equal(calls.length, 3);
    assert.equal(store.get('seedancee2:v1')?.status, 'succeeded');
    assert.equal(clock.pendingTimers(), 0);
    scheduler.dispose();
  });

  it('backs off while nothing changes, up to the maximum interval', async () => {
    const { store, clock, calls, scheduler } = setup(async () => ({ progress: 'same' }), {
      minMs: 1000,
      maxMs: 8000,
      factor: 2,
    });
    store.upsert(job(1));
    scheduler.start();
    await clock.advance(60_000);
    const gaps = calls.slice(1).map((c, i) => c.at - calls[i].at);
    assert.deepEqual(gaps.slice(0, 5), [1000, 2000, 4000, 8000, 8000]);
    scheduler.dispose();
  });

  it('never has two requests in flight for one job', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const { store, clock, scheduler } = setup(
      async () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        return {};
      },
      { minMs: 10, maxMs: 10, factor: 1 },
    );
    store.upsert(job(1));
    scheduler.start();
    for (let i = 0; i < 50; i++) {
      scheduler.kick();
      await clock.advance(10);
    }
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(maxInFlight, 1);
    scheduler.dispose();
  });

  it('holds each provider to its budget per second', async () => {
    const { store, clock, calls, scheduler } = setup(async () => ({}), {
      minMs: 100,
      maxMs: 100,
      factor: 1,
      budgetPerSec: 5,
    });
    for (let i = 0; i < 40; i++) store.upsert(job(i));
    scheduler.start();
    await clock.advance(10_000);
    const perSecond = new Map<number, number>();
    for (const c of calls)
      perSecond.set(
        Math.floor((c.at - 1_000_000) / 1000),
        (perSecond.get(Math.floor((c.at - 1_000_000) / 1000)) ?? 0) + 1,
      );
    assert.ok(Math.max(...perSecond.values()) <= 5, `max per second ${Math.max(...perSecond.values())}`);
    assert.ok(calls.length >= 40, 'every job got polled');
    scheduler.dispose();
  });

  it('serves the longest-waiting jobs first when the budget is short, so none starves', async () => {
    let n = 0;
    const { store, clock, calls, scheduler } = setup(async () => ({ progress: `tick ${++n}` }), {
      minMs: 100,
      maxMs: 100,
      factor: 1,
      budgetPerSec: 5,
    });
    for (let i = 0; i < 40; i++) store.upsert(job(i));
    scheduler.start();
    await clock.advance(60_000);
    const byJob = new Map<string, number[]>();
    for (const c of calls) byJob.set(c.key, [...(byJob.get(c.key) ?? []), c.at]);
    assert.equal(byJob.size, 40, 'every job polled');
    const gaps = [...byJob.values()].flatMap((ts) => ts.slice(1).map((t, i) => t - ts[i]));
    // 40 jobs at 5 polls/s: each job's turn comes about every 8 s.
    assert.ok(Math.max(...gaps) < 12_000, `longest gap ${Math.max(...gaps)} ms`);
    scheduler.dispose();
  });

  it('pauses a provider whose key is rejected and resumes when asked', async () => {
    let reject = true;
    const { store, clock, calls, scheduler } = setup(async () => {
      if (reject) throw new ProviderError({ provider: 'seedancee2', status: 401, code: 'unauthorized', message: 'no' });
      return { status: 'succeeded' };
    });
    store.upsert(job(1));
    scheduler.start();
    await clock.advance(60_000);
    assert.equal(calls.length, 1);
    assert.match(store.get('seedancee2:v1')?.progress ?? '', /Paused/);
    reject = false;
    scheduler.resumeProvider('seedancee2');
    await clock.advance(60_000);
    assert.equal(store.get('seedancee2:v1')?.status, 'succeeded');
    scheduler.dispose();
  });
});
