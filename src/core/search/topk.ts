import { Worker } from 'node:worker_threads';

export interface TopKHit {
  row: number;
  score: number;
}

/**
 * Exact top-k by dot product over row-major, pre-normalised vectors (so the dot product is the cosine).
 * `allowed[row] === 0` skips a row. One pass over the Float32Array; the best k are kept in a small
 * sorted array. Self-contained on purpose: its source also runs inside the worker (see TopKWorker).
 */
export function topK(
  vectors: Float32Array,
  dim: number,
  query: Float32Array,
  k: number,
  allowed?: Uint8Array | null,
): TopKHit[] {
  const rows = dim > 0 ? Math.floor(vectors.length / dim) : 0;
  const hits: { row: number; score: number }[] = [];
  if (k <= 0) return hits;
  let worst = -Infinity;
  for (let r = 0; r < rows; r++) {
    if (allowed && allowed[r] === 0) continue;
    const base = r * dim;
    let s = 0;
    for (let i = 0; i < dim; i++) s += vectors[base + i] * query[i];
    if (hits.length === k && s <= worst) continue;
    let at = hits.length;
    while (at > 0 && hits[at - 1].score < s) at--;
    hits.splice(at, 0, { row: r, score: s });
    if (hits.length > k) hits.pop();
    worst = hits[hits.length - 1].score;
  }
  return hits;
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

/**
 * Runs `topK` on a worker thread so a large index never blocks the caller's event loop (the extension
 * host). Vectors in a SharedArrayBuffer are posted by reference, not copied. One worker, kept
 * until disposed; it does not hold the process open.
 */
export class TopKWorker {
  private worker: Worker | undefined;
  private nextId = 1;
  private pending = new Map<number, Pending>();

  private start(): Worker {
    const source = `
      const { parentPort } = require('node:worker_threads');
      const topK = ${topK.toString()};
      parentPort.on('message', (m) => {
        try {
          parentPort.postMessage({ id: m.id, hits: topK(m.vectors, m.dim, m.query, m.k, m.allowed) });
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
      this.worker = undefined;
    };
    w.on('error', failAll);
    w.on('exit', (code) => failAll(new Error(`Search worker stopped (${code}).`)));
    return w;
  }

  run(
    vectors: Float32Array,
    dim: number,
    query: Float32Array,
    k: number,
    allowed?: Uint8Array | null,
  ): Promise<TopKHit[]> {
    this.worker ??= this.start();
    const id = this.nextId++;
    const w = this.worker;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage({ id, vectors, dim, query, k, allowed: allowed ?? null });
    });
  }

  async dispose(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}
