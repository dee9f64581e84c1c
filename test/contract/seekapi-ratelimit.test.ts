import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_RATE_LIMIT, pollBudgetFor } from '../../src/core/providers/seekapi/contract';
import { DEFAULT_POLL_POLICIES } from '../../src/core/providers/index';
import { pollManyJobs, providerFor } from '../support/seekapi';
import { startHarness, type Harness } from '../support/sandbox';

describe('Seek API rate limits', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ timeScale: 0.05 });
  });
  after(() => h.stop());

  it('sizes the token bucket from the plan, leaves the poller room for user actions, and follows a configured limit', async () => {
    const free = providerFor(h, () => `sk_test_${randomBytes(8).toString('hex')}`);
    assert.deepEqual(free.rateLimit(), { ...DEFAULT_RATE_LIMIT, source: 'default', plan: undefined });
    await free.me();
    assert.deepEqual(free.rateLimit(), { ratePerSec: 10, burst: 20, source: 'plan', plan: 'free' });
    assert.equal(free.pollPolicy.budgetPerSec, 8);
    assert.ok(
      free.pollPolicy.budgetPerSec < free.rateLimit().ratePerSec,
      'the poller leaves requests for user actions',
    );
    assert.equal(
      DEFAULT_POLL_POLICIES.seekapi.budgetPerSec,
      pollBudgetFor(DEFAULT_RATE_LIMIT),
      'the shared default budget is the Free-plan share',
    );

    let key = `sk_test_pro_${randomBytes(8).toString('hex')}`;
    const p = providerFor(h, () => key);
    await p.me();
    assert.deepEqual(p.rateLimit(), { ratePerSec: 50, burst: 100, source: 'plan', plan: 'pro' });
    assert.equal(p.pollPolicy.budgetPerSec, 40);
    p.configureRateLimit({ ratePerSec: 5 });
    assert.deepEqual(p.rateLimit(), { ratePerSec: 5, burst: 10, source: 'configured', plan: 'pro' });
    assert.equal(p.pollPolicy.budgetPerSec, 4);
    p.configureRateLimit(undefined);
    assert.equal(p.rateLimit().ratePerSec, 50);
    // Limits are per key: another key starts again from the default until its plan is known.
    key = `sk_test_${randomBytes(8).toString('hex')}`;
    await p.listWorkers();
    assert.deepEqual(p.rateLimit(), { ...DEFAULT_RATE_LIMIT, source: 'default', plan: undefined });
  });

  it('waits out Retry-After on a 429 and then succeeds', async () => {
    const p = providerFor(h, () => h.key);
    h.sandbox.faults.add({
      provider: 'seekapi',
      kind: 'status',
      status: 429,
      retryAfterSec: 1,
      times: 1,
      method: 'GET',
      path: '/v1/me',
    });
    const t0 = Date.now();
    const me = await p.me();
    assert.ok(Date.now() - t0 >= 950, `waited ${Date.now() - t0} ms`);
    assert.equal(me.plan, 'free');
    assert.equal(p.client.rateLimited, 1);
  });

  it('holds every request back after a 429 until Retry-After has passed (a client with a too-generous limit)', async () => {
    const emu = h.emulators.seekapi;
    const key = `sk_test_${randomBytes(8).toString('hex')}`;
    const p = providerFor(h, () => key);
    p.configureRateLimit({ ratePerSec: 1000, burst: 1000 }); // wrong on purpose: the server's 10/s, burst 20 applies
    const results = await Promise.all(
      Array.from({ length: 40 }, () =>
        p.client.credits().then(
          () => 'ok',
          (e: Error) => e.message,
        ),
      ),
    );
    assert.deepEqual(new Set(results), new Set(['ok']), 'every request succeeded in the end');
    assert.ok(emu.count(key, { status: 429 }) >= 1);
    assert.ok(p.client.rateLimited >= 1);
    // The first 40 arrivals are the 40 first sends; everything after them is a retry, and no retry
    // went out before the Retry-After second had passed.
    const log = emu.requestLog.filter((r) => r.owner === emu.account(key).owner);
    const first429 = log.find((r) => r.status === 429)!;
    const retries = log.slice(40);
    assert.ok(retries.length >= 1);
    assert.ok(
      retries.every((r) => r.at >= first429.at + 950),
      `a retry came ${Math.min(...retries.map((r) => r.at - first429.at))} ms after the 429`,
    );
  });

  it('polls 500 active jobs without going over 10 requests/s, and a user action still gets through', async (t) => {
    const r = await pollManyJobs(h, { count: 500, runMs: 4500 });
    t.diagnostic(
      `${r.finished} finished in ${r.elapsedMs} ms, ${r.requests} requests (${r.polls} polls); per second: ${r.perSecond.join(' ')}; user action ${r.userActionMs} ms`,
    );
    // The server's own limiter (10/s, burst 20, as documented) is the judge: it never refused one. Counted by
    // arrival second, a busy machine can deliver a request started in one second in the next, so a second may hold
    // a few more than 10, never more than the burst; overall the rate stays at 10/s.
    assert.equal(r.rejected, 0, 'the emulator never had to answer 429');
    assert.ok(Math.max(...r.perSecond) <= 20, `requests per second at the emulator: ${r.perSecond.join(', ')}`);
    assert.ok(r.requests <= Math.ceil(r.elapsedMs / 1000) * 10);
    assert.ok(r.userActionMs < 1000, `the user action took ${r.userActionMs} ms`);
    assert.ok(r.finished >= 20, `${r.finished} jobs finished`);
    assert.ok(r.active > 0, 'the rest are still waiting their turn, not burst through');
  });
});
