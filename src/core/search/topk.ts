import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

export interface TopKHit {
  row: number;
  score: number;
}

/** Internal knobs: `simd: false` forces the pure-JS scan (what runs where WebAssembly SIMD is missing). */
export interface TopKOptions {
  simd?: boolean;
}

/** Where a scan's int8 copy lives: a shared WebAssembly memory and the offsets inside it (see `searchKit`). */
interface Layout {
  rows: number;
  dim: number;
  /** Bytes per int8 row (dim rounded up to 32, zero padded). */
  stride: number;
  chunks: number;
  slotsAt: number;
  slotBytes: number;
  codesAt: number;
  metaAt: number;
  bytes: number;
}

interface Quant {
  memory: WebAssembly.Memory;
  layout: Layout;
}

/**
 * Everything a scan needs, in one self-contained function so its source also runs inside the worker
 * (`TopKWorker` evaluates `searchKit.toString()`): nothing here may refer to anything outside it.
 *
 * The score of a row is defined as the reference computes it: `s += x[i] * q[i]` in float64, i = 0…dim-1.
 * A scan is exact for that score. With WebAssembly SIMD it first scores every row from an int8 copy
 * (x ≈ s_r·c, q ≈ t·d, per-row and per-query scales) with an integer dot product, and bounds the error
 * of each estimate: x·q − s_r·t·(c·d) = Σ s_r c_i ε_i + Σ δ_i t d_i + Σ δ_i ε_i (δ, ε the rounding
 * residues), so by Cauchy–Schwarz |error| ≤ s_r‖c‖·‖ε‖ + ‖δ‖·(t‖d‖ + ‖ε‖), plus the float64 reference's
 * own ≤ dim·2⁻⁵²·‖x‖‖q‖. A row whose upper bound is below the k-th best lower bound cannot be in the
 * top k; every other row (in practice a few more than k) is scored exactly and the best k kept, ties by
 * row number. Without SIMD every row is scored exactly.
 */
function searchKit() {
  const CHUNK = 2048; // rows quantised at once; a chunk's state word says whether its int8 copy is ready
  const BLOCK = 512; // rows per kernel call
  const SLOTS = 8; // scratch areas (query + scores) in one memory, claimed with Atomics
  const MAX_BYTES = 65536 * 65536 - 65536; // wasm32 memories stop below 4 GiB

  // --- The kernel, as WebAssembly bytes: dots8(codes, rows, stride, query, out) writes, for each row,
  // the int32 dot product of its `stride` int8 codes with the int16 query codes (4 accumulators,
  // 32 bytes per step: i16x8.extend_{low,high}_i8x16_s + i32x4.dot_i16x8_s).
  const uleb = (n: number): number[] => {
    const o: number[] = [];
    do {
      let b = n & 0x7f;
      n >>>= 7;
      if (n) b |= 0x80;
      o.push(b);
    } while (n);
    return o;
  };
  const sleb = (n: number): number[] => {
    const o: number[] = [];
    for (;;) {
      const b = n & 0x7f;
      n >>= 7;
      if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return [...o, b];
      o.push(b | 0x80);
    }
  };
  const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
  const section = (id: number, b: number[]) => [id, ...uleb(b.length), ...b];
  const name = (s: string) => vec([...s].map((ch) => [ch.charCodeAt(0)]));
  const get = (i: number) => [0x20, i];
  const set = (i: number) => [0x21, i];
  const i32 = (n: number) => [0x41, ...sleb(n)];
  const simd = (op: number) => [0xfd, ...uleb(op)];
  const load = (offset: number) => [...simd(0x00), 0, ...uleb(offset)];
  const ZERO = [...simd(0x0c), ...new Array<number>(16).fill(0)];
  const ADD = simd(0xae); // i32x4.add
  const DOT = simd(0xba); // i32x4.dot_i16x8_s
  const LO = simd(0x87); // i16x8.extend_low_i8x16_s
  const HI = simd(0x88); // i16x8.extend_high_i8x16_s
  const LANE = (i: number) => [...simd(0x1b), i]; // i32x4.extract_lane
  // params: 0 codes, 1 rows, 2 stride, 3 query, 4 out; locals: 5 p, 6 qp, 7 end, 8 r; 9-12 acc, 13 x (v128)
  // prettier-ignore
  const P = 5, QP = 6, END = 7, R = 8, ACC = 9, X = 13;
  // prettier-ignore
  const step = (j: number) => [
    ...get(P), ...load(16 * j), ...set(X),
    ...get(ACC + 2 * j), ...get(X), ...LO, ...get(QP), ...load(32 * j), ...DOT, ...ADD, ...set(ACC + 2 * j),
    ...get(ACC + 2 * j + 1), ...get(X), ...HI, ...get(QP), ...load(32 * j + 16), ...DOT, ...ADD, ...set(ACC + 2 * j + 1),
  ];
  // prettier-ignore
  const body = [
    ...get(0), ...set(P), ...i32(0), ...set(R),
    0x02, 0x40, 0x03, 0x40, // block, loop (rows)
    ...get(R), ...get(1), 0x4f, 0x0d, 1, // r >= rows → done
    ...get(3), ...set(QP), ...get(P), ...get(2), 0x6a, ...set(END),
    ...[0, 1, 2, 3].flatMap((j) => [...ZERO, ...set(ACC + j)]),
    0x02, 0x40, 0x03, 0x40, // block, loop (32 bytes)
    ...get(P), ...get(END), 0x4f, 0x0d, 1,
    ...step(0), ...step(1),
    ...get(P), ...i32(32), 0x6a, ...set(P), ...get(QP), ...i32(64), 0x6a, ...set(QP),
    0x0c, 0, 0x0b, 0x0b,
    ...get(ACC), ...get(ACC + 1), ...ADD, ...get(ACC + 2), ...get(ACC + 3), ...ADD, ...ADD, ...set(X),
    ...get(4), ...get(R), ...i32(2), 0x74, 0x6a, // &out[r]
    ...get(X), ...LANE(0), ...get(X), ...LANE(1), 0x6a, ...get(X), ...LANE(2), 0x6a, ...get(X), ...LANE(3), 0x6a,
    0x36, 2, 0, // i32.store
    ...get(R), ...i32(1), 0x6a, ...set(R),
    0x0c, 0, 0x0b, 0x0b,
    0x0b,
  ];
  const fn = [
    ...vec([
      [4, 0x7f],
      [5, 0x7b],
    ]),
    ...body,
  ];
  // prettier-ignore
  const bytes = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, vec([[0x60, ...vec([[0x7f], [0x7f], [0x7f], [0x7f], [0x7f]]), 0]])),
    ...section(2, vec([[...name('e'), ...name('m'), 0x02, 0x03, 1, ...uleb(65536)]])), // shared memory import
    ...section(3, vec([[0]])),
    ...section(7, vec([[...name('dots8'), 0x00, 0]])),
    ...section(10, vec([[...uleb(fn.length), ...fn]])),
  ]);

  let compiled: WebAssembly.Module | null | undefined;
  function wasmModule(): WebAssembly.Module | null {
    if (compiled !== undefined) return compiled;
    try {
      compiled = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    } catch {
      compiled = null;
    }
    return compiled;
  }

  /** The int8 copy's layout: [state words | slots | codes (rows × stride) | meta (3 float64 per row)]. */
  function layout(rows: number, dim: number): Layout | null {
    const stride = Math.ceil(dim / 32) * 32;
    const chunks = Math.ceil(rows / CHUNK);
    const slotsAt = Math.ceil(((SLOTS + chunks) * 4) / 64) * 64;
    const slotBytes = Math.ceil((stride * 2 + BLOCK * 4) / 64) * 64;
    const codesAt = slotsAt + SLOTS * slotBytes;
    const metaAt = Math.ceil((codesAt + rows * stride) / 8) * 8;
    const bytes = metaAt + rows * 24;
    // i32 dot products stay exact while 127·127·stride < 2³¹.
    if (rows === 0 || dim === 0 || stride > 131_072 || bytes > MAX_BYTES) return null;
    return { rows, dim, stride, chunks, slotsAt, slotBytes, codesAt, metaAt, bytes };
  }

  function createQuant(rows: number, dim: number): Quant | null {
    const L = wasmModule() ? layout(rows, dim) : null;
    if (!L) return null;
    const pages = Math.ceil(L.bytes / 65536);
    try {
      return { memory: new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true }), layout: L };
    } catch {
      return null; // no shared memory here, or not enough address space: the exact scan
    }
  }

  /** The reference score of one row. */
  function exactScore(vectors: Float32Array, base: number, dim: number, q: Float32Array): number {
    let s = 0;
    for (let i = 0; i < dim; i++) s += vectors[base + i] * q[i];
    return s;
  }

  /** Writes the int8 codes and per-row scale, s‖c‖ and ‖δ‖ of one chunk. */
  function quantize(vectors: Float32Array, L: Layout, codes: Int8Array, meta: Float64Array, c: number): void {
    const { dim, stride } = L;
    const end = Math.min(L.rows, (c + 1) * CHUNK);
    for (let r = c * CHUNK; r < end; r++) {
      const base = r * dim;
      let m = 0;
      for (let i = 0; i < dim; i++) {
        const x = vectors[base + i];
        if (x > m) m = x;
        else if (-x > m) m = -x;
      }
      const s = Math.fround(m / 127);
      const inv = s > 0 ? 1 / s : 0;
      let cc = 0;
      let dd = 0;
      const at = r * stride;
      for (let i = 0; i < dim; i++) {
        const x = vectors[base + i];
        // Math.round without the call: |x·inv| ≤ 127 (+ float rounding), so the code is within ±127.
        const code = ((x * inv + 128.5) | 0) - 128;
        codes[at + i] = code;
        const d = x - s * code;
        cc += code * code;
        dd += d * d;
      }
      meta[r * 3] = s;
      meta[r * 3 + 1] = s * Math.sqrt(cc);
      meta[r * 3 + 2] = Math.sqrt(dd);
    }
  }

  /**
   * The exact top k of rows [from, to) (best first, ties by row). `quant` (optional) is the int8 copy of
   * exactly these `vectors`. A chunk not quantised yet is quantised here when `inline`, else (and when
   * another thread is at it) scored exactly.
   */
  function scan(
    vectors: Float32Array,
    dim: number,
    query: Float32Array,
    k: number,
    allowed: Uint8Array | null | undefined,
    from: number,
    to: number,
    quant: Quant | null,
    inline: boolean,
  ): TopKHit[] {
    if (k <= 0 || to <= from || dim <= 0) return [];
    // Candidates: row, lower and upper bound of its score. `floor` = the k-th best lower bound so far.
    let cap = Math.max(256, 4 * k);
    let rowsC = new Int32Array(cap);
    let loC = new Float64Array(cap);
    let hiC = new Float64Array(cap);
    let n = 0;
    let floor = -Infinity;
    const prune = () => {
      if (n <= k) return;
      const lows = loC.slice(0, n).sort();
      floor = lows[n - k];
      let w = 0;
      for (let i = 0; i < n; i++) {
        if (hiC[i] >= floor) {
          rowsC[w] = rowsC[i];
          loC[w] = loC[i];
          hiC[w] = hiC[i];
          w++;
        }
      }
      n = w;
      if (n > cap / 2) {
        cap *= 2;
        const r2 = new Int32Array(cap);
        r2.set(rowsC.subarray(0, n));
        const l2 = new Float64Array(cap);
        l2.set(loC.subarray(0, n));
        const h2 = new Float64Array(cap);
        h2.set(hiC.subarray(0, n));
        rowsC = r2;
        loC = l2;
        hiC = h2;
      }
    };
    const add = (row: number, lo: number, hi: number) => {
      if (!(hi >= floor)) return;
      if (n === cap) prune();
      if (!(hi >= floor)) return;
      rowsC[n] = row;
      loC[n] = lo;
      hiC[n] = hi;
      n++;
    };
    const exactRows = (a: number, b: number) => {
      for (let r = a; r < b; r++) {
        if (allowed && allowed[r] === 0) continue;
        const s = exactScore(vectors, r * dim, dim, query);
        add(r, s, s);
      }
    };

    const mod = quant ? wasmModule() : null;
    const L = quant?.layout;
    let slot = -1;
    let state: Int32Array | undefined;
    try {
      if (quant && mod && L && L.dim === dim && L.rows * dim <= vectors.length) {
        const buf = quant.memory.buffer;
        state = new Int32Array(buf, 0, SLOTS + L.chunks);
        for (let i = 0; i < SLOTS && slot < 0; i++) if (Atomics.compareExchange(state, i, 0, 1) === 0) slot = i;
      }
      if (slot < 0 || !quant || !mod || !L || !state) {
        exactRows(from, to);
      } else {
        const buf = quant.memory.buffer;
        const codes = new Int8Array(buf, L.codesAt, L.rows * L.stride);
        const meta = new Float64Array(buf, L.metaAt, L.rows * 3);
        const qAt = L.slotsAt + slot * L.slotBytes;
        const outAt = qAt + L.stride * 2;
        const qCodes = new Int16Array(buf, qAt, L.stride);
        const out = new Int32Array(buf, outAt, BLOCK);
        const dots8 = new WebAssembly.Instance(mod, { e: { m: quant.memory } }).exports.dots8 as (
          codes: number,
          rows: number,
          stride: number,
          query: number,
          out: number,
        ) => void;
        // The query's codes and residue norms.
        let m = 0;
        let yy = 0;
        for (let i = 0; i < dim; i++) {
          m = Math.max(m, Math.abs(query[i]));
          yy += query[i] * query[i];
        }
        const t = Math.fround(m / 127);
        const inv = t > 0 ? 1 / t : 0;
        let dd = 0;
        let ee = 0;
        qCodes.fill(0);
        for (let i = 0; i < dim; i++) {
          const d = Math.max(-127, Math.min(127, Math.round(query[i] * inv)));
          qCodes[i] = d;
          const e = query[i] - t * d;
          dd += d * d;
          ee += e * e;
        }
        const en = Math.sqrt(ee);
        const tdn = t * Math.sqrt(dd);
        const yn = Math.sqrt(yy);
        const rel = 1 + 2 ** -40; // rounding of the norms and of these float64 sums
        const ref = (dim + 16) * 2 ** -52 * yn; // × ‖x‖: the reference's own error, and ours
        for (let c = Math.floor(from / CHUNK); c * CHUNK < to; c++) {
          const a = Math.max(from, c * CHUNK);
          const b = Math.min(to, (c + 1) * CHUNK);
          if (Atomics.load(state, SLOTS + c) !== 2) {
            if (!inline || Atomics.compareExchange(state, SLOTS + c, 0, 1) !== 0) {
              exactRows(a, b);
              continue;
            }
            quantize(vectors, L, codes, meta, c);
            Atomics.store(state, SLOTS + c, 2);
          }
          for (let r0 = a; r0 < b; r0 += BLOCK) {
            const count = Math.min(BLOCK, b - r0);
            dots8(L.codesAt + r0 * L.stride, count, L.stride, qAt, outAt);
            for (let j = 0; j < count; j++) {
              const r = r0 + j;
              if (allowed && allowed[r] === 0) continue;
              const s = meta[r * 3];
              const sc = meta[r * 3 + 1];
              const dn = meta[r * 3 + 2];
              const est = s * t * out[j];
              const err = (sc * en + dn * (tdn + en)) * rel + ref * (sc + dn);
              add(r, est - err, est + err);
            }
          }
        }
      }
    } finally {
      if (slot >= 0 && state) Atomics.store(state, slot, 0);
    }
    prune();
    const hits: TopKHit[] = [];
    for (let i = 0; i < n; i++) hits.push({ row: rowsC[i], score: exactScore(vectors, rowsC[i] * dim, dim, query) });
    hits.sort((x, y) => y.score - x.score || x.row - y.row);
    return hits.slice(0, k);
  }

  /**
   * Quantises up to `limit` chunks of rows [from, to) that no thread has started; false once none is left.
   */
  function fill(vectors: Float32Array, quant: Quant, from: number, to: number, limit: number): boolean {
    const L = quant.layout;
    const buf = quant.memory.buffer;
    const state = new Int32Array(buf, 0, SLOTS + L.chunks);
    const codes = new Int8Array(buf, L.codesAt, L.rows * L.stride);
    const meta = new Float64Array(buf, L.metaAt, L.rows * 3);
    for (let c = Math.floor(from / CHUNK); c * CHUNK < to; c++) {
      if (Atomics.load(state, SLOTS + c) !== 0 || Atomics.compareExchange(state, SLOTS + c, 0, 1) !== 0) continue;
      if (limit-- <= 0) {
        Atomics.store(state, SLOTS + c, 0);
        return true;
      }
      quantize(vectors, L, codes, meta, c);
      Atomics.store(state, SLOTS + c, 2);
    }
    return false;
  }

  return { scan, fill, createQuant, simd: () => wasmModule() !== null, CHUNK };
}

const kit = searchKit();

/** The int8 copies made so far, per vector buffer (freed with it). */
const quants = new WeakMap<ArrayBufferLike, Map<string, Quant | null>>();

/**
 * The int8 copy for `vectors` (made once, filled as chunks are first scanned). The rows must not change
 * after their first search; `VideoIndex` packs a new buffer on every change.
 */
function quantFor(vectors: Float32Array, dim: number): Quant | null {
  const rows = dim > 0 ? Math.floor(vectors.length / dim) : 0;
  let perBuffer = quants.get(vectors.buffer);
  if (!perBuffer) quants.set(vectors.buffer, (perBuffer = new Map()));
  const key = `${vectors.byteOffset}:${rows}:${dim}`;
  let q = perBuffer.get(key);
  if (q === undefined) perBuffer.set(key, (q = kit.createQuant(rows, dim)));
  return q;
}

/** Whether scans here use the WebAssembly SIMD kernel (else the pure-JS exact scan). */
export const simdAvailable = kit.simd();

/**
 * Exact top-k by dot product over row-major, pre-normalised vectors (so the dot product is the cosine),
 * best first, ties by row. `allowed[row] === 0` skips a row. Same hits and scores as scoring every row
 * with a float64 loop and sorting (see `searchKit`).
 */
export function topK(
  vectors: Float32Array,
  dim: number,
  query: Float32Array,
  k: number,
  allowed?: Uint8Array | null,
  o: TopKOptions = {},
): TopKHit[] {
  const rows = dim > 0 ? Math.floor(vectors.length / dim) : 0;
  const quant = o.simd !== false && rows ? quantFor(vectors, dim) : null;
  return kit.scan(vectors, dim, query, k, allowed, 0, rows, quant, true);
}

/** A unit-length copy (all zeros stay zeros). */
export function normalize(v: ArrayLike<number>): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i] * v[i];
  const inv = n > 0 ? 1 / Math.sqrt(n) : 0;
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] * inv;
  return out;
}

interface Pending {
  resolve: (hits: TopKHit[]) => void;
  reject: (err: Error) => void;
}

/** Below this many floats a query runs on one worker only. */
const SPLIT_FLOATS = 1 << 20;

/**
 * Runs `topK` on worker threads so a large index never blocks the caller's event loop (the extension
 * host): the rows are split between the workers (one per core, at most 4), each returns its exact top k
 * and they are merged. Vectors in a SharedArrayBuffer are posted by reference, not copied, and so is the
 * int8 copy (a shared WebAssembly memory). Workers are kept until disposed; they do not hold the process open.
 */
export class TopKWorker {
  private workers: (Worker | undefined)[];
  private nextId = 1;
  private pending = new Map<number, Pending>();

  constructor(o: { threads?: number } = {}) {
    this.workers = new Array<Worker | undefined>(Math.max(1, o.threads ?? Math.min(4, availableParallelism())));
  }

  private start(i: number): Worker {
    const source = `
      const { parentPort } = require('node:worker_threads');
      const kit = (${searchKit.toString()})();
      // After a query, the part's chunks still without an int8 copy are quantised one per turn of the
      // event loop, so the next query is not held up for long.
      const later = (m) => setImmediate(() => { if (kit.fill(m.vectors, m.quant, m.from, m.to, 1)) later(m); });
      parentPort.on('message', (m) => {
        try {
          if (m.prepare) {
            if (m.quant) kit.fill(m.vectors, m.quant, m.from, m.to, Infinity);
            parentPort.postMessage({ id: m.id, hits: [] });
            return;
          }
          parentPort.postMessage({ id: m.id, hits: kit.scan(m.vectors, m.dim, m.query, m.k, m.allowed, m.from, m.to, m.quant, false) });
          if (m.quant) later(m);
        } catch (err) {
          parentPort.postMessage({ id: m.id, error: String(err && err.message || err) });
        }
      });`;
    const w = new Worker(source, { eval: true });
    w.unref();
    w.on('message', (m: { id: number; hits?: TopKHit[]; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error !== undefined) p.reject(new Error(`Search worker failed: ${m.error}`));
      else p.resolve(m.hits ?? []);
    });
    const failAll = (err: Error) => {
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      if (this.workers[i] === w) this.workers[i] = undefined;
    };
    w.on('error', failAll);
    w.on('exit', (code) => failAll(new Error(`Search worker stopped (${code}).`)));
    return w;
  }

  private part(i: number, message: Record<string, unknown>): Promise<TopKHit[]> {
    const w = (this.workers[i] ??= this.start(i));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage({ id, ...message });
    });
  }

  /** The rows split into parts on chunk boundaries (so each chunk's int8 copy is made by one worker). */
  private parts(
    vectors: Float32Array,
    dim: number,
    o: TopKOptions,
    message: Record<string, unknown>,
  ): Promise<TopKHit[][]> {
    const rows = dim > 0 ? Math.floor(vectors.length / dim) : 0;
    const quant = o.simd !== false && rows ? quantFor(vectors, dim) : null;
    const parts = Math.max(1, Math.min(this.workers.length, Math.ceil((rows * dim) / SPLIT_FLOATS)));
    const per = Math.ceil(rows / parts / kit.CHUNK) * kit.CHUNK;
    return Promise.all(
      Array.from({ length: parts }, (_, i) =>
        this.part(i, {
          ...message,
          vectors,
          dim,
          quant,
          from: Math.min(rows, i * per),
          to: Math.min(rows, (i + 1) * per),
        }),
      ),
    );
  }

  /**
   * The exact top k, as `topK`. Until the int8 copy is made, rows are scored exactly; each worker makes
   * its part's copy after answering (or at once through `prepare`).
   */
  async run(
    vectors: Float32Array,
    dim: number,
    query: Float32Array,
    k: number,
    allowed?: Uint8Array | null,
    o: TopKOptions = {},
  ): Promise<TopKHit[]> {
    const results = await this.parts(vectors, dim, o, { query, k, allowed: allowed ?? null });
    if (results.length === 1) return results[0];
    return results
      .flat()
      .sort((a, b) => b.score - a.score || a.row - b.row)
      .slice(0, Math.max(0, k));
  }

  /** Makes the int8 copy of `vectors` on the workers now (resolves when done). */
  async prepare(vectors: Float32Array, dim: number): Promise<void> {
    await this.parts(vectors, dim, {}, { prepare: true });
  }

  async dispose(): Promise<void> {
    const ws = this.workers.filter((w): w is Worker => !!w);
    this.workers.fill(undefined);
    await Promise.all(ws.map((w) => w.terminate()));
  }
}
