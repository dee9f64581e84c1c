import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ProviderError, ValidationError } from '../../src/core/errors';
import { startHarness, waitFor, type Harness } from '../support/sandbox';

describe('Seedancee2 against the sandbox', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.stop());

  it('runs a task to completed with charged credits and outputs', async () => {
    const p = h.providers.seedancee2;
    const { job } = await p.submit(
      { model: 'mini', input: { prompt: 'waves on rocks', duration: 5, resolution: '720p', aspect_ratio: '16:9' } },
      undefined,
    );
    assert.equal(job.status, 'queued');
    assert.equal(job.cost?.amount, 50);
    assert.equal(job.cost?.estimated, true);
    const done = await waitFor(async () => {
      const patch = await p.poll(job);
      return patch.status === 'succeeded' ? patch : undefined;
    });
    assert.equal(done.cost?.amount, 50);
    assert.equal(done.cost?.estimated, false);
    assert.deepEqual(
      done.outputs?.map((o) => o.kind),
      ['video', 'image'],
    );
  });

  it('runs a failing task to failed and shows the refund', async () => {
    const p = h.providers.seedancee2;
    const { job } = await p.submit(
      { model: 'pro', input: { prompt: 'this will [fail]', duration: 4, resolution: '480p' } },
      undefined,
    );
    const done = await waitFor(async () => {
      const patch = await p.poll(job);
      return patch.status === 'failed' ? patch : undefined;
    });
    assert.equal(done.cost?.refunded, 40);
    assert.equal(done.cost?.amount, 0);
    assert.equal(done.error?.code, 'generation_failed');
  });

  it('usage: a failed video was charged when it was reserved and refunded after, so the net is never negative', async () => {
    // The two tests above ran one 50-credit success and one 40-credit failure under this key.
    const u = await h.providers.seedancee2.client.usage({ limit: 30 });
    assert.equal(u.summary.credits_charged, 90);
    assert.equal(u.summary.credits_refunded, 40);
    assert.equal(u.summary.net_credits, 50);
    for (const m of u.by_model) assert.ok((m.net_credits ?? 0) >= 0, `${m.model}: net ${m.net_credits}`);
  });

  it('rejects bad input before any request is sent', async () => {
    const p = h.providers.seedancee2;
    const before = h.sandbox.countFor('seedancee2');
    const bad = [
      { model: 'mini', input: { prompt: '   ' } },
      { model: 'mini', input: { prompt: 'x', duration: 3 } },
      { model: 'mini', input: { prompt: 'x', duration: 16 } },
      { model: 'mini', input: { prompt: 'x', resolution: '1080p' } },
      {
        model: 'pro',
        input: { prompt: 'x', generation_type: 'first_and_last_frames' as const, image_urls: ['https://a/b.png'] },
      },
      { model: 'pro', input: { prompt: 'x', image_urls: Array.from({ length: 10 }, (_, i) => `https://a/${i}.png`) } },
      { model: 'pro', input: { prompt: 'x', video_url: 'https://a/v.mp4', video_urls: ['https://a/w.mp4'] } },
      {
        model: 'pro',
        input: {
          prompt: 'x',
          audio_urls: ['https://a/1.wav', 'https://a/2.wav', 'https://a/3.wav', 'https://a/4.wav'],
        },
      },
    ];
    for (const req of bad) await assert.rejects(p.submit(req, undefined), ValidationError);
    assert.equal(h.sandbox.countFor('seedancee2'), before);
  });

  it('maps every documented error to a clear message', async () => {
    const p = h.providers.seedancee2;
    await assert.rejects(
      p.client.listModels({ key: 'wrong' }),
      (e: ProviderError) => e.status === 401 && /rejected the API key/.test(e.message),
    );
    await assert.rejects(
      p.client.createVideo({ model: 'ultra', input: { prompt: 'x' } }),
      (e: ProviderError) => e.status === 404 && e.code === 'model_not_found',
    );
    await assert.rejects(
      p.client.getVideo('vid_nope'),
      (e: ProviderError) => e.status === 404 && e.code === 'task_not_found' && /no such task/.test(e.message),
    );
    await assert.rejects(
      p.client.createVideo({ model: 'mini', input: { prompt: 'x', duration: 99 } }),
      (e: ProviderError) => e.status === 400 && e.code === 'invalid_request' && /duration/.test(e.message),
    );
    h.emulators.seedancee2.balances.set(h.key, 10); // 402: a key with no credits left
    await assert.rejects(
      p.client.createVideo({ model: 'mini', input: { prompt: 'x' } }),
      (e: ProviderError) =>
        e.status === 402 && e.code === 'insufficient_credits' && /not enough credits/.test(e.message),
    );
    h.emulators.seedancee2.balances.delete(h.key);
    h.sandbox.faults.add({ provider: 'seedancee2', kind: 'status', status: 500, times: 1, method: 'POST' });
    await assert.rejects(
      p.client.createVideo({ model: 'mini', input: { prompt: 'x' } }),
      (e: ProviderError) => e.status === 500 && /server error/.test(e.message),
    );
  });
});
