import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { normalize, simdAvailable, topK, TopKWorker, type TopKHit } from '../../src/core/search/topk';

/** Park–Miller: the same data on every run. */
function rng(seed: number) {
  let s = seed;
  return () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
}

function unitRows(rows: number, dim: number, seed: number): Float32Array {
  const rand = rng(seed);
  const v = new Float32Array(new SharedArrayBuffer(rows * dim * 4));
  for (let r = 0; r < rows; r++) v.set(normalize(Array.from({ length: dim }, rand)), r * dim);
  return v;
}

/** The reference: every row scored in float64 in index order, a stable sort, the first k. */
function brute(vectors: Float32Array, dim: number, q: Float32Array, k: number, allowed?: Uint8Array): TopKHit[] {
  const rows = dim ? vectors.length / dim : 0;
  const all: TopKHit[] = [];
  for (let r = 0; r < rows; r++) {
    if (allowed && !allowed[r]) continue;
    let s = 0;
    for (let i = 0; i < dim; i++) s += vectors[r * dim + i] * q[i];
    all.push({ row: r, score: s });
  }
  return all.sort((a, b) => b.score - a.score).slice(0, Math.max(0, k));
}

const paths = [
  { name: 'SIMD int8 scan', o: {} },
  { name: 'pure-JS fallback', o: { simd: false } },
];

describe('exact top-k (int8 SIMD scan + exact re-scoring, and the pure-JS fallback)', () => {
  it('runs the WebAssembly SIMD kernel on this Node', () => {
    assert.equal(simdAvailable, true);
  });

  for (const { name, o } of paths) {
    it(`${name}: the reference's rows and scores on random data, any dim, k and size`, () => {
      let seed = 11;
      for (const dim of [1, 3, 5, 17, 31, 33, 100, 1024])
        for (const rows of [0, 1, 7, 300, 2500]) {
          if (rows * dim > 600_000) continue;
          const v = unitRows(rows, dim, seed++);
          const q = normalize(Array.from({ length: dim }, rng(seed++)));
          for (const k of [0, 1, 5, 20, rows + 3]) {
            assert.deepEqual(topK(v, dim, q, k, null, o), brute(v, dim, q, k), `dim ${dim}, rows ${rows}, k ${k}`);
          }
        }
    });

    it(`${name}: ties go by row number, duplicates and all-equal rows included`, () => {
      const dim = 24;
      const v = unitRows(600, dim, 5);
      for (const [from, to] of [
        [3, 40],
        [3, 41],
        [7, 599],
        [500, 2],
      ])
        v.copyWithin(to * dim, from * dim, (from + 1) * dim);
      const q = new Float32Array(v.subarray(3 * dim, 4 * dim)); // the duplicated row is the best match
      const hits = topK(v, dim, q, 10, null, o);
      assert.deepEqual(hits, brute(v, dim, q, 10));
      assert.deepEqual(
        hits.slice(0, 3).map((h) => h.row),
        [3, 40, 41],
      );
      const same = new Float32Array(new SharedArrayBuffer(300 * dim * 4));
      for (let r = 0; r < 300; r++) same.set(v.subarray(0, dim), r * dim);
      assert.deepEqual(topK(same, dim, q, 20, null, o), brute(same, dim, q, 20));
      const zero = new Float32Array(dim);
      assert.deepEqual(topK(v, dim, zero, 5, null, o), brute(v, dim, zero, 5));
    });

    it(`${name}: near-ties closer than int8 can tell, and vectors that are not unit length`, () => {
      const dim = 64;
      const rand = rng(99);
      const q = normalize(Array.from({ length: dim }, rand));
      const rows = 3000;
      const v = new Float32Array(new SharedArrayBuffer(rows * dim * 4));
      for (let r = 0; r < rows; r++) {
        // Most rows are the query nudged in its last bits; every 7th is random and 1000× longer or shorter.
        const scale = r % 7 === 0 ? (r % 2 ? 1e3 : 1e-3) : 1;
        for (let i = 0; i < dim; i++) v[r * dim + i] = (r % 7 === 0 ? rand() : q[i] * (1 + rand() * 1e-6)) * scale;
      }
      for (const k of [1, 20, 50]) assert.deepEqual(topK(v, dim, q, k, null, o), brute(v, dim, q, k));
    });

    it(`${name}: rounding residues lined up with the other side, where the int8 order is the wrong one`, () => {
      const dim = 80;
      const rows = 200;
      const rand = rng(77);
      const filler = (v: Float32Array) => {
        for (let r = 2; r < rows; r++) for (let i = 0; i < dim; i++) v[r * dim + i] = rand() * 0.01;
      };
      // The rows' residues x − s·c all point along the query (exactly representable in int8):
      // row 0 scores higher, but its codes round down everywhere while row 1's round up once.
      const rowsFirst = new Float32Array(new SharedArrayBuffer(rows * dim * 4));
      rowsFirst[0] = rowsFirst[dim] = 1;
      for (let i = 1; i < dim; i++) {
        rowsFirst[i] = 60.49 / 127;
        rowsFirst[dim + i] = (i === 1 ? 60.51 : 60) / 127;
      }
      filler(rowsFirst);
      const even = new Float32Array(dim).fill(1);
      for (const k of [1, 2]) assert.deepEqual(topK(rowsFirst, dim, even, k, null, o), brute(rowsFirst, dim, even, k));
      assert.equal(topK(rowsFirst, dim, even, 1, null, o)[0].row, 0);
      // The query's residues point along the rows (whose codes are exact): row 0 scores higher with
      // 40 coordinates of 10.49, row 1 has 37 of 10.51, which int8 rounds up to 11.
      const q = new Float32Array(dim);
      q[77] = 127;
      for (let i = 0; i < 40; i++) q[i] = 10.49;
      for (let i = 40; i < 77; i++) q[i] = 10.51;
      const ones = new Float32Array(new SharedArrayBuffer(rows * dim * 4));
      for (let i = 0; i < 40; i++) ones[i] = 1;
      for (let i = 40; i < 77; i++) ones[dim + i] = 1;
      filler(ones);
      for (const k of [1, 2]) assert.deepEqual(topK(ones, dim, q, k, null, o), brute(ones, dim, q, k));
      assert.equal(topK(ones, dim, q, 1, null, o)[0].row, 0);
    });

    it(`${name}: the tag filter skips rows`, () => {
      const dim = 48;
      const v = unitRows(5000, dim, 21);
      const q = normalize(Array.from({ length: dim }, rng(22)));
      const allowed = new Uint8Array(5000).map((_, i) => (i % 3 === 0 ? 1 : 0));
      assert.deepEqual(topK(v, dim, q, 15, allowed, o), brute(v, dim, q, 15, allowed));
      assert.deepEqual(topK(v, dim, q, 15, new Uint8Array(5000), o), []);
    });
  }

  it('gives the same answer on the workers, the rows split between two of them', async () => {
    const dim = 100;
    const rows = 12_000; // 1.2 M floats: two parts of whole 2048-row chunks
    const v = unitRows(rows, dim, 31);
    v.copyWithin(11_000 * dim, 50 * dim, 51 * dim); // a tie across the two parts
    const w = new TopKWorker({ threads: 2 });
    try {
      for (const [i, o] of [{}, { simd: false }, {}].entries()) {
        const q =
          i === 2
            ? new Float32Array(v.subarray(50 * dim, 51 * dim))
            : normalize(Array.from({ length: dim }, rng(40 + i)));
        for (const k of [1, 20, 200]) assert.deepEqual(await w.run(v, dim, q, k, null, o), brute(v, dim, q, k));
      }
      await w.prepare(v, dim);
      const q = normalize(Array.from({ length: dim }, rng(50)));
      assert.deepEqual(await w.run(v, dim, q, 20), brute(v, dim, q, 20));
      const allowed = new Uint8Array(rows).map((_, i) => (i % 5 === 1 ? 1 : 0));
      assert.deepEqual(await w.run(v, dim, q, 20, allowed), brute(v, dim, q, 20, allowed));
      // Queries at once share the int8 copy and its scratch slots.
      const qs = Array.from({ length: 6 }, (_, i) => normalize(Array.from({ length: dim }, rng(60 + i))));
      const got = await Promise.all(qs.map((x) => w.run(v, dim, x, 10)));
      got.forEach((hits, i) => assert.deepEqual(hits, brute(v, dim, qs[i], 10)));
      assert.deepEqual(await w.run(new Float32Array(0), dim, q, 5), []);
    } finally {
      await w.dispose();
    }
  });

  it('falls back to the pure-JS scan where WebAssembly is missing (node --jitless), on and off the workers', () => {
    const mod = join(__dirname, '..', '..', 'src', 'core', 'search', 'topk.js');
    const script = `
      const { simdAvailable, topK, TopKWorker, normalize } = require(${JSON.stringify(mod)});
      const dim = 37, rows = 30000;
      let s = 3;
      const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
      const v = new Float32Array(new SharedArrayBuffer(rows * dim * 4));
      for (let r = 0; r < rows; r++) v.set(normalize(Array.from({ length: dim }, rand)), r * dim);
      const q = normalize(Array.from({ length: dim }, rand));
      const ref = [];
      for (let r = 0; r < rows; r++) { let x = 0; for (let i = 0; i < dim; i++) x += v[r * dim + i] * q[i]; ref.push({ row: r, score: x }); }
      ref.sort((a, b) => b.score - a.score);
      const w = new TopKWorker({ threads: 2 });
      w.run(v, dim, q, 20).then((off) => {
        process.stdout.write(JSON.stringify({ wasm: typeof WebAssembly, simdAvailable, ref: ref.slice(0, 20), main: topK(v, dim, q, 20), off }));
        return w.dispose();
      });`;
    const r = spawnSync(process.execPath, ['--jitless', '-e', script], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      wasm: string;
      simdAvailable: boolean;
      ref: TopKHit[];
      main: TopKHit[];
      off: TopKHit[];
    };
    assert.equal(out.wasm, 'undefined');
    assert.equal(out.simdAvailable, false);
    assert.equal(out.ref.length, 20);
    assert.deepEqual(out.main, out.ref);
    assert.deepEqual(out.off, out.ref);
  });
});
