// What real servers may send that the sandbox never does (the docs allow it): answers scripted by a local server,
// read through the real providers over HTTP. Each case is a hole a review found: a job polled forever, a finished
// video never picked up, an estimate shown as a cost, messages that run into each other or claim a retry.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { describeError, ProviderError } from '../../src/core/errors';
import { JobStore } from '../../src/core/jobs/store';
import { newJob } from '../../src/core/jobs/job';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProviderId } from '../../src/core/providerIds';
import { createProviders, type Providers } from '../../src/core/providers/index';

type Answer = { status?: number; body?: unknown; headers?: Record<string, string> };

describe('answers real servers may send', () => {
  let server: Server;
  let origin: string;
  let providers: Providers;
  const answers = new Map<string, Answer>();
  const seen: string[] = [];

  before(async () => {
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      seen.push(`${req.method} ${path}`);
      req.resume();
      const a = answers.get(`${req.method} ${path}`) ?? { status: 404, body: { error: 'no route' } };
      res.writeHead(a.status ?? 200, { 'content-type': 'application/json', ...a.headers });
      res.end(a.body === undefined ? '' : JSON.stringify(a.body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    providers = createProviders({
      baseUrl: (id: ProviderId) => `${origin}/${id}`,
      getKey: async () => 'sk_real_server_test',
      isSandbox: () => false,
      timeoutMs: 3000,
    });
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const job = (provider: ProviderId, id: string, extra: Partial<Parameters<typeof newJob>[0]> = {}) =>
    newJob({ provider, id, title: id, kind: 'x', status: 'running', ...extra });

  it('Seele: a failure word ends the job with its message; an unknown word is shown as it is', async () => {
    answers.set('GET /seele/v2/api/jobs/j_failed', {
      body: {
        ok: true,
        data: {
          job_id: 'j_failed',
          status: 'failed',
          error: { code: 'GPU_QUOTA', message: 'GPU quota exceeded\nfor this week' },
          meta: null,
        },
      },
    });
    answers.set('GET /seele/v2/api/jobs/j_cancelled', {
      body: { ok: true, data: { job_id: 'j_cancelled', status: 'cancelled', current_operation: null } },
    });
    answers.set('GET /seele/v2/api/jobs/j_odd', {
      body: { ok: true, data: { job_id: 'j_odd', status: 'paused_for_review', current_operation: 'Testing gameplay' } },
    });
    const failed = await providers.seele.poll(job('seele', 'j_failed'));
    assert.equal(failed.status, 'failed');
    assert.deepEqual(failed.error, { code: 'GPU_QUOTA', message: 'GPU quota exceeded for this week' });
    assert.ok(failed.finishedAt);
    const cancelled = await providers.seele.poll(job('seele', 'j_cancelled'));
    assert.equal(cancelled.status, 'canceled');
    assert.match(cancelled.error?.message ?? '', /Seele reported the job as “cancelled”/);
    const odd = await providers.seele.poll(job('seele', 'j_odd'));
    assert.equal(odd.status, 'running');
    assert.equal(odd.progress, 'Testing gameplay · Seele says “paused_for_review”');
  });

  it('Seedancee2: explicit nulls in optional fields do not hide a finished video', async () => {
    answers.set('GET /seedancee2/v1/videos/generations/vid_null', {
      body: {
        data: {
          id: 'vid_null',
          status: 'completed',
          model: null,
          created_at: '2026-12-01T10:00:00Z',
          completed_at: null,
          credits_reserved: null,
          credits_charged: 25,
          credits_refunded: null,
          output: { video_url: `${origin}/media/v.mp4`, thumbnail_url: null, last_frame_url: null },
          error: null,
          metadata: null,
        },
      },
    });
    const p = await providers.seedancee2.poll(job('seedancee2', 'vid_null'));
    assert.equal(p.status, 'succeeded');
    assert.deepEqual(
      p.outputs?.map((o) => o.url),
      [`${origin}/media/v.mp4`],
    );
    assert.equal(p.cost?.amount, 25);
  });

  it('Seek API: a cancelled or failed job without cost_credits shows no estimate as its cost', async () => {
    const estimated = { amount: 5, unit: 'credits', estimated: true } as const;
    answers.set('GET /seekapi/jobs/job_c', {
      body: { job_uuid: 'job_c', status: 'cancelled', worker: 'w', cost_estimate_credits: 5, cost_credits: null },
    });
    answers.set('GET /seekapi/jobs/job_f', {
      body: { job_uuid: 'job_f', status: 'failed', worker: 'w', cost_estimate_credits: 5, error: 'worker crashed' },
    });
    for (const id of ['job_c', 'job_f']) {
      const p = await providers.seekapi.poll(job('seekapi', id, { cost: estimated }));
      assert.ok(p.status === 'canceled' || p.status === 'failed', `${id}: ${p.status}`);
      assert.ok('cost' in p && p.cost === undefined, `${id} keeps ${JSON.stringify(p.cost)}`);
    }
  });

  it("messages: the server's text ends its sentence, a redirect says so, and giving up on 429 does not promise a retry", async () => {
    answers.set('GET /seedancee2/v1/videos/generations/vid_401', {
      status: 401,
      body: { error: { code: 'invalid_api_key', message: 'Invalid or missing API key' } },
    });
    await assert.rejects(providers.seedancee2.poll(job('seedancee2', 'vid_401')), (e: ProviderError) => {
      assert.match(e.message, /Invalid or missing API key\. Run "GenDeck: Set API Key…"/);
      return true;
    });
    answers.set('GET /seedancee2/v1/videos/generations/vid_307', {
      status: 307,
      headers: { location: 'https://elsewhere.example/v1/x' },
    });
    await assert.rejects(providers.seedancee2.poll(job('seedancee2', 'vid_307')), (e: ProviderError) => {
      assert.match(
        e.message,
        /answered with a redirect \(307\) to https:\/\/elsewhere\.example\/v1\/x\. GenDeck does not follow redirects/,
      );
      assert.doesNotMatch(e.message, /rejected the request/);
      return true;
    });
    answers.set('GET /seedancee2/v1/videos/generations/vid_429', {
      status: 429,
      headers: { 'retry-after': '0' },
      body: { error: { code: 'rate_limited', message: 'Slow down' } },
    });
    const before = seen.length;
    await assert.rejects(providers.seedancee2.poll(job('seedancee2', 'vid_429')), (e: ProviderError) => {
      assert.equal(e.status, 429);
      assert.doesNotMatch(e.message, /slows down and retries/);
      assert.match(e.message, /GenDeck tried \d+ times; try again in a moment\./);
      return true;
    });
    assert.ok(seen.length - before > 1, 'it did retry before giving up');
  });

  it('a key the provider echoes back is masked in the stored job and in error messages', async () => {
    const key = 'sk_real_server_test';
    answers.set('GET /seedancee2/v1/videos/generations/vid_echo', {
      body: {
        data: {
          id: 'vid_echo',
          status: 'failed',
          error: { code: 'bad', message: `key ${key} is not allowed here` },
          metadata: { [`note-${key}`]: `you sent ${key}` },
        },
      },
    });
    const store = new JobStore(join(mkdtempSync(join(tmpdir(), 'gendeck-echo-')), 'jobs.json'));
    const j = store.upsert(job('seedancee2', 'vid_echo', { title: 'echo' }));
    store.patch(j.key, await providers.seedancee2.poll(j));
    await store.flush();
    const stored = JSON.stringify(store.get(j.key));
    assert.ok(!stored.includes(key), stored);
    assert.match(stored, /«redacted»/);
    assert.ok(!readFileSync(store.file, 'utf8').includes(key));
    assert.equal(describeError(new Error(`Seedancee2 said: ${key}`)), 'Seedancee2 said: «redacted»');
  });
});
