// Spend per provider from jobs and x402 receipts, over local calendar days, and the daily budget check. Dates are
// built with local-time constructors, so the day boundaries hold in any time zone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newJob, type Job } from '../../src/core/jobs/job';
import {
  BudgetExceeded,
  BudgetGuard,
  budgetRefusal,
  costNotKnown,
  spendOf,
  type DailyBudget,
  type Spend,
} from '../../src/core/jobs/spend';
import { ReceiptLog, type Receipt } from '../../src/core/x402/receipts';

/** 15 July 2026, 00:30 local time: just after a day boundary. */
const NOW = new Date(2026, 6, 15, 0, 30).getTime();
const at = (day: number, h: number, m = 0) => new Date(2026, 6, day, h, m).toISOString();

let n = 0;
function job(init: Partial<Job> & Pick<Job, 'provider'>): Job {
  return newJob({ id: `j${n++}`, title: 't', kind: 'video', status: 'succeeded', ...init });
}
const credits = (amount: number, extra: Partial<NonNullable<Job['cost']>> = {}) => ({
  amount,
  unit: 'credits',
  ...extra,
});
const find = (list: Spend[], provider: string, sandbox = false) =>
  list.find((s) => s.provider === provider && s.sandbox === sandbox);

function receipt(time: string, amountUsdc: number, status: Receipt['status']): Receipt {
  return {
    time,
    amount: String(Math.round(amountUsdc * 1e6)),
    amountUsdc: String(amountUsdc),
    asset: '0x036CbD53842c5426634e7929541eC2318f3dCF7e',
    network: 'eip155:84532',
    payTo: '0x0000000000000000000000000000000000000001',
    resource: 'https://seisoai.com/api/gateway/invoke/x',
    status,
  };
}

describe('spendOf', () => {
  it('counts today from local midnight, 7 and 30 calendar days, and the rolling 24 hours', () => {
    const jobs = [
      job({ provider: 'seedancee2', cost: credits(10), createdAt: at(15, 0, 5), finishedAt: at(15, 0, 10) }),
      // 20 minutes before midnight: yesterday, though within the last 24 hours.
      job({ provider: 'seedancee2', cost: credits(20), createdAt: at(14, 23, 30), finishedAt: at(14, 23, 50) }),
      job({ provider: 'seedancee2', cost: credits(40), finishedAt: at(9, 0, 1) }), // first day of the 7
      job({ provider: 'seedancee2', cost: credits(80), finishedAt: at(8, 23, 59) }), // the day before them
      job({ provider: 'seedancee2', cost: credits(160), finishedAt: at(16 - 30, 0, 0) }), // 16 June: first of 30
      job({ provider: 'seedancee2', cost: credits(320), finishedAt: at(15 - 30, 23, 59) }), // 15 June: out
    ];
    const s = find(spendOf({ jobs, now: NOW }), 'seedancee2')!;
    assert.deepEqual(s.today, { amount: 10, estimated: 0 });
    assert.deepEqual(s.last24h, { amount: 30, estimated: 0 });
    assert.equal(s.week.amount, 70);
    assert.equal(s.month.amount, 310);
    assert.equal(s.unit, 'credits');
  });

  it('a job counts on the day it finished, a running one on the day it started', () => {
    const jobs = [
      job({ provider: 'seele', cost: { amount: 50, unit: 'koin' }, createdAt: at(14, 22), finishedAt: at(15, 0, 20) }),
      job({ provider: 'seekapi', status: 'running', cost: credits(7, { estimated: true }), createdAt: at(14, 23) }),
    ];
    const list = spendOf({ jobs, now: NOW });
    assert.equal(find(list, 'seele')!.today.amount, 50);
    assert.equal(find(list, 'seekapi')!.today.amount, 0);
    assert.equal(find(list, 'seekapi')!.last24h.amount, 7);
  });

  it('a refund subtracts: reserved then refunded is 0, a failed video charged 0 is 0, a partial refund is the rest', () => {
    const today = at(15, 0, 15);
    const jobs = [
      job({ provider: 'seedancee2', status: 'failed', cost: credits(0, { refunded: 40 }), finishedAt: today }),
      job({
        provider: 'seedancee2',
        status: 'failed',
        cost: credits(40, { estimated: true, reserved: 40, refunded: 40 }),
        finishedAt: today,
      }),
      job({ provider: 'seedancee2', cost: credits(100, { refunded: 20 }), finishedAt: today }),
      job({ provider: 'seedancee2', cost: credits(50), finishedAt: today }),
    ];
    assert.deepEqual(find(spendOf({ jobs, now: NOW }), 'seedancee2')!.today, { amount: 130, estimated: 0 });
  });

  it('estimates count, and are marked as the part that is not final', () => {
    const jobs = [
      job({ provider: 'seedancee2', status: 'running', cost: credits(25, { estimated: true, reserved: 25 }) }),
      job({ provider: 'seedancee2', cost: credits(45), finishedAt: at(15, 0, 1) }),
    ];
    assert.deepEqual(find(spendOf({ jobs, now: NOW }), 'seedancee2')!.today, { amount: 70, estimated: 25 });
  });

  it('keeps sandbox spend apart from real spend', () => {
    const jobs = [
      job({ provider: 'seekapi', cost: credits(5), finishedAt: at(15, 0, 1) }),
      job({ provider: 'seekapi', cost: credits(900), finishedAt: at(15, 0, 1), sandbox: true }),
    ];
    const list = spendOf({ jobs, now: NOW });
    assert.equal(find(list, 'seekapi')!.today.amount, 5);
    assert.equal(find(list, 'seekapi', true)!.today.amount, 900);
  });

  it('x402: a signed payment counts unless refused, as the payer counts its daily cap; paid jobs are not counted twice', async () => {
    const real = [
      receipt(at(15, 0, 10), 0.25, 'settled'),
      receipt(at(15, 0, 20), 0.1, 'unknown'), // the answer was lost: it may have been settled
      receipt(at(15, 0, 25), 0.4, 'rejected'), // the server said no: nothing moved
      receipt(at(14, 12), 0.05, 'settled'), // 12½ hours ago: yesterday, within 24 h
    ];
    const sandbox = [receipt(at(15, 0, 5), 1.5, 'settled')];
    const jobs = [job({ provider: 'seisoai', cost: { amount: 0.25, unit: 'USDC' }, finishedAt: at(15, 0, 10) })];
    const list = spendOf({ jobs, receipts: { provider: 'seisoai', real, sandbox }, now: NOW });
    const s = find(list, 'seisoai')!;
    assert.equal(s.unit, 'USDC');
    assert.equal(s.today.amount.toFixed(6), '0.350000');
    assert.equal(s.today.estimated.toFixed(6), '0.100000');
    assert.equal(s.last24h.amount.toFixed(6), '0.400000');
    assert.equal(find(list, 'seisoai', true)!.today.amount, 1.5);
    // The same receipts as the payer's log sees them.
    const log = new ReceiptLog(undefined);
    for (const r of real) await log.append(r);
    assert.equal(BigInt(Math.round(s.last24h.amount * 1e6)), await log.spentInLastDay(NOW));
  });

  it('names running jobs whose cost is not known yet', () => {
    const jobs = [
      job({ provider: 'seele', status: 'running' }),
      job({ provider: 'seele', status: 'running', sandbox: true }),
      job({ provider: 'seele', status: 'succeeded' }),
    ];
    assert.equal(costNotKnown(jobs, false).get('seele'), 1);
    assert.equal(costNotKnown(jobs, true).get('seele'), 1);
  });
});

const SEEDANCE: DailyBudget = { limit: 200, unit: 'credits', setting: 'gendeck.seedancee2.dailyBudget' };
const SEELE: DailyBudget = { limit: 500, unit: 'koin', setting: 'gendeck.seele.dailyBudget' };

describe('budgetRefusal', () => {
  it('refuses a known cost that would pass the budget, and says why and what to do', () => {
    const video = { provider: 'seedancee2' as const, what: 'this video' };
    const cost = { amount: 25, unit: 'credits', estimated: true };
    assert.equal(
      budgetRefusal('Seedancee2', { amount: 180, estimated: 0 }, SEEDANCE, { ...video, cost }),
      'Seedancee2: today 180 of your 200 credits daily budget; this video costs 25 (estimate). Raise gendeck.seedancee2.dailyBudget or wait until tomorrow.',
    );
    assert.equal(budgetRefusal('Seedancee2', { amount: 175, estimated: 0 }, SEEDANCE, { ...video, cost }), undefined);
  });

  it('an unknown cost goes until today reached the budget, then says the cost is unknown', () => {
    const game = { provider: 'seele' as const, what: 'this game' };
    assert.equal(budgetRefusal('Seele', { amount: 499, estimated: 0 }, SEELE, game), undefined);
    assert.equal(
      budgetRefusal('Seele', { amount: 500, estimated: 0 }, SEELE, game),
      'Seele: today 500 of your 500 koin daily budget; the cost of this game is not known before it runs. Raise gendeck.seele.dailyBudget or wait until tomorrow.',
    );
  });
});

describe('BudgetGuard', () => {
  const guard = (jobs: Job[], now = NOW) =>
    new BudgetGuard({
      jobs: () => jobs,
      budgets: () => ({ seedancee2: SEEDANCE }),
      label: (id) => id,
      now: () => now,
    });
  const charge = (amount: number) => ({
    provider: 'seedancee2' as const,
    what: 'this video',
    cost: { amount, unit: 'credits', estimated: true },
  });

  it('counts real jobs of today only: not yesterday, not the sandbox, not other providers', () => {
    const jobs = [
      job({ provider: 'seedancee2', cost: credits(150), finishedAt: at(14, 23, 59) }),
      job({ provider: 'seedancee2', cost: credits(150), finishedAt: at(15, 0, 1), sandbox: true }),
      job({ provider: 'seekapi', cost: credits(150), finishedAt: at(15, 0, 1) }),
      job({ provider: 'seedancee2', cost: credits(100), finishedAt: at(15, 0, 1) }),
    ];
    assert.equal(guard(jobs).refusal(charge(100)), undefined);
    assert.ok(guard(jobs).refusal(charge(101)) instanceof BudgetExceeded);
  });

  it('the budget starts again at local midnight', () => {
    const late = [job({ provider: 'seedancee2', cost: credits(150), finishedAt: at(14, 23, 59) })];
    assert.ok(guard(late, new Date(2026, 6, 14, 23, 59, 30).getTime()).refusal(charge(60)));
    assert.equal(guard(late).refusal(charge(60)), undefined);
  });

  it('a provider without a budget is never refused', () => {
    const g = guard([job({ provider: 'seele', cost: { amount: 1e9, unit: 'koin' }, finishedAt: at(15, 0, 1) })]);
    assert.equal(g.refusal({ provider: 'seele', what: 'this game' }), undefined);
  });

  it('refuses before sending, and counts a create in flight so parallel ones cannot each slip under', async () => {
    const g = guard([]);
    let sent = 0;
    let release!: () => void;
    const slow = g.run(charge(150), async () => {
      sent++;
      await new Promise<void>((r) => (release = r));
    });
    await assert.rejects(
      g.run(charge(100), async () => void sent++),
      BudgetExceeded,
    );
    assert.equal(sent, 1);
    release();
    await slow;
    // Once sent, the create is the job's to count (none here): the budget is free again.
    await g.run(charge(100), async () => void sent++);
    assert.equal(sent, 2);
  });
});
