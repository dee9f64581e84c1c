import * as l10n from '@vscode/l10n';
import { formatCost, type Job, type JobStatus, type JobStep } from '../core/jobs/job';
import type { AuthMode } from '../core/providers/seisoai/provider';
import type { Price } from '../core/providers/seisoai/schemas';

// How GenDeck writes money, prices and job states, the same in every view, panel and message. vscode-free (it is
// tested in plain Node), so its texts go through @vscode/l10n, which activation loads with VS Code's own bundle.

/** A job status as a person reads it (the status itself stays the English word in the job). */
export function statusText(status: JobStatus): string {
  switch (status) {
    case 'queued':
      return l10n.t({ message: 'queued', comment: ['A job status'] });
    case 'running':
      return l10n.t({ message: 'running', comment: ['A job status'] });
    case 'succeeded':
      return l10n.t({ message: 'succeeded', comment: ['A job status'] });
    case 'failed':
      return l10n.t({ message: 'failed', comment: ['A job status'] });
    case 'canceled':
      return l10n.t({ message: 'canceled', comment: ['A job status'] });
    case 'timeout':
      return l10n.t({ message: 'timeout', comment: ['A job status'] });
  }
}

/** A follow-up step's state as a person reads it. */
export function stepStateText(state: JobStep['state']): string {
  switch (state) {
    case 'queued':
      return l10n.t({ message: 'queued', comment: ['A follow-up step state'] });
    case 'sending':
      return l10n.t({ message: 'sending', comment: ['A follow-up step state'] });
    case 'sent':
      return l10n.t({ message: 'sent', comment: ['A follow-up step state'] });
    case 'failed':
      return l10n.t({ message: 'failed', comment: ['A follow-up step state'] });
    case 'canceled':
      return l10n.t({ message: 'canceled', comment: ['A follow-up step state'] });
  }
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
  if (!usd && p.credits === undefined) return l10n.t('Price: not stated by Seisoai for this input');
  const parts = [usd, p.credits !== undefined ? l10n.t('{0} credits', p.credits) : undefined]
    .filter(Boolean)
    .join(' · ');
  return auth === 'x402' && usd
    ? l10n.t('Price: {0} — paid in USDC with x402 after you confirm', parts)
    : l10n.t('Price: {0}', parts);
}

/** How a job that did not succeed ended, in one sentence: "Seele: “x” was canceled." or "… failed: reason." */
export function endMessage(job: Pick<Job, 'status' | 'error' | 'cost'>, who: string): string {
  const trimmed = job.error?.message?.trim().replace(/[.!]$/, '');
  const reason = trimmed && trimmed.toLowerCase() !== job.status ? trimmed : undefined;
  const ended = reason ? endedWith(job.status, who, reason) : endedWithout(job.status, who);
  return job.cost?.refunded ? `${ended} ${l10n.t('{0} {1} refunded.', job.cost.refunded, job.cost.unit)}` : ended;
}

function endedWith(status: JobStatus, who: string, reason: string): string {
  switch (status) {
    case 'timeout':
      return l10n.t('{0} timed out: {1}.', who, reason);
    case 'canceled':
      return l10n.t('{0} was canceled: {1}.', who, reason);
    case 'failed':
      return l10n.t('{0} failed: {1}.', who, reason);
    default:
      return l10n.t('{0} {1}: {2}.', who, statusText(status), reason);
  }
}

function endedWithout(status: JobStatus, who: string): string {
  switch (status) {
    case 'timeout':
      return l10n.t('{0} timed out.', who);
    case 'canceled':
      return l10n.t('{0} was canceled.', who);
    case 'failed':
      return l10n.t('{0} failed.', who);
    default:
      return l10n.t('{0} {1}.', who, statusText(status));
  }
}

/** The request parameters worth showing, by the names the providers use (model, duration, resolution, …). */
const SHOWN_PARAMS = ['model', 'duration', 'resolution', 'aspect_ratio', 'engine', 'generation_model', 'priority'];

/**
 * A job's details as lines of plain text (the Jobs view's tooltip): who and what, the full prompt, the parameters
 * it was started with, local times, cost, error, and whether it can still be cancelled.
 */
/** A job's prompt and the parameters worth showing (model, duration, resolution, ratio, engine, tool, worker …). */
export function jobParams(job: Job): { prompt?: string; params: string[] } {
  const req = job.request as { input?: Record<string, unknown>; prompt?: unknown; worker?: unknown };
  const input = { ...req, ...(req.input ?? {}) } as Record<string, unknown>;
  const params = SHOWN_PARAMS.filter((k) => ['string', 'number'].includes(typeof input[k])).map(
    (k) => `${k.replace(/_/g, ' ')} ${String(input[k])}`,
  );
  if (typeof job.meta.toolId === 'string') params.push(l10n.t('tool {0}', job.meta.toolId));
  if (typeof req.worker === 'string') params.push(l10n.t('worker {0}', req.worker));
  return { prompt: typeof input.prompt === 'string' ? input.prompt : undefined, params };
}

export function jobDetails(job: Job, o: { label: string; cancel: 'now' | 'not now' | 'never' }): string[] {
  const { prompt, params } = jobParams(job);
  const when = (iso: string | undefined) => (iso ? new Date(iso).toLocaleString() : undefined);
  const cost = formatCost(job);
  const active = job.status === 'queued' || job.status === 'running';
  const status = [
    statusText(job.status),
    job.remoteStatus ? `(${job.remoteStatus})` : undefined,
    job.progress ? `— ${job.progress}` : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  return [
    [o.label, job.kind, job.id, job.sandbox ? l10n.t('sandbox') : undefined].filter(Boolean).join(' · '),
    prompt && prompt !== job.title ? prompt : job.title,
    l10n.t('Status: {0}', status),
    params.length ? l10n.t('Parameters: {0}', params.join(', ')) : undefined,
    job.finishedAt
      ? l10n.t('Started {0} · finished {1}', String(when(job.createdAt)), String(when(job.finishedAt)))
      : l10n.t('Started {0}', String(when(job.createdAt))),
    cost ? l10n.t('Cost: {0}', cost) : undefined,
    job.error ? l10n.t('Error: {0}', job.error.message) : undefined,
    active && o.cancel === 'never' ? l10n.t('{0} cannot cancel a job once it is sent.', o.label) : undefined,
    active && o.cancel === 'not now' ? l10n.t('It can no longer be cancelled: it is already running.') : undefined,
  ].filter((l): l is string => !!l);
}
