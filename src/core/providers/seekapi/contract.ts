// Numbers and words from the Seek API documentation (api-docs/seekapi.txt).
// Everything the doc does not show (list shapes, pagination, pricing layout) is read tolerantly
// in schemas.ts; nothing here depends on it.

/** Job lifecycle: queued → running → completed | failed | timeout | cancelled. */
export const JOB_STATUSES = ['queued', 'running', 'completed', 'failed', 'timeout', 'cancelled'] as const;
/** "Cancel a pending or queued job": the only states DELETE /jobs/{uuid} accepts. */
export const CANCELLABLE_STATUSES: ReadonlySet<string> = new Set(['queued', 'pending']);

/** The doc shows "normal"; the others are what a priority field conventionally offers. */
export const PRIORITIES = ['low', 'normal', 'high'] as const;

export interface RateLimit {
  /** Sustained requests per second. */
  ratePerSec: number;
  burst: number;
}

/** Rate limits per plan ("Limits are applied per API key"). Enterprise is custom: configure it. */
export const PLAN_RATE_LIMITS: Record<string, RateLimit> = {
  free: { ratePerSec: 10, burst: 20 },
  pro: { ratePerSec: 50, burst: 100 },
};

export const DEFAULT_RATE_LIMIT: RateLimit = PLAN_RATE_LIMITS.free;

/** Share of the per-key rate the background poller may spend; the rest is kept for user actions. */
export const POLL_SHARE = 0.8;

export function pollBudgetFor(limit: RateLimit): number {
  return Math.max(1, Math.floor(limit.ratePerSec * POLL_SHARE));
}

/** GET /v1/jobs returns at most this many (the latest). */
export const JOBS_LIST_MAX = 100;
