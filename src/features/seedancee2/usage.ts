import { formatAmount, formatCharge } from '../../core/jobs/job';
import { startOfDay } from '../../core/jobs/spend';
import type { Seedancee2Client } from '../../core/providers/seedancee2/client';
import type { Usage } from '../../core/providers/seedancee2/schemas';
import { oneLine } from '../../core/text';

/** How long the confirmation waits for the account's usage once the questions are answered. */
export const USAGE_WAIT_MS = 1500;

/** The usage read, or why it could not be. */
export type UsageRead = { usage: Usage } | { error: string };

/** The account's usage since local midnight (`GET /v1/usage`, as *Show Seedancee2 Usage* reads it); never rejects. */
export async function readUsageToday(
  client: Pick<Seedancee2Client, 'usage'>,
  signal: AbortSignal,
  now = Date.now(),
): Promise<UsageRead> {
  try {
    const q = { start: new Date(startOfDay(now)).toISOString(), end: new Date(now).toISOString() };
    return { usage: await client.usage(q, signal) };
  } catch (err) {
    return { error: oneLine(err instanceof Error ? err.message : String(err), 120) };
  }
}

/** The usage as one line of the confirmation; without it, that it is unavailable and why. */
export function usageLine(r: UsageRead | undefined): string {
  if (!r) return `Account usage today: unavailable (no answer within ${USAGE_WAIT_MS / 1000} s).`;
  if ('error' in r) return `Account usage today: unavailable (${r.error.replace(/\.$/, '')}).`;
  const s = r.usage.summary;
  const net = s.net_credits ?? s.credits_charged - (s.credits_refunded ?? 0);
  const running = (s.pending_jobs ?? 0) + (s.processing_jobs ?? 0);
  const refunded = s.credits_refunded ? `, ${formatAmount(s.credits_refunded, 'credits')} refunded` : '';
  return `Account usage today: ${formatCharge({ amount: net, unit: 'credits' })} net (${formatAmount(s.credits_charged, 'credits')} charged${refunded}) over ${s.total_jobs} task${s.total_jobs === 1 ? '' : 's'}${running ? `, ${running} still running` : ''}.`;
}
