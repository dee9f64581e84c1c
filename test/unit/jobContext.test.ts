// The words the Jobs view's menus test (jobContextValue): Run Again only on a job that has ended.
import '../support/vscodeStub';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newJob } from '../../src/core/jobs/job';
import { jobContextValue } from '../../src/views/jobsTree';

const job = (status: 'running' | 'queued' | 'succeeded' | 'failed') =>
  newJob({ provider: 'seedancee2', id: 'v', title: 't', kind: 'video', status, request: { model: 'mini' } });

describe('Jobs view context words', () => {
  it('offers Run Again on ended jobs only, never on a queued or running one', () => {
    for (const s of ['queued', 'running'] as const) assert.doesNotMatch(jobContextValue(job(s), undefined), /canRetry/);
    for (const s of ['succeeded', 'failed'] as const) assert.match(jobContextValue(job(s), undefined), /\bcanRetry\b/);
  });
});
