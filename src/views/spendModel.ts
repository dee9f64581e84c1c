import { formatAmount } from '../core/jobs/job';
import type { DailyBudget, Spend, Tally } from '../core/jobs/spend';
import type { ProviderId } from '../core/providerIds';
import { COST_UNITS, PROVIDER_IDS, PROVIDER_LABELS } from '../core/providers/index';
import type { ShownBudget, SpendState } from '../payments';

// What the Spend view and the status bar say about money, without the editor: the numbers come from core/jobs/spend.

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
  ...(today ? [`today ${amount(s.today, s.unit)} ${s.unit}`] : []),
  `7 d ${amount(s.week, s.unit)}`,
  `30 d ${amount(s.month, s.unit)}`,
];

/** "45 of 200 credits today", or for the x402 cap "0.3000 of 2 USDC in 24 h". */
function ofBudget(s: Spend, b: ShownBudget): string {
  return `${amount(used(s, b), s.unit)} of ${formatAmount(b.limit, s.unit)} ${s.unit} ${b.window === '24h' ? 'in 24 h' : 'today'}`;
}

/** A confirmation's budget line: "Daily budget: ~45 of 200 credits spent today (gendeck.seedancee2.dailyBudget)." */
export function budgetTodayLine(spent: Tally, b: DailyBudget): string {
  return `Daily budget: ${amount(spent, b.unit)} of ${formatAmount(b.limit, b.unit)} ${b.unit} spent today (${b.setting}).`;
}

function nearLimit(s: Spend, b: ShownBudget | undefined): boolean {
  return !!b && (b.limit <= 0 || used(s, b).amount >= WARN_AT * b.limit);
}

function budgetLine(b: ShownBudget | undefined): string {
  if (!b)
    return 'No daily budget: set one (the gear) and a submit that would pass it is refused before anything is sent.';
  if (b.window === '24h')
    return `Daily cap ${formatAmount(b.limit, b.unit)} ${b.unit} over any 24 hours (${b.setting}), enforced by the x402 payer before it signs.`;
  return `Daily budget ${formatAmount(b.limit, b.unit)} ${b.unit} (${b.setting}): a submit that would pass it is refused before anything is sent.`;
}

function realRow(s: Spend, b: ShownBudget | undefined, unknown: number, main: boolean): SpendRow {
  const label = PROVIDER_LABELS[s.provider];
  const parts = b ? [ofBudget(s, b), ...windows(s, b.window === '24h')] : windows(s);
  if (unknown) parts.push(`${unknown} running, cost not known yet`);
  const notFinal = s.month.estimated ? `, ~${formatAmount(s.month.estimated, s.unit)} of it not final yet` : '';
  return {
    id: `spend:${s.provider}:${s.unit}`,
    provider: s.provider,
    label: main ? label : `${label} (${s.unit})`,
    description: parts.join(' · '),
    tooltip: [
      `${label}: real spend in ${s.unit}, counted from GenDeck's jobs${s.provider === 'seisoai' && s.unit === 'USDC' ? ' and x402 receipts' : ''}.`,
      `Today ${amount(s.today, s.unit)} · last 7 days ${amount(s.week, s.unit)} · last 30 days ${amount(s.month, s.unit)}${notFinal}.`,
      main ? budgetLine(b) : '',
      unknown ? `${unknown} running job${unknown === 1 ? '' : 's'}: the cost is known when it finishes.` : '',
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
    label: `${label} (sandbox)`,
    description: [...windows(s), 'not real money'].join(' · '),
    tooltip: `${label} in the sandbox: no real money moved, and it never counts against a budget.`,
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
        description: 'no per-job cost',
        tooltip: `${PROVIDER_LABELS[id]} states no cost per request, so there is nothing to count.`,
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
  const lines = ['Spent today:'];
  for (const id of PROVIDER_IDS) {
    const unit = COST_UNITS[id];
    if (!unit) continue;
    const x = s.spend.find((y) => y.provider === id && y.unit === unit && !y.sandbox) ?? empty(id, unit);
    const b = s.budgets[id];
    const today = `${amount(x.today, unit)} ${unit}`;
    lines.push(
      `${PROVIDER_LABELS[id]} ${
        !b ? today : b.window === 'today' ? ofBudget(x, b).replace(/ today$/, '') : `${today} (${ofBudget(x, b)})`
      }`,
    );
  }
  const sandbox = s.spend.filter((x) => x.sandbox && x.today.amount);
  if (sandbox.length)
    lines.push(
      `Sandbox (not real money): ${sandbox.map((x) => `${PROVIDER_LABELS[x.provider]} ${amount(x.today, x.unit)} ${x.unit}`).join(' · ')}`,
    );
  return lines;
}
