import type { Job } from '../core/jobs/job';
import type { AuthMode } from '../core/providers/seisoai/provider';
import type { Price } from '../core/providers/seisoai/schemas';

// How GenDeck writes money and prices, the same in every view, panel and message.

/** A job's cost: `~` for an estimate, the unit the provider counts in, refunds named. */
export function formatCost(job: Job): string | undefined {
  const c = job.cost;
  if (!c) return undefined;
  const amount = Number.isInteger(c.amount) ? String(c.amount) : c.amount.toFixed(c.unit === 'USDC' ? 4 : 2);
  let s = `${c.estimated ? '~' : ''}${amount} ${c.unit}`;
  if (c.refunded) s += ` (${c.refunded} refunded)`;
  return s;
}

/** Dollars: four decimals below a cent, three below ten cents, else two. */
export function formatUsd(usd: number | undefined): string | undefined {
  if (usd === undefined) return undefined;
  return `$${
    usd < 0.1
      ? usd
          .toFixed(usd < 0.01 ? 4 : 3)
          .replace(/0+$/, '')
          .replace(/\.$/, '.00')
      : usd.toFixed(2)
  }`;
}

/** A Seisoai price line, in dollars and credits as stated. */
export function formatPrice(p: Price, auth: AuthMode): string {
  const usd = formatUsd(p.usd);
  if (!usd && p.credits === undefined) return 'Price: not stated by Seisoai for this input';
  const parts = [usd, p.credits !== undefined ? `${p.credits} credits` : undefined].filter(Boolean).join(' · ');
  return `Price: ${parts}${auth === 'x402' && usd ? ' — paid in USDC with x402 after you confirm' : ''}`;
}

/** How a job that did not succeed ended, in one sentence: "Seele: “x” was canceled." or "… failed: reason." */
export function endMessage(job: Pick<Job, 'status' | 'error' | 'cost'>, who: string): string {
  const how = job.status === 'timeout' ? 'timed out' : job.status === 'canceled' ? 'was canceled' : job.status;
  const reason = job.error?.message?.trim().replace(/[.!]$/, '');
  const refunded = job.cost?.refunded ? ` ${job.cost.refunded} ${job.cost.unit} refunded.` : '';
  return `${who} ${how}${reason && reason.toLowerCase() !== job.status ? `: ${reason}.` : '.'}${refunded}`;
}
