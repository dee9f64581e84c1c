// Search benchmark: exact top-k query time over 1e3…1e5 vectors of 512 and 1024 dimensions with the
// index's own topK (src/core/search/topk.ts, in-thread, on its workers, pure JS) against usearch's native
// exact search and a plain brute-force reference in the same run (hits must equal the reference's); and indexing time per video (VideoIndex.update: probe, 12 frames, audio,
// thumbnail, save) against ffmpeg's own 12-seek frame extraction of the same file.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BENCH_TMP, fmtMs, median, MEDIA_DIR, REPO, say, table, writeSection } from './lib/common';

const MAX = Number(process.env.GENDECK_BENCH_SEARCH_MAX ?? 100_000);
const K = 20;

/** xorshift32: the same vectors on every run. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296 - 0.5;
  };
}

function unitRows(rows: number, dim: number, seed: number, shared: boolean): Float32Array {
  const r = rng(seed);
  const v = shared ? new Float32Array(new SharedArrayBuffer(rows * dim * 4)) : new Float32Array(rows * dim);
  for (let i = 0; i < rows; i++) {
    let n = 0;
    const b = i * dim;
    for (let d = 0; d < dim; d++) {
      const x = r();
      v[b + d] = x;
      n += x * x;
    }
    const inv = 1 / Math.sqrt(n);
    for (let d = 0; d < dim; d++) v[b + d] *= inv;
  }
  return v;
}

/** The plain reference: every score into an array, every row sorted by score, the first k kept. */
function bruteForce(vectors: Float32Array, dim: number, q: Float32Array, k: number): { row: number; score: number }[] {
  const rows = vectors.length / dim;
  const scores = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let i = 0; i < dim; i++) s += vectors[r * dim + i] * q[i];
    scores[r] = s;
  }
  const order = Array.from({ length: rows }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  return order.slice(0, k).map((row) => ({ row, score: scores[row] }));
}

interface Hit {
  row: number;
  score: number;
}

const sameHits = (a: Hit[], b: Hit[]) =>
  a.length === b.length && a.every((h, j) => h.row === b[j].row && h.score === b[j].score);

async function queries() {
  type TopK = typeof import('../src/core/search/topk');
  let mod: TopK | undefined;
  try {
    mod = await import('../src/core/search/topk');
  } catch {
    mod = undefined;
  }
  // usearch (devDependency, never bundled: scripts/bench.mjs marks it external) is the native reference.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const usearch = require('usearch') as typeof import('usearch');
  const rows: (string | number)[][] = [];
  const figures: unknown[] = [];
  const worker = mod ? new mod.TopKWorker() : undefined;
  for (const dim of [512, 1024]) {
    for (const n of [1_000, 10_000, 100_000].filter((x) => x <= MAX)) {
      const t0 = performance.now();
      const vectors = unitRows(n, dim, n + dim, true);
      const genMs = performance.now() - t0;
      const qs = Array.from({ length: 6 }, (_, i) => unitRows(1, dim, 7 + i, false));
      const plain = new Float32Array(vectors); // usearch's addon refuses a SharedArrayBuffer
      const ref: number[] = [];
      const native: number[] = [];
      const fast: number[] = [];
      const onWorker: number[] = [];
      const plainJs: number[] = [];
      let firstMs = NaN;
      let prepareMs = NaN;
      let agree = true;
      let usearchAgree = true;
      for (const [i, q] of qs.entries()) {
        let t = performance.now();
        const a = bruteForce(vectors, dim, q, K);
        if (i) ref.push(performance.now() - t);
        t = performance.now();
        const u = usearch.exactSearch(plain, q, dim, K, usearch.MetricKind.IP) as { keys: BigUint64Array };
        if (i) native.push(performance.now() - t);
        usearchAgree &&= a.every((h, j) => BigInt(h.row) === u.keys[j]);
        if (mod) {
          // The workers first: on fresh vectors the first query makes the int8 copy as it scans, as the
          // editor's first search after an index change does. What making the copy alone costs is timed on a
          // fresh copy of the same vectors (one without an int8 copy yet).
          if (!i) {
            const fresh = new Float32Array(new SharedArrayBuffer(vectors.byteLength));
            fresh.set(vectors);
            t = performance.now();
            await worker!.prepare(fresh, dim);
            prepareMs = performance.now() - t;
          }
          t = performance.now();
          const c = await worker!.run(vectors, dim, q, K);
          if (i) onWorker.push(performance.now() - t);
          else firstMs = performance.now() - t;
          t = performance.now();
          const b = mod.topK(vectors, dim, q, K);
          if (i) fast.push(performance.now() - t);
          t = performance.now();
          const d = mod.topK(vectors, dim, q, K, null, { simd: false });
          if (i) plainJs.push(performance.now() - t);
          agree &&= sameHits(a, b) && sameHits(a, c) && sameHits(a, d);
        }
      }
      const mb = (n * dim * 4) / 2 ** 20;
      const m = (xs: number[]) => (mod ? fmtMs(median(xs)) : 'n/a');
      const ratio = (xs: number[]) => (mod ? (median(xs) / median(native)).toFixed(2) : 'n/a');
      rows.push([
        n.toLocaleString('en'),
        dim,
        mb.toFixed(0),
        fmtMs(median(ref)),
        fmtMs(median(native)),
        m(fast),
        m(onWorker),
        m(plainJs),
        ratio(fast),
        ratio(onWorker),
        mod ? fmtMs(firstMs) : 'n/a',
        mod ? fmtMs(prepareMs) : 'n/a',
        mod ? (agree ? 'yes' : '**NO**') : 'n/a',
        usearchAgree ? 'yes' : 'no',
      ]);
      figures.push({
        vectors: n,
        dim,
        MB: mb,
        referenceMs: median(ref),
        usearchMs: median(native),
        topKMs: mod ? median(fast) : null,
        workersMs: mod ? median(onWorker) : null,
        pureJsMs: mod ? median(plainJs) : null,
        topKVsUsearch: mod ? median(fast) / median(native) : null,
        workersVsUsearch: mod ? median(onWorker) / median(native) : null,
        firstQueryOnWorkersMs: mod ? firstMs : null,
        int8CopyOnWorkersMs: mod ? prepareMs : null,
        simd: mod?.simdAvailable ?? null,
        agree,
        usearchAgree,
        generateMs: genMs,
      });
      say(
        `search  ${n} × ${dim}: reference ${fmtMs(median(ref))} ms, usearch ${fmtMs(median(native))} ms, topK ${m(fast)} ms (×${ratio(fast)} usearch), workers ${m(onWorker)} ms (×${ratio(onWorker)}), pure JS ${m(plainJs)} ms, first query ${mod ? fmtMs(firstMs) : 'n/a'} ms, int8 copy ${mod ? fmtMs(prepareMs) : 'n/a'} ms, same hits as the reference: ${agree}`,
      );
      if (global.gc) global.gc();
    }
  }
  await worker?.dispose();
  return { rows, figures, present: !!mod, simd: mod?.simdAvailable };
}

function run(bin: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    c.stderr.on('data', (d) => (err += d));
    c.on('error', reject);
    c.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${bin} exited ${code}: ${err.slice(-300)}`))));
  });
}

async function indexing() {
  const notes: string[] = [];
  let ff: typeof import('../src/core/search/ffmpeg');
  let pre: typeof import('../src/core/search/preprocess');
  let idx: typeof import('../src/core/search/index');
  let layout: typeof import('../src/core/search/layout');
  try {
    [ff, pre, idx, layout] = await Promise.all([
      import('../src/core/search/ffmpeg'),
      import('../src/core/search/preprocess'),
      import('../src/core/search/index'),
      import('../src/core/search/layout'),
    ]);
  } catch (err) {
    return {
      rows: [],
      figures: [],
      notes: [
        `Seeknetic preprocessing is not in src/core/search yet (${(err as Error).message}); indexing not measured.`,
      ],
    };
  }
  let tools: Awaited<ReturnType<typeof ff.resolveFfmpeg>>;
  try {
    tools = await ff.resolveFfmpeg({ searchRoots: [REPO] });
  } catch (err) {
    return { rows: [], figures: [], notes: [`ffmpeg not available: ${(err as Error).message}`] };
  }
  notes.push(
    `ffmpeg from ${tools.source.ffmpeg} (${tools.ffmpeg}), resolved with src/core/search/ffmpeg.ts resolveFfmpeg.`,
  );
  const dir = join(BENCH_TMP, 'videos');
  mkdirSync(dir, { recursive: true });
  const long = join(dir, 'testsrc-60s-720p.mp4');
  if (!existsSync(long)) {
    const r = spawnSync(tools.ffmpeg, [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=1280x720:rate=30:duration=60',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:duration=60',
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-g',
      '60',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-shortest',
      long,
    ]);
    if (r.status !== 0) notes.push(`could not make the 60 s test video: ${r.stderr?.toString().slice(-200)}`);
  }
  const videos = [
    { label: 'media/sample.mp4 (4 s, 320×180, h264+aac)', file: join(MEDIA_DIR, 'sample.mp4') },
    ...(existsSync(long) ? [{ label: 'generated 60 s, 1280×720, 30 fps, h264 (GOP 2 s) + aac', file: long }] : []),
  ];
  const embedder = {
    embedVideo: async () => ({ vector: Array.from({ length: 1024 }, (_, i) => Math.sin(i)), modelVersion: 'bench' }),
    tagVideo: async () => ({ shot_size: ['wide'] }),
  };
  const rows: (string | number)[][] = [];
  const figures: unknown[] = [];
  for (const v of videos) {
    const probe = await pre.probeVideo(tools, v.file);
    const times = layout.frameTimes(probe.duration);
    const seekArgs = (t: number) => [
      '-v',
      'error',
      '-nostdin',
      '-ss',
      t.toFixed(3),
      '-i',
      v.file,
      '-map',
      `0:${probe.video.index}`,
      '-frames:v',
      '1',
      '-vf',
      pre.frameFilter(probe),
      '-pix_fmt',
      'rgb24',
      '-f',
      'rawvideo',
      '-y',
      '/dev/null',
    ];
    const seq: number[] = [];
    const par: number[] = [];
    const indexMs: number[] = [];
    const preMs: number[] = [];
    for (let r = 0; r < 4; r++) {
      let t = performance.now();
      for (const at of times) await run(tools.ffmpeg, seekArgs(at));
      const a = performance.now() - t;
      t = performance.now();
      for (let i = 0; i < times.length; i += 3)
        await Promise.all(times.slice(i, i + 3).map((at) => run(tools.ffmpeg, seekArgs(at))));
      const b = performance.now() - t;
      t = performance.now();
      await pre.preprocessVideo(tools, v.file);
      const c = performance.now() - t;
      const idxDir = mkdtempSync(join(tmpdir(), 'gendeck-bench-idx-'));
      const index = new idx.VideoIndex({ dir: idxDir, root: join(v.file, '..') });
      await index.load();
      t = performance.now();
      // One window per file, as this section measures the 12-frame sampling of a whole file (moments.bench.ts: windows).
      const stats = await index.update([v.file], {
        embedder,
        tools,
        concurrency: 1,
        windowing: { windowSeconds: 1e9, maxWindows: 1 },
      });
      const d = performance.now() - t;
      await index.dispose();
      rmSync(idxDir, { recursive: true, force: true });
      if (stats.embedded !== 1) notes.push(`indexing ${v.label}: ${JSON.stringify(stats.failed)}`);
      if (r === 0) continue; // warm-up
      seq.push(a);
      par.push(b);
      preMs.push(c);
      indexMs.push(d);
    }
    rows.push([
      v.label,
      fmtMs(median(seq)),
      fmtMs(median(par)),
      fmtMs(median(preMs)),
      fmtMs(median(indexMs)),
      (median(indexMs) / median(seq)).toFixed(2),
      (median(indexMs) / median(par)).toFixed(2),
    ]);
    figures.push({
      video: v.label,
      ffmpeg12SeeksSequentialMs: median(seq),
      ffmpeg12Seeks3AtATimeMs: median(par),
      preprocessMs: median(preMs),
      indexUpdateMs: median(indexMs),
      ratioSequential: median(indexMs) / median(seq),
      ratio3: median(indexMs) / median(par),
    });
    say(
      `search  index ${v.label}: ${fmtMs(median(indexMs))} ms vs ffmpeg 12 seeks ${fmtMs(median(seq))} ms sequential (×${(median(indexMs) / median(seq)).toFixed(2)}), ${fmtMs(median(par))} ms 3 at a time`,
    );
  }
  return { rows, figures, notes };
}

async function main() {
  const q = await queries();
  const ix = await indexing();
  const body = [
    `### Query time (k = ${K}, exact cosine over unit vectors, median of 5 queries after one warm-up)`,
    q.present
      ? `The index's own \`topK\` in-thread, on its \`TopKWorker\` (the rows split between ${Math.min(4, availableParallelism())} workers, one per core, at most 4; \`VideoIndex.search\` uses them above 2,000,000 floats) and its pure-JS fallback, against usearch's native \`exactSearch\` (inner product, same process, on a plain copy of the same vectors: its addon refuses a SharedArrayBuffer) and the plain reference (every score in float64, full sort). WebAssembly SIMD here: ${q.simd ? 'yes' : 'no'}. topK scans an int8 copy with a proven error bound and scores the rows that could be in the top k exactly, so "Same hits" requires the reference's rows *and* scores exactly, for all three. The first query on fresh vectors makes the int8 copy on the workers as it scans (a quarter of the vectors' size, kept while the vectors live); making the copy alone (\`prepare\` on a fresh copy of the same vectors) is timed in its own column. usearch's order may differ from the reference's where scores differ in the last float32 bits.`
      : 'src/core/search/topk.ts is not there yet: only the reference was measured.',
    '',
    table(
      [
        'Vectors',
        'Dim',
        'MB',
        'Reference (ms)',
        'usearch exact (ms)',
        'topK (ms)',
        'topK on workers (ms)',
        'Pure JS (ms)',
        'topK ÷ usearch',
        'Workers ÷ usearch',
        'First query on workers (ms)',
        'Making the int8 copy (ms)',
        'Same hits',
        'usearch same rows',
      ],
      q.rows,
    ),
    '',
    "### Indexing time per video vs ffmpeg's own 12-seek extraction",
    "`VideoIndex.update` of one new video (ffprobe, 12 input-seek frames 3 at a time, 10 s of audio, thumbnail JPEG, fingerprint, atomic save) with an instant in-process embedder, so the figure is GenDeck's local cost without the network. The baseline is ffmpeg itself doing the same 12 input seeks (`-ss t -i file -frames:v 1`, the same scale/pad filter, rgb24 to /dev/null), one process per frame, sequentially and 3 at a time. Median of 3 after a warm-up.",
    '',
    table(
      [
        'Video',
        'ffmpeg 12 seeks, sequential (ms)',
        'ffmpeg 12 seeks, 3 at a time (ms)',
        'preprocessVideo (ms)',
        'Index one video (ms)',
        'Ratio vs sequential',
        'Ratio vs 3 at a time',
      ],
      ix.rows,
    ),
    '',
    ...ix.notes.map((n) => `- ${n}`),
  ].join('\n');
  writeSection({
    id: '4-search',
    title: 'Search',
    command: 'npm run bench -- search',
    body,
    figures: { queries: q.figures, indexing: ix.figures },
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
