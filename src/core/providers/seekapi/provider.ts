import { createHash } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import { ProviderError, ValidationError } from '../../errors';
import { describeFieldErrors, validateValues, type FieldErrors } from '../../forms/schemaForm';
import { TokenBucket } from '../../http/rateLimit';
import {
  elideDataUris,
  newJob,
  TERMINAL,
  titleFromPrompt,
  type Job,
  type JobOutput,
  type JobPatch,
  type JobStatus,
  type OutputKind,
} from '../../jobs/job';
import type { PollPolicy } from '../../jobs/scheduler';
import { walkResult } from '../../media/resultWalk';
import type { SpendGate } from '../../jobs/spend';
import {
  clientOptions,
  gated,
  type JobSource,
  type KeyedService,
  type ProviderContext,
  type ProviderEvent,
} from '../types';
import {
  CANCELLABLE_STATUSES,
  DEFAULT_RATE_LIMIT,
  PLAN_RATE_LIMITS,
  PRIORITIES,
  pollBudgetFor,
  type RateLimit,
} from './contract';
import { SeekApiClient, type WorkersPage, type WorkersPageToken } from './client';
import type { Account, Credits, Deployment, JobAccepted, Pricing, RemoteJob, WorkerDetail } from './schemas';

const STATUS: Record<string, JobStatus> = {
  queued: 'queued',
  pending: 'queued',
  running: 'running',
  completed: 'succeeded',
  failed: 'failed',
  timeout: 'timeout',
  cancelled: 'canceled',
  canceled: 'canceled',
};

/** Kinds a result URL becomes an output of; other links (profile pages, web sites) stay in the JSON. */
const MEDIA_KINDS: ReadonlySet<OutputKind> = new Set(['video', 'image', 'audio', 'model', 'archive']);
const MAX_MEDIA = 50;

/** The JSON result inline, plus one typed output for each media URL found anywhere inside it. */
export function resultOutputs(result: unknown): JobOutput[] {
  if (result === undefined || result === null) return [];
  // Only what the URL (or a { url, content_type } object) says types it: worker keys are free-form.
  const media = walkResult(result).flatMap((f): JobOutput[] =>
    'url' in f && f.kind && MEDIA_KINDS.has(f.kind) && /^https?:/i.test(f.url)
      ? [{ kind: f.kind, url: f.url, ...(f.name ? { name: f.name } : {}), label: f.path || 'result' }]
      : [],
  );
  return [{ kind: 'json', value: result, label: l10n.t('Result'), name: 'result.json' }, ...media.slice(0, MAX_MEDIA)];
}

function errorOf(j: RemoteJob): { code: string; message: string } | undefined {
  const e = j.error;
  if (!e) return undefined;
  if (typeof e === 'string') return { code: j.status, message: e };
  const message = e.message ?? e.error ?? e.code;
  return message ? { code: e.code ?? e.error ?? j.status, message } : undefined;
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/** What a GET /jobs/{uuid} (or a list entry) changes on the local job. */
export function remoteToPatch(j: RemoteJob, raw: unknown, current?: Pick<Job, 'meta'>): JobPatch {
  const status = STATUS[j.status.toLowerCase()] ?? 'running';
  const patch: JobPatch = { status, remoteStatus: j.status, raw };
  const meta: Record<string, unknown> = { ...(current?.meta ?? {}) };
  if (j.worker) meta.worker = j.worker;
  if (j.priority) meta.priority = j.priority;
  if (typeof j.duration_ms === 'number') meta.durationMs = j.duration_ms;
  if (j.cost_estimate_credits !== undefined) meta.costEstimate = j.cost_estimate_credits;
  patch.meta = meta;
  if (typeof j.cost_credits === 'number') patch.cost = { amount: j.cost_credits, unit: 'credits', estimated: false };
  else if (status === 'timeout')
    patch.cost = { amount: 0, unit: 'credits', estimated: false }; // "Deducted 0 credits."
  else if (!TERMINAL.has(status)) {
    if (j.cost_estimate_credits !== undefined)
      patch.cost = { amount: j.cost_estimate_credits, unit: 'credits', estimated: true };
  } else {
    // Finished without a stated charge: an estimate is never shown as what a finished job cost.
    patch.cost = undefined;
  }
  const err = errorOf(j);
  switch (status) {
    case 'queued':
      patch.progress = j.priority && j.priority !== 'normal' ? `Queued (${j.priority} priority)` : 'Queued';
      break;
    case 'running':
      patch.progress = j.status.toLowerCase() === 'running' ? 'Running' : `Running (${j.status})`;
      break;
    case 'succeeded': {
      const parts = ['Completed'];
      if (typeof j.duration_ms === 'number') {
        parts[0] += ` in ${seconds(j.duration_ms)}`;
        meta.summary = `took ${seconds(j.duration_ms)}`; // shown beside the cost in the Jobs tree
      }
      if (typeof j.cost_credits === 'number') parts.push(`${j.cost_credits} credit${j.cost_credits === 1 ? '' : 's'}`);
      patch.progress = parts.join(' · ');
      break;
    }
    case 'failed':
      patch.progress = 'Failed';
      patch.error = err ?? { code: 'failed', message: l10n.t('The worker reported a fatal error.') };
      break;
    case 'timeout':
      patch.progress = 'Timed out';
      patch.error = err ?? {
        code: 'timeout',
        message: l10n.t('The job exceeded the worker max_duration; 0 credits were deducted.'),
      };
      break;
    case 'canceled':
      patch.progress = 'Cancelled';
      break;
  }
  if (j.result !== undefined && j.result !== null) patch.outputs = resultOutputs(j.result);
  if (TERMINAL.has(status)) patch.finishedAt = j.completed_at ?? new Date().toISOString();
  return patch;
}

/** A credits estimate from the worker's pricing and the input, when the pricing allows one. */
export function estimateFromPricing(
  pricing: Pricing | undefined,
  input: Record<string, unknown>,
  schema?: Record<string, unknown>,
): number | undefined {
  if (!pricing || (pricing.perJob === undefined && pricing.perUnit === undefined)) return undefined;
  let total = pricing.perJob ?? 0;
  if (pricing.perUnit !== undefined) {
    let units = 1;
    if (pricing.unitField) {
      const v = input[pricing.unitField];
      const props = (schema?.properties ?? {}) as Record<string, { default?: unknown }>;
      const d = props[pricing.unitField]?.default;
      units = typeof v === 'number' ? v : Array.isArray(v) ? v.length : typeof d === 'number' ? d : 1;
    }
    total += pricing.perUnit * Math.max(0, units);
  }
  return Math.max(total, pricing.minimum ?? 0);
}

/** "5 credits per job", "1 credit per result (max_results)". */
export function describePricing(p: Pricing | undefined): string {
  if (!p) return l10n.t('pricing not published');
  const c = (n: number) => (n === 1 ? l10n.t('1 credit') : l10n.t('{0} credits', n));
  const parts: string[] = [];
  if (p.perJob !== undefined) parts.push(l10n.t('{0} per job', c(p.perJob)));
  if (p.perUnit !== undefined) {
    const per = l10n.t('{0} per {1}', c(p.perUnit), p.unit ?? l10n.t('unit'));
    parts.push(p.unitField ? `${per} (${p.unitField})` : per);
  }
  if (p.minimum) parts.push(l10n.t('minimum {0}', c(p.minimum)));
  if (!parts.length && p.description) parts.push(p.description);
  return parts.join(' + ');
}

export interface SubmitOptions {
  priority?: string;
  webhook?: string;
  signal?: AbortSignal;
  /** Skip the local schema check (the server validates anyway). */
  skipLocalValidation?: boolean;
}

export interface AccountOverview {
  account: Account;
  credits: Credits;
  deployments: Deployment[];
}

/**
 * Seek API behind the one Provider interface: workers, jobs, cancel, account, publish.
 * Rate limits: one token bucket per API key (a new key starts from the default plan), sized from
 * the plan GET /me reports (Free 10/s burst 20, Pro 50/s burst 100) unless the user configured
 * explicit limits; the background poller gets POLL_SHARE of the rate so user actions always have room.
 */
export class SeekApiProvider implements KeyedService, JobSource {
  readonly id = 'seekapi' as const;
  readonly client: SeekApiClient;
  /** Mutable on purpose: budgetPerSec follows the key's rate limit. Hand this object to the scheduler. */
  readonly pollPolicy: PollPolicy;
  readonly limiter: TokenBucket;
  private limit: RateLimit = DEFAULT_RATE_LIMIT;
  private override: RateLimit | undefined;
  private planLimit: RateLimit | undefined;
  private plan: string | undefined;
  private keyPrint: string | undefined;
  private workerCache = new Map<string, { at: number; worker: WorkerDetail }>();
  private readonly cacheMs = 60_000;
  /** Tells the editor something it shows went stale (a 404 on a worker or job, a publish). */
  private readonly emit: (event: ProviderEvent) => void;
  /** Whether it runs against the sandbox now (its jobs are marked so). */
  readonly isSandbox: () => boolean;
  private readonly budget: SpendGate | undefined;
  /** Ids of jobs this provider created or polled, so a lost submit is never matched to one of them. */
  private readonly known = new Set<string>();

  constructor(ctx: ProviderContext) {
    const opts = clientOptions(ctx);
    this.pollPolicy = { ...ctx.facts.pollPolicy };
    this.emit = ctx.emit ?? (() => undefined);
    this.isSandbox = ctx.isSandbox ?? (() => false);
    this.budget = ctx.budget;
    this.limiter = new TokenBucket(this.limit.ratePerSec, this.limit.burst);
    this.pollPolicy.budgetPerSec = pollBudgetFor(this.limit);
    this.client = new SeekApiClient({
      ...opts,
      rateLimiter: this.limiter,
      getKey: async () => {
        const key = await opts.getKey();
        this.noteKey(key);
        return key;
      },
    });
  }

  private stale(what: ProviderEvent['stale']): void {
    this.emit({ provider: this.id, stale: what });
  }

  get http() {
    return this.client.http;
  }

  // ---- rate limits ----

  /** The limits in force now, and where they came from. */
  rateLimit(): RateLimit & { source: 'configured' | 'plan' | 'default'; plan?: string } {
    return {
      ...this.limit,
      source: this.override ? 'configured' : this.planLimit ? 'plan' : 'default',
      plan: this.plan,
    };
  }

  /** Explicit limits from the settings (undefined = follow the plan). */
  configureRateLimit(limit: Partial<RateLimit> | undefined): void {
    this.override =
      limit && limit.ratePerSec && limit.ratePerSec > 0
        ? { ratePerSec: limit.ratePerSec, burst: Math.max(1, limit.burst ?? limit.ratePerSec * 2) }
        : undefined;
    this.applyLimit();
  }

  private applyLimit(): void {
    this.limit = this.override ?? this.planLimit ?? DEFAULT_RATE_LIMIT;
    this.limiter.configure(this.limit.ratePerSec, this.limit.burst);
    this.pollPolicy.budgetPerSec = pollBudgetFor(this.limit);
  }

  /** Limits are per key: a different key starts again from the default until its plan is known. */
  private noteKey(key: string | undefined): void {
    const print = key ? createHash('sha256').update(key).digest('hex').slice(0, 16) : undefined;
    if (print === this.keyPrint) return;
    this.keyPrint = print;
    this.plan = undefined;
    this.planLimit = undefined;
    this.applyLimit();
  }

  private learnPlan(account: Account): void {
    this.plan = account.plan;
    const stated = account.rateLimit
      ? { ratePerSec: account.rateLimit.ratePerSec, burst: account.rateLimit.burst ?? account.rateLimit.ratePerSec * 2 }
      : undefined;
    this.planLimit = stated ?? (account.plan ? PLAN_RATE_LIMITS[account.plan] : undefined);
    this.applyLimit();
  }

  // ---- Provider ----

  async validateKey(key: string, o: { signal?: AbortSignal; baseUrl?: string } = {}): Promise<void> {
    await this.client.me({ key, baseUrl: o.baseUrl, signal: o.signal });
  }

  canCancel(job: Job): boolean {
    if (job.provider !== this.id || job.status !== 'queued') return false;
    return !job.remoteStatus || CANCELLABLE_STATUSES.has(job.remoteStatus.toLowerCase());
  }

  /**
   * DELETE /jobs/{uuid}. Only queued/pending jobs can be cancelled; when the API refuses (the job
   * started meanwhile) the error says so in one sentence and names the job's current state.
   */
  async cancel(job: Job, signal?: AbortSignal): Promise<JobPatch> {
    try {
      const res = await this.client.cancelJob(job.id, signal);
      // The credits held for the job are released: the balance shown is stale now.
      this.stale('account');
      if (res) return remoteToPatch(res, res, job);
      return {
        status: 'canceled',
        remoteStatus: 'cancelled',
        progress: l10n.t('Cancelled'),
        cost: undefined,
        finishedAt: new Date().toISOString(),
      };
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      if (err.status === 404) {
        this.stale('jobs');
        throw new ProviderError({
          provider: this.id,
          status: 404,
          code: 'not_found',
          message: l10n.t('Seek API has no job {0} any more (404); the Jobs list will be refreshed.', job.id),
        });
      }
      if (err.status === 409 || err.status === 400) {
        const now = await this.client
          .getJob(job.id, signal)
          .then((r) => r.job.status)
          .catch(() => undefined);
        throw new ProviderError({
          provider: this.id,
          status: err.status,
          code: 'not_cancellable',
          message:
            now === undefined
              ? l10n.t(
                  'Cannot cancel Seek API job {0}: it is no longer queued. Only queued or pending jobs can be cancelled.',
                  job.id,
                )
              : now === 'running'
                ? l10n.t(
                    'Cannot cancel Seek API job {0}: it is already running. Only queued or pending jobs can be cancelled.',
                    job.id,
                  )
                : l10n.t(
                    'Cannot cancel Seek API job {0}: it is {1}. Only queued or pending jobs can be cancelled.',
                    job.id,
                    now,
                  ),
        });
      }
      throw err;
    }
  }

  async poll(job: Job, signal?: AbortSignal): Promise<JobPatch> {
    this.known.add(job.id);
    const { job: remote, raw } = await this.client.getJob(job.id, signal);
    return remoteToPatch(remote, raw, job);
  }

  /** GET /jobs (latest 100) as local jobs; merge them with mergeRemoteJobs so nothing is duplicated. */
  async listRemote(signal?: AbortSignal): Promise<Job[]> {
    const list = await this.client.listJobs(signal);
    return list.map((j) => {
      const name = this.workerCache.get(j.worker ?? '')?.worker.name ?? j.worker ?? 'Seek API job';
      const base = newJob({
        provider: this.id,
        id: j.job_uuid,
        title: `${name} ${j.job_uuid}`,
        kind: `worker:${j.worker ?? 'unknown'}`,
        status: 'queued',
        createdAt: j.created_at ?? new Date().toISOString(),
        sandbox: this.isSandbox() || undefined,
      });
      return { ...base, ...remoteToPatch(j, j, base) };
    });
  }

  // ---- account ----

  async me(signal?: AbortSignal): Promise<Account> {
    const { account } = await this.client.me({ signal });
    this.learnPlan(account);
    return account;
  }

  /** GET /me, /me/credits and /me/deployments together (three requests). */
  async account(signal?: AbortSignal): Promise<AccountOverview> {
    const [account, credits, deployments] = await Promise.all([
      this.me(signal),
      this.client.credits(signal),
      this.client.deployments(signal),
    ]);
    return { account: { ...account, plan: account.plan ?? credits.plan }, credits, deployments };
  }

  async publish(workerId: string, signal?: AbortSignal): Promise<{ status?: string }> {
    try {
      const r = await this.client.publish(workerId, signal);
      this.workerCache.delete(workerId);
      this.stale('workers');
      this.stale('account');
      return { status: r.status };
    } catch (err) {
      if (err instanceof ProviderError && err.status === 404) this.stale('account');
      throw err;
    }
  }

  // ---- workers ----

  listWorkers(next?: WorkersPageToken, signal?: AbortSignal): Promise<WorkersPage> {
    return this.client.listWorkers(next, signal);
  }

  /** Worker details (description, input schema, pricing), cached a minute; a 404 drops it and asks for a refresh. */
  async getWorker(id: string, o: { signal?: AbortSignal; fresh?: boolean } = {}): Promise<WorkerDetail> {
    const hit = this.workerCache.get(id);
    if (!o.fresh && hit && Date.now() - hit.at < this.cacheMs) return hit.worker;
    try {
      const worker = await this.client.getWorker(id, o.signal);
      this.workerCache.set(id, { at: Date.now(), worker });
      return worker;
    } catch (err) {
      if (err instanceof ProviderError && err.status === 404) this.workerGone(id);
      throw err;
    }
  }

  private workerGone(id: string): void {
    this.workerCache.delete(id);
    this.stale('workers');
  }

  estimate(worker: WorkerDetail, input: Record<string, unknown>): number | undefined {
    return estimateFromPricing(worker.pricing, input, worker.inputSchema);
  }

  /** Problems with the input and the control parameters, by field; empty when it can be sent. */
  validateInput(
    worker: WorkerDetail,
    input: Record<string, unknown>,
    control: { priority?: string; webhook?: string } = {},
  ): FieldErrors {
    const errors = validateValues(worker.inputSchema, input);
    if (control.priority && !(PRIORITIES as readonly string[]).includes(control.priority))
      errors.priority = l10n.t('must be one of {0}', PRIORITIES.join(', '));
    if (control.webhook) {
      let ok = false;
      try {
        const u = new URL(control.webhook);
        ok =
          u.protocol === 'https:' || (u.protocol === 'http:' && /^(127\.0\.0\.1|localhost|\[::1\])$/.test(u.hostname));
      } catch {
        ok = false;
      }
      if (!ok) errors.webhook = l10n.t('must be an https URL');
    }
    return errors;
  }

  /**
   * Checks the input against the worker's schema, then POSTs it once. 422 → ProviderError with
   * `fields`; 402 → the credits message; 404 → the worker is gone (the list is refreshed). If the
   * connection drops after the POST was sent, the job is looked for in GET /jobs, never re-sent.
   */
  async submit(
    worker: WorkerDetail | string,
    input: Record<string, unknown>,
    o: SubmitOptions = {},
  ): Promise<{ job: Job; recovered: boolean }> {
    const detail = typeof worker === 'string' ? undefined : worker;
    const workerId = typeof worker === 'string' ? worker : worker.id;
    if (detail && !o.skipLocalValidation) {
      const errors = this.validateInput(detail, input, o);
      if (Object.keys(errors).length)
        throw new ValidationError(
          l10n.t('Check the input for {0}: {1}.', detail.name, describeFieldErrors(errors)),
          errors,
        );
    }
    const req = { workerId, input, priority: o.priority, webhook: o.webhook };
    const sentAt = Date.now();
    const estimate = detail ? this.estimate(detail, input) : undefined;
    const base = {
      title: `${detail?.name ?? workerId}: ${titleFromPrompt(summarize(input), 48)}`,
      // Inline files (data: URIs) are not kept in the job list; a retry asks for them again.
      request: elideDataUris({
        worker: workerId,
        input,
        ...(o.priority ? { priority: o.priority } : {}),
        ...(o.webhook ? { webhook: o.webhook } : {}),
      }),
      meta: {
        worker: workerId,
        ...(o.priority ? { priority: o.priority } : {}),
        ...(estimate !== undefined ? { localEstimate: estimate } : {}),
      },
    };
    try {
      const charge = {
        provider: this.id,
        what: 'this job',
        cost: estimate === undefined ? undefined : { amount: estimate, unit: 'credits', estimated: true },
      };
      const { accepted, raw } = await gated(this.budget, charge, () => this.client.submitJob(req, o.signal));
      return { job: this.acceptedToJob(accepted, raw, base, workerId), recovered: false };
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      if (err.status === 404) {
        this.workerGone(workerId);
        throw new ProviderError({
          provider: this.id,
          status: 404,
          code: 'worker_not_found',
          message: l10n.t('Seek API has no worker "{0}" (404); the workers list will be refreshed.', workerId),
        });
      }
      if (!err.maybeAccepted) throw err;
      const found = await this.findSubmitted(workerId, sentAt, o.signal);
      if (found) {
        const job = newJob({
          provider: this.id,
          id: found.job_uuid,
          status: 'queued',
          kind: `worker:${workerId}`,
          createdAt: found.created_at ?? new Date().toISOString(),
          sandbox: this.isSandbox() || undefined,
          ...base,
        });
        return { job: { ...job, ...remoteToPatch(found, found, job) }, recovered: true };
      }
      throw new ProviderError({
        provider: this.id,
        code: 'connection_lost',
        maybeAccepted: true,
        message: l10n.t(
          '{0} It is not in the job list yet; refresh the Jobs view in a moment before submitting again.',
          err.message,
        ),
      });
    }
  }

  private acceptedToJob(
    a: JobAccepted,
    raw: unknown,
    base: Pick<Job, 'title' | 'request' | 'meta'>,
    workerId: string,
  ): Job {
    this.known.add(a.job_uuid);
    const job = newJob({
      provider: this.id,
      id: a.job_uuid,
      status: 'queued',
      kind: `worker:${a.worker ?? workerId}`,
      createdAt: a.created_at ?? new Date().toISOString(),
      sandbox: this.isSandbox() || undefined,
      ...base,
    });
    const patch = remoteToPatch({ ...a }, raw, job);
    if (a.cost_estimate_credits !== undefined)
      patch.cost = { amount: a.cost_estimate_credits, unit: 'credits', estimated: true };
    return { ...job, ...patch };
  }

  /** The job a lost POST created: the only one of this worker created since just before the POST. */
  private async findSubmitted(workerId: string, sentAt: number, signal?: AbortSignal): Promise<RemoteJob | undefined> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        // Jobs this provider made or polled before are not the lost one, however recent.
        const hits = (await this.client.listJobs(signal)).filter(
          (j) =>
            j.worker === workerId &&
            !this.known.has(j.job_uuid) &&
            j.created_at &&
            Date.parse(j.created_at) >= sentAt - 2_000,
        );
        if (hits.length === 1) {
          this.known.add(hits[0].job_uuid);
          return hits[0];
        }
        if (hits.length > 1) return undefined; // ambiguous: let the user look at the merged list
      } catch {
        /* best effort */
      }
      await new Promise((r) => setTimeout(r, 300 * (attempt + 1)));
    }
    return undefined;
  }
}

/** A short text for a job title from the input: its first non-empty string value. */
function summarize(input: Record<string, unknown>): string {
  for (const v of Object.values(input)) {
    if (typeof v === 'string' && v.trim()) return v;
    if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  }
  return Object.keys(input).join(', ') || 'job';
}
