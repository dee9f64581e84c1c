import * as l10n from '@vscode/l10n';
import type { Dispatcher } from 'undici';
import { undici } from './undici';
import type { z } from 'zod';
import { ProviderError, isAbortError } from '../errors';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import type { ProviderId } from '../providerIds';
import { withoutNulls } from '../json';
import { redactor } from '../redact';
import { oneLine } from '../text';
import { backoffDelay, parseRetryAfter, sleep } from './backoff';
import type { TokenBucket } from './rateLimit';
import { describeZodIssues } from './zodIssues';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD' | 'PATCH';

/** How a provider's error body reads: its own code and message, when it has them. */
export type ErrorBodyParser = (status: number, body: unknown) => { code?: string; message?: string } | undefined;

/** How a provider takes its key: a bearer token or a header of its own. */
export type KeyAuth = { header: 'authorization'; scheme: 'Bearer' } | { header: 'x-api-key' };

export function keyHeaders(auth: KeyAuth): (key: string) => Record<string, string> {
  return auth.header === 'authorization'
    ? (key) => ({ authorization: `Bearer ${key}` })
    : (key) => ({ [auth.header]: key });
}

export interface HttpClientOptions {
  provider: ProviderId;
  /** The provider's name in messages. */
  label: string;
  /** Read on every request so a settings change or the sandbox takes effect at once. */
  baseUrl: () => string;
  /** The key, straight from secret storage; undefined when none is set. */
  getKey: () => Promise<string | undefined>;
  authHeaders: (key: string) => Record<string, string>;
  parseErrorBody?: ErrorBodyParser;
  /** Explains a status code in this provider's terms (e.g. Seele 403 = subscription). */
  explainStatus?: (status: number, code: string | undefined, message: string | undefined) => string | undefined;
  /** Total deadline of one request (connect, headers and the whole body), also the idle timeout. Default 30 s. */
  timeoutMs?: number;
  /** Largest JSON answer read, in bytes (default 16 MiB); a larger one is refused unread. */
  maxBodyBytes?: number;
  maxRetries?: number;
  rateLimiter?: TokenBucket;
  logger?: Logger;
  dispatcher?: Dispatcher;
  /** Cap on how long a Retry-After is waited out before giving up with a retryable error. */
  maxRetryAfterMs?: number;
}

export interface RequestOptions<T> {
  method: Method;
  /** Path below the base URL, or an absolute URL (only for a URL the provider itself returned). */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  schema: z.ZodType<T>;
  /** Defaults to true for GET/HEAD/PUT/DELETE, false for POST/PATCH: those are never blindly retried. */
  idempotent?: boolean;
  /** Send the key (default). Absolute URLs on another host never receive it. */
  auth?: boolean;
  /** Use this key instead of the stored one (checking a key before it is saved). */
  key?: string;
  /** Use this base URL instead of the current one (checking a key against the configured host). */
  baseUrl?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs?: number;
  maxBodyBytes?: number;
  /** Status codes that are success even if not 2xx (e.g. 402 x402 challenges), answered raw. */
  acceptStatus?: number[];
  /**
   * For a non-idempotent request: the statuses after which it is sent again (default [429]). Only statuses
   * the server answered with count; a request whose connection was lost after sending is never repeated.
   */
  retryStatuses?: readonly number[];
}

export interface HttpResponse<T> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  data: T;
  /** The body exactly as parsed from JSON, with any extra fields. */
  raw: unknown;
}

export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Thrown inside `once` when the total deadline passes, so it can be told apart from the caller's own abort. */
class DeadlineError extends Error {}

/** Thrown inside `once` when an answer is larger than the cap. */
class TooLargeError extends Error {}

const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

export class HttpClient {
  readonly provider: ProviderId;
  readonly label: string;
  private readonly log: Logger;

  constructor(private readonly opts: HttpClientOptions) {
    this.provider = opts.provider;
    this.label = opts.label;
    this.log = opts.logger ?? silentLogger;
  }

  get baseUrl(): string {
    return this.opts.baseUrl().replace(/\/+$/, '');
  }

  /** True when `url` is on the configured host of this provider, the only place the key may go. */
  isProviderHost(url: string, base: string = this.baseUrl): boolean {
    try {
      return new URL(url).origin === new URL(base).origin;
    } catch {
      return false;
    }
  }

  resolveUrl(path: string, query?: RequestOptions<unknown>['query'], base: string = this.baseUrl): URL {
    const absolute = /^https?:\/\//i.test(path);
    const url = new URL(absolute ? path : base.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`));
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  async headersFor(url: URL, wantAuth: boolean, keyOverride?: string, base?: string): Promise<Record<string, string>> {
    if (!wantAuth || !this.isProviderHost(url.href, base)) return {};
    const key = keyOverride ?? (await this.opts.getKey());
    if (!key) {
      throw new ProviderError({
        provider: this.provider,
        code: 'no_key',
        message: l10n.t('No {0} API key is set. Run "GenDeck: Set API Key…" or try the sandbox.', this.label),
      });
    }
    redactor.add(key);
    return this.opts.authHeaders(key);
  }

  async request<T>(o: RequestOptions<T>): Promise<HttpResponse<T>> {
    const idempotent = o.idempotent ?? (o.method !== 'POST' && o.method !== 'PATCH');
    const maxRetries = this.opts.maxRetries ?? 3;
    const url = this.resolveUrl(o.path, o.query, o.baseUrl);
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...(await this.headersFor(url, o.auth ?? true, o.key, o.baseUrl)),
      ...o.headers,
    };
    let payload: string | undefined;
    if (o.body !== undefined) {
      payload = JSON.stringify(o.body);
      headers['content-type'] = 'application/json';
    }
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(o, url, headers, payload, idempotent);
      } catch (err) {
        if (!(err instanceof ProviderError) || !err.retryable || o.signal?.aborted) throw err;
        // A create is only repeated when the server told us it did not take it (429, or what the caller names).
        if (!idempotent && (err.status === undefined || !(o.retryStatuses ?? [429]).includes(err.status))) throw err;
        if (attempt >= maxRetries) throw gaveUp(err, attempt + 1);
        const wait = err.retryAfterMs ?? backoffDelay(attempt);
        // A 429 is about the key, not this request: hold every request sharing the limiter.
        if (err.status === 429) this.opts.rateLimiter?.holdFor(wait);
        if (wait > (this.opts.maxRetryAfterMs ?? 60_000)) throw gaveUp(err, attempt + 1, wait);
        this.log.warn(
          `${this.label} ${o.method} ${url.pathname}: ${err.code}, retry ${attempt + 1}/${maxRetries} in ${wait} ms`,
        );
        await sleep(wait, o.signal);
      }
    }
  }

  private async once<T>(
    o: RequestOptions<T>,
    url: URL,
    headers: Record<string, string>,
    payload: string | undefined,
    idempotent: boolean,
  ): Promise<HttpResponse<T>> {
    await this.opts.rateLimiter?.acquire();
    const started = Date.now();
    const timeout = o.timeoutMs ?? this.opts.timeoutMs ?? 30_000;
    const maxBytes = o.maxBodyBytes ?? this.opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    // One deadline for the whole exchange: a server that trickles a byte at a time still ends here.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new DeadlineError(`deadline ${timeout} ms`)), timeout);
    const signal = o.signal ? AbortSignal.any([o.signal, deadline.signal]) : deadline.signal;
    let res: Dispatcher.ResponseData;
    let text: string;
    try {
      try {
        res = await undici().request(url, {
          method: o.method,
          headers,
          body: payload,
          signal,
          headersTimeout: timeout,
          bodyTimeout: timeout,
          dispatcher: this.opts.dispatcher,
        });
      } catch (err) {
        throw this.networkError(this.deadlineCause(err, deadline.signal, o.signal), o.method, idempotent, timeout);
      }
      try {
        text = await readCapped(res.body, maxBytes, res.headers['content-length']);
      } catch (err) {
        if (err instanceof TooLargeError) {
          throw new ProviderError({
            provider: this.provider,
            status: res.statusCode,
            code: 'bad_response',
            message: l10n.t(
              '{0} sent an answer to {1} {2} larger than {3}, the most GenDeck reads for one API response; it was not read.',
              this.label,
              o.method,
              url.pathname,
              formatBytes(maxBytes),
            ),
          });
        }
        throw this.networkError(this.deadlineCause(err, deadline.signal, o.signal), o.method, idempotent, timeout);
      }
    } finally {
      clearTimeout(timer);
    }
    this.log.debug(`${this.label} ${o.method} ${url.pathname} → ${res.statusCode} in ${Date.now() - started} ms`);
    const resHeaders = res.headers as Record<string, string | string[] | undefined>;
    const ok = (res.statusCode >= 200 && res.statusCode < 300) || (o.acceptStatus ?? []).includes(res.statusCode);
    let raw: unknown = undefined;
    let parseFailed = false;
    if (text.length > 0) {
      try {
        raw = JSON.parse(text);
      } catch {
        parseFailed = true;
      }
    }
    if (!ok) throw this.statusError(res.statusCode, raw, resHeaders, parseFailed ? text : undefined);
    if (parseFailed) {
      throw new ProviderError({
        provider: this.provider,
        status: res.statusCode,
        code: 'bad_response',
        retryable: idempotent,
        message: l10n.t('{0} sent a response that is not valid JSON ({1}).', this.label, describeSnippet(text)),
      });
    }
    // A `null` reads as an absent field everywhere (the docs allow either); `raw` keeps the body as it came.
    const parsed = o.schema.safeParse(withoutNulls(raw));
    if (!parsed.success) {
      throw new ProviderError({
        provider: this.provider,
        status: res.statusCode,
        code: 'bad_response',
        message: l10n.t(
          '{0} sent an unexpected response to {1} {2}: {3}.',
          this.label,
          o.method,
          url.pathname,
          describeZodIssues(parsed.error),
        ),
      });
    }
    return { status: res.statusCode, headers: resHeaders, data: parsed.data, raw };
  }

  /** The deadline's own error when it (and not the caller) ended the request; otherwise `err` as it is. */
  private deadlineCause(err: unknown, deadline: AbortSignal, caller: AbortSignal | undefined): unknown {
    return deadline.aborted && !caller?.aborted ? deadline.reason : err;
  }

  private networkError(err: unknown, method: Method, idempotent: boolean, timeoutMs = 30_000): Error {
    if (err instanceof DeadlineError) {
      const limit = Math.round(timeoutMs / 100) / 10;
      if (!idempotent) {
        return new ProviderError({
          provider: this.provider,
          code: 'connection_lost',
          maybeAccepted: true,
          message: l10n.t(
            '{0} did not finish answering the {1} within {2} s (the total deadline for one request, setting gendeck.requestTimeoutSeconds); it may have been accepted. GenDeck did not send it again.',
            this.label,
            method,
            limit,
          ),
        });
      }
      return new ProviderError({
        provider: this.provider,
        code: 'timeout',
        retryable: true,
        message: l10n.t(
          '{0} did not finish answering within {1} s (the total deadline for one request, setting gendeck.requestTimeoutSeconds).',
          this.label,
          limit,
        ),
      });
    }
    if (isAbortError(err)) return err as Error;
    const code = (err as { code?: string })?.code ?? 'network';
    const notSent = NOT_SENT_CODES.has(code);
    const host = safeOrigin(this.baseUrl);
    if (notSent) {
      return new ProviderError({
        provider: this.provider,
        code: 'unreachable',
        retryable: true,
        message: l10n.t(
          'Could not reach {0} at {1} ({2}). Check your network or the base URL setting.',
          this.label,
          host,
          code,
        ),
      });
    }
    const timeout = code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
    if (!idempotent) {
      return new ProviderError({
        provider: this.provider,
        code: 'connection_lost',
        maybeAccepted: true,
        message: timeout
          ? l10n.t(
              '{0} timed out after the {1} was sent; it may have been accepted. GenDeck did not send it again.',
              this.label,
              method,
            )
          : l10n.t(
              '{0} dropped the connection after the {1} was sent; it may have been accepted. GenDeck did not send it again.',
              this.label,
              method,
            ),
      });
    }
    return new ProviderError({
      provider: this.provider,
      code: timeout ? 'timeout' : 'connection_lost',
      retryable: true,
      message: timeout
        ? l10n.t('{0} timed out ({1}).', this.label, code)
        : l10n.t('{0} dropped the connection ({1}).', this.label, code),
    });
  }

  private statusError(
    status: number,
    body: unknown,
    headers: Record<string, string | string[] | undefined>,
    unreadable: string | undefined,
  ): ProviderError {
    const parsed = body !== undefined ? this.opts.parseErrorBody?.(status, body) : undefined;
    const code = parsed?.code ?? defaultCode(status);
    const serverMessage = parsed?.message ? redactor.redact(parsed.message).slice(0, 500) : undefined;
    const explained = this.opts.explainStatus?.(status, parsed?.code, serverMessage);
    const location = typeof headers.location === 'string' ? oneLine(redactor.redact(headers.location), 200) : undefined;
    const message =
      explained ??
      defaultMessage(
        this.label,
        status,
        serverMessage ?? (unreadable ? describeSnippet(unreadable) : undefined),
        location,
      );
    const retryable = status === 429 || status >= 500;
    return new ProviderError({
      provider: this.provider,
      status,
      code,
      message,
      retryable,
      retryAfterMs: parseRetryAfter(headers['retry-after']),
    });
  }
}

/** The body as text, refusing (and dropping the connection) past `max` bytes, by Content-Length or as it streams. */
async function readCapped(
  body: Dispatcher.ResponseData['body'],
  max: number,
  contentLength: string | string[] | undefined,
): Promise<string> {
  const declared = Number(Array.isArray(contentLength) ? contentLength[0] : contentLength);
  if (Number.isFinite(declared) && declared > max) {
    body.destroy();
    throw new TooLargeError();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > max) {
      body.destroy();
      throw new TooLargeError();
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round((n / (1024 * 1024)) * 10) / 10} MiB` : `${Math.round(n / 1024)} KiB`;
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The error GenDeck stops retrying on, saying so (tries made, or a Retry-After longer than it waits). */
function gaveUp(err: ProviderError, tries: number, waitMs?: number): ProviderError {
  if (tries <= 1 && waitMs === undefined) return err;
  const message =
    waitMs !== undefined
      ? l10n.t(
          '{0} It asked to wait {1} s, longer than GenDeck waits; try again later.',
          err.message,
          Math.ceil(waitMs / 1000),
        )
      : l10n.t('{0} GenDeck tried {1} times; try again in a moment.', err.message, tries);
  return new ProviderError({
    provider: err.provider,
    status: err.status,
    code: err.code,
    message,
    retryable: err.retryable,
    retryAfterMs: err.retryAfterMs,
    maybeAccepted: err.maybeAccepted,
    fields: err.fields,
  });
}

function describeSnippet(text: string): string {
  const one = redactor.redact(text.replace(/\s+/g, ' ').trim());
  return one.length > 80 ? `${one.slice(0, 80)}…` : one || l10n.t('empty body');
}

function defaultCode(status: number): string {
  if (status === 401) return 'unauthorized';
  if (status === 402) return 'payment_required';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'payload_too_large';
  if (status === 422) return 'unprocessable';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  return 'bad_request';
}

/**
 * The server's words as a sentence of their own (a full stop added when they end without one), so GenDeck's next
 * sentence does not run into them; undefined when it said nothing.
 */
function serverSentence(detail: string | undefined): string | undefined {
  const d = detail?.trim();
  if (!d) return undefined;
  return /[.!?…:]$/.test(d) ? d : `${d}.`;
}

function defaultMessage(label: string, status: number, detail: string | undefined, location?: string): string {
  const said = serverSentence(detail);
  if (status >= 300 && status < 400) {
    return location
      ? l10n.t(
          '{0} answered with a redirect ({1}) to {2}. GenDeck does not follow redirects with your key; check the base URL setting.',
          label,
          status,
          location,
        )
      : l10n.t(
          '{0} answered with a redirect ({1}). GenDeck does not follow redirects with your key; check the base URL setting.',
          label,
          status,
        );
  }
  switch (status) {
    case 401:
      return said
        ? l10n.t('{0} rejected the API key (401): {1} Run "GenDeck: Set API Key…" to replace it.', label, said)
        : l10n.t('{0} rejected the API key (401). Run "GenDeck: Set API Key…" to replace it.', label);
    case 402:
      return said
        ? l10n.t('{0} says there are not enough credits (402): {1}', label, said)
        : l10n.t('{0} says there are not enough credits (402).', label);
    case 403:
      return said ? l10n.t('{0} refused access (403): {1}', label, said) : l10n.t('{0} refused access (403).', label);
    case 404:
      return said
        ? l10n.t('{0} could not find it (404): {1}', label, said)
        : l10n.t('{0} could not find it (404).', label);
    case 413:
      return said
        ? l10n.t('{0} says the request is too large (413): {1}', label, said)
        : l10n.t('{0} says the request is too large (413).', label);
    case 429:
      return said
        ? l10n.t('{0} is rate limiting requests (429): {1}', label, said)
        : l10n.t('{0} is rate limiting requests (429).', label);
    default:
      if (status >= 500)
        return said
          ? l10n.t('{0} had a server error ({1}): {2}', label, status, said)
          : l10n.t('{0} had a server error ({1}).', label, status);
      return said
        ? l10n.t('{0} rejected the request ({1}): {2}', label, status, said)
        : l10n.t('{0} rejected the request ({1}).', label, status);
  }
}
