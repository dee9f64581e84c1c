import * as l10n from '@vscode/l10n';
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
  if (!r) return l10n.t('Account usage today: unavailable (no answer within {0} s).', USAGE_WAIT_MS / 1000);
  if ('error' in r) return l10n.t('Account usage today: unavailable ({0}).', r.error.replace(/\.$/, ''));
  const s = r.usage.summary;
  const net = s.net_credits ?? s.credits_charged - (s.credits_refunded ?? 0);
  const running = (s.pending_jobs ?? 0) + (s.processing_jobs ?? 0);
  const charged = s.credits_refunded
    ? l10n.t(
        '{0} charged, {1} refunded',
        formatAmount(s.credits_charged, 'credits'),
        formatAmount(s.credits_refunded, 'credits'),
      )
    : l10n.t('{0} charged', formatAmount(s.credits_charged, 'credits'));
  const tasks = s.total_jobs === 1 ? l10n.t('1 task') : l10n.t('{0} tasks', s.total_jobs);
  const netText = formatCharge({ amount: net, unit: 'credits' });
  return running
    ? l10n.t('Account usage today: {0} net ({1}) over {2}, {3} still running.', netText, charged, tasks, running)
    : l10n.t('Account usage today: {0} net ({1}) over {2}.', netText, charged, tasks);
}
