import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { sniffMedia } from '../../media/dataUri';
import { FILE_ID_REUSE_MS } from './contract';

/** A file_id Seele gave for some content, reusable for the same bytes until `expiresAt`. */
export interface CachedFileId {
  fileId: string;
  sha256: string;
  size: number;
  /** The API origin it was uploaded to (a sandbox file_id is no good on the real service). */
  scope: string;
  uploadedAt: number;
  expiresAt: number;
}

/**
 * file_ids by content (sha256 + size) and API origin. An entry is used until a conservative
 * expiry (FILE_ID_REUSE_MS, ours: the document gives no lifetime) and dropped as soon as the
 * server rejects it. The editor persists `entries()` and hands them back on start.
 */
export class FileIdCache {
  private map = new Map<string, CachedFileId>();
  private listeners = new Set<() => void>();

  constructor(
    entries: CachedFileId[] = [],
    private readonly now: () => number = Date.now,
    readonly reuseMs = FILE_ID_REUSE_MS,
  ) {
    this.restore(entries);
  }

  private static k(scope: string, sha256: string, size: number): string {
    return `${scope}|${sha256}|${size}`;
  }

  restore(entries: CachedFileId[]): void {
    for (const e of entries)
      if (e && typeof e.fileId === 'string' && e.expiresAt > this.now())
        this.map.set(FileIdCache.k(e.scope, e.sha256, e.size), e);
  }

  get(scope: string, sha256: string, size: number): CachedFileId | undefined {
    const key = FileIdCache.k(scope, sha256, size);
    const e = this.map.get(key);
    if (e && e.expiresAt <= this.now()) {
      this.map.delete(key);
      this.changed();
      return undefined;
    }
    return e;
  }

  set(init: Omit<CachedFileId, 'uploadedAt' | 'expiresAt'>): CachedFileId {
    const at = this.now();
    const e: CachedFileId = { ...init, uploadedAt: at, expiresAt: at + this.reuseMs };
    this.map.set(FileIdCache.k(e.scope, e.sha256, e.size), e);
    this.changed();
    return e;
  }

  /** Forgets file_ids the server no longer accepts. */
  invalidate(fileIds: Iterable<string>): number {
    const drop = new Set(fileIds);
    let n = 0;
    for (const [k, e] of this.map) {
      if (drop.has(e.fileId)) {
        this.map.delete(k);
        n++;
      }
    }
    if (n) this.changed();
    return n;
  }

  clear(): void {
    if (!this.map.size) return;
    this.map.clear();
    this.changed();
  }

  entries(): CachedFileId[] {
    const now = this.now();
    return [...this.map.values()].filter((e) => e.expiresAt > now);
  }

  has(fileId: string): boolean {
    return [...this.map.values()].some((e) => e.fileId === fileId);
  }

  onDidChange(fn: () => void): { dispose(): void } {
    this.listeners.add(fn);
    return { dispose: () => this.listeners.delete(fn) };
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}

/** sha256 and size of a file, read as a stream (constant memory). */
export async function hashFile(path: string, signal?: AbortSignal): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(
    // 1 MiB reads: a gigabyte is ~1000 hash updates, not ~16000 at the default 64 KiB.
    createReadStream(path, { highWaterMark: 1 << 20 }),
    async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        size += chunk.length;
        hash.update(chunk);
      }
      yield* [];
    },
    { signal },
  );
  return { sha256: hash.digest('hex'), size };
}

const TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.bmp': 'image/bmp',
  '.svg': 'image/svg+xml',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mov': 'video/quicktime',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
  '.glb': 'model/gltf-binary',
  '.gltf': 'model/gltf+json',
  '.obj': 'model/obj',
  '.fbx': 'application/octet-stream',
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.json': 'application/json',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.html': 'text/html',
};

/** The content type sent for a reference file: by extension, else by its first bytes, else octet-stream. */
export async function contentTypeOf(path: string): Promise<string> {
  const byExt = TYPES[extname(path).toLowerCase()];
  if (byExt) return byExt;
  const sniffed = await sniffMedia(path).catch(() => undefined);
  return sniffed?.mime ?? 'application/octet-stream';
}
