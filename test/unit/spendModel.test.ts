// The Spend view's rows and the status bar's spend lines, vscode-free: the text a person reads for each provider.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newJob, type Job } from '../../src/core/jobs/job';
import { costNotKnown, spendOf } from '../../src/core/jobs/spend';
import type { Receipt } from '../../src/core/x402/receipts';
import type { ShownBudget, SpendState } from '../../src/payments';
import { spendRows, spendTodayLines } from '../../src/views/spendModel';

const NOW = new Date(2026, 6, 15, 12, 0).getTime();
const at = (day: number, h = 10) => new Date(2026, 6, day, h).toISOString();
let n = 0;
const done = (provider: Job['provider'], amount: number, unit: string, day: number, extra: Partial<Job> = {}) =>
  newJob({
    provider,
    id: `j${n++}`,
    title: 't',
    kind: 'x',
    status: 'succeeded',
    cost: { amount, unit },
    finishedAt: at(day),
    ...extra,
  });
const receipt = (amount: string, status: Receipt['status']): Receipt => ({
  time: at(15, 9),
  amount,
  amountUsdc: '',
  asset: 'a',
  network: 'eip155:8453',
  payTo: 'p',
  resource: 'r',
  status,
});

function state(jobs: Job[], budgets: SpendState['budgets'], real: Receipt[] = []): SpendState {
  return {
    spend: spendOf({ jobs, receipts: { provider: 'seisoai', real, sandbox: [] }, now: NOW }),
    unknown: { real: costNotKnown(jobs, false), sandbox: costNotKnown(jobs, true) },
    budgets,
  };
}
const budget = (limit: number, unit: string, setting: string): ShownBudget => ({
  limit,
  unit,
  setting,
  window: 'today',
});
const row = (s: SpendState, label: string) => spendRows(s).find((r) => r.label === label)!;

describe('Spend view rows', () => {
  const jobs = [
    done('seedancee2', 45, 'credits', 15),
    done('seedancee2', 75, 'credits', 14),
    done('seedancee2', 180, 'credits', 1),
    done('seekapi', 12, 'credits', 15),
    done('seedancee2', 900, 'credits', 15, { sandbox: true }),
    newJob({ provider: 'seele', id: 'g', title: 'game', kind: 'game', status: 'running' }),
  ];

  it('a row per provider: today, 7 d, 30 d in its unit; the budget when one is set', () => {
    const s = state(jobs, { seedancee2: budget(200, 'credits', 'gendeck.seedancee2.dailyBudget') });
    const seedance = row(s, 'Seedancee2');
    assert.equal(seedance.description, '45 of 200 credits today · 7 d 120 · 30 d 300');
    assert.equal(seedance.icon, 'credit-card');
    assert.equal(seedance.budget, true);
    assert.match(seedance.tooltip, /Daily budget 200 credits \(gendeck\.seedancee2\.dailyBudget\)/);
    assert.equal(row(s, 'Seek API').description, 'today 12 credits · 7 d 12 · 30 d 12');
    assert.match(row(s, 'Seek API').tooltip, /No daily budget/);
    assert.equal(row(s, 'Seele').description, 'today 0 koin · 7 d 0 · 30 d 0 · 1 running, cost not known yet');
    assert.equal(row(s, 'Seeknetic').description, 'no per-job cost');
    assert.equal(row(s, 'Seeknetic').budget, false);
  });

  it('warns from 80 % of the budget', () => {
    // 45 credits today: exactly 80 % of 56.25.
    assert.equal(row(state(jobs, { seedancee2: budget(56.25, 'credits', 's') }), 'Seedancee2').icon, 'warning');
    assert.equal(row(state(jobs, { seedancee2: budget(57, 'credits', 's') }), 'Seedancee2').icon, 'credit-card');
  });

  it('shows sandbox spend as its own row, never as real money', () => {
    const sandbox = row(state(jobs, {}), 'Seedancee2 (sandbox)');
    assert.equal(sandbox.description, 'today 900 credits · 7 d 900 · 30 d 900 · not real money');
    assert.equal(sandbox.icon, 'beaker');
    assert.equal(sandbox.budget, false);
  });

  it('Seisoai: x402 receipts against its 24-hour cap, an unconfirmed payment marked ~', () => {
    const s = state(
      [],
      { seisoai: { limit: 2, unit: 'USDC', setting: 'gendeck.seisoai.x402.maxPerDayUsd', window: '24h' } },
      [receipt('1500000', 'settled'), receipt('250000', 'unknown'), receipt('900000', 'rejected')],
    );
    const r = row(s, 'Seisoai');
    assert.equal(r.description, '~1.7500 of 2 USDC in 24 h · today ~1.7500 USDC · 7 d ~1.7500 · 30 d ~1.7500');
    assert.equal(r.icon, 'warning');
    assert.match(r.tooltip, /enforced by the x402 payer/);
  });

  it('a provider that charged in another unit gets a row for it', () => {
    const s = state([done('seisoai', 0.4, 'USD', 15)], {});
    assert.equal(row(s, 'Seisoai (USD)').description, 'today 0.40 USD · 7 d 0.40 · 30 d 0.40');
  });

  it("the status bar's tooltip lines: today's spend per provider, the budget when set, sandbox apart", () => {
    const s = state(jobs, {
      seedancee2: budget(200, 'credits', 'gendeck.seedancee2.dailyBudget'),
      seisoai: { limit: 2, unit: 'USDC', setting: 'gendeck.seisoai.x402.maxPerDayUsd', window: '24h' },
    });
    assert.deepEqual(spendTodayLines(s), [
      'Spent today:',
      'Seele 0 koin',
      'Seedancee2 45 of 200 credits',
      'Seisoai 0 USDC (0 of 2 USDC in 24 h)',
      'Seek API 12 credits',
      'Sandbox (not real money): Seedancee2 900 credits',
    ]);
  });
});
