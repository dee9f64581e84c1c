import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SimulatedClock } from '../../src/core/jobs/clock';
import { newJob } from '../../src/core/jobs/job';
import { PollScheduler, type PollPolicy } from '../../src/core/jobs/scheduler';
import { JobStore } from '../../src/core/jobs/store';
import type { ProviderId } from '../../src/core/providerIds';
import { DEFAULT_POLL_POLICIES } from '../../src/core/providers/index';

describe('PollScheduler budget', () => {
  it('never starts more than budgetPerSec polls in any 1 s span, even when jobs fall due at scattered times', async () => {
    const store = new JobStore(join(mkdtempSync(join(tmpdir(), 'gendeck-budget-')), 'jobs.json'), undefined, {
      saveDelayMs: 60_000,
    });
    const clock = new SimulatedClock(1_000_000);
    const starts: number[] = [];
    let n = 0;
    // Jobs come back unchanged, after a varying delay: their next polls fall due at scattered times.
    const poller = {
      poll: async () => {
        starts.push(clock.now());
        n++;
        await new Promise((r) => setTimeout(r, n % 3));
        return {};
      },
    };
    const policy: PollPolicy = { minMs: 130, maxMs: 700, factor: 1.3, budgetPerSec: 8 };
    const policies = { ...DEFAULT_POLL_POLICIES, seekapi: policy } as Record<ProviderId, PollPolicy>;
    for (let i = 0; i < 500; i++)
      store.upsert(newJob({ provider: 'seekapi', id: `job_${i}`, title: `${i}`, kind: 'worker:w', status: 'running' }));
    const scheduler = new PollScheduler(store, { seekapi: poller }, policies, clock);
    scheduler.start();
    for (let t = 0; t < 30_000; t += 37) await clock.advance(37);
    scheduler.dispose();
    let max = 0;
    for (let i = 0, j = 0; i < starts.length; i++) {
      while (starts[i] - starts[j] >= 1000) j++;
      max = Math.max(max, i - j + 1);
    }
    assert.ok(starts.length >= 8 * 25, `${starts.length} polls in 30 s`);
    assert.ok(max <= 8, `${max} polls started within one second`);
  });
});
