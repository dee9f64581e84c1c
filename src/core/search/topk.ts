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
  const SLOTS = 8; // scratch areas (query, scores, rows being quantised) in one memory, claimed with Atomics
  const STAGE = 16; // float32 rows copied into a slot per quant8 call
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
  const fn = [...vec([[4, 0x7f], [5, 0x7b]]), ...body]; // prettier-ignore

  // quant8(src, rows, stride, dst, out): for each float32 row of `stride` (zero padded) at src, the scale
  // s = max|x| / 127, the codes c = clamp(nearest(x / s), ±127) to dst, and at out + 48·r: Σc² (i32x4
  // lanes), Σ(x − s·c)² (f32x4 lanes, computed in float32: its error is bounded in `quantize`), s.
  const F32 = (x: number) => [0x43, ...new Uint8Array(new Float32Array([x]).buffer)];
  const FMAX = simd(0xe9), FMIN = simd(0xe8), FABS = simd(0xe0), FMUL = simd(0xe6), FSUB = simd(0xe5); // prettier-ignore
  const FADD = simd(0xe4), NEAREST = simd(0x6a), TRUNC = simd(0xf8), CONVERT = simd(0xfa); // prettier-ignore
  const N32 = simd(0x85), N16 = simd(0x65), SPLAT = simd(0x13), FLANE = (i: number) => [...simd(0x1f), i]; // prettier-ignore
  const store = (offset: number) => [...simd(0x0b), 0, ...uleb(offset)];
  // params: 0 src, 1 rows, 2 stride, 3 dst, 4 out; i32 5 p, 6 end, 7 r, 8 dp, 9 q; f32 10 m, 11 s;
  // v128 12 mx, 13 inv, 14 vs, 15 cacc, 16 dacc, 17-20 c0-c3, 21 n0 (also δ), 22 n1, 23 127, 24 -127
  // prettier-ignore
  const [Qp, Qend, Qr, Qdp, Qq, Qm, Qs, MX, INV, VS, CACC, DACC, C0, N0, N1, LIM, NLIM] =
    [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 21, 22, 23, 24];
  // prettier-ignore
  const qstep = (j: number) => [
    ...get(Qp), ...load(16 * j), ...get(INV), ...FMUL, ...NEAREST, ...get(LIM), ...FMIN, ...get(NLIM), ...FMAX,
    ...TRUNC, ...set(C0 + j),
    ...get(Qp), ...load(16 * j), ...get(C0 + j), ...CONVERT, ...get(VS), ...FMUL, ...FSUB, ...set(N0),
    ...get(DACC), ...get(N0), ...get(N0), ...FMUL, ...FADD, ...set(DACC),
  ];
  // prettier-ignore
  const qbody = [
    ...F32(127), ...SPLAT, ...set(LIM), ...F32(-127), ...SPLAT, ...set(NLIM),
    ...get(0), ...set(Qp), ...get(3), ...set(Qdp), ...i32(0), ...set(Qr),
    0x02, 0x40, 0x03, 0x40,
    ...get(Qr), ...get(1), 0x4f, 0x0d, 1,
    ...get(Qp), ...get(2), ...i32(2), 0x74, 0x6a, ...set(Qend),
    ...ZERO, ...set(MX), ...get(Qp), ...set(Qq),
    0x02, 0x40, 0x03, 0x40,
    ...get(Qq), ...get(Qend), 0x4f, 0x0d, 1,
    ...get(MX), ...get(Qq), ...load(0), ...FABS, ...FMAX, ...set(MX),
    ...get(Qq), ...i32(16), 0x6a, ...set(Qq),
    0x0c, 0, 0x0b, 0x0b,
    ...get(MX), ...FLANE(0), ...get(MX), ...FLANE(1), 0x97, ...get(MX), ...FLANE(2), ...get(MX), ...FLANE(3), 0x97, 0x97,
    ...set(Qm),
    ...get(Qm), ...F32(127), 0x95, ...set(Qs),
    ...get(Qs), ...SPLAT, ...set(VS),
    ...F32(1), ...get(Qs), 0x95, ...F32(0), ...get(Qs), ...F32(0), 0x5e, 0x1b, ...SPLAT, ...set(INV),
    ...ZERO, ...set(CACC), ...ZERO, ...set(DACC),
    0x02, 0x40, 0x03, 0x40,
    ...get(Qp), ...get(Qend), 0x4f, 0x0d, 1,
    ...qstep(0), ...qstep(1), ...qstep(2), ...qstep(3),
    ...get(C0), ...get(C0 + 1), ...N32, ...set(N0), ...get(C0 + 2), ...get(C0 + 3), ...N32, ...set(N1),
    ...get(CACC), ...get(N0), ...get(N0), ...DOT, ...get(N1), ...get(N1), ...DOT, ...ADD, ...ADD, ...set(CACC),
    ...get(Qdp), ...get(N0), ...get(N1), ...N16, ...store(0),
    ...get(Qdp), ...i32(16), 0x6a, ...set(Qdp), ...get(Qp), ...i32(64), 0x6a, ...set(Qp),
    0x0c, 0, 0x0b, 0x0b,
    ...get(4), ...get(Qr), ...i32(48), 0x6c, 0x6a, ...set(Qq),
    ...get(Qq), ...get(CACC), ...store(0), ...get(Qq), ...get(DACC), ...store(16),
    ...get(Qq), ...get(Qs), 0x38, 2, 32,
    ...get(Qr), ...i32(1), 0x6a, ...set(Qr),
    0x0c, 0, 0x0b, 0x0b,
    0x0b,
  ];
  const qfn = [...vec([[5, 0x7f], [2, 0x7d], [13, 0x7b]]), ...qbody]; // prettier-ignore
  // prettier-ignore
  const bytes = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, vec([[0x60, ...vec([[0x7f], [0x7f], [0x7f], [0x7f], [0x7f]]), 0]])),
    ...section(2, vec([[...name('e'), ...name('m'), 0x02, 0x03, 1, ...uleb(65536)]])), // shared memory import
    ...section(3, vec([[0], [0]])),
    ...section(7, vec([[...name('dots8'), 0x00, 0], [...name('quant8'), 0x00, 1]])),
    ...section(10, vec([[...uleb(fn.length), ...fn], [...uleb(qfn.length), ...qfn]])),
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
    const slotBytes = Math.ceil((stride * 2 + BLOCK * 4 + STAGE * (stride * 4 + 48)) / 64) * 64;
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

  type Dots8 = (codes: number, rows: number, stride: number, query: number, out: number) => void;
  type Quant8 = (src: number, rows: number, stride: number, dst: number, out: number) => void;
  interface Open {
    L: Layout;
    buf: ArrayBufferLike;
    state: Int32Array;
    meta: Float64Array;
    dots8: Dots8;
    quant8: Quant8;
  }

  /** Views and kernels over one int8 copy (a fresh instance: a memory posted to a worker is a new object). */
  function open(quant: Quant, mod: WebAssembly.Module): Open {
    const L = quant.layout;
    const buf = quant.memory.buffer;
    const e = new WebAssembly.Instance(mod, { e: { m: quant.memory } }).exports;
    return {
      L,
      buf,
      state: new Int32Array(buf, 0, SLOTS + L.chunks),
      meta: new Float64Array(buf, L.metaAt, L.rows * 3),
      dots8: e.dots8 as Dots8,
      quant8: e.quant8 as Quant8,
    };
  }

  function claim(state: Int32Array): number {
    for (let i = 0; i < SLOTS; i++) if (Atomics.compareExchange(state, i, 0, 1) === 0) return i;
    return -1;
  }

  /**
   * Writes chunk c's int8 codes and per-row meta: s, s‖c‖ and an upper bound of ‖δ‖ (δ = x − s·c). quant8
   * sums δ² in float32; with u = 2⁻²⁴, each computed δ̂ᵢ is within 1.01u(|s·cᵢ| + |δᵢ|) of δᵢ, and a sum
   * of n non-negative float32 terms is at least (1 − γₙ) of the exact one (γₙ = nu/(1 − nu)), plus
   * underflow (< 2⁻¹⁴⁹ per operation).
   */
  function quantize(vectors: Float32Array, o: Open, slot: number, c: number): void {
    const { L, buf, meta } = o;
    const { dim, stride } = L;
    const stageAt = L.slotsAt + slot * L.slotBytes + stride * 2 + BLOCK * 4;
    const outAt = stageAt + STAGE * stride * 4;
    const stage = new Float32Array(buf, stageAt, STAGE * stride);
    const outI = new Int32Array(buf, outAt, STAGE * 12);
    const outF = new Float32Array(buf, outAt, STAGE * 12);
    const u = 2 ** -24;
    const g = ((stride + 8) * u) / (1 - (stride + 8) * u);
    const end = Math.min(L.rows, (c + 1) * CHUNK);
    for (let r0 = c * CHUNK; r0 < end; r0 += STAGE) {
      const count = Math.min(STAGE, end - r0);
      for (let j = 0; j < count; j++) stage.set(vectors.subarray((r0 + j) * dim, (r0 + j + 1) * dim), j * stride);
      o.quant8(stageAt, count, stride, L.codesAt + r0 * stride, outAt);
      for (let j = 0; j < count; j++) {
        const at = j * 12;
        const cc = outI[at] + outI[at + 1] + outI[at + 2] + outI[at + 3];
        const dd = outF[at + 4] + outF[at + 5] + outF[at + 6] + outF[at + 7];
        const sc = outF[at + 8] * Math.sqrt(cc);
        const r = r0 + j;
        meta[r * 3] = outF[at + 8];
        meta[r * 3 + 1] = sc;
        meta[r * 3 + 2] = (Math.sqrt((dd + stride * 2 ** -140) / (1 - g)) + 1.02 * u * sc) / (1 - 1.02 * u);
      }
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
    const o =
      quant && mod && quant.layout.dim === dim && quant.layout.rows * dim <= vectors.length ? open(quant, mod) : null;
    const slot = o ? claim(o.state) : -1;
    try {
      if (!o || slot < 0) {
        exactRows(from, to);
      } else {
        const { L, buf, state, meta, dots8 } = o;
        const qAt = L.slotsAt + slot * L.slotBytes;
        const outAt = qAt + L.stride * 2;
        const qCodes = new Int16Array(buf, qAt, L.stride);
        const out = new Int32Array(buf, outAt, BLOCK);
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
            quantize(vectors, o, slot, c);
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
      if (o && slot >= 0) Atomics.store(o.state, slot, 0);
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
    const mod = wasmModule();
    if (!mod) return false;
    const o = open(quant, mod);
    const slot = claim(o.state);
    if (slot < 0) return true; // every slot busy: later
    try {
      for (let c = Math.floor(from / CHUNK); c * CHUNK < to; c++) {
        if (Atomics.load(o.state, SLOTS + c) !== 0 || Atomics.compareExchange(o.state, SLOTS + c, 0, 1) !== 0) continue;
        if (limit-- <= 0) {
          Atomics.store(o.state, SLOTS + c, 0);
          return true;
        }
        quantize(vectors, o, slot, c);
        Atomics.store(o.state, SLOTS + c, 2);
      }
      return false;
    } finally {
      Atomics.store(o.state, slot, 0);
    }
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
      // A query quantises the chunks of its part that have no int8 copy yet as it scans them (the first query
      // costs about what an exact scan does; the next ones a tenth). Chunks another thread was quantising were
      // scored exactly: after answering they are filled for up to 8 ms per turn of the event loop, so the next
      // query waits at most that long. A chunk that fails stays scored exactly.
      const later = (m) => setImmediate(() => {
        try {
          const until = performance.now() + 8;
          let more = true;
          while (more && performance.now() < until) more = kit.fill(m.vectors, m.quant, m.from, m.to, 1);
          if (more) later(m);
        } catch {}
      });
      parentPort.on('message', (m) => {
        try {
          if (m.prepare) {
            if (m.quant && kit.fill(m.vectors, m.quant, m.from, m.to, Infinity)) later(m); // slots busy: the rest later
            parentPort.postMessage({ id: m.id, hits: [] });
            return;
          }
          parentPort.postMessage({ id: m.id, hits: kit.scan(m.vectors, m.dim, m.query, m.k, m.allowed, m.from, m.to, m.quant, true) });
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

  /** Makes the int8 copy of `vectors` on the workers now (what a busy scratch slot holds up follows later). */
  async prepare(vectors: Float32Array, dim: number): Promise<void> {
    await this.parts(vectors, dim, {}, { prepare: true });
  }

  async dispose(): Promise<void> {
    const ws = this.workers.filter((w): w is Worker => !!w);
    this.workers.fill(undefined);
    await Promise.all(ws.map((w) => w.terminate()));
  }
}
