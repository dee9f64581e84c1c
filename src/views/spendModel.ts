import * as l10n from '@vscode/l10n';
import { formatAmount } from '../core/jobs/job';
import type { DailyBudget, Spend, Tally } from '../core/jobs/spend';
import type { ProviderId } from '../core/providerIds';
import { COST_UNITS, PROVIDER_IDS, PROVIDER_LABELS } from '../core/providers/index';
import type { ShownBudget, SpendState } from '../payments';

// What the Spend view and the status bar say about money, without the editor: the numbers come from core/jobs/spend.
// Its texts go through @vscode/l10n (loaded with VS Code's bundle at activation), so it stays vscode-free.

/** One row of the Spend view. */
export interface SpendRow {
  id: string;
  provider: ProviderId;
  label: string;
  description: string;
  tooltip: string;
  icon: 'credit-card' | 'warning' | 'beaker' | 'circle-slash';
  /** The row has a budget setting to open (its inline action). */
  budget: boolean;
}

/** A budget this used is shown with a warning. */
export const WARN_AT = 0.8;

const zero = (): Tally => ({ amount: 0, estimated: 0 });
const amount = (t: Tally, unit: string) => `${t.estimated ? '~' : ''}${formatAmount(t.amount, unit)}`;
const used = (s: Spend, b: ShownBudget) => (b.window === '24h' ? s.last24h : s.today);
/** "today 45 credits · 7 d 120 · 30 d 300", as parts (without today when a budget line says it). */
const windows = (s: Spend, today = true) => [
  ...(today ? [l10n.t('today {0} {1}', amount(s.today, s.unit), s.unit)] : []),
  l10n.t('7 d {0}', amount(s.week, s.unit)),
  l10n.t('30 d {0}', amount(s.month, s.unit)),
];

/** "45 of 200 credits today", or for the x402 cap "0.3000 of 2 USDC in 24 h"; without the window: "45 of 200 credits". */
function ofBudget(s: Spend, b: ShownBudget, window = true): string {
  const a = amount(used(s, b), s.unit);
  const limit = formatAmount(b.limit, s.unit);
  if (!window) return l10n.t('{0} of {1} {2}', a, limit, s.unit);
  return b.window === '24h'
    ? l10n.t('{0} of {1} {2} in 24 h', a, limit, s.unit)
    : l10n.t('{0} of {1} {2} today', a, limit, s.unit);
}

/** A confirmation's budget line: "Daily budget: ~45 of 200 credits spent today (gendeck.seedancee2.dailyBudget)." */
export function budgetTodayLine(spent: Tally, b: DailyBudget): string {
  return l10n.t(
    'Daily budget: {0} of {1} {2} spent today ({3}).',
    amount(spent, b.unit),
    formatAmount(b.limit, b.unit),
    b.unit,
    b.setting,
  );
}

function nearLimit(s: Spend, b: ShownBudget | undefined): boolean {
  return !!b && (b.limit <= 0 || used(s, b).amount >= WARN_AT * b.limit);
}

function budgetLine(b: ShownBudget | undefined): string {
  if (!b)
    return l10n.t(
      'No daily budget: set one (the gear) and a submit that would pass it is refused before anything is sent.',
    );
  if (b.window === '24h')
    return l10n.t(
      'Daily cap {0} {1} over any 24 hours ({2}), enforced by the x402 payer before it signs.',
      formatAmount(b.limit, b.unit),
      b.unit,
      b.setting,
    );
  return l10n.t(
    'Daily budget {0} {1} ({2}): a submit that would pass it is refused before anything is sent.',
    formatAmount(b.limit, b.unit),
    b.unit,
    b.setting,
  );
}

function realRow(s: Spend, b: ShownBudget | undefined, unknown: number, main: boolean): SpendRow {
  const label = PROVIDER_LABELS[s.provider];
  const parts = b ? [ofBudget(s, b), ...windows(s, b.window === '24h')] : windows(s);
  if (unknown) parts.push(l10n.t('{0} running, cost not known yet', unknown));
  const windowsLine = [amount(s.today, s.unit), amount(s.week, s.unit), amount(s.month, s.unit)];
  return {
    id: `spend:${s.provider}:${s.unit}`,
    provider: s.provider,
    label: main ? label : `${label} (${s.unit})`,
    description: parts.join(' · '),
    tooltip: [
      s.provider === 'seisoai' && s.unit === 'USDC'
        ? l10n.t("{0}: real spend in {1}, counted from GenDeck's jobs and x402 receipts.", label, s.unit)
        : l10n.t("{0}: real spend in {1}, counted from GenDeck's jobs.", label, s.unit),
      s.month.estimated
        ? l10n.t(
            'Today {0} · last 7 days {1} · last 30 days {2}, ~{3} of it not final yet.',
            ...windowsLine,
            formatAmount(s.month.estimated, s.unit),
          )
        : l10n.t('Today {0} · last 7 days {1} · last 30 days {2}.', ...windowsLine),
      main ? budgetLine(b) : '',
      unknown === 1
        ? l10n.t('1 running job: the cost is known when it finishes.')
        : unknown
          ? l10n.t('{0} running jobs: the cost is known when it finishes.', unknown)
          : '',
    ]
      .filter(Boolean)
      .join('\n'),
    icon: nearLimit(s, b) ? 'warning' : 'credit-card',
    budget: main,
  };
}

function sandboxRow(s: Spend): SpendRow {
  const label = PROVIDER_LABELS[s.provider];
  return {
    id: `spend:${s.provider}:${s.unit}:sandbox`,
    provider: s.provider,
    label: l10n.t('{0} (sandbox)', label),
    description: [...windows(s), l10n.t('not real money')].join(' · '),
    tooltip: l10n.t('{0} in the sandbox: no real money moved, and it never counts against a budget.', label),
    icon: 'beaker',
    budget: false,
  };
}

const empty = (provider: ProviderId, unit: string): Spend => ({
  provider,
  unit,
  sandbox: false,
  today: zero(),
  week: zero(),
  month: zero(),
  last24h: zero(),
});

/** A row per provider (its own unit, with its budget), one per other unit it charged in, then sandbox spend. */
export function spendRows(s: SpendState): SpendRow[] {
  const rows: SpendRow[] = [];
  for (const id of PROVIDER_IDS) {
    const unit = COST_UNITS[id];
    if (!unit) {
      rows.push({
        id: `spend:${id}`,
        provider: id,
        label: PROVIDER_LABELS[id],
        description: l10n.t('no per-job cost'),
        tooltip: l10n.t('{0} states no cost per request, so there is nothing to count.', PROVIDER_LABELS[id]),
        icon: 'circle-slash',
        budget: false,
      });
      continue;
    }
    const real = s.spend.filter((x) => x.provider === id && !x.sandbox);
    rows.push(
      realRow(real.find((x) => x.unit === unit) ?? empty(id, unit), s.budgets[id], s.unknown.real.get(id) ?? 0, true),
    );
    for (const other of real.filter((x) => x.unit !== unit)) rows.push(realRow(other, undefined, 0, false));
  }
  for (const x of s.spend) if (x.sandbox && (x.month.amount || x.last24h.amount)) rows.push(sandboxRow(x));
  return rows;
}

/** Today's real spend per provider, one line each, for the status bar's tooltip; sandbox spend on a line of its own. */
export function spendTodayLines(s: SpendState): string[] {
  const lines = [l10n.t('Spent today:')];
  for (const id of PROVIDER_IDS) {
    const unit = COST_UNITS[id];
    if (!unit) continue;
    const x = s.spend.find((y) => y.provider === id && y.unit === unit && !y.sandbox) ?? empty(id, unit);
    const b = s.budgets[id];
    const today = `${amount(x.today, unit)} ${unit}`;
    lines.push(
      `${PROVIDER_LABELS[id]} ${
        !b ? today : b.window === 'today' ? ofBudget(x, b, false) : `${today} (${ofBudget(x, b)})`
      }`,
    );
  }
  const sandbox = s.spend.filter((x) => x.sandbox && x.today.amount);
  if (sandbox.length)
    lines.push(
      l10n.t(
        'Sandbox (not real money): {0}',
        sandbox.map((x) => `${PROVIDER_LABELS[x.provider]} ${amount(x.today, x.unit)} ${x.unit}`).join(' · '),
      ),
    );
  return lines;
}
