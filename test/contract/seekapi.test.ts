import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ProviderError, ValidationError } from '../../src/core/errors';
import { JobStore } from '../../src/core/jobs/store';
import { SeekApiClient } from '../../src/core/providers/seekapi/client';
import type { SeekApiProvider } from '../../src/core/providers/seekapi/provider';
import type { SeekApiEmulator } from '../../src/core/providers/seekapi/emulator';
import { startHarness, waitFor, type Harness } from '../support/sandbox';
import type { Job, JobPatch } from '../../src/core/jobs/job';
import { join } from 'node:path';
import { createProvider } from '../../src/core/providers/index';
import { createSandbox } from '../../src/sandbox/index';
import { MEDIA_DIR } from '../support/sandbox';

/** Polls until the job reaches one of `statuses`; returns the job with every patch applied. */
async function pollUntil(p: SeekApiProvider, job: Job, statuses: string[], timeoutMs = 10_000): Promise<Job> {
  let current = job;
  return waitFor(
    async () => {
      const patch: JobPatch = await p.poll(current, new AbortController().signal);
      current = { ...current, ...patch };
      return statuses.includes(current.status) ? current : undefined;
    },
    timeoutMs,
    50,
  );
}

describe('Seek API against the sandbox', () => {
  let h: Harness;
  let emu: SeekApiEmulator;
  let p: SeekApiProvider;
  before(async () => {
    h = await startHarness({ timeScale: 0.05 });
    emu = h.emulators.seekapi;
    p = h.providers.seekapi;
  });
  after(() => h.stop());

  it('pages through the workers in the page style ({workers, page, total})', async () => {
    emu.paginationStyle = 'page';
    const seen: string[] = [];
    let page = await p.listWorkers();
    let pages = 1;
    seen.push(...page.workers.map((w) => w.id));
    while (page.next) {
      assert.ok('page' in page.next);
      page = await p.listWorkers(page.next);
      seen.push(...page.workers.map((w) => w.id));
      pages++;
    }
    // 12 marketplace workers + this account's one published deployment, 5 per page.
    assert.equal(seen.length, 13);
    assert.equal(new Set(seen).size, 13);
    assert.equal(pages, 3);
    assert.ok(seen.includes('linkedin-profile') && seen.includes('acme-invoice-parser'));
    const first = (await p.listWorkers()).workers[0];
    assert.equal(first.name, 'LinkedIn Profile');
    assert.equal(first.pricing?.perJob, 5);
  });

  it('pages through the workers in the cursor style ({data, next_cursor})', async () => {
    emu.paginationStyle = 'cursor';
    try {
      const seen: string[] = [];
      let page = await p.listWorkers();
      seen.push(...page.workers.map((w) => w.id));
      while (page.next) {
        assert.ok('cursor' in page.next);
        page = await p.listWorkers(page.next);
        seen.push(...page.workers.map((w) => w.id));
      }
      assert.equal(seen.length, 13);
      assert.equal(new Set(seen).size, 13);
    } finally {
      emu.paginationStyle = 'page';
    }
  });

  it('reads a worker: description, input schema and per-credit pricing', async () => {
    const w = await p.getWorker('google-maps-search', { fresh: true });
    assert.match(w.description ?? '', /Places/);
    assert.deepEqual((w.inputSchema as { required: string[] }).required, ['query']);
    assert.equal(w.pricing?.perUnit, 1);
    assert.equal(w.pricing?.unitField, 'max_results');
    assert.equal(p.estimate(w, { query: 'coffee in Paris', max_results: 20 }), 20);
    assert.equal(
      p.estimate(w, { query: 'coffee in Paris' }),
      10,
      'the schema default counts when the field is left out',
    );
    await assert.rejects(
      p.getWorker('no-such-worker'),
      (e: ProviderError) => e.status === 404 && /could not find/.test(e.message),
    );
  });

  it('submits a job and follows it to completed: estimate, then cost_credits, duration_ms and typed outputs', async () => {
    const w = await p.getWorker('website-screenshot');
    const { job } = await p.submit(w, { page: 'https://example.com', format: 'png' });
    assert.equal(job.status, 'queued');
    assert.equal(job.remoteStatus, 'queued');
    assert.equal(job.key, `seekapi:${job.id}`);
    assert.match(job.id, /^job_/);
    assert.deepEqual(job.cost, { amount: 2, unit: 'credits', estimated: true });
    assert.equal(job.kind, 'worker:website-screenshot');
    assert.ok(p.canCancel(job));
    // No control parameters were set, so none were sent.
    const rec = emu.jobs.get(job.id)!;
    assert.equal(rec.webhook, undefined);
    assert.equal(rec.priority, 'normal');
    const done = await pollUntil(p, job, ['succeeded', 'failed', 'timeout']);
    assert.equal(done.status, 'succeeded');
    assert.equal(done.remoteStatus, 'completed');
    assert.deepEqual(done.cost, { amount: 2, unit: 'credits', estimated: false });
    assert.equal(typeof done.meta.durationMs, 'number');
    assert.match(done.progress ?? '', /^Completed in .* · 2 credits$/);
    assert.ok(done.finishedAt);
    assert.equal(done.outputs[0].kind, 'json');
    assert.equal((done.outputs[0].value as { page: string }).page, 'https://example.com');
    const image = done.outputs.find((o) => o.kind === 'image');
    assert.ok(image?.url?.includes('/media/seekapi/'), 'the screenshot URL in the result became an image output');
    assert.equal(image?.label, 'screenshot_url');
    assert.equal(p.canCancel(done), false);
  });

  it('sends priority and webhook at the top level only when set', async () => {
    assert.deepEqual(SeekApiClient.submissionBody({ workerId: 'x', input: { a: 1 } }), { a: 1 });
    assert.deepEqual(
      SeekApiClient.submissionBody({
        workerId: 'x',
        input: { a: 1 },
        priority: 'high',
        webhook: 'https://myapp.com/hooks/seek',
      }),
      { a: 1, priority: 'high', webhook: 'https://myapp.com/hooks/seek' },
    );
    const w = await p.getWorker('email-finder');
    const { job } = await p.submit(
      w,
      { domain: 'example.com', first_name: 'Ada', last_name: 'Lovelace' },
      { priority: 'high', webhook: 'https://myapp.com/hooks/seek' },
    );
    const rec = emu.jobs.get(job.id)!;
    assert.equal(rec.priority, 'high');
    assert.equal(rec.webhook, 'https://myapp.com/hooks/seek');
    assert.deepEqual(rec.input, { domain: 'example.com', first_name: 'Ada', last_name: 'Lovelace' });
    const done = await pollUntil(p, job, ['succeeded']);
    assert.equal((done.outputs[0].value as { email: string }).email, 'ada.lovelace@example.com');
    assert.ok(emu.webhookLog.some((e) => e.job_uuid === job.id && e.event === 'job.completed'));
  });

  it('ends [fail] jobs as failed with the error, and [timeout] jobs as timeout with 0 credits', async () => {
    const w = await p.getWorker('email-finder');
    const failed = await pollUntil(
      p,
      (await p.submit(w, { domain: 'example.com', first_name: '[fail]', last_name: 'x' })).job,
      ['failed', 'succeeded', 'timeout'],
    );
    assert.equal(failed.status, 'failed');
    assert.match(failed.error?.message ?? '', /crashed/);
    assert.equal(failed.cost?.amount, 0);
    const timedOut = await pollUntil(
      p,
      (await p.submit(w, { domain: 'example.com', first_name: '[timeout]', last_name: 'x' })).job,
      ['failed', 'succeeded', 'timeout'],
    );
    assert.equal(timedOut.status, 'timeout');
    assert.equal(timedOut.remoteStatus, 'timeout');
    assert.deepEqual(timedOut.cost, { amount: 0, unit: 'credits', estimated: false });
    assert.match(timedOut.error?.message ?? '', /max_duration/);
  });

  it('fails or times out a seeded share of jobs when asked, the same way on every run (off by default)', () => {
    const outcomes = () => emu.seedJobs(h.key, 40).map((a) => emu.jobs.get(a.job_uuid)!.outcome);
    assert.equal(emu.randomFailRate, 0);
    assert.ok(outcomes().every((o) => o === 'completed'));
    emu.randomFailRate = 0.5;
    try {
      emu.seed(7);
      const first = outcomes();
      emu.seed(7);
      assert.deepEqual(outcomes(), first);
      for (const kind of ['completed', 'failed', 'timeout'])
        assert.ok(first.includes(kind as never), `${kind} in ${first.join(',')}`);
    } finally {
      emu.randomFailRate = 0;
    }
  });

  it('cancels a queued job', async () => {
    const w = await p.getWorker('email-finder');
    const before = (await p.account()).credits.balance;
    const { job } = await p.submit(w, { domain: 'example.com', first_name: '[hold] Ada', last_name: 'x' });
    assert.ok(p.canCancel(job));
    assert.ok(((await p.account()).credits.balance ?? 0) < (before ?? 0), 'credits are held while it waits');
    h.events.length = 0;
    const patch = await p.cancel(job);
    assert.equal(patch.status, 'canceled');
    // The held credits are back, and the view is told its balance is stale (no manual refresh).
    assert.deepEqual(
      h.events.map((e) => e.stale),
      ['account'],
    );
    assert.equal((await p.account()).credits.balance, before);
    assert.equal(patch.remoteStatus, 'cancelled');
    const after = { ...job, ...patch };
    assert.equal(p.canCancel(after), false);
    const polled = await p.poll(after);
    assert.equal(polled.status, 'canceled');
  });

  it('refuses to cancel a running job with a clear message', async () => {
    // `[slow]` anywhere in the input keeps it running (2 s here) long enough to try.
    const slow = await p.submit(await p.getWorker('image-to-3d'), {
      image_link: 'https://example.com/[slow]/chair.jpg',
    });
    const running = await pollUntil(p, slow.job, ['running', 'succeeded']);
    assert.equal(running.status, 'running');
    assert.equal(p.canCancel(running), false, 'no Cancel action on a running job');
    await assert.rejects(p.cancel(running), (e: ProviderError) => {
      assert.equal(e.code, 'not_cancellable');
      assert.equal(e.status, 409);
      assert.match(
        e.message,
        /Cannot cancel Seek API job job_\w+: it is already running\. Only queued or pending jobs can be cancelled\./,
      );
      return true;
    });
  });

  it('maps a 422 to per-field errors, and checks the same input locally before sending', async () => {
    const bad = { query: 'x', max_results: 500, language: 'xx', bogus: true };
    await assert.rejects(
      p.client.submitJob({ workerId: 'google-maps-search', input: bad, priority: 'urgent' }),
      (e: ProviderError) => {
        assert.equal(e.status, 422);
        assert.equal(e.code, 'validation_error');
        assert.deepEqual(Object.keys(e.fields ?? {}).sort(), ['bogus', 'language', 'max_results', 'priority', 'query']);
        assert.match(e.fields!.max_results, /<= 100/);
        assert.match(e.message, /rejected the input for google-maps-search: /);
        return true;
      },
    );
    const before = emu.count(h.key, { method: 'POST' });
    const w = await p.getWorker('google-maps-search');
    await assert.rejects(p.submit(w, bad, { priority: 'urgent' }), (e: ValidationError) => {
      assert.ok(e instanceof ValidationError);
      assert.deepEqual(Object.keys(e.fields).sort(), ['bogus', 'language', 'max_results', 'priority', 'query']);
      return true;
    });
    assert.equal(emu.count(h.key, { method: 'POST' }), before, 'nothing was sent');
  });

  it('says credits are insufficient on 402, and refreshes the workers on 404', async () => {
    const w = await p.getWorker('image-to-3d');
    emu.setBalance(h.key, 3);
    try {
      await assert.rejects(
        p.submit(w, { image_link: 'https://example.com/a.jpg' }),
        (e: ProviderError) =>
          e.status === 402 && /Not enough Seek API credits/.test(e.message) && /needs 10/.test(e.message),
      );
    } finally {
      emu.setBalance(h.key, 1000);
    }
    h.events.length = 0;
    await assert.rejects(
      p.submit('retired-worker', { a: 1 }),
      (e: ProviderError) =>
        e.status === 404 && e.code === 'worker_not_found' && /workers list will be refreshed/.test(e.message),
    );
    assert.deepEqual(
      h.events.map((e) => e.stale),
      ['workers'],
    );
    await assert.rejects(
      p.poll({ ...(await p.submit(w, { image_link: 'https://example.com/a.jpg' })).job, id: 'job_000000000000' }),
      (e: ProviderError) => e.status === 404,
    );
    await assert.rejects(
      p.validateKey('not-a-key'),
      (e: ProviderError) => e.status === 401 && /rejected the API key/.test(e.message),
    );
  });

  it('lists the latest jobs and merges them into the store without duplicates', async () => {
    const store = new JobStore(join(h.tmp, 'jobs.json'));
    const w = await p.getWorker('email-finder');
    const { job } = await p.submit(w, { domain: 'example.com', first_name: 'Grace', last_name: 'Hopper' });
    store.upsert(job);
    const merge = async () => {
      let added = 0;
      for (const remote of await p.listRemote()) {
        if (store.get(remote.key)) continue;
        store.upsert(remote);
        added++;
      }
      return added;
    };
    const remote = await p.listRemote();
    assert.ok(remote.length >= 8 && remote.length <= 100);
    assert.equal(new Set(remote.map((j) => j.key)).size, remote.length);
    const added = await merge();
    assert.equal(added, remote.length - 1, 'the job already in the store is not added again');
    assert.equal(await merge(), 0);
    assert.equal(store.all().length, remote.length);
    assert.equal(store.get(job.key)?.title, job.title, 'the local job keeps its own title');
    assert.ok(remote.every((j) => j.provider === 'seekapi' && j.kind.startsWith('worker:')));
    await store.flush();
  });

  it('shows the account: plan, balance, usage and deployments; publishes a draft', async () => {
    const o = await p.account();
    assert.equal(o.account.plan, 'free');
    assert.equal(typeof o.credits.balance, 'number');
    assert.ok(o.credits.usage.length >= 3 && o.credits.usage.every((u) => /^\d{4}-\d{2}-\d{2}$/.test(u.date)));
    assert.deepEqual(
      o.deployments.map((d) => [d.id, d.status]),
      [
        ['acme-price-tracker', 'draft'],
        ['acme-invoice-parser', 'published'],
      ],
    );
    h.events.length = 0;
    assert.equal((await p.publish('acme-price-tracker')).status, 'published');
    assert.deepEqual(
      h.events.map((e) => e.stale),
      ['workers', 'account'],
    );
    assert.equal((await p.client.deployments()).find((d) => d.id === 'acme-price-tracker')?.status, 'published');
    const page = await p.listWorkers({ page: 3, perPage: 5 });
    assert.ok(
      page.workers.some((x) => x.id === 'acme-price-tracker'),
      'a published worker joins the marketplace',
    );
    await assert.rejects(
      p.publish('linkedin-profile'),
      (e: ProviderError) => e.status === 404 && /not one of your deployments/.test(e.message),
    );
  });

  it('keeps jobs, balances and deployments across a sandbox restart (state file), without storing the key', async () => {
    const stateFile = join(h.tmp, 'sandbox-state.json');
    const key = 'sk_test_restart_0123456789';
    const start = async () => {
      const sb = createSandbox({ mediaDir: MEDIA_DIR, timeScale: 0.05, stateFile, acceptTestKeys: true });
      await sb.start();
      return {
        sb,
        p: createProvider('seekapi', {
          baseUrl: () => sb.baseUrl('seekapi'),
          getKey: async () => key,
          timeoutMs: 5000,
        }),
      };
    };
    const a = await start();
    const { job } = await a.p.submit(await a.p.getWorker('email-finder'), {
      domain: 'example.com',
      first_name: 'Ada',
      last_name: 'L',
    });
    await a.p.publish('acme-price-tracker');
    await a.sb.stop();
    const b = await start();
    try {
      const done = await pollUntil(b.p, job, ['succeeded']);
      assert.equal(done.cost?.amount, 2);
      assert.equal((await b.p.account()).credits.balance, 98);
      assert.equal((await b.p.client.deployments()).find((d) => d.id === 'acme-price-tracker')?.status, 'published');
      const { readFileSync } = await import('node:fs');
      assert.ok(
        !readFileSync(stateFile, 'utf8').includes(key),
        'the state file holds a hash of the key, never the key',
      );
    } finally {
      await b.sb.stop();
    }
  });

  it('never sends the key anywhere but the header, nor logs it', async () => {
    const text = h.log.lines.join('\n');
    assert.ok(!text.includes(h.key));
  });
});
