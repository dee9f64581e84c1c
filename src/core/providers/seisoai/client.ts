import * as l10n from '@vscode/l10n';
import { z } from 'zod';
import { ProviderError } from '../../errors';
import { HttpClient, type HttpClientOptions, type HttpResponse } from '../../http/client';
import { API_PREFIX, TOOL_ID_RE } from './contract';
import {
  errorBodySchema,
  jobResultSchema,
  jobStatusSchema,
  manifestSchema,
  priceResponseSchema,
  readPrice,
  readToolDetail,
  readToolSummary,
  toolDetailSchema,
  toolListSchema,
  type JobStatusBody,
  type Price,
  type ToolDetail,
  type ToolSummary,
} from './schemas';

export type SeisoaiClientOptions = Omit<HttpClientOptions, 'parseErrorBody'>;

/** Reads `{ error: "…" | { message, code }, code?, fields? }`. */
export function readErrorBody(
  body: unknown,
): { code?: string; message?: string; fields?: Record<string, string>; alternatives?: unknown[] } | undefined {
  const r = errorBodySchema.safeParse(body);
  if (!r.success) return undefined;
  const e = r.data.error;
  const message = typeof e === 'string' ? e : (e?.message ?? r.data.message);
  const code = (typeof e === 'object' ? e?.code : undefined) ?? r.data.code;
  const rawFields = (typeof e === 'object' ? e?.fields : undefined) ?? r.data.fields;
  const fields = rawFields
    ? Object.fromEntries(Object.entries(rawFields).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]))
    : undefined;
  return { code, message, fields, alternatives: r.data.alternatives };
}

/** A tool id checked before it becomes part of a URL path. */
export function toolPath(toolId: string): string {
  if (!TOOL_ID_RE.test(toolId))
    throw new ProviderError({
      provider: 'seisoai',
      code: 'bad_tool_id',
      message: l10n.t('"{0}" is not a Seisoai tool id.', toolId.slice(0, 60)),
    });
  return encodeURIComponent(toolId);
}

/** Inline files are not sent to the price endpoint: the price never depends on their bytes. */
export function priceQueryInput(input: Record<string, unknown>): string {
  return JSON.stringify(input, (_k, v) => (typeof v === 'string' && /^data:/i.test(v) ? 'data:' : v));
}

/** Typed calls to the Seisoai gateway; one method per documented endpoint (agent routes live in agents.ts). */
export class SeisoaiClient {
  readonly http: HttpClient;

  constructor(private readonly opts: SeisoaiClientOptions) {
    this.http = new HttpClient({
      ...opts,
      parseErrorBody: (_status, body) => readErrorBody(body),
      explainStatus: (status, code, message) => {
        if (status === 401)
          return message
            ? l10n.t(
                'Seisoai rejected the API key (401): {0} Run "GenDeck: Set API Key…" to replace it, or remove it to pay per request with x402.',
                message,
              )
            : l10n.t(
                'Seisoai rejected the API key (401). Run "GenDeck: Set API Key…" to replace it, or remove it to pay per request with x402.',
              );
        if (status === 402)
          return message
            ? l10n.t(
                'Seisoai needs payment (402): {0}. Top up the credits of your API key, or pay per request with x402.',
                message,
              )
            : l10n.t('Seisoai needs payment (402). Top up the credits of your API key, or pay per request with x402.');
        if (status === 404 && code === 'agent_not_found')
          return message ? l10n.t('Seisoai has no such agent: {0}', message) : l10n.t('Seisoai has no such agent.');
        if (status === 404)
          return message
            ? l10n.t('Seisoai could not find it (404): {0}', message)
            : l10n.t('Seisoai could not find it (404).');
        if (status === 503)
          return message
            ? l10n.t('Seisoai says this tool is disabled right now (503): {0}', message)
            : l10n.t('Seisoai says this tool is disabled right now (503).');
        return undefined;
      },
    });
  }

  /** Discovery works without a key (x402 users have none); a key that is set is always sent. */
  async hasKey(): Promise<boolean> {
    return !!(await this.opts.getKey());
  }

  async listTools(
    o: { key?: string; signal?: AbortSignal; baseUrl?: string } = {},
  ): Promise<{ tools: ToolSummary[]; skipped: number; raw: unknown }> {
    const r = await this.http.request({
      method: 'GET',
      path: `${API_PREFIX}/tools`,
      schema: toolListSchema,
      key: o.key,
      baseUrl: o.baseUrl,
      auth: !!o.key || (await this.hasKey()),
      signal: o.signal,
    });
    const list = Array.isArray(r.data) ? r.data : 'tools' in r.data ? r.data.tools : r.data.data;
    const tools: ToolSummary[] = [];
    let skipped = 0;
    for (const item of list) {
      const t = readToolSummary(item);
      if (t) tools.push(t);
      else skipped++;
    }
    return { tools, skipped, raw: r.raw };
  }

  async getTool(toolId: string, signal?: AbortSignal): Promise<ToolDetail> {
    const r = await this.http.request({
      method: 'GET',
      path: `${API_PREFIX}/tools/${toolPath(toolId)}`,
      schema: toolDetailSchema,
      auth: await this.hasKey(),
      signal,
    });
    const detail = readToolDetail(r.data);
    if (!detail)
      throw new ProviderError({
        provider: 'seisoai',
        status: r.status,
        code: 'bad_response',
        message: l10n.t('Seisoai sent a tool description without an id for {0}.', toolId),
      });
    return detail;
  }

  /** GET /price/{toolId}?input=<JSON> (the contract GenDeck and its sandbox agree on; see contract.ts). */
  async price(toolId: string, input: Record<string, unknown>, signal?: AbortSignal): Promise<Price> {
    const r = await this.http.request({
      method: 'GET',
      path: `${API_PREFIX}/price/${toolPath(toolId)}`,
      query: { input: priceQueryInput(input) },
      schema: priceResponseSchema,
      auth: await this.hasKey(),
      signal,
    });
    return { ...readPrice(r.data.price ?? r.data.pricing, r.data.credits), raw: r.raw };
  }

  async manifest(signal?: AbortSignal): Promise<Record<string, unknown>> {
    const r = await this.http.request({
      method: 'GET',
      path: `${API_PREFIX}/mcp-manifest`,
      schema: manifestSchema,
      auth: await this.hasKey(),
      signal,
    });
    return r.raw as Record<string, unknown>;
  }

  /**
   * POST /invoke/{toolId} once. Policy statuses come back as answers (not thrown) so the provider
   * can apply the documented error policy; 429 is still retried by the HTTP client (not taken), except for a paid
   * request (`paid`): a signed payment header goes out once, so that 429 comes back to the caller as an error.
   */
  async invoke(
    toolId: string,
    input: Record<string, unknown>,
    o: { auth: boolean; headers?: Record<string, string>; signal?: AbortSignal; paid?: boolean },
  ): Promise<HttpResponse<unknown>> {
    return this.http.request({
      retryStatuses: o.paid ? [] : undefined,
      method: 'POST',
      path: `${API_PREFIX}/invoke/${toolPath(toolId)}`,
      body: input,
      schema: z.unknown(),
      auth: o.auth,
      headers: o.headers,
      signal: o.signal,
      acceptStatus: [400, 402, 404, 500, 503],
    });
  }

  /** A job's status by the URL the invoke answer gave (only on Seisoai's own host), else by id. */
  async jobStatus(
    ref: { jobId: string; model?: string; statusUrl?: string },
    o: { auth: boolean; signal?: AbortSignal },
  ): Promise<{ body: JobStatusBody; raw: unknown }> {
    const path = this.ownUrl(ref.statusUrl) ?? `${API_PREFIX}/jobs/${encodeURIComponent(ref.jobId)}`;
    const query = path.startsWith(API_PREFIX) && ref.model ? { model: ref.model } : undefined;
    const r = await this.http.request({
      method: 'GET',
      path,
      query,
      schema: jobStatusSchema,
      auth: o.auth,
      signal: o.signal,
    });
    return { body: r.data, raw: r.raw };
  }

  async jobResult(
    ref: { jobId: string; model?: string; resultUrl?: string },
    o: { auth: boolean; signal?: AbortSignal },
  ): Promise<{ result: unknown; raw: unknown }> {
    const path = this.ownUrl(ref.resultUrl) ?? `${API_PREFIX}/jobs/${encodeURIComponent(ref.jobId)}/result`;
    const query = path.startsWith(API_PREFIX) && ref.model ? { model: ref.model } : undefined;
    const r = await this.http.request({
      method: 'GET',
      path,
      query,
      schema: jobResultSchema,
      auth: o.auth,
      signal: o.signal,
    });
    return { result: r.data.result ?? r.data.outputs ?? r.data.data ?? r.raw, raw: r.raw };
  }

  /**
   * A status/result URL the provider returned, as something to request with the key: only a job's own routes
   * (`/api/gateway/jobs/<id>` and below), after resolving `.`/`..` and percent-escapes, on the provider's own host.
   * Anything else — an agent route, `/agents`, a path that climbs out of `/api/gateway` — is not followed; the
   * caller then uses the job-id route.
   */
  ownUrl(url: string | undefined): string | undefined {
    if (!url) return undefined;
    const base = new URL(this.http.baseUrl);
    let target: URL;
    try {
      // A path is below the base URL (as the document's relative statusUrl); anything else must be absolute.
      target =
        url.startsWith('/') && !url.startsWith('//') ? new URL(`${base.href.replace(/\/$/, '')}${url}`) : new URL(url);
    } catch {
      return undefined;
    }
    if (target.origin !== base.origin || target.username || target.password) return undefined;
    let path: string;
    try {
      // Escaped dots and slashes (%2e%2e%2f) are decoded and the path normalised again before it is judged.
      path = new URL(decodeURIComponent(target.pathname), base.origin).pathname;
    } catch {
      return undefined;
    }
    if (path !== target.pathname) return undefined; // it only looked like a job route once decoded: refuse
    const prefix = `${base.pathname.replace(/\/$/, '')}${API_PREFIX}/jobs/`;
    if (!path.startsWith(prefix) || path.length === prefix.length || /\/agents?(\/|$)/i.test(path.slice(prefix.length)))
      return undefined;
    const relativeToBase = path.slice(base.pathname.replace(/\/$/, '').length);
    return /^https?:\/\//i.test(url) ? target.href : `${relativeToBase}${target.search}`;
  }
}
