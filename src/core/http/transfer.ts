import * as l10n from '@vscode/l10n';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { request as undiciRequest, type Dispatcher } from 'undici';
import { ProviderError, isAbortError } from '../errors';
import { createExclusive, UnsafePathError } from '../fs/safeWrite';
import type { ProviderId } from '../providerIds';
import { backoffDelay, sleep } from './backoff';

export interface TransferProgress {
  bytes: number;
  total: number | undefined;
}

function counter(onProgress: ((p: TransferProgress) => void) | undefined, total: number | undefined): Transform {
  let bytes = 0;
  let lastReport = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      const now = Date.now();
      if (onProgress && (now - lastReport > 100 || bytes === total)) {
        lastReport = now;
        onProgress({ bytes, total });
      }
      cb(null, chunk);
    },
  });
}

export interface DownloadOptions {
  provider: ProviderId;
  /** The provider's name in messages. */
  label: string;
  /** Only for URLs on the provider's own host; output URLs on media hosts get none. */
  headers?: Record<string, string>;
  onProgress?: (p: TransferProgress) => void;
  signal?: AbortSignal;
  dispatcher?: Dispatcher;
  maxAttempts?: number;
  timeoutMs?: number;
}

/** Streams `url` to `dest` through `dest.part`, renamed only once complete; constant memory. */
export async function downloadToFile(
  url: string,
  dest: string,
  o: DownloadOptions,
): Promise<{ bytes: number; contentType: string | undefined }> {
  const { label } = o;
  const part = `${dest}.part`;
  await mkdir(dirname(dest), { recursive: true });
  const attempts = o.maxAttempts ?? 3;
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await getFollowingRedirects(url, o);
      if (res.statusCode !== 200) {
        await res.body.dump();
        throw new ProviderError({
          provider: o.provider,
          status: res.statusCode,
          code: res.statusCode === 404 ? 'not_found' : res.statusCode === 403 ? 'expired' : 'download_failed',
          retryable: res.statusCode >= 500 || res.statusCode === 429,
          message:
            res.statusCode === 403 || res.statusCode === 404
              ? l10n.t('{0} output could not be downloaded ({1}): the link may have expired.', label, res.statusCode)
              : l10n.t('{0} output could not be downloaded ({1}).', label, res.statusCode),
        });
      }
      const lengthHeader = res.headers['content-length'];
      const total = lengthHeader ? Number(lengthHeader) : undefined;
      // Created new, never through a link someone left at the predictable `.part` name.
      const fh = await createExclusive(part);
      await pipeline(res.body, counter(o.onProgress, total), fh.createWriteStream());
      const { size } = await stat(part);
      if (total !== undefined && size !== total) {
        throw new ProviderError({
          provider: o.provider,
          code: 'truncated',
          retryable: true,
          message: l10n.t('{0} download was cut short ({1} of {2} bytes).', label, size, total),
        });
      }
      await rename(part, dest);
      const ct = res.headers['content-type'];
      return { bytes: size, contentType: Array.isArray(ct) ? ct[0] : ct };
    } catch (err) {
      await rm(part, { force: true });
      const retryable =
        err instanceof ProviderError ? err.retryable : !isAbortError(err) && !(err instanceof UnsafePathError);
      if (err instanceof UnsafePathError) throw err;
      if (!retryable || attempt + 1 >= attempts || o.signal?.aborted) {
        if (err instanceof ProviderError || isAbortError(err)) throw err;
        throw new ProviderError({
          provider: o.provider,
          code: 'download_failed',
          message: l10n.t('{0} download failed: {1}', label, (err as Error).message),
        });
      }
      await sleep(backoffDelay(attempt), o.signal);
    }
  }
}

/** GET that follows up to five redirects, dropping the provider's headers when a redirect leaves its origin. */
async function getFollowingRedirects(url: string, o: DownloadOptions): Promise<Dispatcher.ResponseData> {
  let current = new URL(url);
  let headers = o.headers;
  for (let hop = 0; ; hop++) {
    const res = await undiciRequest(current, {
      method: 'GET',
      headers,
      signal: o.signal,
      dispatcher: o.dispatcher,
      headersTimeout: o.timeoutMs ?? 60_000,
      bodyTimeout: o.timeoutMs ?? 60_000,
    });
    const location = res.headers.location;
    if (res.statusCode < 300 || res.statusCode >= 400 || !location || hop >= 5) return res;
    await res.body.dump();
    const next = new URL(Array.isArray(location) ? location[0] : location, current);
    if (next.origin !== current.origin) headers = undefined;
    current = next;
  }
}

export interface UploadOptions {
  provider: ProviderId;
  /** The provider's name in messages. */
  label: string;
  method?: 'PUT' | 'POST';
  headers?: Record<string, string>;
  onProgress?: (p: TransferProgress) => void;
  signal?: AbortSignal;
  dispatcher?: Dispatcher;
  timeoutMs?: number;
}

/** Streams a file from disk as the raw request body (presigned PUT); constant memory. Returns the status. */
export async function uploadFile(url: string, path: string, o: UploadOptions): Promise<number> {
  const { label } = o;
  const { size } = await stat(path);
  const body = createReadStream(path).pipe(counter(o.onProgress, size));
  let res: Dispatcher.ResponseData;
  try {
    res = await undiciRequest(url, {
      method: o.method ?? 'PUT',
      headers: { 'content-length': String(size), ...o.headers },
      body,
      signal: o.signal,
      dispatcher: o.dispatcher,
      headersTimeout: o.timeoutMs ?? 120_000,
      bodyTimeout: o.timeoutMs ?? 120_000,
    });
  } catch (err) {
    if (isAbortError(err)) throw err;
    throw new ProviderError({
      provider: o.provider,
      code: 'upload_failed',
      retryable: true,
      message: l10n.t('{0} upload failed: {1}', label, (err as Error).message),
    });
  }
  const text = await res.body.text();
  if (res.statusCode < 200 || res.statusCode >= 300) {
    const expired = res.statusCode === 403 || /expired/i.test(text);
    throw new ProviderError({
      provider: o.provider,
      status: res.statusCode,
      code: expired ? 'upload_url_expired' : 'upload_failed',
      retryable: res.statusCode >= 500,
      message: expired
        ? l10n.t('{0} upload link expired before the file was sent.', label)
        : l10n.t('{0} upload failed ({1}).', label, res.statusCode),
    });
  }
  return res.statusCode;
}
