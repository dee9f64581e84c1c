// The walkthrough's provider steps complete on a real success: the context key per provider is set once, for jobs
// already in the list and for jobs that succeed later, and never for one that only ran or failed.
import { executedCommands } from '../support/vscodeStub';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { newJob } from '../../src/core/jobs/job';
import { JobStore } from '../../src/core/jobs/store';
import { Onboarding } from '../../src/views/onboarding';

describe('onboarding: a step per provider, done by a real success', () => {
  it('sets gendeck.succeeded.<provider> once per provider, on success only', () => {
    const store = new JobStore(join(mkdtempSync(join(tmpdir(), 'gendeck-onboarding-')), 'jobs.json'));
    store.upsert(newJob({ provider: 'seele', id: 'g1', title: 'game', kind: 'game', status: 'succeeded' }));
    store.upsert(newJob({ provider: 'seedancee2', id: 'v1', title: 'video', kind: 'video', status: 'running' }));
    const seen = () =>
      executedCommands
        .filter((c) => c.command === 'setContext' && String(c.args[0]).startsWith('gendeck.succeeded.'))
        .map((c) => [c.args[0], c.args[1]]);
    executedCommands.length = 0;
    const onboarding = new Onboarding(store);
    assert.deepEqual(seen(), [['gendeck.succeeded.seele', true]], 'jobs already in the list count');
    store.patch('seedancee2:v1', { status: 'failed' });
    assert.equal(seen().length, 1, 'a failure completes nothing');
    store.patch('seedancee2:v1', { status: 'succeeded' });
    store.upsert(newJob({ provider: 'seele', id: 'g2', title: 'game 2', kind: 'game', status: 'succeeded' }));
    onboarding.succeeded('seeknetic');
    onboarding.succeeded('seeknetic');
    assert.deepEqual(seen(), [
      ['gendeck.succeeded.seele', true],
      ['gendeck.succeeded.seedancee2', true],
      ['gendeck.succeeded.seeknetic', true],
    ]);
    onboarding.dispose();
  });
});
