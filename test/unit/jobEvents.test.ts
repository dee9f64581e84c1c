// The job event log: a line when a job is submitted, at each status change (with the reason and the cost) and
// when it is removed; nothing for a patch that changes no status, nothing for the jobs already there.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { JobEventLog } from '../../src/core/jobs/events';
import { newJob } from '../../src/core/jobs/job';
import { JobStore } from '../../src/core/jobs/store';
import { MemoryLogger } from '../support/sandbox';

describe('job event log', () => {
  it('tells each job its story in the log', async () => {
    const store = new JobStore(join(mkdtempSync(join(tmpdir(), 'gendeck-events-')), 'jobs.json'));
    await store.load();
    store.upsert(newJob({ provider: 'seele', id: 'old', title: 'old', kind: 'game', status: 'running' }));
    const log = new MemoryLogger();
    const events = new JobEventLog(store, log);
    const job = newJob({ provider: 'seedancee2', id: 'v1', title: 'A red fox', kind: 'video', status: 'queued' });
    store.upsert({ ...job, cost: { amount: 20, unit: 'credits', estimated: true } });
    store.patch(job.key, { status: 'running', progress: '10%' });
    store.patch(job.key, { progress: '50%' });
    store.patch(job.key, {
      status: 'failed',
      error: { code: 'generation_failed', message: 'The video could not be generated.' },
      cost: { amount: 0, unit: 'credits', estimated: false, refunded: 20 },
    });
    store.remove(job.key);
    assert.deepEqual(log.lines, [
      'info Job seedancee2:v1 submitted (queued): “A red fox” · ~20 credits',
      'info Job seedancee2:v1 queued → running · “A red fox” · ~20 credits',
      'warn Job seedancee2:v1 running → failed: The video could not be generated. · “A red fox” · 0 credits (20 refunded)',
      'info Job seedancee2:v1 removed from the list.',
    ]);
    events.dispose();
  });
});
