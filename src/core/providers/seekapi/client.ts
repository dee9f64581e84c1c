import * as l10n from '@vscode/l10n';
import { z } from 'zod';
import { ProviderError } from '../../errors';
import { HttpClient, type HttpClientOptions, type Method } from '../../http/client';
import { withoutNulls } from '../../json';
import { parseRetryAfter, sleep } from '../../http/backoff';
import type { TokenBucket } from '../../http/rateLimit';
import { describeZodIssues } from '../../http/zodIssues';
import { redactor } from '../../redact';
import { JOBS_LIST_MAX } from './contract';
import {
  cancelResponseSchema,
  creditsSchema,
  deploymentsSchema,
  errorBodySchema,
  fieldErrorsOf,
  jobAcceptedSchema,
  jobListSchema,
  jobsOf,
  meSchema,
  publishResponseSchema,
  remoteJobSchema,
  toAccount,
  toCredits,
  toDeployments,
  toWorkerDetail,
  toWorkerSummary,
  workerDetailSchema,
  workersPageSchema,
  type Account,
  type Credits,
  type Deployment,
  type JobAccepted,
  type RemoteJob,
  type SubmitRequest,
  type WorkerDetail,
  type WorkerSummary,
} from './schemas';

/** Where the next page of GET /workers starts: a server cursor, or a page number. */
export type WorkersPageToken = { cursor: string } | { page: number; perPage?: number };

export interface WorkersPage {
  workers: WorkerSummary[];
  /** Undefined on the last page. */
  next?: WorkersPageToken;
  total?: number;
}

export type SeekClientOptions = Omit<HttpClientOptions, 'parseErrorBody' | 'explainStatus' | 'rateLimiter'> & {
  rateLimiter: TokenBucket;
  /** Longest Retry-After waited out on a 429 before the error is handed to the caller. */
  maxRetryAfterMs?: number;
};

const MAX_429_RETRIES = 4;

/**
 * Typed calls to the Seek API, one method per documented endpoint. Every request passes the
 * per-key token bucket (in the HttpClient); a 429 holds every request back until Retry-After has
 * passed, then the request is sent again (a 429 means the server did not take it, so a create
 * may be repeated).
 */
export class SeekApiClient {
  readonly http: HttpClient;
  private readonly limiter: TokenBucket;
  private pausedUntil = 0;
  /** 429 answers seen, for tests and the log. */
  rateLimited = 0;

  constructor(private readonly opts: SeekClientOptions) {
    this.limiter = opts.rateLimiter;
    this.http = new HttpClient({
      ...opts,
      rateLimiter: opts.rateLimiter,
      parseErrorBody: (_status, body) => {
        const r = errorBodySchema.safeParse(body);
        return r.success ? { code: r.data.error, message: r.data.message } : undefined;
      },
      explainStatus: (status, _code, message) => explain(status, message),
    });
  }

  // ---- account ----

  async me(
    o: { key?: string; baseUrl?: string; signal?: AbortSignal } = {},
  ): Promise<{ account: Account; raw: unknown }> {
    const r = await this.call('GET', '/me', meSchema, { key: o.key, baseUrl: o.baseUrl, signal: o.signal });
    return { account: toAccount(r.data), raw: r.raw };
  }

  async credits(signal?: AbortSignal): Promise<Credits> {
    const r = await this.call('GET', '/me/credits', creditsSchema, { signal });
    return toCredits(r.data);
  }

  async deployments(signal?: AbortSignal): Promise<Deployment[]> {
    const r = await this.call('GET', '/me/deployments', deploymentsSchema, { signal });
    return toDeployments(r.data);
  }

  // ---- workers ----

  /**
   * One page of the marketplace. The first call sends no paging parameters (the server's default
   * first page); later calls send back exactly what the previous answer offered: its cursor
   * (`?cursor=`) or the next page number (`?page=`, with `per_page` only if the server stated one).
   */
  async listWorkers(next?: WorkersPageToken, signal?: AbortSignal): Promise<WorkersPage> {
    const query: Record<string, string | number | undefined> = {};
    if (next && 'cursor' in next) query.cursor = next.cursor;
    else if (next) {
      query.page = next.page;
      query.per_page = next.perPage;
    }
    const r = await this.call('GET', '/workers', workersPageSchema, { query, signal });
    const body = r.data;
    if (Array.isArray(body)) return { workers: body.map(toWorkerSummary) };
    const workers = (body.data ?? body.workers ?? body.items ?? []).map(toWorkerSummary);
    const cursor = body.next_cursor ?? body.next_page_token ?? undefined;
    if (cursor) return { workers, next: { cursor }, total: body.total };
    if (!workers.length) return { workers, total: body.total };
    const page = body.page ?? (next && 'page' in next ? next.page : 1);
    const perPage = body.per_page ?? body.page_size ?? body.limit;
    let more: boolean;
    if (typeof body.next_page === 'number') more = body.next_page > page;
    else if ((r.raw as { next_page?: unknown } | undefined)?.next_page === null)
      more = false; // an explicit "no next page"
    else if (body.total_pages !== undefined) more = page < body.total_pages;
    else if (body.total !== undefined) more = page * (perPage ?? workers.length) < body.total;
    else more = body.has_more === true;
    const nextPage = typeof body.next_page === 'number' ? body.next_page : page + 1;
    return { workers, next: more ? { page: nextPage, perPage } : undefined, total: body.total };
  }

  async getWorker(id: string, signal?: AbortSignal): Promise<WorkerDetail> {
    const r = await this.call('GET', `/workers/${encodeURIComponent(id)}`, workerDetailSchema, { signal });
    const w = toWorkerDetail(r.data);
    return { ...w, id: w.id || id, name: w.name || id };
  }

  async publish(id: string, signal?: AbortSignal): Promise<{ status?: string; raw: unknown }> {
    const r = await this.call('POST', `/workers/${encodeURIComponent(id)}/publish`, publishResponseSchema, { signal });
    const status =
      r.data && typeof r.data === 'object' && 'status' in r.data && typeof r.data.status === 'string'
        ? r.data.status
        : undefined;
    return { status, raw: r.raw };
  }

  // ---- jobs ----

  /** The body: the worker's input at the top level, plus `priority` and `webhook` only when set. */
  static submissionBody(req: SubmitRequest): Record<string, unknown> {
    const body: Record<string, unknown> = { ...req.input };
    delete body.priority;
    delete body.webhook;
    if (req.priority) body.priority = req.priority;
    if (req.webhook) body.webhook = req.webhook;
    return body;
  }

  /**
   * POST /workers/{id}/jobs → 202 Accepted. A 422 comes back as a ProviderError whose `fields`
   * maps each input field to its problem; a 402 says the credits do not cover the job.
   */
  async submitJob(req: SubmitRequest, signal?: AbortSignal): Promise<{ accepted: JobAccepted; raw: unknown }> {
    const schema = z.union([jobAcceptedSchema, errorBodySchema]);
    const r = await this.call('POST', `/workers/${encodeURIComponent(req.workerId)}/jobs`, schema, {
      body: SeekApiClient.submissionBody(req),
      signal,
      acceptStatus: [422],
    });
    if (r.status === 422 || !('job_uuid' in r.data)) {
      const body = errorBodySchema.safeParse(withoutNulls(r.raw));
      const fields = body.success ? fieldErrorsOf(body.data) : {};
      const detail = body.success && body.data.message ? redactor.redact(body.data.message).slice(0, 300) : undefined;
      const list = Object.entries(fields)
        .slice(0, 4)
        .map(([k, v]) => `${k} ${v}`)
        .join('; ');
      throw new ProviderError({
        provider: 'seekapi',
        status: r.status,
        code: body.success ? body.data.error : 'unprocessable',
        message:
          list || detail
            ? l10n.t('Seek API rejected the input for {0}: {1}', req.workerId, list || detail!)
            : l10n.t('Seek API rejected the input for {0}.', req.workerId),
        fields,
      });
    }
    return { accepted: r.data, raw: r.raw };
  }

  async getJob(uuid: string, signal?: AbortSignal): Promise<{ job: RemoteJob; raw: unknown }> {
    const r = await this.call('GET', `/jobs/${encodeURIComponent(uuid)}`, remoteJobSchema, { signal });
    return { job: r.data, raw: r.raw };
  }

  /** The latest jobs (the API returns at most 100). */
  async listJobs(signal?: AbortSignal): Promise<RemoteJob[]> {
    const r = await this.call('GET', '/jobs', jobListSchema, { signal });
    return jobsOf(r.data).slice(0, JOBS_LIST_MAX);
  }

  /** DELETE /jobs/{uuid}. Answers the cancelled job when the API returns it. */
  async cancelJob(uuid: string, signal?: AbortSignal): Promise<RemoteJob | undefined> {
    const r = await this.call('DELETE', `/jobs/${encodeURIComponent(uuid)}`, cancelResponseSchema, { signal });
    const job = remoteJobSchema.safeParse(withoutNulls(r.raw));
    return job.success ? job.data : undefined;
  }

  // ---- plumbing ----

  /**
   * One request through the HttpClient, with 429 handled here: the token bucket is emptied, every
   * request of this client waits until Retry-After has passed, then this one is sent again.
   */
  private async call<T>(
    method: Method,
    path: string,
    schema: z.ZodType<T>,
    o: {
      query?: Record<string, string | number | undefined>;
      body?: unknown;
      key?: string;
      baseUrl?: string;
      signal?: AbortSignal;
      acceptStatus?: number[];
    } = {},
  ): Promise<{ status: number; data: T; raw: unknown }> {
    for (let attempt = 0; ; attempt++) {
      const wait = this.pausedUntil - Date.now();
      if (wait > 0) await sleep(wait, o.signal);
      const r = await this.http.request({
        method,
        path,
        query: o.query,
        body: o.body,
        key: o.key,
        baseUrl: o.baseUrl,
        signal: o.signal,
        // Validated below, once it is known not to be a 429.
        schema: z.unknown(),
        acceptStatus: [429, ...(o.acceptStatus ?? [])],
      });
      if (r.status !== 429) {
        const parsed = schema.safeParse(withoutNulls(r.raw));
        if (!parsed.success) {
          throw new ProviderError({
            provider: 'seekapi',
            status: r.status,
            code: 'bad_response',
            message: l10n.t(
              'Seek API sent an unexpected response to {0} {1}: {2}.',
              method,
              path,
              describeZodIssues(parsed.error),
            ),
          });
        }
        return { status: r.status, data: parsed.data, raw: r.raw };
      }
      this.rateLimited++;
      const retryAfter = parseRetryAfter(r.headers['retry-after']) ?? 1000;
      this.pausedUntil = Math.max(this.pausedUntil, Date.now() + retryAfter);
      this.limiter.drain();
      const body = errorBodySchema.safeParse(withoutNulls(r.raw));
      if (attempt >= MAX_429_RETRIES || retryAfter > (this.opts.maxRetryAfterMs ?? 60_000) || o.signal?.aborted) {
        throw new ProviderError({
          provider: 'seekapi',
          status: 429,
          code: body.success ? body.data.error : 'rate_limited',
          retryable: true,
          retryAfterMs: retryAfter,
          message: l10n.t(
            'Seek API is rate limiting this key (429); try again in {0} s.',
            Math.ceil(retryAfter / 1000),
          ),
        });
      }
      this.opts.logger?.warn(
        `Seek API ${method} ${path}: 429, waiting ${retryAfter} ms (Retry-After) before retry ${attempt + 1}/${MAX_429_RETRIES}`,
      );
    }
  }
}

/** The one sentence for each documented status, in Seek API's terms. */
function explain(status: number, message: string | undefined): string | undefined {
  switch (status) {
    case 400:
      return message
        ? l10n.t('Seek API rejected the request as malformed (400): {0}', message)
        : l10n.t('Seek API rejected the request as malformed (400).');
    case 401:
      return message
        ? l10n.t('Seek API rejected the API key (401): {0} Run "GenDeck: Set API Key…" to replace it.', message)
        : l10n.t('Seek API rejected the API key (401). Run "GenDeck: Set API Key…" to replace it.');
    case 402:
      return message
        ? l10n.t(
            'Not enough Seek API credits to run this job (402): {0} Top up or upgrade your plan, then try again.',
            message,
          )
        : l10n.t('Not enough Seek API credits to run this job (402). Top up or upgrade your plan, then try again.');
    case 404:
      return message
        ? l10n.t('Seek API could not find that worker or job (404): {0}', message)
        : l10n.t('Seek API could not find that worker or job (404).');
    case 409:
      return message ? l10n.t('Seek API refused (409): {0}', message) : l10n.t('Seek API refused (409).');
    case 422:
      return message
        ? l10n.t('Seek API rejected the input (422): {0}', message)
        : l10n.t('Seek API rejected the input (422).');
    default:
      return undefined;
  }
}
