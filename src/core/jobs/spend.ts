import * as l10n from '@vscode/l10n';
import type { ProviderId } from '../providerIds';
import type { Receipt } from '../x402/receipts';
import { formatAmount, isActive, type Job } from './job';

// What was spent, per provider and unit, from the jobs and the x402 receipts; and the daily budgets checked before a
// paid request is sent. Pure functions of their inputs and `now`; sandbox spend is kept apart and never budgeted.

const DAY_MS = 24 * 60 * 60 * 1000;

/** A sum and how much of it is not final: estimates of jobs still running, payments whose answer was lost. */
export interface Tally {
  amount: number;
  estimated: number;
}

/** One provider's spend in one unit, real or sandbox. */
export interface Spend {
  provider: ProviderId;
  unit: string;
  sandbox: boolean;
  /** Since local midnight. */
  today: Tally;
  /** Today and the 6 calendar days before. */
  week: Tally;
  /** Today and the 29 calendar days before. */
  month: Tally;
  /** The rolling 24 hours before now, as the x402 daily cap counts. */
  last24h: Tally;
}

export interface SpendInput {
  jobs: readonly Job[];
  /** The x402 receipts (real and sandbox) and the provider that paid with them. */
  receipts?: { provider: ProviderId; real: readonly Receipt[]; sandbox: readonly Receipt[] };
  now: number;
}

interface Charged {
  provider: ProviderId;
  unit: string;
  sandbox: boolean;
  at: number;
  amount: number;
  estimated: boolean;
}

/**
 * What a job counts for: its cost less any refund, never below 0 (a reserved-then-refunded video counts 0), on the
 * day it was charged: when it finished, or, while it runs, when it started. USDC paid with x402 is counted from the
 * receipts instead, so it is never counted twice.
 */
export function jobCharge(job: Job): Charged | undefined {
  const c = job.cost;
  if (!c || c.unit === 'USDC') return undefined;
  const at = Date.parse(job.finishedAt ?? job.createdAt);
  if (!Number.isFinite(at)) return undefined;
  return {
    provider: job.provider,
    unit: c.unit,
    sandbox: job.sandbox === true,
    at,
    amount: Math.max(0, c.amount - (c.refunded ?? 0)),
    estimated: c.estimated === true,
  };
}

/** A signed payment counts unless the server said it refused it, as the payer's daily cap counts it (`spentInLastDay`). */
function receiptCharge(r: Receipt, provider: ProviderId, sandbox: boolean): Charged | undefined {
  if (r.status === 'rejected' || !/^\d+$/.test(r.amount)) return undefined;
  const at = Date.parse(r.time);
  if (!Number.isFinite(at)) return undefined;
  return { provider, unit: 'USDC', sandbox, at, amount: Number(r.amount) / 1e6, estimated: r.status === 'unknown' };
}

/** Local midnight `daysBack` calendar days before the day of `now` (a calendar day, whatever daylight saving does). */
export function startOfDay(now: number, daysBack = 0): number {
  const d = new Date(now);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() - daysBack).getTime();
}

/** The spend per provider, unit and real/sandbox, over today, 7 days, 30 days and the last 24 hours. */
export function spendOf(input: SpendInput): Spend[] {
  const { now, receipts } = input;
  const charges = [
    ...input.jobs.map(jobCharge),
    ...(receipts
      ? [
          ...receipts.real.map((r) => receiptCharge(r, receipts.provider, false)),
          ...receipts.sandbox.map((r) => receiptCharge(r, receipts.provider, true)),
        ]
      : []),
  ].filter((c): c is Charged => !!c);
  const today = startOfDay(now);
  const week = startOfDay(now, 6);
  const month = startOfDay(now, 29);
  const out = new Map<string, Spend>();
  const zero = (): Tally => ({ amount: 0, estimated: 0 });
  const add = (t: Tally, c: Charged) => {
    t.amount += c.amount;
    if (c.estimated) t.estimated += c.amount;
  };
  for (const c of charges) {
    const inDay = now - c.at < DAY_MS;
    if (c.at < month && !inDay) continue;
    const key = `${c.provider}\0${c.unit}\0${c.sandbox}`;
    let s = out.get(key);
    if (!s) {
      s = {
        provider: c.provider,
        unit: c.unit,
        sandbox: c.sandbox,
        today: zero(),
        week: zero(),
        month: zero(),
        last24h: zero(),
      };
      out.set(key, s);
    }
    if (c.at >= today) add(s.today, c);
    if (c.at >= week) add(s.week, c);
    if (c.at >= month) add(s.month, c);
    if (inDay) add(s.last24h, c);
  }
  return [...out.values()];
}

/** Running jobs whose cost is not known yet (Seele's koin come when a game finishes), per provider. */
export function costNotKnown(jobs: readonly Job[], sandbox: boolean): Map<ProviderId, number> {
  const out = new Map<ProviderId, number>();
  for (const j of jobs)
    if (!j.cost && (j.sandbox === true) === sandbox && isActive(j)) out.set(j.provider, (out.get(j.provider) ?? 0) + 1);
  return out;
}

/** A paid request about to be sent: whose, what it is ("this video", for the message), and its cost when known. */
export interface Charge {
  provider: ProviderId;
  what: string;
  cost?: { amount: number; unit: string; estimated?: boolean };
}

/** A provider's daily budget: a limit in its unit, and the setting that holds it. */
export interface DailyBudget {
  limit: number;
  unit: string;
  setting: string;
}

/** A paid request refused by a daily budget before anything was sent. */
export class BudgetExceeded extends Error {
  constructor(
    readonly provider: ProviderId,
    readonly setting: string,
    message: string,
  ) {
    super(message);
    this.name = 'BudgetExceeded';
  }
}

/**
 * Why a charge may not go, or undefined when it may: a known cost must fit in what is left of today's budget; an
 * unknown one (Seele) goes until today's spend has reached the budget.
 */
export function budgetRefusal(label: string, today: Tally, budget: DailyBudget, charge: Charge): string | undefined {
  const { unit } = budget;
  const cost = charge.cost?.unit === unit ? charge.cost : undefined;
  if (cost ? today.amount + cost.amount <= budget.limit : today.amount < budget.limit) return undefined;
  const spent = `${today.estimated ? '~' : ''}${formatAmount(today.amount, unit)}`;
  const limit = formatAmount(budget.limit, unit);
  if (!cost)
    return l10n.t(
      '{0}: today {1} of your {2} {3} daily budget; the cost of {4} is not known before it runs. Raise {5} or wait until tomorrow.',
      label,
      spent,
      limit,
      unit,
      charge.what,
      budget.setting,
    );
  return cost.estimated
    ? l10n.t(
        '{0}: today {1} of your {2} {3} daily budget; {4} costs {5} (estimate). Raise {6} or wait until tomorrow.',
        label,
        spent,
        limit,
        unit,
        charge.what,
        formatAmount(cost.amount, unit),
        budget.setting,
      )
    : l10n.t(
        '{0}: today {1} of your {2} {3} daily budget; {4} costs {5}. Raise {6} or wait until tomorrow.',
        label,
        spent,
        limit,
        unit,
        charge.what,
        formatAmount(cost.amount, unit),
        budget.setting,
      );
}

/** How a paid create goes out: through the budget check, counted as in flight while it is sent. */
export interface SpendGate {
  run<T>(charge: Charge, send: () => Promise<T>): Promise<T>;
}

export interface BudgetGuardOptions {
  jobs: () => readonly Job[];
  /** The budgets in force now; a provider without one is never refused. */
  budgets: () => Partial<Record<ProviderId, DailyBudget>>;
  label: (id: ProviderId) => string;
  now?: () => number;
  /** Called with each refusal before it is thrown (the editor adds its buttons). */
  refused?: (err: BudgetExceeded) => void;
}

/**
 * The daily budgets, checked where every paid create passes (the providers call `run`), whoever asked for it.
 * Only real jobs count; a create being sent counts too, so parallel submits cannot each slip under the budget.
 */
export class BudgetGuard implements SpendGate {
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly o: BudgetGuardOptions) {}

  /** The refusal for this charge now, or undefined when it may be sent. */
  refusal(charge: Charge): BudgetExceeded | undefined {
    const budget = this.o.budgets()[charge.provider];
    if (!budget) return undefined;
    const spent = spendOf({ jobs: this.o.jobs(), now: this.o.now?.() ?? Date.now() }).find(
      (s) => s.provider === charge.provider && s.unit === budget.unit && !s.sandbox,
    );
    const sending = this.inFlight.get(`${charge.provider}\0${budget.unit}`) ?? 0;
    const today = {
      amount: (spent?.today.amount ?? 0) + sending,
      estimated: (spent?.today.estimated ?? 0) + sending,
    };
    const message = budgetRefusal(this.o.label(charge.provider), today, budget, charge);
    if (!message) return undefined;
    const err = new BudgetExceeded(charge.provider, budget.setting, message);
    this.o.refused?.(err);
    return err;
  }

  async run<T>(charge: Charge, send: () => Promise<T>): Promise<T> {
    const refused = this.refusal(charge);
    if (refused) throw refused;
    const key = charge.cost ? `${charge.provider}\0${charge.cost.unit}` : undefined;
    const amount = charge.cost?.amount ?? 0;
    if (key) this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + amount);
    try {
      return await send();
    } finally {
      if (key) this.inFlight.set(key, (this.inFlight.get(key) ?? 0) - amount);
    }
  }
}
