import { randomBytes } from 'node:crypto';
import { access, readFile, readdir, rm, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { ProviderError, describeError, isAbortError } from '../errors';
import { writeFileAtomic } from '../fs/atomic';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { FfmpegMissingError, type FfmpegTools } from './ffmpeg';
import { partialHash } from './hash';
import { PREPROCESS_VERSION } from './layout';
import { encodeJpeg, preprocessVideo, THUMBNAIL_FRAME, type Preprocessed } from './preprocess';
import { normalize, topK, TopKWorker, type TopKHit } from './topk';

/** What the index needs from the embedding service (SeekneticProvider provides it). */
export interface VideoEmbedder {
  embedVideo(
    input: { video: Uint8Array; audio: Uint8Array },
    o: { signal?: AbortSignal },
  ): Promise<{ vector: number[]; modelVersion: string }>;
  tagVideo(
    input: { video: Uint8Array; times: number[] },
    o: { signal?: AbortSignal },
  ): Promise<Record<string, string[]>>;
}

const entrySchema = z.object({
  /** Path relative to the indexed folder, with `/` separators. */
  rel: z.string().min(1),
  size: z.number(),
  mtimeMs: z.number(),
  /** partialHash: sha256 of size + first and last MiB. */
  hash: z.string(),
  preprocessVersion: z.number(),
  modelVersion: z.string(),
  duration: z.number().optional(),
  /** family (shot_size, camera_movement, shooting_angle, …) → labels. */
  tags: z.record(z.string(), z.array(z.string())).default({}),
  /** False when tagging was skipped or failed; the next update tags it again. */
  tagged: z.boolean().default(false),
  /** File name of the JPEG thumbnail inside the index folder's `thumbs/`. */
  thumbnail: z.string().optional(),
  indexedAt: z.string(),
});
export type IndexEntry = z.infer<typeof entrySchema>;

const MANIFEST_VERSION = 1;
const manifestSchema = z.object({
  version: z.literal(MANIFEST_VERSION),
  root: z.string().optional(),
  /** Length of every vector. */
  dim: z.number().int().nonnegative(),
  /** The embedding model the vectors come from; entries of another model are embedded again. */
  modelVersion: z.string().optional(),
  /** File holding entries.length × dim little-endian float32, unit length, row i ↔ entries[i]. */
  vectors: z.string().optional(),
  entries: z.array(entrySchema),
});

export const MANIFEST_FILE = 'manifest.json';
const THUMBS = 'thumbs';

interface Row {
  entry: IndexEntry;
  vector: Float32Array;
}

export interface IndexProgress {
  phase: 'scanning' | 'indexing';
  /** Files finished (indexed or failed) out of `total` that need work. */
  done: number;
  total: number;
  /** The file that just finished, relative. */
  rel?: string;
}

export interface UpdateOptions {
  embedder: VideoEmbedder;
  tools: FfmpegTools;
  signal?: AbortSignal;
  onProgress?: (p: IndexProgress) => void;
  /** Videos processed at once (default 2). */
  concurrency?: number;
  /** Ask for tags too (default true). */
  tagging?: boolean;
  /** Passed to the embedder's calls (poll pace in tests). */
  embedOptions?: Record<string, unknown>;
  /** Save at most this often while working (ms, default 2000); always at the end. */
  checkpointMs?: number;
}

export interface UpdateStats {
  files: number;
  unchanged: number;
  /** Moved or renamed: the vector was kept, nothing was uploaded. */
  renamed: number;
  /** Same content as another indexed file: its vector was reused. */
  copied: number;
  embedded: number;
  /** Tagged again without a new embedding. */
  retagged: number;
  removed: number;
  failed: { rel: string; message: string }[];
}

export interface SearchOptions {
  k?: number;
  /** family → accepted labels: a hit has one of them in every family given. */
  tags?: Record<string, string[]>;
}

export interface SearchHit {
  entry: IndexEntry;
  /** Absolute path of the video. */
  path: string;
  /** Absolute path of the thumbnail JPEG, when there is one. */
  thumbnail?: string;
  /** Cosine similarity, −1 … 1. */
  score: number;
}

interface WorkItem {
  kind: 'embed' | 'tag';
  abs: string;
  rel: string;
  size: number;
  mtimeMs: number;
  hash: string;
}

/** Errors after which indexing the remaining files cannot succeed either. */
function isFatal(err: unknown): boolean {
  if (err instanceof FfmpegMissingError || isAbortError(err)) return true;
  if (err instanceof ProviderError)
    return err.code === 'no_key' || err.code === 'unreachable' || [401, 402, 403, 413].includes(err.status ?? 0);
  return false;
}

function toRel(root: string, abs: string): string {
  return relative(root, abs).split(sep).join('/');
}

/**
 * The search index of one folder's videos, kept in `dir` (extension storage, never the workspace):
 * `manifest.json` (one entry per video) + a flat float32 vector file + `thumbs/`. Updates are incremental
 * and serialised; every write is atomic (temp file, fsync, rename; the manifest names the vector file,
 * so a crash between the two leaves the previous pair intact).
 */
export class VideoIndex {
  private rows: Row[] = [];
  private dim = 0;
  private modelVersion: string | undefined;
  private vectorsFile: string | undefined;
  private packed: Float32Array | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private saving: Promise<void> = Promise.resolve();
  private readonly worker = new TopKWorker();
  private readonly log: Logger;
  readonly root: string;
  readonly dir: string;

  constructor(o: { dir: string; root: string; log?: Logger; workerThreshold?: number }) {
    this.dir = o.dir;
    this.root = resolve(o.root);
    this.log = o.log ?? silentLogger;
    this.workerThreshold = o.workerThreshold ?? 2_000_000;
  }

  /** Above this many floats (rows × dim) a query runs on the worker thread. */
  workerThreshold: number;

  get size(): number {
    return this.rows.length;
  }

  entries(): IndexEntry[] {
    return this.rows.map((r) => r.entry);
  }

  /** Every label seen per tag family, for filter pickers. */
  tagValues(): Record<string, string[]> {
    const out: Record<string, Set<string>> = {};
    for (const { entry } of this.rows)
      for (const [f, labels] of Object.entries(entry.tags)) for (const l of labels) (out[f] ??= new Set()).add(l);
    return Object.fromEntries(Object.entries(out).map(([f, s]) => [f, [...s].sort()]));
  }

  thumbnailPath(entry: IndexEntry): string | undefined {
    return entry.thumbnail ? join(this.dir, THUMBS, entry.thumbnail) : undefined;
  }

  /** Reads the manifest and vectors; an unreadable or inconsistent pair starts an empty index (logged). */
  async load(): Promise<void> {
    this.rows = [];
    this.packed = undefined;
    let text: string;
    try {
      text = await readFile(join(this.dir, MANIFEST_FILE), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        this.log.warn(`Search index: could not read the manifest (${(err as Error).message}); starting empty.`);
      return;
    }
    try {
      const m = manifestSchema.parse(JSON.parse(text));
      const bytes = m.vectors ? await readFile(join(this.dir, m.vectors)) : Buffer.alloc(0);
      if (bytes.length !== m.entries.length * m.dim * 4)
        throw new Error(`the vector file has ${bytes.length} bytes for ${m.entries.length} entries of ${m.dim}`);
      const all = new Float32Array(new SharedArrayBuffer(bytes.length));
      new Uint8Array(all.buffer).set(bytes);
      this.dim = m.dim;
      this.modelVersion = m.modelVersion;
      this.vectorsFile = m.vectors;
      this.rows = m.entries.map((entry, i) => ({ entry, vector: all.subarray(i * m.dim, (i + 1) * m.dim) }));
      this.packed = all;
    } catch (err) {
      this.log.warn(
        `Search index in ${this.dir} is unreadable (${err instanceof SyntaxError ? 'invalid JSON' : (err as Error).message}); starting empty.`,
      );
      this.rows = [];
    }
  }

  private isCurrent(e: IndexEntry): boolean {
    return (
      e.preprocessVersion === PREPROCESS_VERSION &&
      (this.modelVersion === undefined || e.modelVersion === this.modelVersion)
    );
  }

  /**
   * Brings the index in line with `files` (absolute paths of videos below the root): unchanged files
   * (same size and mtime) are skipped without reading them; a new or touched file is fingerprinted and,
   * when the fingerprint is already indexed (a rename, move or copy), keeps that vector with nothing
   * uploaded; the rest are preprocessed and embedded, `concurrency` at a time; entries whose file is gone
   * are swept. Cancelling keeps what finished. Serialised with other updates.
   */
  update(files: string[], o: UpdateOptions): Promise<UpdateStats> {
    const run = this.queue.then(() => this.doUpdate(files, o));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async doUpdate(files: string[], o: UpdateOptions): Promise<UpdateStats> {
    const tagging = o.tagging ?? true;
    const stats: UpdateStats = {
      files: 0,
      unchanged: 0,
      renamed: 0,
      copied: 0,
      embedded: 0,
      retagged: 0,
      removed: 0,
      failed: [],
    };
    o.onProgress?.({ phase: 'scanning', done: 0, total: 0 });
    const old = new Map(this.rows.map((r) => [r.entry.rel, r]));
    const byHash = new Map<string, Row>();
    for (const r of this.rows) if (this.isCurrent(r.entry)) byHash.set(r.entry.hash, r);
    const listed = new Set(files.map((f) => toRel(this.root, resolve(f))));
    const present = new Set<string>();
    const next = new Map<string, Row>();
    const work: WorkItem[] = [];

    for (const abs of [...new Set(files.map((f) => resolve(f)))].sort()) {
      o.signal?.throwIfAborted();
      const rel = toRel(this.root, abs);
      if (rel.startsWith('..')) continue;
      let st;
      try {
        st = await stat(abs);
      } catch {
        continue; // gone since it was listed
      }
      if (!st.isFile()) continue;
      stats.files++;
      present.add(rel);
      const prev = old.get(rel);
      if (prev && prev.entry.size === st.size && prev.entry.mtimeMs === st.mtimeMs && this.isCurrent(prev.entry)) {
        next.set(rel, prev);
        stats.unchanged++;
        if (tagging && !prev.entry.tagged)
          work.push({ kind: 'tag', abs, rel, size: st.size, mtimeMs: st.mtimeMs, hash: prev.entry.hash });
        continue;
      }
      const hash = await partialHash(abs, st.size);
      const same = prev && prev.entry.hash === hash && this.isCurrent(prev.entry) ? prev : byHash.get(hash);
      if (same) {
        next.set(rel, { entry: { ...same.entry, rel, size: st.size, mtimeMs: st.mtimeMs }, vector: same.vector });
        if (same === prev) stats.unchanged++;
        else if (listed.has(same.entry.rel)) stats.copied++;
        else stats.renamed++;
        if (tagging && !same.entry.tagged)
          work.push({ kind: 'tag', abs, rel, size: st.size, mtimeMs: st.mtimeMs, hash });
        continue;
      }
      // Changed or new: until it is embedded again, a changed file keeps its old entry (retried next time).
      if (prev) next.set(rel, prev);
      work.push({ kind: 'embed', abs, rel, size: st.size, mtimeMs: st.mtimeMs, hash });
    }
    for (const rel of old.keys()) if (!present.has(rel)) stats.removed++;
    this.setRows([...next.values()]);

    // Work, `concurrency` files at a time; a fatal error (no key, no ffmpeg, cancel) stops the rest.
    const inner = new AbortController();
    const onOuterAbort = () => inner.abort(o.signal?.reason);
    o.signal?.addEventListener('abort', onOuterAbort, { once: true });
    let fatal: unknown;
    let done = 0;
    let lastSave = Date.now();
    let dirty = stats.removed > 0 || [...next].some(([rel, row]) => old.get(rel) !== row);
    const embedOpts = { ...o.embedOptions, signal: inner.signal };
    let tagFailed = false;

    const tagIt = async (
      pre: Preprocessed,
      rel: string,
    ): Promise<{ tags: Record<string, string[]>; tagged: boolean }> => {
      if (!tagging) return { tags: {}, tagged: false };
      try {
        return { tags: await o.embedder.tagVideo({ video: pre.video, times: pre.times }, embedOpts), tagged: true };
      } catch (err) {
        if (isFatal(err)) throw err;
        if (!tagFailed)
          this.log.warn(
            `Tagging ${rel} failed (${describeError(err)}); it is indexed without tags and tagged again next time.`,
          );
        tagFailed = true;
        return { tags: {}, tagged: false };
      }
    };

    const one = async (item: WorkItem) => {
      // Once tagging has failed in this run, do not decode more videos only to tag them.
      if (item.kind === 'tag' && tagFailed) return;
      const pre = await preprocessVideo(o.tools, item.abs, { signal: inner.signal });
      if (item.kind === 'tag') {
        const row = next.get(item.rel);
        const t = await tagIt(pre, item.rel);
        if (row && t.tagged) {
          next.set(item.rel, { entry: { ...row.entry, tags: t.tags, tagged: true }, vector: row.vector });
          stats.retagged++;
        }
        return;
      }
      const [emb, t] = await Promise.all([
        o.embedder.embedVideo({ video: pre.video, audio: pre.audio }, embedOpts),
        tagIt(pre, item.rel),
      ]);
      const thumbnail = await this.writeThumbnail(o.tools, pre, item.hash, inner.signal);
      if (this.modelVersion !== emb.modelVersion || this.dim !== emb.vector.length) {
        if (this.modelVersion !== undefined)
          this.log.warn(
            `Seeknetic now answers with model ${emb.modelVersion} (was ${this.modelVersion}); older entries are embedded again on the next update.`,
          );
        this.modelVersion = emb.modelVersion;
        this.dim = emb.vector.length;
      }
      const entry: IndexEntry = {
        rel: item.rel,
        size: item.size,
        mtimeMs: item.mtimeMs,
        hash: item.hash,
        preprocessVersion: PREPROCESS_VERSION,
        modelVersion: emb.modelVersion,
        duration: pre.probe.duration,
        tags: t.tags,
        tagged: t.tagged,
        thumbnail,
        indexedAt: new Date().toISOString(),
      };
      next.set(item.rel, { entry, vector: normalize(emb.vector) });
      stats.embedded++;
    };

    let cursor = 0;
    const lane = async () => {
      while (fatal === undefined && cursor < work.length) {
        const item = work[cursor++];
        try {
          await one(item);
          dirty = true;
        } catch (err) {
          if (isFatal(err) || inner.signal.aborted) {
            fatal ??= err;
            inner.abort(err);
            return;
          }
          stats.failed.push({ rel: item.rel, message: describeError(err) });
          this.log.warn(`Indexing ${item.rel} failed: ${describeError(err)}`);
        }
        o.onProgress?.({ phase: 'indexing', done: ++done, total: work.length, rel: item.rel });
        if (dirty && Date.now() - lastSave >= (o.checkpointMs ?? 2000)) {
          lastSave = Date.now();
          this.setRows([...next.values()]);
          // Cleared before the save, not after: a file another lane finishes while it is written marks it again, so
          // the final save keeps it (clearing after the save dropped such a file from the manifest).
          dirty = false;
          await this.save().catch((err) => {
            dirty = true;
            throw err;
          });
        }
      }
    };
    o.onProgress?.({ phase: 'indexing', done: 0, total: work.length });
    try {
      await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency ?? 2, work.length)) }, lane));
    } finally {
      o.signal?.removeEventListener('abort', onOuterAbort);
      this.setRows([...next.values()]);
      if (dirty) await this.save(fatal === undefined);
    }
    if (fatal !== undefined) throw fatal;
    return stats;
  }

  /** Keeps rows of the current model only (others are embedded again next update), and invalidates the packed copy. */
  private setRows(rows: Row[]): void {
    this.rows = rows.filter(
      (r) =>
        this.modelVersion === undefined || (r.vector.length === this.dim && r.entry.modelVersion === this.modelVersion),
    );
    this.packed = undefined;
  }

  private async writeThumbnail(
    tools: FfmpegTools,
    pre: Preprocessed,
    hash: string,
    signal: AbortSignal,
  ): Promise<string | undefined> {
    const name = `${hash.slice(0, 32)}.jpg`;
    const path = join(this.dir, THUMBS, name);
    try {
      await access(path);
      return name;
    } catch {
      /* not there yet */
    }
    try {
      await writeFileAtomic(path, await encodeJpeg(tools, pre.frames[THUMBNAIL_FRAME], signal));
      return name;
    } catch (err) {
      if (isAbortError(err)) throw err;
      this.log.warn(`No thumbnail for a video: ${describeError(err)}`);
      return undefined;
    }
  }

  /** All vectors in one shared buffer (row i ↔ rows[i]), built once per change. */
  private pack(): Float32Array {
    if (this.packed) return this.packed;
    const all = new Float32Array(new SharedArrayBuffer(this.rows.length * this.dim * 4));
    this.rows.forEach((r, i) => all.set(r.vector, i * this.dim));
    // Rows now view the packed buffer, so the old per-row arrays can be collected.
    this.rows = this.rows.map((r, i) => ({ entry: r.entry, vector: all.subarray(i * this.dim, (i + 1) * this.dim) }));
    this.packed = all;
    return all;
  }

  /** Writes vectors then the manifest naming them, one save at a time; `sweep` also deletes thumbnails and vector files nothing refers to. */
  private save(sweep = false): Promise<void> {
    const run = this.saving.then(() => this.write(sweep));
    this.saving = run.catch(() => undefined);
    return run;
  }

  private async write(sweep: boolean): Promise<void> {
    const all = this.pack();
    const vectors = `vectors-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}.f32`;
    await writeFileAtomic(join(this.dir, vectors), new Uint8Array(all.buffer, all.byteOffset, all.byteLength));
    const manifest: z.infer<typeof manifestSchema> = {
      version: MANIFEST_VERSION,
      root: this.root,
      dim: this.dim,
      modelVersion: this.modelVersion,
      vectors,
      entries: this.rows.map((r) => r.entry),
    };
    await writeFileAtomic(join(this.dir, MANIFEST_FILE), JSON.stringify(manifest));
    const previous = this.vectorsFile;
    this.vectorsFile = vectors;
    if (previous && previous !== vectors) await rm(join(this.dir, previous), { force: true });
    if (sweep) await this.sweep();
  }

  private async sweep(): Promise<void> {
    const keepThumbs = new Set(this.rows.map((r) => r.entry.thumbnail).filter(Boolean));
    for (const name of await readdir(join(this.dir, THUMBS)).catch(() => [] as string[])) {
      if (!keepThumbs.has(name)) await rm(join(this.dir, THUMBS, name), { force: true });
    }
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      if ((/^vectors-.*\.f32$/.test(name) && name !== this.vectorsFile) || /\.tmp-\d+-[0-9a-f]+$/.test(name))
        await rm(join(this.dir, name), { force: true });
    }
  }

  /**
   * Exact cosine top-k for a query vector (normalised here), after the tag filter. Runs on a worker
   * thread when the index is larger than `workerThreshold` floats.
   */
  async search(query: ArrayLike<number>, o: SearchOptions = {}): Promise<SearchHit[]> {
    // Works during an update too: rows are swapped whole at each checkpoint.
    if (!this.rows.length) return [];
    if (query.length !== this.dim) {
      throw new ProviderError({
        provider: 'seeknetic',
        code: 'dimension_mismatch',
        message: `The query embedding has ${query.length} dimensions but the index has ${this.dim}: the model changed. Run "GenDeck: Index Workspace Videos" again.`,
      });
    }
    const q = normalize(query);
    const all = this.pack();
    const rows = this.rows;
    const filters = Object.entries(o.tags ?? {}).filter(([, labels]) => labels.length);
    let allowed: Uint8Array | null = null;
    if (filters.length) {
      allowed = new Uint8Array(rows.length);
      rows.forEach((r, i) => {
        allowed![i] = filters.every(([f, labels]) => (r.entry.tags[f] ?? []).some((l) => labels.includes(l))) ? 1 : 0;
      });
    }
    const k = o.k ?? 20;
    const hits: TopKHit[] =
      all.length >= this.workerThreshold
        ? await this.worker.run(all, this.dim, q, k, allowed)
        : topK(all, this.dim, q, k, allowed);
    return hits.map((h) => {
      const entry = rows[h.row].entry;
      return {
        entry,
        path: join(this.root, ...entry.rel.split('/')),
        thumbnail: this.thumbnailPath(entry),
        score: h.score,
      };
    });
  }

  async dispose(): Promise<void> {
    await this.worker.dispose();
  }
}
