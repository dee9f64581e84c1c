import { formatCost, type Job } from '../core/jobs/job';
import type { AuthMode } from '../core/providers/seisoai/provider';
import type { Price } from '../core/providers/seisoai/schemas';

// How GenDeck writes money and prices, the same in every view, panel and message.

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
  if (typeof job.meta.toolId === 'string') params.push(`tool ${job.meta.toolId}`);
  if (typeof req.worker === 'string') params.push(`worker ${req.worker}`);
  return { prompt: typeof input.prompt === 'string' ? input.prompt : undefined, params };
}

export function jobDetails(job: Job, o: { label: string; cancel: 'now' | 'not now' | 'never' }): string[] {
  const { prompt, params } = jobParams(job);
  const when = (iso: string | undefined) => (iso ? new Date(iso).toLocaleString() : undefined);
  const cost = formatCost(job);
  const active = job.status === 'queued' || job.status === 'running';
  return [
    `${o.label} · ${job.kind} · ${job.id}${job.sandbox ? ' · sandbox' : ''}`,
    prompt && prompt !== job.title ? prompt : job.title,
    `Status: ${job.status}${job.remoteStatus ? ` (${job.remoteStatus})` : ''}${job.progress ? ` — ${job.progress}` : ''}`,
    params.length ? `Parameters: ${params.join(', ')}` : undefined,
    `Started ${when(job.createdAt)}${job.finishedAt ? ` · finished ${when(job.finishedAt)}` : ''}`,
    cost ? `Cost: ${cost}` : undefined,
    job.error ? `Error: ${job.error.message}` : undefined,
    active && o.cancel === 'never' ? `${o.label} cannot cancel a job once it is sent.` : undefined,
    active && o.cancel === 'not now' ? 'It can no longer be cancelled: it is already running.' : undefined,
  ].filter((l): l is string => !!l);
}
