import * as l10n from '@vscode/l10n';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Dispatcher } from 'undici';
import { undici } from './undici';
import { ProviderError, isAbortError } from '../errors';
import { createExclusive, UnsafePathError } from '../fs/safeWrite';
import type { ProviderId } from '../providerIds';
import { backoffDelay, sleep } from './backoff';

export interface TransferProgress {
  bytes: number;
  total: number | undefined;
}

/** Bytes per write and per read: 1 MiB moves a gigabyte in ~1000 steps instead of ~16000 socket-sized ones. */
const CHUNK = 1 << 20;
/** Most buffers gathered into one writev (IOV_MAX on Linux), so a server trickling bytes cannot pile up objects. */
const MAX_BUFFERS = 1024;
/** Largest download kept (default); a larger one is refused by its Content-Length or as it streams. */
export const DEFAULT_MAX_DOWNLOAD_BYTES = 8 * 2 ** 30;
/** Total deadline of one download or upload (default), every attempt and wait included. */
export const DEFAULT_TRANSFER_DEADLINE_MS = 60 * 60_000;

function reporter(onProgress: ((p: TransferProgress) => void) | undefined, total: number | undefined) {
  let lastReport = 0;
  return (bytes: number) => {
    const now = Date.now();
    if (onProgress && (now - lastReport > 100 || bytes === total)) {
      lastReport = now;
      onProgress({ bytes, total });
    }
  };
}

function counter(onProgress: ((p: TransferProgress) => void) | undefined, total: number | undefined): Transform {
  let bytes = 0;
  const report = reporter(onProgress, total);
  return new Transform({
    highWaterMark: CHUNK,
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      report(bytes);
      cb(null, chunk);
    },
  });
}

class TooLargeError extends Error {}

/**
 * The file end of a download: socket-sized chunks gathered into one writev per MiB (each write is a thread-pool
 * round trip), counted against the cap, progress at most every 100 ms. Closes the file when done or destroyed.
 */
class FileSink extends Writable {
  bytes = 0;
  private batch: Buffer[] = [];
  private batched = 0;
  private readonly report: (bytes: number) => void;

  constructor(
    private readonly fh: FileHandle,
    private readonly maxBytes: number,
    onProgress: ((p: TransferProgress) => void) | undefined,
    total: number | undefined,
  ) {
    super({ highWaterMark: CHUNK });
    this.report = reporter(onProgress, total);
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) return cb(new TooLargeError());
    this.batch.push(chunk);
    this.batched += chunk.length;
    if (this.batched < CHUNK && this.batch.length < MAX_BUFFERS) return cb();
    this.flush().then(() => cb(), cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.flush()
      .then(() => this.fh.close())
      .then(() => cb(), cb);
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    // A second close of a FileHandle resolves at once.
    this.fh.close().then(
      () => cb(err),
      () => cb(err),
    );
  }

  private async flush(): Promise<void> {
    const bufs = this.batch;
    const size = this.batched;
    this.batch = [];
    this.batched = 0;
    if (!size) return;
    let written = (await this.fh.writev(bufs)).bytesWritten;
    if (written < size) {
      // A short write (rare on a regular file) goes on from where it stopped.
      const all = Buffer.concat(bufs);
      while (written < size) written += (await this.fh.write(all, written)).bytesWritten;
    }
    this.report(this.bytes);
  }
}

/** A deadline of its own for one transfer, joined with the caller's signal. */
function deadlineFor(ms: number, caller: AbortSignal | undefined) {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error(`deadline ${ms} ms`)), ms);
  return {
    signal: caller ? AbortSignal.any([caller, deadline.signal]) : deadline.signal,
    /** True when the deadline, not the caller, ended it. */
    passed: () => deadline.signal.aborted && !caller?.aborted,
    clear: () => clearTimeout(timer),
  };
}

function minutes(ms: number): number {
  return Math.round(ms / 6_000) / 10;
}

function size(bytes: number): string {
  return bytes >= 2 ** 30
    ? `${Math.round((bytes / 2 ** 30) * 10) / 10} GiB`
    : `${Math.round((bytes / 2 ** 20) * 10) / 10} MiB`;
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
  /** Idle timeout: headers, and between two pieces of the body. */
  timeoutMs?: number;
  /** Total deadline of the whole download, retries included (default 60 min). */
  deadlineMs?: number;
  /** Largest file kept (default 8 GiB). */
  maxBytes?: number;
}

/** Streams `url` to `dest` through `dest.part`, renamed only once complete; constant memory. */
export async function downloadToFile(
  url: string,
  dest: string,
  o: DownloadOptions,
): Promise<{ bytes: number; contentType: string | undefined }> {
  const { label } = o;
  const part = `${dest}.part`;
  const maxBytes = o.maxBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES;
  const deadlineMs = o.deadlineMs ?? DEFAULT_TRANSFER_DEADLINE_MS;
  await mkdir(dirname(dest), { recursive: true });
  const attempts = o.maxAttempts ?? 3;
  const deadline = deadlineFor(deadlineMs, o.signal);
  const tooLarge = () =>
    new ProviderError({
      provider: o.provider,
      code: 'too_large',
      message: l10n.t(
        '{0} output is larger than {1}, the most GenDeck downloads for one file; it was not kept.',
        label,
        size(maxBytes),
      ),
    });
  const late = () =>
    new ProviderError({
      provider: o.provider,
      code: 'timeout',
      message: l10n.t('{0} download did not finish within {1} min.', label, minutes(deadlineMs)),
    });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await getFollowingRedirects(url, o, deadline.signal);
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
        if (total !== undefined && total > maxBytes) {
          res.body.destroy();
          throw tooLarge();
        }
        // Created new, never through a link someone left at the predictable `.part` name.
        const sink = new FileSink(await createExclusive(part), maxBytes, o.onProgress, total);
        await pipeline(res.body, sink).catch((err: unknown) => {
          throw err instanceof TooLargeError ? tooLarge() : err;
        });
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
        if (err instanceof UnsafePathError) throw err;
        if (deadline.passed()) throw late();
        const retryable = err instanceof ProviderError ? err.retryable : !isAbortError(err);
        if (!retryable || attempt + 1 >= attempts || o.signal?.aborted) {
          if (err instanceof ProviderError || isAbortError(err)) throw err;
          throw new ProviderError({
            provider: o.provider,
            code: 'download_failed',
            message: l10n.t('{0} download failed: {1}', label, (err as Error).message),
          });
        }
        await sleep(backoffDelay(attempt), deadline.signal).catch((e: unknown) => {
          throw deadline.passed() ? late() : e;
        });
      }
    }
  } finally {
    deadline.clear();
  }
}

/** GET that follows up to five redirects, dropping the provider's headers when a redirect leaves its origin. */
async function getFollowingRedirects(
  url: string,
  o: DownloadOptions,
  signal: AbortSignal,
): Promise<Dispatcher.ResponseData> {
  let current = new URL(url);
  let headers = o.headers;
  for (let hop = 0; ; hop++) {
    const res = await undici().request(current, {
      method: 'GET',
      headers,
      signal,
      dispatcher: o.dispatcher,
      headersTimeout: o.timeoutMs ?? 60_000,
      bodyTimeout: o.timeoutMs ?? 60_000,
      // The body's buffer before the socket is paused: 64 KiB (undici's default) pauses it many times per MiB.
      highWaterMark: CHUNK,
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
  /** Idle timeout: between two pieces sent, and for the answer's headers. */
  timeoutMs?: number;
  /** Total deadline of the whole upload (default 60 min). */
  deadlineMs?: number;
}

/** Streams a file from disk as the raw request body (presigned PUT); constant memory. Returns the status. */
export async function uploadFile(url: string, path: string, o: UploadOptions): Promise<number> {
  const { label } = o;
  const { size } = await stat(path);
  const deadlineMs = o.deadlineMs ?? DEFAULT_TRANSFER_DEADLINE_MS;
  const deadline = deadlineFor(deadlineMs, o.signal);
  const failed = (err: unknown) => {
    if (deadline.passed())
      return new ProviderError({
        provider: o.provider,
        code: 'timeout',
        retryable: true,
        message: l10n.t('{0} upload did not finish within {1} min.', label, minutes(deadlineMs)),
      });
    if (isAbortError(err)) return err;
    return new ProviderError({
      provider: o.provider,
      code: 'upload_failed',
      retryable: true,
      message: l10n.t('{0} upload failed: {1}', label, (err as Error).message),
    });
  };
  try {
    const body = createReadStream(path, { highWaterMark: CHUNK }).pipe(counter(o.onProgress, size));
    let res: Dispatcher.ResponseData;
    let text: string;
    try {
      res = await undici().request(url, {
        method: o.method ?? 'PUT',
        headers: { 'content-length': String(size), ...o.headers },
        body,
        signal: deadline.signal,
        dispatcher: o.dispatcher,
        headersTimeout: o.timeoutMs ?? 120_000,
        bodyTimeout: o.timeoutMs ?? 120_000,
      });
      // An upload's answer is a short status document; 64 KiB is far more than any.
      text = (await readUpTo(res.body, 64 * 1024)).toString('utf8');
    } catch (err) {
      throw failed(err);
    }
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
  } finally {
    deadline.clear();
  }
}

/** The first `max` bytes of a body; the rest is dropped with the connection. */
async function readUpTo(body: Dispatcher.ResponseData['body'], max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= max) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, max);
}
