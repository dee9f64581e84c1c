import { randomBytes } from 'node:crypto';
import { access, open, readFile, readdir, rm, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { ProviderError, describeError, isAbortError } from '../errors';
import { writeFileAtomic } from '../fs/atomic';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { mapLimit } from './concurrency';
import { FfmpegMissingError, type FfmpegTools } from './ffmpeg';
import { partialHash } from './hash';
import { DEFAULT_WINDOWING, PREPROCESS_VERSION, windowRanges, type TimeRange, type Windowing } from './layout';
import {
  encodeJpeg,
  preprocessWindow,
  probeVideo,
  THUMBNAIL_FRAME,
  type Preprocessed,
  type VideoProbe,
} from './preprocess';
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

/** One window of a video (a short video is one window covering it whole). */
const entrySchema = z.object({
  /** Path relative to the indexed folder, with `/` separators; the same for every window of a file. */
  rel: z.string().min(1),
  size: z.number(),
  mtimeMs: z.number(),
  /** partialHash: sha256 of size + first and last MiB. */
  hash: z.string(),
  preprocessVersion: z.number(),
  modelVersion: z.string(),
  /** Of the whole file, seconds. */
  duration: z.number().optional(),
  /** The window's time range in the file, seconds: [start, end). */
  start: z.number(),
  end: z.number(),
  /** family (shot_size, camera_movement, shooting_angle, …) → labels. */
  tags: z.record(z.string(), z.array(z.string())).default({}),
  /** False when tagging was skipped or failed; the next update tags it again. */
  tagged: z.boolean().default(false),
  /** File name of the JPEG thumbnail inside the index folder's `thumbs/`. */
  thumbnail: z.string().optional(),
  indexedAt: z.string(),
});
export type IndexEntry = z.infer<typeof entrySchema>;

const MANIFEST_VERSION = 2;
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

/** Version 1: one entry per file, no time range. Read as one window [0, duration) each; saved again as version 2. */
const manifestV1Schema = manifestSchema.extend({
  version: z.literal(1),
  entries: z.array(entrySchema.extend({ start: z.number().optional(), end: z.number().optional() })),
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
  /** Embedding calls made so far in this run. */
  calls?: number;
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
  /** Save at most this often while working (ms, default 2000; less often when a save takes long); always at the end. */
  checkpointMs?: number;
  /** How long videos are cut into windows (default 10 s, at most 120 per file). */
  windowing?: Windowing;
  /**
   * After `signal` aborts, how long embedding and tagging calls already sent may still finish (ms, default 30000):
   * their results are paid for, so they are kept; nothing new starts. Then they are aborted too.
   */
  drainMs?: number;
}

/** What an update would send, counted before anything is sent. */
export interface IndexEstimate {
  files: number;
  unchanged: number;
  /** Files that need embedding (new or changed). */
  toEmbed: number;
  /** Embedding calls (one per window of those files); each is a tensor upload and an async job. */
  embedCalls: number;
  /** Tagging calls (windows to tag, when tagging is on). */
  tagCalls: number;
  /** Files whose length could not be read (counted as one window each; indexing them will probably fail). */
  unreadable: number;
}

export interface UpdateStats {
  files: number;
  unchanged: number;
  /** Moved or renamed: the vector was kept, nothing was uploaded. */
  renamed: number;
  /** Same content as another indexed file: its vector was reused. */
  copied: number;
  embedded: number;
  /** Windows embedded (embedding calls made). */
  windows: number;
  /** Tagged again without a new embedding. */
  retagged: number;
  removed: number;
  failed: { rel: string; message: string }[];
}

export interface SearchOptions {
  k?: number;
  /** family → accepted labels: a hit has one of them in every family given. */
  tags?: Record<string, string[]>;
  /** Leave out these windows (a "find similar" query's own). */
  exclude?: (entry: IndexEntry) => boolean;
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

interface Scan {
  stats: UpdateStats;
  old: Map<string, Row[]>;
  next: Map<string, Row[]>;
  work: WorkItem[];
  /** Current windows by content and range (`windowKey`): what a cancelled run embedded is not embedded again. */
  done: Map<string, Row>;
}

/** A window of some content: its file's fingerprint and its range, to the millisecond. */
function windowKey(hash: string, range: TimeRange): string {
  return `${hash}@${Math.round(range.start * 1000)}-${Math.round(range.end * 1000)}`;
}

/** A file's windows, in time order. */
function groupByFile(rows: Row[]): Map<string, Row[]> {
  const out = new Map<string, Row[]>();
  for (const r of rows) {
    const g = out.get(r.entry.rel);
    if (g) g.push(r);
    else out.set(r.entry.rel, [r]);
  }
  for (const g of out.values()) g.sort((a, b) => a.entry.start - b.entry.start);
  return out;
}

function sameRanges(a: TimeRange[], b: TimeRange[]): boolean {
  return (
    a.length === b.length &&
    a.every((r, i) => Math.abs(r.start - b[i].start) < 1e-3 && Math.abs(r.end - b[i].end) < 1e-3)
  );
}

/** Thumbnails are shared by content: a file indexed whole keeps the v1 name, a window adds its range in ms. */
function thumbnailName(hash: string, range: TimeRange, whole: boolean): string {
  const base = hash.slice(0, 32);
  return whole ? `${base}.jpg` : `${base}-${Math.round(range.start * 1000)}-${Math.round(range.end * 1000)}.jpg`;
}

/** At most `n` tasks at once across every caller (the windows of all files in a run share it). */
function limiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (fn) => {
    if (active >= n) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
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

/** Reads a vector file straight into one shared buffer (no second copy of it on the way). */
async function readVectors(path: string, bytes: number, entries: number, dim: number): Promise<Float32Array> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    if (size !== bytes) throw new Error(`the vector file has ${size} bytes for ${entries} entries of ${dim}`);
    const all = new Float32Array(new SharedArrayBuffer(bytes));
    const u8 = new Uint8Array(all.buffer);
    for (let at = 0; at < bytes;) {
      const { bytesRead } = await fh.read(u8, at, Math.min(bytes - at, 1 << 24), at);
      if (!bytesRead) throw new Error(`the vector file ended at ${at} of ${bytes} bytes`);
      at += bytesRead;
    }
    return all;
  } finally {
    await fh.close();
  }
}

/**
 * One copy of each repeated string and tag set across entries (the windows of a file share its path and hash, most
 * share a model, a time and tags), so a large index's entries cost little beside its vectors.
 */
function shareStrings(entries: IndexEntry[]): IndexEntry[] {
  const strings = new Map<string, string>();
  const one = (x: string): string => {
    const have = strings.get(x);
    if (have !== undefined) return have;
    strings.set(x, x);
    return x;
  };
  const tagSets = new Map<string, Record<string, string[]>>();
  for (const e of entries) {
    e.rel = one(e.rel);
    e.hash = one(e.hash);
    e.modelVersion = one(e.modelVersion);
    e.indexedAt = one(e.indexedAt);
    const key = JSON.stringify(e.tags);
    const tags = tagSets.get(key);
    if (tags) e.tags = tags;
    else tagSets.set(key, e.tags);
  }
  return entries;
}

/**
 * The search index of one folder's videos, kept in `dir` (extension storage, never the workspace):
 * `manifest.json` (one entry per window of a video; a short video is one window) + a flat float32 vector file + `thumbs/`. Updates are incremental
 * and serialised; every write is atomic (temp file, fsync, rename; the manifest names the vector file,
 * so a crash between the two leaves the previous pair intact).
 */
export class VideoIndex {
  /** Entry i's vector is row i of `packed` or, until the next pack after an update, `unpacked[i]`. */
  private list: IndexEntry[] = [];
  /** All vectors in one shared buffer (entries × dim float32): what a loaded index holds, no per-entry array. */
  private packed: Float32Array | undefined = new Float32Array(new SharedArrayBuffer(0));
  private unpacked: Float32Array[] | undefined;
  private dim = 0;
  private modelVersion: string | undefined;
  private vectorsFile: string | undefined;
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

  /** Entries: windows (a short video is one). */
  get size(): number {
    return this.list.length;
  }

  /** Distinct videos. */
  get fileCount(): number {
    return new Set(this.list.map((e) => e.rel)).size;
  }

  entries(): IndexEntry[] {
    return this.list.slice();
  }

  /** Every label seen per tag family, for filter pickers. */
  tagValues(): Record<string, string[]> {
    const out: Record<string, Set<string>> = {};
    for (const entry of this.list)
      for (const [f, labels] of Object.entries(entry.tags)) for (const l of labels) (out[f] ??= new Set()).add(l);
    return Object.fromEntries(Object.entries(out).map(([f, s]) => [f, [...s].sort()]));
  }

  thumbnailPath(entry: IndexEntry): string | undefined {
    return entry.thumbnail ? join(this.dir, THUMBS, entry.thumbnail) : undefined;
  }

  /**
   * Reads the manifest and vectors; an unreadable or inconsistent pair starts an empty index (logged). A version 1
   * manifest (one entry per file) is migrated: each entry becomes the window [0, duration), and the file is saved
   * again as version 2. Short videos keep their vectors; longer ones are cut into windows at the next update.
   */
  async load(): Promise<void> {
    this.setRows([]);
    let text: string;
    try {
      text = await readFile(join(this.dir, MANIFEST_FILE), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        this.log.warn(`Search index: could not read the manifest (${(err as Error).message}); starting empty.`);
      return;
    }
    let migrated = false;
    try {
      const json: unknown = JSON.parse(text);
      let m: z.infer<typeof manifestSchema>;
      const v1 = manifestV1Schema.safeParse(json);
      if (v1.success) {
        m = {
          ...v1.data,
          version: MANIFEST_VERSION,
          entries: v1.data.entries.map((e) => ({ ...e, start: e.start ?? 0, end: e.end ?? e.duration ?? 0 })),
        };
        migrated = true;
      } else m = manifestSchema.parse(json);
      const all = m.vectors
        ? await readVectors(join(this.dir, m.vectors), m.entries.length * m.dim * 4, m.entries.length, m.dim)
        : new Float32Array(new SharedArrayBuffer(0));
      if (all.length !== m.entries.length * m.dim)
        throw new Error(`no vector file for ${m.entries.length} entries of ${m.dim}`);
      this.dim = m.dim;
      this.modelVersion = m.modelVersion;
      this.vectorsFile = m.vectors;
      this.list = shareStrings(m.entries);
      this.packed = all;
      this.unpacked = undefined;
    } catch (err) {
      this.log.warn(
        `Search index in ${this.dir} is unreadable (${err instanceof SyntaxError ? 'invalid JSON' : (err as Error).message}); starting empty.`,
      );
      this.setRows([]);
      return;
    }
    if (migrated) {
      this.log.info(`Search index in ${this.dir}: migrated ${this.list.length} entries to windows (version 2).`);
      await this.save();
    }
  }

  private isCurrent(e: IndexEntry): boolean {
    return (
      e.preprocessVersion === PREPROCESS_VERSION &&
      (this.modelVersion === undefined || e.modelVersion === this.modelVersion)
    );
  }

  /** A file's windows are current when each is, and they are the windows its length gives now. */
  private groupCurrent(group: Row[], w: Windowing): boolean {
    const d = group[0].entry.duration;
    if (!(d !== undefined && d > 0) || !group.every((r) => this.isCurrent(r.entry))) return false;
    return sameRanges(
      group.map((r) => r.entry),
      windowRanges(d, w),
    );
  }

  /**
   * Brings the index in line with `files` (absolute paths of videos below the root): unchanged files
   * (same size and mtime) are skipped without reading them; a new or touched file is fingerprinted and,
   * when the fingerprint is already indexed (a rename, move or copy), keeps its windows' vectors with nothing
   * uploaded; the rest are cut into windows, preprocessed and embedded window by window, `concurrency` windows
   * at a time; entries whose file is gone are swept. Cancelling starts nothing new and keeps every window embedded,
   * calls already sent included (`drainMs`); a partly indexed file is finished by the next update. Serialised.
   */
  update(files: string[], o: UpdateOptions): Promise<UpdateStats> {
    const run = this.queue.then(() => this.doUpdate(files, o));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * What `update` with the same files would send: embedding calls (windows of the new and changed files, read with
   * ffprobe) and tagging calls. Nothing is uploaded or written.
   */
  estimate(
    files: string[],
    o: { tools: FfmpegTools; windowing?: Windowing; tagging?: boolean; signal?: AbortSignal },
  ): Promise<IndexEstimate> {
    const run = this.queue.then(async (): Promise<IndexEstimate> => {
      const w = o.windowing ?? DEFAULT_WINDOWING;
      const scan = await this.scan(files, w, o.tagging ?? true, o.signal);
      const out: IndexEstimate = {
        files: scan.stats.files,
        unchanged: scan.stats.unchanged + scan.stats.renamed + scan.stats.copied,
        toEmbed: 0,
        embedCalls: 0,
        tagCalls: 0,
        unreadable: 0,
      };
      const embeds = scan.work.filter((i) => i.kind === 'embed');
      const counts = await mapLimit(
        embeds,
        4,
        async (item) => {
          try {
            const ranges = windowRanges((await probeVideo(o.tools, item.abs, o.signal)).duration, w);
            return ranges.filter((r) => !scan.done.has(windowKey(item.hash, r))).length;
          } catch (err) {
            if (isFatal(err)) throw err;
            out.unreadable++;
            return 1;
          }
        },
        o.signal,
      );
      out.toEmbed = embeds.length;
      out.embedCalls = counts.reduce((a, b) => a + b, 0);
      out.tagCalls = o.tagging === false ? 0 : out.embedCalls;
      for (const item of scan.work)
        if (item.kind === 'tag') out.tagCalls += (scan.next.get(item.rel) ?? []).filter((r) => !r.entry.tagged).length;
      return out;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Which files are unchanged, renamed or copied (kept as they are) and which need work. Reads no video. */
  private async scan(files: string[], w: Windowing, tagging: boolean, signal?: AbortSignal): Promise<Scan> {
    const stats: UpdateStats = {
      files: 0,
      unchanged: 0,
      renamed: 0,
      copied: 0,
      embedded: 0,
      windows: 0,
      retagged: 0,
      removed: 0,
      failed: [],
    };
    const rows = this.rows();
    const old = groupByFile(rows);
    const done = new Map<string, Row>();
    for (const r of rows) if (this.isCurrent(r.entry)) done.set(windowKey(r.entry.hash, r.entry), r);
    const byHash = new Map<string, Row[]>();
    for (const g of old.values()) if (this.groupCurrent(g, w)) byHash.set(g[0].entry.hash, g);
    const listed = new Set(files.map((f) => toRel(this.root, resolve(f))));
    const present = new Set<string>();
    const next = new Map<string, Row[]>();
    const work: WorkItem[] = [];
    const untagged = (g: Row[]) => tagging && g.some((r) => !r.entry.tagged);

    for (const abs of [...new Set(files.map((f) => resolve(f)))].sort()) {
      signal?.throwIfAborted();
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
      const first = prev?.[0].entry;
      if (prev && first!.size === st.size && first!.mtimeMs === st.mtimeMs && this.groupCurrent(prev, w)) {
        next.set(rel, prev);
        stats.unchanged++;
        if (untagged(prev)) work.push({ kind: 'tag', abs, rel, size: st.size, mtimeMs: st.mtimeMs, hash: first!.hash });
        continue;
      }
      const hash = await partialHash(abs, st.size);
      const same = prev && first!.hash === hash && this.groupCurrent(prev, w) ? prev : byHash.get(hash);
      if (same) {
        next.set(
          rel,
          same.map((r) => ({ entry: { ...r.entry, rel, size: st.size, mtimeMs: st.mtimeMs }, vector: r.vector })),
        );
        if (same === prev) stats.unchanged++;
        else if (listed.has(same[0].entry.rel)) stats.copied++;
        else stats.renamed++;
        if (untagged(same)) work.push({ kind: 'tag', abs, rel, size: st.size, mtimeMs: st.mtimeMs, hash });
        continue;
      }
      // Changed, new or partly indexed (a cancelled run): until it is embedded again, a file keeps the windows it has
      // (a changed file its old ones); windows of this content already embedded are kept, not sent again.
      if (prev) next.set(rel, prev);
      work.push({ kind: 'embed', abs, rel, size: st.size, mtimeMs: st.mtimeMs, hash });
    }
    for (const rel of old.keys()) if (!present.has(rel)) stats.removed++;
    return { stats, old, next, work, done };
  }

  private async doUpdate(files: string[], o: UpdateOptions): Promise<UpdateStats> {
    const tagging = o.tagging ?? true;
    const windowing = o.windowing ?? DEFAULT_WINDOWING;
    o.onProgress?.({ phase: 'scanning', done: 0, total: 0 });
    const { stats, old, next, work, done: embeddedBefore } = await this.scan(files, windowing, tagging, o.signal);
    this.setRows([...next.values()].flat());

    // Work, `concurrency` files at a time and `concurrency` windows at once across them; a fatal error (no key,
    // no ffmpeg) stops the rest. Two signals: `stop` (a cancel or a fatal error) starts nothing new — no file, no
    // window, no ffmpeg run; `inner` aborts the calls already sent, on a fatal error at once and `drainMs` after a
    // cancel (those calls are paid for: their windows are kept).
    const concurrency = Math.max(1, o.concurrency ?? 2);
    const slot = limiter(concurrency);
    const inner = new AbortController();
    const stop = new AbortController();
    inner.signal.addEventListener('abort', () => stop.abort(inner.signal.reason), { once: true });
    let drainTimer: NodeJS.Timeout | undefined;
    const onOuterAbort = () => {
      stop.abort(o.signal?.reason);
      drainTimer = setTimeout(() => inner.abort(o.signal?.reason), o.drainMs ?? 30_000);
    };
    if (o.signal?.aborted) onOuterAbort();
    else o.signal?.addEventListener('abort', onOuterAbort, { once: true });
    let fatal: unknown;
    let done = 0;
    let calls = 0;
    let lastSave = Date.now();
    let dirty = stats.removed > 0 || [...next].some(([rel, rows]) => old.get(rel) !== rows);
    const embedOpts = { ...o.embedOptions, signal: inner.signal };
    let tagFailed = false;

    /**
     * Saves after a file or a window, at most every `checkpointMs` and at most a tenth of the time (a large index
     * rewrites its whole vector file each time).
     */
    let saveEvery = o.checkpointMs ?? 2000;
    const checkpoint = async () => {
      if (!dirty || Date.now() - lastSave < saveEvery) return;
      const started = Date.now();
      this.setRows([...next.values()].flat());
      // Cleared before the save, not after: a file another lane finishes while it is written marks it again, so
      // the final save keeps it (clearing after the save dropped such a file from the manifest).
      dirty = false;
      try {
        await this.save();
      } catch (err) {
        dirty = true;
        throw err;
      } finally {
        lastSave = Date.now();
        saveEvery = Math.max(o.checkpointMs ?? 2000, 10 * (lastSave - started));
      }
    };

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

    const embedWindow = async (item: WorkItem, probe: VideoProbe, range: TimeRange, whole: boolean): Promise<Row> => {
      const pre = await preprocessWindow(o.tools, item.abs, probe, range, { signal: stop.signal });
      stop.signal.throwIfAborted();
      const [emb, t] = await Promise.all([
        o.embedder.embedVideo({ video: pre.video, audio: pre.audio }, embedOpts),
        tagIt(pre, item.rel),
      ]);
      calls++;
      const thumbnail = await this.writeThumbnail(o.tools, pre, thumbnailName(item.hash, range, whole), inner.signal);
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
        duration: probe.duration,
        start: range.start,
        end: range.end,
        tags: t.tags,
        tagged: t.tagged,
        thumbnail,
        indexedAt: new Date().toISOString(),
      };
      return { entry, vector: normalize(emb.vector) };
    };

    const one = async (item: WorkItem) => {
      // Once tagging has failed in this run, do not decode more videos only to tag them.
      if (item.kind === 'tag' && tagFailed) return;
      const probe = await probeVideo(o.tools, item.abs, stop.signal);
      if (item.kind === 'tag') {
        const rows = next.get(item.rel) ?? [];
        const tagged = await mapLimit(
          rows,
          concurrency,
          (row) =>
            slot(async (): Promise<Row> => {
              if (row.entry.tagged || tagFailed) return row;
              const pre = await preprocessWindow(o.tools, item.abs, probe, row.entry, {
                signal: stop.signal,
                audio: false,
              });
              stop.signal.throwIfAborted();
              const t = await tagIt(pre, item.rel);
              return t.tagged ? { entry: { ...row.entry, tags: t.tags, tagged: true }, vector: row.vector } : row;
            }),
          stop.signal,
        );
        if (tagged.some((r, i) => r !== rows[i])) {
          next.set(item.rel, tagged);
          stats.retagged++;
        }
        return;
      }
      const ranges = windowRanges(probe.duration, windowing);
      // Windows of this content a cancelled run embedded are kept; each new one joins the file's entries as soon as
      // it is back, so a cancel or a checkpoint keeps it too. The file stays incomplete (its ranges are not all
      // there) until every window is, and the next update finishes it.
      const got: (Row | undefined)[] = ranges.map((r) => {
        const was = embeddedBefore.get(windowKey(item.hash, r));
        return (
          was && { entry: { ...was.entry, rel: item.rel, size: item.size, mtimeMs: item.mtimeMs }, vector: was.vector }
        );
      });
      await mapLimit(
        ranges,
        concurrency,
        async (range, i) => {
          if (got[i]) return;
          got[i] = await slot(() => embedWindow(item, probe, range, ranges.length === 1));
          stats.windows++;
          next.set(
            item.rel,
            got.filter((r): r is Row => r !== undefined),
          );
          dirty = true;
          await checkpoint();
        },
        stop.signal,
      );
      next.set(item.rel, got as Row[]);
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
          if (isFatal(err) || stop.signal.aborted) {
            fatal ??= err;
            // A cancel lets the other lanes' calls already sent finish (`stop` is aborted already); a fatal error
            // aborts them.
            if (!o.signal?.aborted) inner.abort(err);
            return;
          }
          stats.failed.push({ rel: item.rel, message: describeError(err) });
          this.log.warn(`Indexing ${item.rel} failed: ${describeError(err)}`);
        }
        o.onProgress?.({ phase: 'indexing', done: ++done, total: work.length, rel: item.rel, calls });
        await checkpoint();
      }
    };
    o.onProgress?.({ phase: 'indexing', done: 0, total: work.length, calls });
    try {
      await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, work.length)) }, lane));
    } finally {
      o.signal?.removeEventListener('abort', onOuterAbort);
      clearTimeout(drainTimer);
      this.setRows([...next.values()].flat());
      if (dirty) await this.save(fatal === undefined);
    }
    if (fatal !== undefined) throw fatal;
    return stats;
  }

  /** Entry and vector pairs, for an update: views into the packed buffer (none copied). */
  private rows(): Row[] {
    return this.list.map((entry, i) => ({ entry, vector: this.vectorAt(i) }));
  }

  private vectorAt(i: number): Float32Array {
    return this.packed ? this.packed.subarray(i * this.dim, (i + 1) * this.dim) : this.unpacked![i];
  }

  /**
   * Keeps rows of the current model only (others are embedded again next update); their vectors are packed into
   * one buffer again at the next search or save.
   */
  private setRows(rows: Row[]): void {
    const kept = rows.filter(
      (r) =>
        this.modelVersion === undefined || (r.vector.length === this.dim && r.entry.modelVersion === this.modelVersion),
    );
    this.list = kept.map((r) => r.entry);
    this.unpacked = kept.map((r) => r.vector);
    this.packed = undefined;
  }

  private async writeThumbnail(
    tools: FfmpegTools,
    pre: Preprocessed,
    name: string,
    signal: AbortSignal,
  ): Promise<string | undefined> {
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

  /** All vectors in one shared buffer (row i ↔ entry i), built once per change; the per-row arrays are dropped. */
  private pack(): Float32Array {
    if (this.packed) return this.packed;
    const rows = this.unpacked ?? [];
    const all = new Float32Array(new SharedArrayBuffer(rows.length * this.dim * 4));
    rows.forEach((v, i) => all.set(v, i * this.dim));
    this.packed = all;
    this.unpacked = undefined;
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
      entries: this.list,
    };
    await writeFileAtomic(join(this.dir, MANIFEST_FILE), JSON.stringify(manifest));
    const previous = this.vectorsFile;
    this.vectorsFile = vectors;
    if (previous && previous !== vectors) await rm(join(this.dir, previous), { force: true });
    if (sweep) await this.sweep();
  }

  private async sweep(): Promise<void> {
    const keepThumbs = new Set(this.list.map((e) => e.thumbnail).filter(Boolean));
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
    if (!this.list.length) return [];
    if (query.length !== this.dim) {
      throw new ProviderError({
        provider: 'seeknetic',
        code: 'dimension_mismatch',
        message: `The query embedding has ${query.length} dimensions but the index has ${this.dim}: the model changed. Run "GenDeck: Index Workspace Videos" again.`,
      });
    }
    const q = normalize(query);
    const all = this.pack();
    const list = this.list;
    const filters = Object.entries(o.tags ?? {}).filter(([, labels]) => labels.length);
    let allowed: Uint8Array | null = null;
    if (filters.length || o.exclude) {
      allowed = new Uint8Array(list.length);
      list.forEach((entry, i) => {
        allowed![i] =
          !o.exclude?.(entry) && filters.every(([f, labels]) => (entry.tags[f] ?? []).some((l) => labels.includes(l)))
            ? 1
            : 0;
      });
    }
    const k = o.k ?? 20;
    const hits: TopKHit[] =
      all.length >= this.workerThreshold
        ? await this.worker.run(all, this.dim, q, k, allowed)
        : topK(all, this.dim, q, k, allowed);
    return hits.map((h) => {
      const entry = list[h.row];
      return {
        entry,
        path: join(this.root, ...entry.rel.split('/')),
        thumbnail: this.thumbnailPath(entry),
        score: h.score,
      };
    });
  }

  /**
   * The vector a "find similar" query uses: the window of `rel` that contains `at` seconds, or without `at` the
   * whole file (the mean of its windows, normalised). Undefined when the file is not indexed.
   */
  vectorOf(rel: string, at?: number): Float32Array | undefined {
    const group = groupByFile(
      this.list.flatMap((entry, i) => (entry.rel === rel ? [{ entry, vector: this.vectorAt(i) }] : [])),
    ).get(rel);
    if (!group) return undefined;
    if (at !== undefined) {
      const row = group.find((r) => at >= r.entry.start && at < r.entry.end) ?? group[group.length - 1];
      return Float32Array.from(row.vector);
    }
    const sum = new Float32Array(this.dim);
    for (const r of group) for (let i = 0; i < this.dim; i++) sum[i] += r.vector[i];
    return normalize(sum);
  }

  async dispose(): Promise<void> {
    await this.worker.dispose();
  }
}
