import { createHash, randomBytes } from 'node:crypto';
import { CANCELLABLE_STATUSES, PLAN_RATE_LIMITS, PRIORITIES } from './contract';
import { mulberry32 } from '../../emulation/prng';
import type { Router, RouteContext } from '../../emulation/router';
import { json, type Emulator, type EmulatorContext } from '../../emulation/emulator';
import { priceOf, starterDeployments, validateInput, WORKERS, type WorkerDef } from './emulatorWorkers';

/*
 * Seek API emulator, below `/seekapi` (so a client's base URL is `<origin>/seekapi/v1`).
 *
 * Documented behaviour: `X-Api-Key` auth (401 `{error, message, status}`), the job state machine
 * queued → running → completed | failed | timeout | cancelled, 202 on submit with
 * cost_estimate_credits, completed jobs with cost_credits/duration_ms/result, timeout deducts
 * 0 credits, 400/401/402/404/422/429 in the documented error shape, and per-key rate limits
 * (Free 10 req/s burst 20, Pro 50 req/s burst 100) answered with 429 + Retry-After.
 *
 * Shapes the doc does not show, as this emulator answers them (the client reads them tolerantly):
 *   GET  /v1/me                → {id, email, name, plan: "free"|"pro", created_at}
 *   GET  /v1/me/credits        → {balance, plan, monthly_allowance, period_end, usage: [{date, credits, jobs}]}
 *   GET  /v1/me/deployments    → {data: [{worker_id, name, description, status: "draft"|"published", version, updated_at, published_at}]}
 *   GET  /v1/workers           → two pagination styles:
 *        page style (default, or when `page`/`per_page` is given): `?page=1&per_page=5` →
 *          {workers: [summary…], page, per_page, total}      (per_page 1–50, default 5)
 *        cursor style (when `cursor`/`limit` is given, or paginationStyle = 'cursor'):
 *          `?cursor=…&limit=5` → {data: [summary…], next_cursor: string | null}
 *        summary = {id, name, description, category, author, pricing}
 *   GET  /v1/workers/{id}      → summary + {input_schema (JSON Schema), max_duration (s)}
 *        pricing = {credits_per_job?, credits_per_unit?, unit?, unit_field?, minimum_credits?}
 *   POST /v1/workers/{id}/publish → {worker_id, status: "published", published_at}; only your own
 *        deployments (else 404); publishing twice is harmless (200).
 *   GET  /v1/jobs              → {data: [job…]} latest 100, newest first
 *   DELETE /v1/jobs/{uuid}     → 200 with the cancelled job while it is queued/pending;
 *        409 {error: "job_not_cancellable"} once it is running or finished (message names the state).
 *   422                        → {error: "validation_error", message, status: 422, errors: [{field, message}]}
 *   format "uri" inputs        → http(s) URLs, or base64 data: URIs of images, video or audio (a local file inline)
 *   job.error                  → a string message (failed/timeout), null otherwise.
 *
 * Deterministic markers in any string of a job's input: `[fail]` fails, `[timeout]` runs past
 * max_duration, `[slow]` runs 5× longer, `[hold]` stays queued 40× longer. `randomFailRate`
 * (seeded, off by default) fails/times out a share of the other jobs. Queue time depends on
 * priority (high 0.5 s, normal 1.5 s, low 4 s at time scale 1). Webhooks are recorded in
 * `webhookLog` when a job ends, not sent.
 *
 * Credits: a Free account starts with 100, a Pro one (any key containing `_pro_`) with 10,000.
 * The estimate is held at submit (402 when the balance cannot cover it), charged on completion,
 * released on failure, timeout and cancel.
 *
 * Every request with an accepted key is counted in `requestLog` (tests assert request rates).
 */

type Outcome = 'completed' | 'failed' | 'timeout';

interface JobRecord {
  uuid: string;
  owner: string;
  worker: WorkerDef;
  input: Record<string, unknown>;
  priority: string;
  webhook?: string;
  createdAt: number;
  queueMs: number;
  runMs: number;
  outcome: Outcome;
  estimate: number;
  /** Credits held from the balance at submit (seeded jobs hold none). */
  held: number;
  cancelledAt?: number;
  settled: boolean;
}

interface Account {
  /** A hash of the key this account belongs to (the emulator never keeps keys). */
  owner: string;
  id: string;
  plan: 'free' | 'pro';
  balance: number;
  createdAt: number;
  deployments: {
    def: WorkerDef;
    status: 'draft' | 'published';
    version: string;
    updatedAt: number;
    publishedAt?: number;
  }[];
  /** The token bucket this key's requests draw from. */
  bucket: { tokens: number; last: number };
}

export interface RequestRecord {
  at: number;
  owner: string;
  method: string;
  path: string;
  status: number;
}

const QUEUE_MS: Record<string, number> = { high: 500, normal: 1500, low: 4000 };

/** Accounts, jobs and the request log are keyed by a hash of the key, never the key itself. */
export function ownerOf(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 24);
}

function strings(v: unknown, depth = 0): string[] {
  if (depth > 5) return [];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap((x) => strings(x, depth + 1));
  if (v && typeof v === 'object') return Object.values(v).flatMap((x) => strings(x, depth + 1));
  return [];
}

export class SeekApiEmulator implements Emulator {
  readonly id = 'seekapi';
  readonly basePath = '/seekapi';
  readonly apiPrefix = '/v1';
  readonly jobs = new Map<string, JobRecord>();
  readonly accounts = new Map<string, Account>();
  readonly requestLog: RequestRecord[] = [];
  readonly webhookLog: { url: string; event: string; job_uuid: string; at: number }[] = [];
  /** 'page' answers {workers, page, per_page, total}; 'cursor' answers {data, next_cursor}. */
  paginationStyle: 'page' | 'cursor' = 'page';
  defaultPerPage = 5;
  rateLimitEnabled = true;
  /** Share of jobs without a marker that fail or time out (seeded, reproducible). */
  randomFailRate = 0;
  private rng = mulberry32(42);
  private ctx!: EmulatorContext;

  seed(n: number): void {
    this.rng = mulberry32(n);
  }

  errorBody(status: number, code: string, message: string): unknown {
    return { error: code, message, status };
  }

  register(router: Router, ctx: EmulatorContext): void {
    this.ctx = ctx;
    const p = `${this.basePath}${this.apiPrefix}`;
    const route = (method: string, path: string, fn: (c: RouteContext, a: Account) => void) =>
      router.add(method, `${p}${path}`, (c) => this.guard(c, fn));
    route('GET', '/me', (c, a) => this.me(c, a));
    route('GET', '/me/credits', (c, a) => this.credits(c, a));
    route('GET', '/me/deployments', (c, a) => this.deployments(c, a));
    route('GET', '/workers', (c) => this.listWorkers(c));
    route('GET', '/workers/:id', (c) => this.getWorker(c));
    route('POST', '/workers/:id/publish', (c, a) => this.publish(c, a));
    route('POST', '/workers/:id/jobs', (c, a) => this.submit(c, a));
    route('GET', '/jobs', (c, a) => this.listJobs(c, a));
    route('GET', '/jobs/:uuid', (c, a) => this.getJob(c, a));
    route('DELETE', '/jobs/:uuid', (c, a) => this.cancel(c, a));
  }

  // ---- test helpers ----

  /** The account of a key (created on first use). */
  account(key: string): Account {
    const owner = ownerOf(key);
    let a = this.accounts.get(owner);
    if (!a) {
      const pro = key.includes('_pro_');
      a = {
        owner,
        id: `usr_${owner.slice(0, 12)}`,
        plan: pro ? 'pro' : 'free',
        balance: pro ? 10_000 : 100,
        createdAt: this.ctx.now(),
        deployments: starterDeployments().map((def, i) => ({
          def,
          status: i === 0 ? 'draft' : 'published',
          version: i === 0 ? '0.3.0' : '1.2.0',
          updatedAt: this.ctx.now(),
          publishedAt: i === 0 ? undefined : this.ctx.now() - 86_400_000,
        })),
        bucket: { tokens: pro ? PLAN_RATE_LIMITS.pro.burst : PLAN_RATE_LIMITS.free.burst, last: this.ctx.now() },
      };
      this.accounts.set(owner, a);
    }
    return a;
  }

  snapshot(): unknown {
    return {
      jobs: [...this.jobs.values()].map((j) => ({ ...j, worker: j.worker.id })),
      accounts: [...this.accounts.values()].map((a) => ({
        ...a,
        deployments: a.deployments.map((d) => ({ ...d, def: d.def.id })),
      })),
    };
  }

  restore(state: unknown): void {
    const s = state as {
      jobs?: (Omit<JobRecord, 'worker'> & { worker: string })[];
      accounts?: (Omit<Account, 'deployments'> & {
        deployments: (Omit<Account['deployments'][number], 'def'> & { def: string })[];
      })[];
    };
    const starters = starterDeployments();
    for (const a of s.accounts ?? []) {
      const deployments = a.deployments.flatMap((d) => {
        const def = starters.find((x) => x.id === d.def);
        return def ? [{ ...d, def }] : [];
      });
      this.accounts.set(a.owner, { ...a, deployments });
    }
    for (const j of s.jobs ?? []) {
      const worker = this.findWorker(j.worker);
      if (worker) this.jobs.set(j.uuid, { ...j, held: j.held ?? j.estimate, worker });
    }
  }

  setPlan(key: string, plan: 'free' | 'pro'): void {
    this.account(key).plan = plan;
  }

  setBalance(key: string, credits: number): void {
    this.account(key).balance = credits;
  }

  /** Creates jobs directly (no request, no credits): for load tests that need many active jobs. */
  seedJobs(
    key: string,
    count: number,
    o: { workerId?: string; input?: Record<string, unknown> } = {},
  ): { job_uuid: string; status: string; worker: string; cost_estimate_credits: number; created_at: string }[] {
    const owner = this.account(key).owner;
    const worker = this.findWorker(o.workerId ?? 'email-finder')!;
    const input = o.input ?? { domain: 'example.com', first_name: 'Ada', last_name: 'Lovelace' };
    return Array.from(
      { length: count },
      () =>
        this.view(this.createJob(owner, worker, input, 'normal', undefined, priceOf(worker, input))) as {
          job_uuid: string;
          status: string;
          worker: string;
          cost_estimate_credits: number;
          created_at: string;
        },
    );
  }

  /** Requests per key in fixed one-second windows of the emulator's clock. */
  perSecond(key: string, since = 0): number[] {
    const owner = ownerOf(key);
    const counts = new Map<number, number>();
    for (const r of this.requestLog)
      if (r.owner === owner && r.at >= since)
        counts.set(Math.floor(r.at / 1000), (counts.get(Math.floor(r.at / 1000)) ?? 0) + 1);
    return [...counts.entries()].sort(([a], [b]) => a - b).map(([, n]) => n);
  }

  /** The most requests of this key in any window of `windowMs` (sliding). */
  maxInWindow(key: string, windowMs = 1000, since = 0): number {
    const owner = ownerOf(key);
    const times = this.requestLog.filter((r) => r.owner === owner && r.at >= since).map((r) => r.at);
    let max = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i] - times[j] >= windowMs) j++;
      max = Math.max(max, i - j + 1);
    }
    return max;
  }

  count(key: string, o: { status?: number; since?: number; method?: string; path?: string } = {}): number {
    const owner = ownerOf(key);
    return this.requestLog.filter(
      (r) =>
        r.owner === owner &&
        (o.status === undefined || r.status === o.status) &&
        (o.since === undefined || r.at >= o.since) &&
        (!o.method || r.method === o.method) &&
        (!o.path || r.path.includes(o.path)),
    ).length;
  }

  // ---- plumbing ----

  private fail(
    c: RouteContext,
    status: number,
    code: string,
    message: string,
    extra: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ): void {
    json(c.res, status, { ...(this.errorBody(status, code, message) as object), ...extra }, headers);
  }

  private guard(c: RouteContext, fn: (c: RouteContext, a: Account) => void): void {
    const raw = c.req.headers['x-api-key'];
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (!this.ctx.acceptsKey(key)) return this.fail(c, 401, 'unauthorized', 'Missing or invalid X-Api-Key header.');
    const a = this.account(key!);
    const now = this.ctx.now();
    const record: RequestRecord = {
      at: now,
      owner: a.owner,
      method: c.req.method ?? 'GET',
      path: c.url.pathname.slice(this.basePath.length),
      status: 0,
    };
    if (this.requestLog.length < 500_000) this.requestLog.push(record);
    c.res.once('finish', () => (record.status = c.res.statusCode));
    if (this.rateLimitEnabled) {
      const limit = PLAN_RATE_LIMITS[a.plan];
      const b = a.bucket;
      b.tokens = Math.min(limit.burst, b.tokens + ((now - b.last) / 1000) * limit.ratePerSec);
      b.last = now;
      if (b.tokens < 1) {
        const retryAfter = Math.max(1, Math.ceil((1 - b.tokens) / limit.ratePerSec));
        const planName = a.plan === 'pro' ? 'Pro' : 'Free';
        return this.fail(
          c,
          429,
          'rate_limited',
          `Rate limit exceeded: ${limit.ratePerSec} requests per second (burst ${limit.burst}) on the ${planName} plan.`,
          {},
          { 'retry-after': String(retryAfter) },
        );
      }
      b.tokens -= 1;
    }
    fn(c, a);
  }

  private findWorker(id: string): WorkerDef | undefined {
    return WORKERS.find((w) => w.id === id) ?? this.publishedDeployments().find((w) => w.id === id);
  }

  private publishedDeployments(): WorkerDef[] {
    const out: WorkerDef[] = [];
    for (const a of this.accounts.values())
      for (const d of a.deployments)
        if (d.status === 'published' && !out.some((w) => w.id === d.def.id)) out.push(d.def);
    return out;
  }

  private summary(w: WorkerDef): Record<string, unknown> {
    return {
      id: w.id,
      name: w.name,
      description: w.description,
      category: w.category,
      author: w.author,
      pricing: w.pricing,
    };
  }

  // ---- account ----

  private me(c: RouteContext, a: Account): void {
    json(c.res, 200, {
      id: a.id,
      email: 'sandbox-user@example.com',
      name: 'Sandbox user',
      plan: a.plan,
      created_at: new Date(a.createdAt).toISOString(),
    });
  }

  private credits(c: RouteContext, a: Account): void {
    const owner = a.owner;
    const mine = [...this.jobs.values()].filter((j) => j.owner === owner);
    mine.forEach((j) => this.settle(j));
    const byDay = new Map<string, { credits: number; jobs: number }>();
    // A little history so a fresh account's chart is not empty.
    for (let d = 3; d >= 1; d--)
      byDay.set(new Date(this.ctx.now() - d * 86_400_000).toISOString().slice(0, 10), { credits: d * 3, jobs: d });
    for (const j of mine) {
      const v = this.view(j);
      if (typeof v.cost_credits !== 'number') continue;
      const day = new Date(j.createdAt).toISOString().slice(0, 10);
      const e = byDay.get(day) ?? { credits: 0, jobs: 0 };
      e.credits += v.cost_credits;
      e.jobs += 1;
      byDay.set(day, e);
    }
    const periodEnd = new Date(this.ctx.now());
    periodEnd.setUTCMonth(periodEnd.getUTCMonth() + 1, 1);
    json(c.res, 200, {
      balance: a.balance,
      plan: a.plan,
      monthly_allowance: a.plan === 'free' ? 100 : null,
      period_end: periodEnd.toISOString().slice(0, 10),
      usage: [...byDay.entries()].map(([date, e]) => ({ date, credits: e.credits, jobs: e.jobs })),
    });
  }

  private deployments(c: RouteContext, a: Account): void {
    json(c.res, 200, {
      data: a.deployments.map((d) => ({
        worker_id: d.def.id,
        name: d.def.name,
        description: d.def.description,
        status: d.status,
        version: d.version,
        updated_at: new Date(d.updatedAt).toISOString(),
        published_at: d.publishedAt ? new Date(d.publishedAt).toISOString() : null,
      })),
    });
  }

  private publish(c: RouteContext, a: Account): void {
    const d = a.deployments.find((x) => x.def.id === c.params.id);
    if (!d) return this.fail(c, 404, 'not_found', `Worker ${c.params.id} is not one of your deployments.`);
    if (d.status !== 'published') {
      d.status = 'published';
      d.publishedAt = this.ctx.now();
      d.updatedAt = this.ctx.now();
    }
    json(c.res, 200, {
      worker_id: d.def.id,
      status: 'published',
      published_at: new Date(d.publishedAt!).toISOString(),
    });
  }

  // ---- workers ----

  private listWorkers(c: RouteContext): void {
    const q = c.url.searchParams;
    const all = [...WORKERS, ...this.publishedDeployments()];
    const cursorStyle =
      q.has('cursor') || q.has('limit') || (!q.has('page') && !q.has('per_page') && this.paginationStyle === 'cursor');
    const sizeText = q.get(cursorStyle ? 'limit' : 'per_page');
    const size = sizeText === null ? this.defaultPerPage : Number(sizeText);
    if (!Number.isInteger(size) || size < 1 || size > 50)
      return this.fail(c, 400, 'bad_request', `${cursorStyle ? 'limit' : 'per_page'} must be an integer from 1 to 50.`);
    if (cursorStyle) {
      let offset = 0;
      const cursor = q.get('cursor');
      if (cursor) {
        const m = /^o(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
        if (!m) return this.fail(c, 400, 'bad_request', 'Invalid cursor.');
        offset = Number(m[1]);
      }
      const rows = all.slice(offset, offset + size);
      const next = offset + size < all.length ? Buffer.from(`o${offset + size}`).toString('base64url') : null;
      return json(c.res, 200, { data: rows.map((w) => this.summary(w)), next_cursor: next });
    }
    const pageText = q.get('page');
    const page = pageText === null ? 1 : Number(pageText);
    if (!Number.isInteger(page) || page < 1)
      return this.fail(c, 400, 'bad_request', 'page must be an integer of 1 or more.');
    const rows = all.slice((page - 1) * size, page * size);
    json(c.res, 200, { workers: rows.map((w) => this.summary(w)), page, per_page: size, total: all.length });
  }

  private getWorker(c: RouteContext): void {
    const w = this.findWorker(c.params.id);
    if (!w) return this.fail(c, 404, 'not_found', `Worker ${c.params.id} not found.`);
    json(c.res, 200, { ...this.summary(w), input_schema: w.input_schema, max_duration: w.max_duration });
  }

  // ---- jobs ----

  private submit(c: RouteContext, a: Account): void {
    const owner = a.owner;
    const w = this.findWorker(c.params.id);
    if (!w) return this.fail(c, 404, 'not_found', `Worker ${c.params.id} not found.`);
    const body = c.body;
    if (!body || typeof body !== 'object' || Array.isArray(body))
      return this.fail(c, 400, 'bad_request', 'Request body must be a JSON object holding the worker input.');
    const { priority, webhook, ...input } = body as Record<string, unknown>;
    const problems = validateInput(w.input_schema, input);
    if (priority !== undefined && !(PRIORITIES as readonly unknown[]).includes(priority))
      problems.push({ field: 'priority', message: `must be one of: ${PRIORITIES.join(', ')}` });
    if (webhook !== undefined) {
      let ok = false;
      try {
        ok = typeof webhook === 'string' && /^https?:$/.test(new URL(webhook).protocol);
      } catch {
        ok = false;
      }
      if (!ok) problems.push({ field: 'webhook', message: 'must be a valid URL' });
    }
    if (problems.length)
      return this.fail(c, 422, 'validation_error', 'Input failed worker schema validation.', { errors: problems });
    const estimate = priceOf(w, input);
    [...this.jobs.values()].filter((j) => j.owner === owner).forEach((j) => this.settle(j));
    if (a.balance < estimate)
      return this.fail(
        c,
        402,
        'insufficient_credits',
        `Insufficient credits to run this job: it needs ${estimate}, the balance is ${a.balance}.`,
      );
    a.balance -= estimate;
    const rec = this.createJob(
      owner,
      w,
      input,
      (priority as string | undefined) ?? 'normal',
      webhook as string | undefined,
      estimate,
    );
    rec.held = estimate;
    const v = this.view(rec);
    json(c.res, 202, {
      job_uuid: rec.uuid,
      status: v.status,
      worker: w.id,
      cost_estimate_credits: estimate,
      created_at: v.created_at,
    });
  }

  private createJob(
    owner: string,
    w: WorkerDef,
    input: Record<string, unknown>,
    priority: string,
    webhook: string | undefined,
    estimate: number,
  ): JobRecord {
    const text = strings(input).join('\n');
    let outcome: Outcome = text.includes('[fail]') ? 'failed' : text.includes('[timeout]') ? 'timeout' : 'completed';
    if (outcome === 'completed' && this.randomFailRate > 0) {
      const r = this.rng();
      if (r < this.randomFailRate) outcome = r < this.randomFailRate / 2 ? 'failed' : 'timeout';
    }
    const workMs = w.workMs * (text.includes('[slow]') ? 5 : 1);
    const rec: JobRecord = {
      uuid: `job_${randomBytes(6).toString('hex')}`,
      owner,
      worker: w,
      input,
      priority,
      webhook,
      createdAt: this.ctx.now(),
      queueMs: (QUEUE_MS[priority] ?? QUEUE_MS.normal) * (text.includes('[hold]') ? 40 : 1),
      runMs: outcome === 'timeout' ? w.max_duration * 1000 : outcome === 'failed' ? Math.round(workMs / 2) : workMs,
      outcome,
      estimate,
      held: 0,
      settled: false,
    };
    this.jobs.set(rec.uuid, rec);
    return rec;
  }

  private status(rec: JobRecord): string {
    if (rec.cancelledAt !== undefined) return 'cancelled';
    const elapsed = (this.ctx.now() - rec.createdAt) / this.ctx.timing.scale;
    if (elapsed < rec.queueMs) return 'queued';
    if (elapsed < rec.queueMs + rec.runMs) return 'running';
    return rec.outcome;
  }

  /** The job as the API shows it now; its state is a pure function of elapsed time. */
  private view(rec: JobRecord): Record<string, unknown> & { status: string; cost_credits?: number } {
    const status = this.status(rec);
    const scale = this.ctx.timing.scale;
    const iso = (t: number) => new Date(Math.round(t)).toISOString();
    const startedAt = rec.createdAt + rec.queueMs * scale;
    const endedAt = rec.createdAt + (rec.queueMs + rec.runMs) * scale;
    const v: Record<string, unknown> & { status: string; cost_credits?: number } = {
      job_uuid: rec.uuid,
      status,
      worker: rec.worker.id,
      priority: rec.priority,
      cost_estimate_credits: rec.estimate,
      created_at: iso(rec.createdAt),
      started_at:
        status === 'queued' || (status === 'cancelled' && rec.cancelledAt! < startedAt) ? null : iso(startedAt),
      completed_at: null,
      result: null,
      error: null,
    };
    switch (status) {
      case 'completed':
        Object.assign(v, {
          cost_credits: rec.estimate,
          duration_ms: Math.round(rec.runMs * scale),
          completed_at: iso(endedAt),
          result: rec.worker.result(rec.input, (p) => this.ctx.url(p), rec.uuid),
        });
        break;
      case 'failed':
        Object.assign(v, {
          cost_credits: 0,
          duration_ms: Math.round(rec.runMs * scale),
          completed_at: iso(endedAt),
          error: `Worker ${rec.worker.id} crashed: the upstream site answered 503.`,
        });
        break;
      case 'timeout':
        Object.assign(v, {
          cost_credits: 0,
          duration_ms: Math.round(rec.runMs * scale),
          completed_at: iso(endedAt),
          error: `Job exceeded the worker max_duration of ${rec.worker.max_duration} s.`,
        });
        break;
      case 'cancelled':
        Object.assign(v, { cost_credits: 0, completed_at: iso(rec.cancelledAt!) });
        break;
    }
    return v;
  }

  /** Once a job has ended: charge or release its hold, and record the webhook it would fire. */
  private settle(rec: JobRecord): void {
    if (rec.settled) return;
    const status = this.status(rec);
    if (status === 'queued' || status === 'running') return;
    rec.settled = true;
    const a = this.accounts.get(rec.owner);
    if (a && status !== 'completed') a.balance += rec.held;
    if (rec.webhook)
      this.webhookLog.push({ url: rec.webhook, event: `job.${status}`, job_uuid: rec.uuid, at: this.ctx.now() });
  }

  private mine(c: RouteContext, a: Account): JobRecord | undefined {
    const rec = this.jobs.get(c.params.uuid);
    if (!rec || rec.owner !== a.owner) {
      this.fail(c, 404, 'not_found', `Job ${c.params.uuid} not found.`);
      return undefined;
    }
    return rec;
  }

  private getJob(c: RouteContext, a: Account): void {
    const rec = this.mine(c, a);
    if (!rec) return;
    this.settle(rec);
    json(c.res, 200, this.view(rec));
  }

  private listJobs(c: RouteContext, a: Account): void {
    const owner = a.owner;
    const rows = [...this.jobs.values()]
      .filter((j) => j.owner === owner)
      .sort((x, y) => y.createdAt - x.createdAt)
      .slice(0, 100);
    rows.forEach((r) => this.settle(r));
    json(c.res, 200, { data: rows.map((r) => this.view(r)) });
  }

  private cancel(c: RouteContext, a: Account): void {
    const rec = this.mine(c, a);
    if (!rec) return;
    const status = this.status(rec);
    if (!CANCELLABLE_STATUSES.has(status)) {
      const why = status === 'running' ? 'is already running' : `has already ended (${status})`;
      return this.fail(
        c,
        409,
        'job_not_cancellable',
        `Job ${rec.uuid} ${why}; only queued or pending jobs can be cancelled.`,
      );
    }
    rec.cancelledAt = this.ctx.now();
    this.settle(rec);
    json(c.res, 200, this.view(rec));
  }
}
