// The editor's budget service (payments.ts Budget) through the vscode stub: the limits read from settings, the
// refusal with its button, no budget in the sandbox, the x402 cap shown as Seisoai's, and change events.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, it } from 'node:test';
import { installVscodeStub } from '../support/vscodeStub';
import { actionsOf } from '../../src/core/errors';
import { newJob } from '../../src/core/jobs/job';
import { BudgetExceeded } from '../../src/core/jobs/spend';
import { JobStore } from '../../src/core/jobs/store';
import { silentLogger } from '../../src/core/log';
import type { SandboxControl } from '../../src/sandboxControl';
import type { Secrets } from '../../src/secrets';

const stub = installVscodeStub();
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the stub, so `vscode` is the stub
const { Budget, Payments } = require('../../src/payments') as typeof import('../../src/payments');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
const { settings } = require('../../src/settings') as typeof import('../../src/settings');

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'gendeck-budget-'));
  const store = new JobStore(join(dir, 'jobs.json'));
  const sandbox = { active: false } as { active: boolean };
  const payments = new Payments(
    stub.Uri.file(dir) as never,
    join(dir, 'shared'),
    {} as Secrets,
    sandbox as unknown as SandboxControl,
    silentLogger,
  );
  const budget = new Budget(store, payments, sandbox as unknown as SandboxControl);
  return { store, sandbox, payments, budget };
}

const video = (amount: number) => ({
  provider: 'seedancee2' as const,
  what: 'this video',
  cost: { amount, unit: 'credits', estimated: true },
});

describe('Budget (editor)', () => {
  beforeEach(() => {
    stub.configuration.global = {};
    stub.configuration.workspace = {};
  });

  it('reads gendeck.<provider>.dailyBudget: 0, negative or not a number is no budget', () => {
    for (const [v, want] of [
      [0, undefined],
      [-5, undefined],
      ['200', undefined],
      [Number.NaN, undefined],
      [200, 200],
    ] as const) {
      stub.configuration.global = { 'gendeck.seedancee2.dailyBudget': v };
      assert.equal(settings.dailyBudget('seedancee2'), want, String(v));
    }
  });

  it('refuses a real submit past the budget with the reason and a button to open the setting', () => {
    const { store, budget } = setup();
    stub.configuration.global = { 'gendeck.seedancee2.dailyBudget': 200 };
    store.upsert(
      newJob({
        provider: 'seedancee2',
        id: 'v1',
        title: 'earlier',
        kind: 'video',
        status: 'succeeded',
        cost: { amount: 180, unit: 'credits' },
        finishedAt: new Date().toISOString(),
      }),
    );
    assert.equal(budget.refusal(video(20)), undefined);
    const refused = budget.refusal(video(25));
    assert.ok(refused instanceof BudgetExceeded);
    assert.equal(
      refused.message,
      'Seedancee2: today 180 of your 200 credits daily budget; this video costs 25 (estimate). Raise gendeck.seedancee2.dailyBudget or wait until tomorrow.',
    );
    assert.deepEqual(actionsOf(refused), [
      { title: 'Open Budget Setting', command: 'gendeck.openBudgetSettings', args: ['seedancee2'] },
    ]);
    // The same check is what the providers are given.
    assert.ok(budget.guard.refusal(video(25)) instanceof BudgetExceeded);
  });

  it('in the sandbox no budget applies: nothing real is spent', () => {
    const { sandbox, budget } = setup();
    stub.configuration.global = { 'gendeck.seele.dailyBudget': 1 };
    assert.ok(budget.refusal({ provider: 'seele', what: 'this game' }) === undefined);
    stub.configuration.global = { 'gendeck.seedancee2.dailyBudget': 1 };
    assert.ok(budget.refusal(video(5)));
    sandbox.active = true;
    assert.equal(budget.refusal(video(5)), undefined);
  });

  it("gives a confirmation today's real spend against the budget, only when one is set and not in the sandbox", () => {
    const { store, sandbox, budget } = setup();
    store.upsert(
      newJob({
        provider: 'seele',
        id: 'g1',
        title: 'earlier game',
        kind: 'game',
        status: 'succeeded',
        cost: { amount: 125, unit: 'koin' },
        finishedAt: new Date().toISOString(),
      }),
    );
    assert.equal(budget.today('seele'), undefined, 'no budget set');
    stub.configuration.global = { 'gendeck.seele.dailyBudget': 500 };
    assert.deepEqual(budget.today('seele'), {
      spent: { amount: 125, estimated: 0 },
      budget: { limit: 500, unit: 'koin', setting: 'gendeck.seele.dailyBudget' },
    });
    sandbox.active = true;
    assert.equal(budget.today('seele'), undefined, 'the sandbox has no budget');
  });

  it("shows Seisoai's x402 daily cap as its budget, and is not a second check of it", async () => {
    const { budget } = setup();
    stub.configuration.global = { 'gendeck.seisoai.x402.maxPerDayUsd': 3 };
    const s = await budget.state();
    assert.deepEqual(s.budgets.seisoai, {
      limit: 3,
      unit: 'USDC',
      setting: 'gendeck.seisoai.x402.maxPerDayUsd',
      window: '24h',
    });
    assert.equal(s.budgets.seedancee2, undefined);
    assert.equal(
      budget.guard.refusal({ provider: 'seisoai', what: 'this call', cost: { amount: 99, unit: 'USDC' } }),
      undefined,
    );
  });

  it('tells when jobs, receipts or a budget setting change', async () => {
    const { store, payments, budget } = setup();
    let fired = 0;
    budget.onDidChange(() => fired++);
    store.upsert(newJob({ provider: 'seekapi', id: 'j', title: 't', kind: 'worker:x', status: 'queued' }));
    await payments.sandboxReceipts.append({
      time: new Date().toISOString(),
      amount: '10000',
      amountUsdc: '0.01',
      asset: 'a',
      network: 'eip155:84532',
      payTo: 'p',
      resource: 'r',
      status: 'settled',
    });
    stub.configurationChanged.fire({ affectsConfiguration: (k) => k === 'gendeck.seekapi.dailyBudget' });
    stub.configurationChanged.fire({ affectsConfiguration: (k) => k === 'gendeck.downloadFolder' });
    assert.equal(fired, 3);
    const s = await budget.state();
    assert.equal(s.spend.find((x) => x.provider === 'seisoai' && x.sandbox)?.today.amount, 0.01);
    budget.dispose();
  });
});
