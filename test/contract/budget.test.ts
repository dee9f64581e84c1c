// The daily budgets where every paid create passes (the providers), against the sandbox over real HTTP: past the
// budget not one request reaches the emulator (no upload, no create); under it the create goes as before.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { newJob, type Job } from '../../src/core/jobs/job';
import { BudgetExceeded, BudgetGuard, type DailyBudget } from '../../src/core/jobs/spend';
import { JobStore } from '../../src/core/jobs/store';
import type { ProviderId } from '../../src/core/providerIds';
import { MEDIA_DIR, startHarness, type Harness } from '../support/sandbox';

describe('daily budgets against the sandbox', () => {
  let h: Harness;
  let store: JobStore;
  let png: string;
  const budgets: Partial<Record<ProviderId, DailyBudget>> = {};
  let guard: BudgetGuard;

  /** A job that finished a moment ago at this cost (real unless said). */
  const spent = (provider: ProviderId, amount: number, unit: string, sandbox?: true): Job =>
    store.upsert(
      newJob({
        provider,
        id: `spent-${provider}-${amount}-${Math.random()}`,
        title: 'earlier today',
        kind: 'x',
        status: 'succeeded',
        cost: { amount, unit },
        finishedAt: new Date().toISOString(),
        sandbox,
      }),
    );

  before(async () => {
    h = await startHarness();
    store = new JobStore(join(h.tmp, 'jobs.json'), h.log, { saveDelayMs: 5 });
    await store.load();
    guard = new BudgetGuard({ jobs: () => store.all(), budgets: () => budgets, label: (id) => id });
    png = join(h.tmp, 'reference.png');
    copyFileSync(join(MEDIA_DIR, 'sample.png'), png);
  });
  after(() => h.stop());

  it('Seedancee2: a video that would pass the budget is refused before any request; under it, it is created', async () => {
    const p = h.create('seedancee2', { budget: guard });
    spent('seedancee2', 180, 'credits');
    budgets.seedancee2 = { limit: 200, unit: 'credits', setting: 'gendeck.seedancee2.dailyBudget' };
    const req = { model: 'mini', input: { prompt: 'waves', duration: 5, resolution: '720p', aspect_ratio: '16:9' } };
    const requests = h.sandbox.countFor('seedancee2');
    const tasks = h.emulators.seedancee2.tasks.size;
    await assert.rejects(p.submit(req, undefined), (e: BudgetExceeded) => {
      assert.ok(e instanceof BudgetExceeded);
      assert.equal(
        e.message,
        'seedancee2: today 180 of your 200 credits daily budget; this video costs 50 (estimate). Raise gendeck.seedancee2.dailyBudget or wait until tomorrow.',
      );
      return true;
    });
    assert.equal(h.sandbox.countFor('seedancee2'), requests, 'no request reached the server');
    assert.equal(h.emulators.seedancee2.tasks.size, tasks);

    budgets.seedancee2.limit = 230;
    const { job } = await p.submit(req, undefined);
    assert.equal(h.emulators.seedancee2.tasks.size, tasks + 1);
    assert.equal(job.cost?.amount, 50);
  });

  it('Seele: once today reached the budget, neither a game nor a step is sent (no upload either)', async () => {
    const p = h.create('seele', { budget: guard, jobs: store });
    const emu = h.emulators.seele;
    budgets.seele = { limit: 500, unit: 'koin', setting: 'gendeck.seele.dailyBudget' };
    spent('seele', 499, 'koin');
    // Under the budget: the cost is unknown, so it goes.
    const { job } = await p.createGame({ prompt: 'A maze runner [slow]', files: [png] });
    store.upsert(job);

    spent('seele', 1, 'koin');
    const before = { ...emu.stats };
    const requests = h.sandbox.countFor('seele');
    await assert.rejects(p.createGame({ prompt: 'another', files: [png] }), (e: BudgetExceeded) => {
      assert.match(e.message, /^seele: today 500 of your 500 koin daily budget; the cost of this game is not known/);
      return true;
    });
    await assert.rejects(p.addStep(job.key, { prompt: 'Add a boss', files: [png] }), BudgetExceeded);
    assert.equal(h.sandbox.countFor('seele'), requests, 'no request reached the server');
    assert.deepEqual(emu.stats, before);
    assert.deepEqual(store.get(job.key)?.steps, [], 'the refused step is not queued either');
  });

  it('Seek API: a job whose estimate would pass the budget is refused before the POST; sandbox spend does not count', async () => {
    const p = h.create('seekapi', { budget: guard });
    const w = await p.getWorker('website-screenshot'); // estimate: 2 credits
    budgets.seekapi = { limit: 10, unit: 'credits', setting: 'gendeck.seekapi.dailyBudget' };
    spent('seekapi', 9, 'credits');
    spent('seekapi', 1000, 'credits', true);
    const requests = h.sandbox.countFor('seekapi');
    const jobs = h.emulators.seekapi.jobs.size;
    await assert.rejects(p.submit(w, { page: 'https://example.com', format: 'png' }), BudgetExceeded);
    assert.equal(h.sandbox.countFor('seekapi'), requests, 'no request reached the server');
    assert.equal(h.emulators.seekapi.jobs.size, jobs);

    budgets.seekapi.limit = 11;
    await p.submit(w, { page: 'https://example.com', format: 'png' });
    assert.equal(h.emulators.seekapi.jobs.size, jobs + 1);
  });
});
