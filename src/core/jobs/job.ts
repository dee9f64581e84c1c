import * as l10n from '@vscode/l10n';
import { z } from 'zod';
import type { ProviderId } from '../providerIds';

import { JOB_STATUSES } from './status';

export { isActive, JOB_STATUSES, TERMINAL, type JobStatus } from './status';

export const OUTPUT_KINDS = ['video', 'image', 'audio', 'model', 'html', 'archive', 'json', 'text', 'file'] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];

export const jobOutputSchema = z.object({
  kind: z.enum(OUTPUT_KINDS),
  url: z.string().optional(),
  /** Inline value for text/json outputs that have no URL. */
  value: z.unknown().optional(),
  name: z.string().optional(),
  label: z.string().optional(),
  description: z.string().optional(),
  /** Local file once downloaded. */
  localPath: z.string().optional(),
});
export type JobOutput = z.infer<typeof jobOutputSchema>;

export const jobCostSchema = z.object({
  amount: z.number(),
  unit: z.string(),
  estimated: z.boolean().optional(),
  reserved: z.number().optional(),
  refunded: z.number().optional(),
});

/** A follow-up step (Seele). `queued` ones wait locally until the job can take them. */
export const jobStepSchema = z.object({
  localId: z.string(),
  id: z.string().optional(),
  prompt: z.string(),
  state: z.enum(['queued', 'sending', 'sent', 'failed', 'canceled']),
  request: z.record(z.string(), z.unknown()).default({}),
  createdAt: z.string(),
  error: z.string().optional(),
});
export type JobStep = z.infer<typeof jobStepSchema>;

export const jobSchema = z.object({
  key: z.string(),
  /** Any id here; the store is told which providers exist (JobStoreOptions.providers). */
  provider: z.custom<ProviderId>((v) => typeof v === 'string' && v !== ''),
  id: z.string(),
  title: z.string(),
  /** What kind of thing: video, game, tool:<id>, worker:<id>, embedding … */
  kind: z.string(),
  status: z.enum(JOB_STATUSES),
  /** The provider's own status word. */
  remoteStatus: z.string().optional(),
  /** Current operation / progress text. */
  progress: z.string().optional(),
  cost: jobCostSchema.optional(),
  outputs: z.array(jobOutputSchema).default([]),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().optional(),
  /** What was submitted, kept for retry/duplicate and the download sidecar. */
  request: z.record(z.string(), z.unknown()).default({}),
  /** Provider workspace link (Seele platform_url). */
  webUrl: z.string().optional(),
  steps: z.array(jobStepSchema).optional(),
  /** Provider-specific bookkeeping (status URLs, model names …). */
  meta: z.record(z.string(), z.unknown()).default({}),
  sandbox: z.boolean().optional(),
  raw: z.unknown().optional(),
});
export type Job = z.infer<typeof jobSchema>;

/** What a poll, cancel or step changes on a job. */
export type JobPatch = Partial<Omit<Job, 'key' | 'provider' | 'id' | 'createdAt'>>;

/** An archive output of a finished job that can be read: a link to fetch, or a local copy. */
export function isUnpackable(job: Pick<Job, 'status'>, output: JobOutput): boolean {
  return (
    job.status === 'succeeded' &&
    output.kind === 'archive' &&
    (!!output.localPath || /^https?:\/\//i.test(output.url ?? ''))
  );
}

export function jobKey(provider: ProviderId, id: string): string {
  return `${provider}:${id}`;
}

export function newJob(
  init: Pick<Job, 'provider' | 'id' | 'title' | 'kind' | 'status'> & Partial<Job>,
  now = new Date(),
): Job {
  const iso = now.toISOString();
  return jobSchema.parse({
    createdAt: iso,
    updatedAt: iso,
    outputs: [],
    request: {},
    meta: {},
    ...init,
    key: jobKey(init.provider, init.id),
  });
}

/** A one-line title from a prompt. */
export function titleFromPrompt(prompt: string, max = 60): string {
  const one = prompt.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one || l10n.t('(no prompt)');
}

export const ELIDED_PREFIX = 'elided:';

/** A copy of a request with inline data: URIs replaced by a short note, so the job list stays small. */
export function elideDataUris<T>(value: T): T {
  if (typeof value === 'string') {
    return (
      value.startsWith('data:')
        ? `${ELIDED_PREFIX}${value.slice(5, value.indexOf(';') > 0 ? value.indexOf(';') : 30)} (${Math.round((value.length * 3) / 4 / 1024)} KB inline)`
        : value
    ) as T;
  }
  if (Array.isArray(value)) return value.map((v) => elideDataUris(v)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, elideDataUris(v)])) as T;
  return value;
}

export function hasElidedData(value: unknown): boolean {
  return JSON.stringify(value ?? null).includes(`"${ELIDED_PREFIX}`);
}

/** An amount of money in a unit, as every cost is written: whole numbers as they are, else 2 decimals (USDC 4). */
export function formatAmount(amount: number, unit: string): string {
  return Number.isInteger(amount) ? String(amount) : amount.toFixed(unit === 'USDC' ? 4 : 2);
}

/** An amount in the provider's unit, `~` before an estimate: "~50 credits", "125 koin". */
export function formatCharge(c: { amount: number; unit: string; estimated?: boolean }): string {
  return `${c.estimated ? '~' : ''}${formatAmount(c.amount, c.unit)} ${c.unit}`;
}

/** A job's cost as every view, message and log line writes it: `~` for an estimate, the provider's unit, refunds named. */
export function formatCost(job: Job): string | undefined {
  const c = job.cost;
  if (!c) return undefined;
  const s = formatCharge(c);
  return c.refunded ? l10n.t('{0} ({1} refunded)', s, c.refunded) : s;
}
