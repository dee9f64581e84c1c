// What the money confirmations say, vscode-free where it can be: the estimate as every amount is written, the
// Seedancee2 account usage (or that it is unavailable), today's spend against a daily budget, the short wait, and
// the Seele modal.
import { shownMessages } from '../support/vscodeStub';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { within } from '../../src/commands/util';
import type { GenDeck } from '../../src/context';
import { formatCharge } from '../../src/core/jobs/job';
import { readUsageToday, usageLine } from '../../src/features/seedancee2/usage';
import { confirmSeele } from '../../src/features/seele/confirm';
import { budgetTodayLine } from '../../src/views/spendModel';

describe('confirmation lines', () => {
  it('writes an estimate with ~ and the unit as the provider names it', () => {
    assert.equal(formatCharge({ amount: 50, unit: 'credits', estimated: true }), '~50 credits');
    assert.equal(formatCharge({ amount: 125, unit: 'koin' }), '125 koin');
    assert.equal(formatCharge({ amount: 0.0123, unit: 'USDC' }), '0.0123 USDC');
  });

  it("states the Seedancee2 account's usage today, or that it is unavailable", () => {
    const summary = {
      total_jobs: 12,
      pending_jobs: 1,
      processing_jobs: 2,
      credits_charged: 280,
      credits_refunded: 40,
      net_credits: 240,
    };
    assert.equal(
      usageLine({ usage: { summary, by_model: [], timeline: [] } }),
      'Account usage today: 240 credits net (280 charged, 40 refunded) over 12 tasks, 3 still running.',
    );
    assert.equal(
      usageLine({ usage: { summary: { total_jobs: 1, credits_charged: 50 }, by_model: [], timeline: [] } }),
      'Account usage today: 50 credits net (50 charged) over 1 task.',
    );
    assert.equal(usageLine(undefined), 'Account usage today: unavailable (no answer within 1.5 s).');
    assert.equal(
      usageLine({ error: 'Seedancee2 refused the key (401).' }),
      'Account usage today: unavailable (Seedancee2 refused the key (401)).',
    );
  });

  it('asks for usage since local midnight, and a failure is a reason, not a rejection', async () => {
    const now = new Date(2026, 6, 15, 14, 30).getTime();
    let asked: { start?: string; end?: string } = {};
    await readUsageToday(
      {
        usage: async (q) => {
          asked = q ?? {};
          return { summary: { total_jobs: 0, credits_charged: 0 }, by_model: [], timeline: [] };
        },
      },
      new AbortController().signal,
      now,
    );
    assert.equal(asked.start, new Date(2026, 6, 15).toISOString());
    assert.equal(asked.end, new Date(now).toISOString());
    const failed = await readUsageToday(
      {
        usage: async () => {
          throw new Error('connect ECONNREFUSED\n127.0.0.1:9');
        },
      },
      new AbortController().signal,
    );
    assert.deepEqual(failed, { error: 'connect ECONNREFUSED 127.0.0.1:9' });
  });

  it("names today's spend against the daily budget, estimates marked", () => {
    assert.equal(
      budgetTodayLine(
        { amount: 45, estimated: 20 },
        { limit: 200, unit: 'credits', setting: 'gendeck.seedancee2.dailyBudget' },
      ),
      'Daily budget: ~45 of 200 credits spent today (gendeck.seedancee2.dailyBudget).',
    );
  });

  it('waits only so long for an answer', async () => {
    assert.deepEqual(await within(Promise.resolve(7), 1000), { value: 7 });
    const t0 = Date.now();
    assert.equal(await within(new Promise(() => {}), 50), undefined);
    assert.ok(Date.now() - t0 < 1000);
  });
});

describe('the Seele confirmation', () => {
  const g = (o: { budget?: boolean; sandbox?: boolean }) =>
    ({
      sandbox: { active: o.sandbox === true },
      budget: {
        today: () =>
          o.budget
            ? {
                spent: { amount: 125, estimated: 0 },
                budget: { limit: 500, unit: 'koin', setting: 'gendeck.seele.dailyBudget' },
              }
            : undefined,
      },
    }) as unknown as GenDeck;

  it('is modal, names what is sent and the koin known only at the finish, the action on its one button', async () => {
    shownMessages.length = 0;
    const ok = await confirmSeele(g({ budget: true }), {
      message: 'Start a Seele game with Seele02-flash on threejs?',
      prompt: 'A cozy\ncat game',
      settings: ['Generation model: chosen by Seele.'],
      files: ['/w/refs/concept.png', '/w/refs/notes.md'],
      button: 'Start Game',
    });
    assert.equal(ok, false, 'dismissed is not confirmed');
    const [shown] = shownMessages;
    assert.equal(shown.message, 'Start a Seele game with Seele02-flash on threejs?');
    assert.deepEqual(shown.items, ['Start Game']);
    const { modal, detail } = shown.options as { modal: boolean; detail: string };
    assert.equal(modal, true);
    assert.deepEqual(detail.split('\n'), [
      'Prompt: “A cozy cat game”',
      'Generation model: chosen by Seele.',
      '2 reference files, uploaded first (an unchanged one is reused): concept.png, notes.md',
      'Cost: Seele reports it in koin when the game finishes; it is not known before.',
      'Daily budget: 125 of 500 koin spent today (gendeck.seele.dailyBudget).',
    ]);
  });

  it('without a budget says nothing of one; in the sandbox says no real koin are spent', async () => {
    shownMessages.length = 0;
    await confirmSeele(g({ sandbox: true }), {
      message: 'Send a step?',
      prompt: 'Add a boss',
      settings: [],
      files: [],
      button: 'Send Step',
    });
    const { detail } = shownMessages[0].options as { detail: string };
    assert.doesNotMatch(detail, /budget/i);
    assert.match(detail, /^No reference files\.$/m);
    assert.match(detail, /^Sandbox: no real koin are spent\.$/m);
  });
});
