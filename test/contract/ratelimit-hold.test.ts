import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { HttpClient } from '../../src/core/http/client';
import { TokenBucket } from '../../src/core/http/rateLimit';
import { startHarness, type Harness } from '../support/sandbox';

describe('a 429 holds every request that shares the limiter', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.stop());

  it('a request started while another waits out Retry-After waits too', async () => {
    const limiter = new TokenBucket(100, 100);
    // The second request starts once the 429 has put the hold in place (a fixed sleep guessed that on a busy machine).
    const held = new Promise<void>((resolve) => {
      const holdFor = limiter.holdFor.bind(limiter);
      limiter.holdFor = (ms) => {
        holdFor(ms);
        resolve();
      };
    });
    const http = new HttpClient({
      provider: 'seedancee2',
      label: 'Seedancee2',
      baseUrl: () => h.sandbox.baseUrl('seedancee2'),
      getKey: async () => h.key,
      authHeaders: (k) => ({ authorization: `Bearer ${k}` }),
      rateLimiter: limiter,
    });
    h.sandbox.faults.add({
      provider: 'seedancee2',
      method: 'GET',
      path: '/v1/models',
      kind: 'status',
      status: 429,
      retryAfterSec: 0.6,
      times: 1,
    });
    const t0 = Date.now();
    const first = http.request({ method: 'GET', path: '/v1/models', schema: z.unknown() });
    let guard: NodeJS.Timeout | undefined;
    const never = new Promise((_, reject) => {
      guard = setTimeout(() => reject(new Error('the 429 put no hold on the limiter')), 10_000);
    });
    await Promise.race([held, never]).finally(() => clearTimeout(guard));
    const second = http.request({ method: 'GET', path: '/v1/usage', schema: z.unknown() });
    const secondDone = second.then(() => Date.now() - t0);
    await first;
    assert.ok((await secondDone) >= 550, 'the second request was held until Retry-After had passed');
  });
});
