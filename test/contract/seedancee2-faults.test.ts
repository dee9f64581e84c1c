import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { describeError, ProviderError } from '../../src/core/errors';
import { realClock } from '../../src/core/jobs/clock';
import { PollScheduler } from '../../src/core/jobs/scheduler';
import { JobStore } from '../../src/core/jobs/store';
import type { ProviderId } from '../../src/core/providerIds';
import { DEFAULT_POLL_POLICIES } from '../../src/core/providers/index';
import { redactor } from '../../src/core/redact';
import { startHarness, waitFor, type Harness } from '../support/sandbox';

const mini = { model: 'mini', input: { prompt: 'a calm lake', duration: 4, resolution: '480p' } };

describe('Seedancee2 under faults', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.stop());

  it('retries a GET on 429 and 500, honouring Retry-After', async () => {
    const p = h.providers.seedancee2;
    const { job } = await p.submit(mini, undefined);
    h.sandbox.faults.add({
      provider: 'seedancee2',
      method: 'GET',
      path: '/v1/videos/generations/',
      kind: 'status',
      status: 429,
      retryAfterSec: 0.3,
      times: 1,
    });
    h.sandbox.faults.add({
      provider: 'seedancee2',
      method: 'GET',
      path: '/v1/videos/generations/',
      kind: 'status',
      status: 500,
      retryAfterSec: 0,
      times: 1,
    });
    const before = h.sandbox.countFor('seedancee2');
    const t0 = Date.now();
    const patch = await p.poll(job);
    assert.ok(patch.status, 'the poll succeeded in the end');
    assert.equal(h.sandbox.countFor('seedancee2') - before, 3, 'two failures then a success');
    assert.ok(Date.now() - t0 >= 280, 'waited out Retry-After');
  });

  it('does not retry a create POST that got a 500', async () => {
    h.sandbox.faults.add({ provider: 'seedancee2', method: 'POST', kind: 'status', status: 500, times: 1 });
    const before = h.sandbox.countFor('seedancee2');
    await assert.rejects(h.providers.seedancee2.submit(mini, undefined), (e: ProviderError) => e.status === 500);
    assert.equal(h.sandbox.countFor('seedancee2') - before, 1);
  });

  it('a create whose connection drops after the server accepted it is found via the list, not sent again', async () => {
    const emu = (h.sandbox as unknown as { emulators: { id: string; tasks: Map<string, unknown> }[] }).emulators.find(
      (e) => e.id === 'seedancee2',
    )!;
    const tasksBefore = emu.tasks.size;
    h.sandbox.faults.add({
      provider: 'seedancee2',
      method: 'POST',
      path: '/v1/videos/generations',
      kind: 'reset-after',
      times: 1,
    });
    const { job, recovered } = await h.providers.seedancee2.submit(mini, undefined);
    assert.equal(recovered, true);
    assert.equal(emu.tasks.size - tasksBefore, 1, 'exactly one task was created');
    assert.ok(emu.tasks.has(job.id));
  });

  it('a create whose connection drops before the server saw it is reported, not retried', async () => {
    h.sandbox.faults.add({
      provider: 'seedancee2',
      method: 'POST',
      path: '/v1/videos/generations',
      kind: 'reset-before',
      times: 1,
    });
    const before = h.sandbox.countFor('seedancee2');
    await assert.rejects(
      h.providers.seedancee2.submit(mini, undefined),
      (e: ProviderError) => e.maybeAccepted && /not in the task list/.test(e.message),
    );
    const posts = [...h.sandbox.requests].filter(([k]) => k.startsWith('POST')).reduce((s, [, v]) => s + v, 0);
    assert.ok(posts >= 1);
    assert.ok(h.sandbox.countFor('seedancee2') - before >= 1);
  });

  it('tolerates extra fields and rejects a missing required field with a clear message', async () => {
    const p = h.providers.seedancee2;
    const { job } = await p.submit(mini, undefined);
    h.sandbox.faults.add({ provider: 'seedancee2', method: 'GET', kind: 'extra-fields', times: 1 });
    const patch = await p.poll(job);
    assert.ok(patch.status);
    assert.ok(JSON.stringify(patch.raw).includes('x_unexpected_field'), 'raw keeps the extra fields');
    h.sandbox.faults.add({ provider: 'seedancee2', method: 'GET', kind: 'drop-field', field: 'data.status', times: 1 });
    await assert.rejects(
      p.poll(job),
      (e: ProviderError) => e.code === 'bad_response' && /data\.status is missing/.test(e.message),
    );
  });

  it('malformed and truncated JSON become clear errors (retried for GET)', async () => {
    const p = h.providers.seedancee2;
    const { job } = await p.submit(mini, undefined);
    h.sandbox.faults.add({ provider: 'seedancee2', method: 'GET', kind: 'malformed', times: 10 });
    await assert.rejects(
      p.poll(job),
      (e: ProviderError) => e.code === 'bad_response' && /not valid JSON/.test(e.message),
    );
    h.sandbox.faults.clear();
    h.sandbox.faults.add({ provider: 'seedancee2', method: 'GET', kind: 'truncate', times: 1 });
    const patch = await p.poll(job);
    assert.ok(patch.status, 'recovered after one truncated answer');
  });

  it('the store survives a restart mid-poll and polling resumes to completion', async () => {
    const file = join(h.tmp, 'jobs-restart.json');
    const policies = {
      ...DEFAULT_POLL_POLICIES,
      seedancee2: { minMs: 20, maxMs: 60, factor: 1.5, budgetPerSec: 50 },
    } as Record<ProviderId, typeof DEFAULT_POLL_POLICIES.seedancee2>;
    const store1 = new JobStore(file);
    await store1.load();
    const s1 = new PollScheduler(store1, { seedancee2: h.providers.seedancee2 }, policies, realClock);
    s1.start();
    const { job } = await h.providers.seedancee2.submit(
      { ...mini, input: { ...mini.input, prompt: 'restart [slow]' } },
      undefined,
    );
    store1.upsert(job);
    await waitFor(() => (store1.get(job.key)?.status === 'running' ? true : undefined));
    s1.dispose(); // the extension host dies here, mid-poll
    await store1.flush();
    const store2 = new JobStore(file);
    await store2.load();
    assert.equal(store2.get(job.key)?.status, 'running');
    const s2 = new PollScheduler(store2, { seedancee2: h.providers.seedancee2 }, policies, realClock);
    s2.start();
    await waitFor(() => (store2.get(job.key)?.status === 'succeeded' ? true : undefined), 20_000);
    s2.dispose();
  });

  it('the key never appears in the log or in any error message', async () => {
    const messages: string[] = [];
    const p = h.providers.seedancee2;
    h.sandbox.faults.add({ provider: 'seedancee2', kind: 'status', status: 500, times: 2 });
    for (const attempt of [
      () => p.client.listModels({ key: h.key + 'x' }),
      () => p.client.getVideo('nope'),
      () => p.submit(mini, undefined),
      () => p.client.usage({ limit: 999 }),
    ]) {
      try {
        await attempt();
      } catch (err) {
        messages.push(describeError(err), String((err as Error).stack));
      }
    }
    const all = [...messages, ...h.log.lines].join('\n');
    assert.ok(messages.length >= 3);
    assert.ok(!all.includes(h.key), 'key leaked');
    assert.ok(!redactor.redact(`Authorization: Bearer ${h.key}`).includes(h.key));
  });
});
