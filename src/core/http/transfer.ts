import * as l10n from '@vscode/l10n';
import { readSync, writeSync, writevSync } from 'node:fs';
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
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
/**
 * A MiB reaches the page cache (or comes from it) in ~1 ms in place, but a thread-pool write or read waits for that
 * thread to be scheduled: on a busy machine (2 cores, the bench) 3–4 ms per MiB, the transfer paused meanwhile. So a
 * download writes, and an upload reads, synchronously while each MiB stays under `slowMs`; the first slower one (a
 * slow disk, writeback throttling, a file not in the cache) moves the rest of that transfer to the thread pool, so
 * the extension host is never held longer than once.
 */
export const fileIoTuning = {
  /** Tests set it below 0 so every write or read after the first goes to the thread pool. */
  slowMs: 25,
};
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

/**
 * A file's first `size` bytes as a request body, 1 MiB per chunk, read in place (see `fileIoTuning`) or on the
 * thread pool, into a ring of four buffers: undici asks for the next chunk only once `socket.write` took the last one
 * whole or the socket drained (client-h1 `writeIterable`), so a buffer is written again three chunks after the
 * socket let go of it. A fresh 1 MiB buffer per chunk cost a gigabyte of garbage per gigabyte sent (0.64–0.94× curl,
 * RSS +25–55 MB; with the ring 1.07–1.42×, +1–3 MB). Opened on the first pull and closed when the body ends or the
 * request stops pulling (an early answer, an abort).
 */
async function* fileChunks(path: string, size: number, report: (bytes: number) => void): AsyncGenerator<Buffer> {
  const fh = await open(path, 'r');
  let inPlace = true;
  const ring = Array.from({ length: 4 }, () => Buffer.allocUnsafe(Math.min(CHUNK, size)));
  let turn = 0;
  try {
    for (let pos = 0; pos < size;) {
      const chunk = ring[turn++ % ring.length].subarray(0, Math.min(CHUNK, size - pos));
      let read: number;
      if (inPlace) {
        const t0 = performance.now();
        read = readSync(fh.fd, chunk, 0, chunk.length, pos);
        if (performance.now() - t0 > fileIoTuning.slowMs) inPlace = false;
      } else read = (await fh.read(chunk, 0, chunk.length, pos)).bytesRead;
      if (read === 0) throw new Error(`the file shrank to ${pos} bytes while it was sent`);
      pos += read;
      report(pos);
      yield read < chunk.length ? chunk.subarray(0, read) : chunk;
    }
  } finally {
    await fh.close();
  }
}

class TooLargeError extends Error {}

/**
 * One GET dispatched with a handler of its own (no body stream in between): socket-sized chunks gathered into one
 * writev per MiB, in place (see `fileIoTuning`) or on the thread pool with the next MiB gathered while that write
 * runs, the socket paused only when both are full. The
 * body is counted against the cap; progress at most every 100 ms. `head` settles with the status line;
 * the caller then gives a file (`toFile`) or drops the body (`drop`, at most 64 KiB read); `done` settles when the
 * body has ended and is written, or on the first error (the file closed either way, never removed here).
 */
class FileDownload implements Dispatcher.DispatchHandler {
  readonly head: Promise<{ statusCode: number; headers: IncomingHttpHeaders }>;
  readonly done: Promise<void>;
  bytes = 0;
  private ctl: Dispatcher.DispatchController | undefined;
  private settleHead!: {
    ok: (h: { statusCode: number; headers: IncomingHttpHeaders }) => void;
    no: (e: Error) => void;
  };
  private settleDone!: { ok: () => void; no: (e: Error) => void };
  private mode: 'wait' | 'file' | 'drop' = 'wait';
  private fh: FileHandle | undefined;
  private maxBytes = Infinity;
  private report: (bytes: number) => void = () => {};
  private batch: Buffer[] = [];
  private batched = 0;
  private writing = false;
  /** Written in the handler itself until one write takes longer than `fileIoTuning.slowMs`. */
  private syncWrites = true;
  private ended = false;
  private failed: Error | undefined;
  private closed = false;
  private readonly onAbort: () => void;

  constructor(private readonly signal: AbortSignal) {
    this.head = new Promise((ok, no) => (this.settleHead = { ok, no }));
    this.done = new Promise((ok, no) => (this.settleDone = { ok, no }));
    // Either may be left unawaited (a refused status, an error before the head): never an unhandled rejection.
    this.head.catch(() => {});
    this.done.catch(() => {});
    this.onAbort = () => this.abort(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Ends the request (and the connection) with `err`; `done` rejects with it once the file is closed. */
  abort(err: Error): void {
    // Failed first, so the first cause is the one `done` rejects with, whatever undici reports after.
    this.fail(err);
    if (this.ctl && !this.ctl.aborted && !this.ended) this.ctl.abort(err);
  }

  toFile(fh: FileHandle, maxBytes: number, report: (bytes: number) => void): void {
    this.fh = fh;
    this.maxBytes = maxBytes;
    this.report = report;
    this.mode = 'file';
    if (this.failed) return this.finish();
    if (this.ended || this.batched >= CHUNK || this.batch.length >= MAX_BUFFERS) this.flush();
    this.ctl?.resume();
  }

  drop(): void {
    this.mode = 'drop';
    if (this.ended) this.finish();
    else this.ctl?.resume();
  }

  onRequestStart(ctl: Dispatcher.DispatchController): void {
    this.ctl = ctl;
    if (this.signal.aborted) this.onAbort();
  }

  onResponseStart(ctl: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    // Until the caller has looked at the head and opened the file.
    ctl.pause();
    this.settleHead.ok({ statusCode, headers });
  }

  onResponseData(ctl: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.failed) return;
    this.bytes += chunk.length;
    if (this.mode === 'drop') {
      if (this.bytes > 64 * 1024) this.abort(new Error('body dropped'));
      return;
    }
    if (this.bytes > this.maxBytes) return this.abort(new TooLargeError());
    this.batch.push(chunk);
    this.batched += chunk.length;
    if (this.batched < CHUNK && this.batch.length < MAX_BUFFERS) return;
    if (this.writing || this.mode === 'wait') ctl.pause();
    else this.flush();
  }

  onResponseEnd(): void {
    this.ended = true;
    if (this.mode === 'drop') this.finish();
    else if (this.mode === 'file' && !this.writing) this.flush();
  }

  onResponseError(_ctl: Dispatcher.DispatchController, err: Error): void {
    this.fail(err);
  }

  private fail(err: Error): void {
    if (this.failed || this.closed) return;
    this.failed = err;
    this.settleHead.no(err);
    if (!this.writing) this.finish();
  }

  private flush(): void {
    const bufs = this.batch;
    const size = this.batched;
    this.batch = [];
    this.batched = 0;
    if (!size) return this.finish();
    if (this.syncWrites) {
      const t0 = performance.now();
      try {
        writeAllSync(this.fh!.fd, bufs, size);
      } catch (err) {
        return this.abort(err as Error);
      }
      if (performance.now() - t0 > fileIoTuning.slowMs) this.syncWrites = false;
      this.report(this.bytes);
      if (this.ended) this.flush();
      return;
    }
    this.writing = true;
    void writeAll(this.fh!, bufs, size).then(
      () => {
        this.writing = false;
        this.report(this.bytes);
        if (this.failed) return this.finish();
        if (this.ended) return this.flush();
        if (this.batched >= CHUNK || this.batch.length >= MAX_BUFFERS) this.flush();
        if (this.ctl?.paused) this.ctl.resume();
      },
      (err: Error) => {
        this.writing = false;
        this.abort(err);
      },
    );
  }

  /** After the last write or the first error: closes the file, then settles `done`. */
  private finish(): void {
    this.closed = true;
    this.signal.removeEventListener('abort', this.onAbort);
    const close = this.fh ? this.fh.close() : Promise.resolve();
    this.fh = undefined;
    close.then(
      () => (this.failed ? this.settleDone.no(this.failed) : this.settleDone.ok()),
      (err: Error) => this.settleDone.no(this.failed ?? err),
    );
  }
}

function writeAllSync(fd: number, bufs: Buffer[], size: number): void {
  let written = writevSync(fd, bufs);
  if (written < size) {
    const all = Buffer.concat(bufs);
    while (written < size) written += writeSync(fd, all, written);
  }
}

async function writeAll(fh: FileHandle, bufs: Buffer[], size: number): Promise<void> {
  let written = (await fh.writev(bufs)).bytesWritten;
  if (written < size) {
    // A short write (rare on a regular file) goes on from where it stopped.
    const all = Buffer.concat(bufs);
    while (written < size) written += (await fh.write(all, written)).bytesWritten;
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
        const dl = await getFollowingRedirects(url, o, deadline.signal);
        const { statusCode, headers } = await dl.head;
        if (statusCode !== 200) {
          dl.drop();
          await dl.done.catch(() => {});
          throw new ProviderError({
            provider: o.provider,
            status: statusCode,
            code: statusCode === 404 ? 'not_found' : statusCode === 403 ? 'expired' : 'download_failed',
            retryable: statusCode >= 500 || statusCode === 429,
            message:
              statusCode === 403 || statusCode === 404
                ? l10n.t('{0} output could not be downloaded ({1}): the link may have expired.', label, statusCode)
                : l10n.t('{0} output could not be downloaded ({1}).', label, statusCode),
          });
        }
        const lengthHeader = headers['content-length'];
        const total = lengthHeader ? Number(lengthHeader) : undefined;
        if (total !== undefined && total > maxBytes) {
          dl.abort(new TooLargeError());
          throw tooLarge();
        }
        // Created new, never through a link someone left at the predictable `.part` name.
        const fh = await createExclusive(part).catch((err: Error) => {
          dl.abort(err);
          throw err;
        });
        dl.toFile(fh, maxBytes, reporter(o.onProgress, total));
        await dl.done.catch((err: unknown) => {
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
        const ct = headers['content-type'];
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

/**
 * GET that follows up to five redirects, dropping the provider's headers when a redirect leaves its origin; the
 * answer's head is in, its body waits (paused) for the caller.
 */
async function getFollowingRedirects(url: string, o: DownloadOptions, signal: AbortSignal): Promise<FileDownload> {
  let current = new URL(url);
  let headers = o.headers;
  for (let hop = 0; ; hop++) {
    const dl = new FileDownload(signal);
    try {
      (o.dispatcher ?? undici().getGlobalDispatcher()).dispatch(
        {
          origin: current.origin,
          path: current.pathname + current.search,
          method: 'GET',
          headers,
          headersTimeout: o.timeoutMs ?? 60_000,
          bodyTimeout: o.timeoutMs ?? 60_000,
        },
        dl,
      );
    } catch (err) {
      dl.abort(err as Error);
    }
    const { statusCode, headers: got } = await dl.head;
    const location = got.location;
    if (statusCode < 300 || statusCode >= 400 || !location || hop >= 5) return dl;
    dl.drop();
    await dl.done.catch(() => {});
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
    // undici takes an AsyncIterable body (docs/api/Dispatcher.md, `body`); its types do not list one yet.
    const body = fileChunks(path, size, reporter(o.onProgress, size)) as unknown as Readable;
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
