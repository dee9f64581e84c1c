// The MCP server's lifetime spend cap (GENDECK_MCP_MAX_SPEND) and its ledger: what every job this server sent was
// estimated to cost, by provider and unit. A call is checked and its estimate reserved in one synchronous step, so two
// calls at once cannot both pass a cap that only one of them fits.
import type { ProviderId } from '../../core/providerIds';
import { PROVIDER_IDS } from '../../core/providers/index';

/** One entry of the cap: a unit (`credits`), a provider (`seedancee2`), or every unit (`*`, a bare number). */
export interface CapEntry {
  scope: { kind: 'unit'; unit: string } | { kind: 'provider'; provider: ProviderId } | { kind: 'all' };
  amount: number;
}

export interface SpendCap {
  entries: CapEntry[];
  /** The text it was read from, for messages. */
  source: string;
}

export class SpendCapError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpendCapError';
  }
}

/**
 * Reads GENDECK_MCP_MAX_SPEND: a comma list of `name=amount`, where name is a unit (credits, USD, USDC, koin, as the
 * providers state their costs) or a provider id (the spend with that provider, in each of its units), or a bare number
 * (every unit). Units are matched case-insensitively. Undefined when unset or empty.
 */
export function parseSpendCap(text: string | undefined): SpendCap | undefined {
  const source = text?.trim();
  if (!source) return undefined;
  const entries: CapEntry[] = [];
  for (const part of source
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(?:([A-Za-z*][\w.*-]*)\s*=\s*)?([0-9]+(?:\.[0-9]+)?)$/.exec(part);
    if (!m)
      throw new SpendCapError(
        `GENDECK_MCP_MAX_SPEND: "${part}" is not "unit=amount", "provider=amount" or a plain amount (e.g. credits=500,USD=2).`,
      );
    const [, name, value] = m;
    const amount = Number(value);
    if (!name || name === '*') entries.push({ scope: { kind: 'all' }, amount });
    else if ((PROVIDER_IDS as readonly string[]).includes(name.toLowerCase()))
      entries.push({ scope: { kind: 'provider', provider: name.toLowerCase() as ProviderId }, amount });
    else entries.push({ scope: { kind: 'unit', unit: name }, amount });
  }
  return { entries, source };
}

const sameUnit = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export interface SpendEntry {
  /** The job's key once sent; a reservation's own id before. */
  key: string;
  provider: ProviderId;
  unit: string;
  amount: number;
  /** Set once the provider reported what the job cost instead of the estimate. */
  final?: boolean;
}

export interface SpendLine {
  unit: string;
  provider?: ProviderId;
  spent: number;
  cap?: number;
  remaining?: number;
}

/** What this server has spent, by unit, and what every cap entry leaves. */
export class SpendLedger {
  private readonly entries: SpendEntry[] = [];
  private seq = 0;

  constructor(
    readonly cap: SpendCap | undefined,
    /** The sandbox spends nothing real: a missing cap there means no cap, not no spending. */
    readonly sandbox: boolean,
  ) {}

  private matching(e: CapEntry, unit: string): SpendEntry[] {
    return this.entries.filter(
      (x) => sameUnit(x.unit, unit) && (e.scope.kind !== 'provider' || x.provider === e.scope.provider),
    );
  }

  private applies(e: CapEntry, provider: ProviderId, unit: string): boolean {
    if (e.scope.kind === 'all') return true;
    if (e.scope.kind === 'unit') return sameUnit(e.scope.unit, unit);
    return e.scope.provider === provider;
  }

  private spentUnder(e: CapEntry, unit: string): number {
    return this.matching(e, unit).reduce((s, x) => s + x.amount, 0);
  }

  /** Why a charge of `amount` cannot be sent now, or undefined when every cap that applies leaves room for it. */
  refusal(provider: ProviderId, unit: string, amount: number, extraFor?: SpendEntry): string | undefined {
    const applicable = (this.cap?.entries ?? []).filter((e) => this.applies(e, provider, unit));
    if (!applicable.length) {
      if (this.sandbox) return undefined;
      return `No spend cap covers ${provider} ${unit}: start the MCP server with GENDECK_MCP_MAX_SPEND set (e.g. ${unit}=100, or ${provider}=100) to let it spend. Nothing was sent.`;
    }
    for (const e of applicable) {
      const spent = this.spentUnder(e, unit) - (extraFor ? extraFor.amount : 0);
      if (spent + amount > e.amount + 1e-9) {
        const name = e.scope.kind === 'provider' ? `${e.scope.provider} ${unit}` : unit;
        return `This would bring this server's ${name} spend to ${round(spent + amount)}, above its cap of ${e.amount} (GENDECK_MCP_MAX_SPEND=${this.cap!.source}; ${round(Math.max(0, e.amount - spent))} left). Nothing was sent.`;
      }
    }
    return undefined;
  }

  /** Checks the caps and, when they allow it, reserves the amount at once; throws SpendCapError otherwise. */
  reserve(provider: ProviderId, unit: string, amount: number): SpendEntry {
    const why = this.refusal(provider, unit, amount);
    if (why) throw new SpendCapError(why);
    const entry: SpendEntry = { key: `pending:${++this.seq}`, provider, unit, amount };
    this.entries.push(entry);
    return entry;
  }

  /** Raises a reservation to `amount` when the caps allow it (a payment asked more than estimated); false otherwise. */
  grow(entry: SpendEntry, amount: number): boolean {
    if (amount <= entry.amount) return true;
    if (this.refusal(entry.provider, entry.unit, amount, entry)) return false;
    entry.amount = amount;
    return true;
  }

  release(entry: SpendEntry): void {
    const i = this.entries.indexOf(entry);
    if (i >= 0) this.entries.splice(i, 1);
  }

  /** The provider reported what a job sent by this server cost: it replaces the estimate (same unit only). */
  settle(key: string, cost: { amount: number; unit: string; estimated?: boolean } | undefined): void {
    const entry = this.entries.find((x) => x.key === key);
    if (!entry || entry.final || !cost || cost.estimated || !sameUnit(cost.unit, entry.unit)) return;
    entry.amount = cost.amount;
    entry.final = true;
  }

  /** A job that cost nothing known before it ran (Seele): counted once it reports its cost. */
  track(key: string, provider: ProviderId, unit: string): SpendEntry {
    const entry: SpendEntry = { key, provider, unit, amount: 0 };
    this.entries.push(entry);
    return entry;
  }

  has(key: string): boolean {
    return this.entries.some((x) => x.key === key);
  }

  /** Spent per unit, with each cap entry's remainder. */
  summary(): SpendLine[] {
    const units = new Set(this.entries.map((x) => x.unit));
    const lines: SpendLine[] = [];
    for (const e of this.cap?.entries ?? []) {
      if (e.scope.kind === 'unit') units.add(e.scope.unit);
    }
    for (const unit of units) {
      const spent = round(this.entries.filter((x) => sameUnit(x.unit, unit)).reduce((s, x) => s + x.amount, 0));
      const caps = (this.cap?.entries ?? []).filter(
        (e) => e.scope.kind === 'all' || (e.scope.kind === 'unit' && sameUnit(e.scope.unit, unit)),
      );
      const cap = caps.length ? Math.min(...caps.map((c) => c.amount)) : undefined;
      lines.push({ unit, spent, cap, remaining: cap === undefined ? undefined : round(Math.max(0, cap - spent)) });
    }
    for (const e of this.cap?.entries ?? []) {
      if (e.scope.kind !== 'provider') continue;
      const provider = e.scope.provider;
      const byUnit = new Map<string, number>();
      for (const x of this.entries.filter((y) => y.provider === provider))
        byUnit.set(x.unit, (byUnit.get(x.unit) ?? 0) + x.amount);
      if (!byUnit.size) lines.push({ unit: '*', provider, spent: 0, cap: e.amount, remaining: e.amount });
      for (const [unit, spent] of byUnit)
        lines.push({
          unit,
          provider,
          spent: round(spent),
          cap: e.amount,
          remaining: round(Math.max(0, e.amount - spent)),
        });
    }
    return lines;
  }
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
