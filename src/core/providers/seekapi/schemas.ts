import { z } from 'zod';

// Response schemas for the Seek API. The doc shows only the error body, the 202 submission and a
// completed job; the account, worker and list shapes are not shown, so those are read tolerantly:
// a few alternative spellings, every cosmetic field optional and dropped (not fatal) when its type
// is unexpected, unknown fields ignored (zod strips them from `data`; `raw` keeps them).

const optStr = z.string().optional().catch(undefined);
const optNum = z.number().optional().catch(undefined);
const nullishStr = z.string().nullish().catch(undefined);

// ---- errors: {"error": "unauthorized", "message": "…", "status": 401} ----

/** Per-field problems on a 422, in any of the usual layouts. */
const fieldErrorsSchema = z.union([
  z.array(
    z.object({
      field: optStr,
      path: z
        .union([z.string(), z.array(z.union([z.string(), z.number()]))])
        .optional()
        .catch(undefined),
      loc: z
        .array(z.union([z.string(), z.number()]))
        .optional()
        .catch(undefined),
      message: optStr,
      msg: optStr,
    }),
  ),
  z.record(z.string(), z.union([z.string(), z.array(z.string())])),
]);

export const errorBodySchema = z.object({
  error: z.string(),
  message: optStr,
  status: optNum,
  errors: fieldErrorsSchema.optional().catch(undefined),
  fields: fieldErrorsSchema.optional().catch(undefined),
  details: fieldErrorsSchema.optional().catch(undefined),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** Field path → message, from whichever per-field layout the 422 used. */
export function fieldErrorsOf(body: ErrorBody): Record<string, string> {
  const out: Record<string, string> = {};
  for (const list of [body.errors, body.fields, body.details]) {
    if (!list) continue;
    if (Array.isArray(list)) {
      for (const e of list) {
        const path =
          e.field ??
          (Array.isArray(e.path) ? e.path.join('.') : e.path) ??
          e.loc?.filter((p) => p !== 'body').join('.');
        const message = e.message ?? e.msg;
        if (path && message) out[path] = out[path] ? `${out[path]} ${message}` : message;
      }
    } else {
      for (const [k, v] of Object.entries(list)) out[k] = Array.isArray(v) ? v.join(' ') : v;
    }
  }
  return out;
}

// ---- account ----

const planSchema = z.union([z.string(), z.object({ name: optStr, id: optStr, tier: optStr })]);

const rateLimitSchema = z.object({
  sustained_per_sec: optNum,
  requests_per_second: optNum,
  burst: optNum,
});

export const meSchema = z.object({
  id: z.union([z.string(), z.number()]).optional().catch(undefined),
  email: optStr,
  name: optStr,
  plan: planSchema.optional().catch(undefined),
  rate_limit: rateLimitSchema.optional().catch(undefined),
});

export interface Account {
  id?: string;
  email?: string;
  name?: string;
  /** Lower-case plan name (free, pro, enterprise …) when the API says it. */
  plan?: string;
  /** Limits the API states for this key, when it states them. */
  rateLimit?: { ratePerSec: number; burst?: number };
}

export function planName(plan: z.infer<typeof planSchema> | undefined): string | undefined {
  const v = typeof plan === 'string' ? plan : (plan?.name ?? plan?.tier ?? plan?.id);
  return v ? v.trim().toLowerCase() : undefined;
}

export function toAccount(me: z.infer<typeof meSchema>): Account {
  const rate = me.rate_limit?.sustained_per_sec ?? me.rate_limit?.requests_per_second;
  return {
    id: me.id === undefined ? undefined : String(me.id),
    email: me.email,
    name: me.name,
    plan: planName(me.plan),
    rateLimit: rate && rate > 0 ? { ratePerSec: rate, burst: me.rate_limit?.burst } : undefined,
  };
}

const usageEntrySchema = z.object({
  date: optStr,
  period: optStr,
  day: optStr,
  credits: optNum,
  credits_used: optNum,
  amount: optNum,
  jobs: optNum,
  worker: optStr,
});

export const creditsSchema = z.object({
  balance: optNum,
  credits: optNum,
  credits_balance: optNum,
  plan: planSchema.optional().catch(undefined),
  monthly_allowance: optNum,
  period_end: nullishStr,
  usage: z.array(usageEntrySchema).optional().catch(undefined),
  history: z.array(usageEntrySchema).optional().catch(undefined),
  usage_history: z.array(usageEntrySchema).optional().catch(undefined),
});

export interface UsageEntry {
  date: string;
  credits: number;
  jobs?: number;
  worker?: string;
}

export interface Credits {
  /** Undefined only when the answer carried no balance we could read. */
  balance?: number;
  plan?: string;
  monthlyAllowance?: number;
  periodEnd?: string;
  usage: UsageEntry[];
}

export function toCredits(c: z.infer<typeof creditsSchema>): Credits {
  const rows = c.usage ?? c.usage_history ?? c.history ?? [];
  return {
    balance: c.balance ?? c.credits_balance ?? c.credits,
    plan: planName(c.plan),
    monthlyAllowance: c.monthly_allowance,
    periodEnd: c.period_end ?? undefined,
    usage: rows.map((r) => ({
      date: r.date ?? r.period ?? r.day ?? '',
      credits: r.credits ?? r.credits_used ?? r.amount ?? 0,
      jobs: r.jobs,
      worker: r.worker,
    })),
  };
}

// ---- workers ----

const idOf = (o: { id?: string | number; worker_id?: string; slug?: string }) =>
  (o.worker_id ?? (o.id !== undefined ? String(o.id) : undefined) ?? o.slug ?? '').trim();

export const pricingSchema = z.union([
  z.number(),
  z.object({
    credits_per_job: optNum,
    credits_per_run: optNum,
    credits: optNum,
    credits_per_unit: optNum,
    unit: optStr,
    unit_field: optStr,
    minimum_credits: optNum,
    description: optStr,
  }),
]);

/** Per-credit pricing in one shape: a flat price per job and/or a price per unit of some input field. */
export interface Pricing {
  perJob?: number;
  perUnit?: number;
  unit?: string;
  /** The input field that counts the units (e.g. max_results). */
  unitField?: string;
  minimum?: number;
  description?: string;
}

export function toPricing(p: z.infer<typeof pricingSchema> | undefined, topLevel?: number): Pricing | undefined {
  if (typeof p === 'number') return { perJob: p };
  if (!p) return topLevel !== undefined ? { perJob: topLevel } : undefined;
  const perJob = p.credits_per_job ?? p.credits_per_run ?? (p.credits_per_unit === undefined ? p.credits : undefined);
  const out: Pricing = {
    perJob,
    perUnit: p.credits_per_unit,
    unit: p.unit,
    unitField: p.unit_field,
    minimum: p.minimum_credits,
    description: p.description,
  };
  return out.perJob === undefined && out.perUnit === undefined && !out.description ? undefined : out;
}

const workerBase = {
  id: z.union([z.string(), z.number()]).optional().catch(undefined),
  worker_id: optStr,
  slug: optStr,
  name: optStr,
  title: optStr,
  description: optStr,
  summary: optStr,
  category: optStr,
  author: optStr,
  pricing: pricingSchema.optional().catch(undefined),
  price_credits: optNum,
};

export const workerSummarySchema = z.object(workerBase);

export interface WorkerSummary {
  id: string;
  name: string;
  description?: string;
  category?: string;
  author?: string;
  pricing?: Pricing;
}

export function toWorkerSummary(w: z.infer<typeof workerSummarySchema>): WorkerSummary {
  const id = idOf(w);
  return {
    id,
    name: w.name ?? w.title ?? id,
    description: w.description ?? w.summary,
    category: w.category,
    author: w.author,
    pricing: toPricing(w.pricing, w.price_credits),
  };
}

const jsonSchemaObject = z.record(z.string(), z.unknown());

export const workerDetailSchema = z.object({
  ...workerBase,
  input_schema: jsonSchemaObject.optional().catch(undefined),
  schema: jsonSchemaObject.optional().catch(undefined),
  inputs: jsonSchemaObject.optional().catch(undefined),
  max_duration: optNum,
  max_duration_seconds: optNum,
});

export interface WorkerDetail extends WorkerSummary {
  /** The worker's JSON schema for its input (an object schema); `{}` when none was given. */
  inputSchema: Record<string, unknown>;
  maxDurationSec?: number;
}

export function toWorkerDetail(w: z.infer<typeof workerDetailSchema>): WorkerDetail {
  return {
    ...toWorkerSummary(w),
    inputSchema: w.input_schema ?? w.schema ?? w.inputs ?? {},
    maxDurationSec: w.max_duration_seconds ?? w.max_duration,
  };
}

/** A worker that has no id cannot be opened or run: such entries are dropped, not fatal. */
const workerItem = z.unknown().transform((v, ctx) => {
  const r = workerSummarySchema.safeParse(v);
  if (!r.success || !idOf(r.data)) {
    ctx.addIssue({ code: 'custom', message: 'worker without an id' });
    return z.NEVER;
  }
  return r.data;
});
const workerList = z.array(z.unknown()).transform((items) =>
  items.flatMap((i) => {
    const r = workerItem.safeParse(i);
    return r.success ? [r.data] : [];
  }),
);

/**
 * GET /workers, "paginated" with no shape shown. Accepted: a bare array; `{data, next_cursor}`
 * (cursor style); `{workers, page, per_page, total}` (page style); `items` as another list name;
 * `has_more`, `total_pages`, `next_page` as hints.
 */
export const workersPageSchema = z.union([
  workerList,
  z.object({
    data: workerList.optional(),
    workers: workerList.optional(),
    items: workerList.optional(),
    next_cursor: nullishStr,
    cursor: nullishStr,
    next_page_token: nullishStr,
    has_more: z.boolean().optional().catch(undefined),
    page: optNum,
    per_page: optNum,
    page_size: optNum,
    limit: optNum,
    total: optNum,
    total_pages: optNum,
    next_page: z.number().nullish().catch(undefined),
  }),
]);

export const deploymentSchema = z.object({
  ...workerBase,
  status: optStr,
  published: z.boolean().optional().catch(undefined),
  version: z.union([z.string(), z.number()]).optional().catch(undefined),
  published_at: nullishStr,
  updated_at: nullishStr,
});

export interface Deployment {
  id: string;
  name: string;
  /** draft, published … as the API says it; `published` when only a boolean was given. */
  status?: string;
  version?: string;
  publishedAt?: string;
  updatedAt?: string;
  description?: string;
}

const deploymentItems = z.array(z.unknown()).transform((items) =>
  items.flatMap((i) => {
    const r = deploymentSchema.safeParse(i);
    return r.success && idOf(r.data) ? [r.data] : [];
  }),
);
export const deploymentsSchema = z.union([
  deploymentItems,
  z.object({
    data: deploymentItems.optional(),
    deployments: deploymentItems.optional(),
    workers: deploymentItems.optional(),
  }),
]);

export function toDeployments(d: z.infer<typeof deploymentsSchema>): Deployment[] {
  const rows = Array.isArray(d) ? d : (d.data ?? d.deployments ?? d.workers ?? []);
  return rows.map((r) => {
    const id = idOf(r);
    return {
      id,
      name: r.name ?? r.title ?? id,
      status: r.status ?? (r.published === undefined ? undefined : r.published ? 'published' : 'draft'),
      version: r.version === undefined ? undefined : String(r.version),
      publishedAt: r.published_at ?? undefined,
      updatedAt: r.updated_at ?? undefined,
      description: r.description ?? r.summary,
    };
  });
}

export const publishResponseSchema = z.union([
  z.object({
    status: optStr,
    worker_id: optStr,
    id: z.union([z.string(), z.number()]).optional().catch(undefined),
    published_at: nullishStr,
    url: optStr,
  }),
  z.unknown(),
]);

// ---- jobs ----

/** 202 Accepted: {"job_uuid", "status": "queued", "worker", "cost_estimate_credits", "created_at"} */
export const jobAcceptedSchema = z.object({
  job_uuid: z.string().min(1),
  status: z.string().min(1),
  worker: optStr,
  cost_estimate_credits: optNum,
  created_at: optStr,
});
export type JobAccepted = z.infer<typeof jobAcceptedSchema>;

const jobErrorSchema = z
  .union([z.string(), z.object({ code: optStr, error: optStr, message: optStr })])
  .nullish()
  .catch(undefined);

export const remoteJobSchema = z.object({
  job_uuid: z.string().min(1),
  status: z.string().min(1),
  worker: optStr,
  cost_estimate_credits: optNum,
  cost_credits: z.number().nullish().catch(undefined),
  duration_ms: z.number().nullish().catch(undefined),
  created_at: optStr,
  started_at: nullishStr,
  completed_at: nullishStr,
  priority: optStr,
  result: z.unknown().optional(),
  error: jobErrorSchema,
});
export type RemoteJob = z.infer<typeof remoteJobSchema>;

/** GET /jobs: a bare array, `{data: […]}` or `{jobs: […]}`; entries without a job_uuid are dropped. */
const jobItems = z.array(z.unknown()).transform((items) =>
  items.flatMap((i) => {
    const r = remoteJobSchema.safeParse(i);
    return r.success ? [r.data] : [];
  }),
);
export const jobListSchema = z.union([jobItems, z.object({ data: jobItems.optional(), jobs: jobItems.optional() })]);

export function jobsOf(l: z.infer<typeof jobListSchema>): RemoteJob[] {
  return Array.isArray(l) ? l : (l.data ?? l.jobs ?? []);
}

/** DELETE /jobs/{uuid}: the cancelled job, or anything (an empty 204 included). */
export const cancelResponseSchema = z.union([remoteJobSchema, z.unknown()]);

// ---- requests ----

export type Priority = string;

export interface SubmitRequest {
  workerId: string;
  /** The worker's input fields, sent at the top level of the body. */
  input: Record<string, unknown>;
  /** Only sent when set. */
  priority?: Priority;
  /** Only sent when set; the editor polls regardless. */
  webhook?: string;
}
