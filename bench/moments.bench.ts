// Search by moment: (1) an index of 100,000 windows in one flat vector file — load time, RSS and exact query time
// through VideoIndex.search (worker) and in-thread, against usearch's native exactSearch in the same run; (2) the
// time to index a 20-minute 720p video as 10 s windows (VideoIndex.update with an instant embedder) against ffmpeg
// running the same per-window extraction commands itself: the very argument lists GenDeck builds (framesArgs,
// audioArgs: 12 input seeks in one process + the window's audio), checked to give the same bytes as GenDeck's
// preprocessing of the same windows.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BENCH_TMP, fmtMB, fmtMs, median, REPO, say, table, writeSection } from './lib/common';
import { resolveFfmpeg, type FfmpegTools } from '../src/core/search/ffmpeg';
import { VideoIndex } from '../src/core/search/index';
import { DEFAULT_WINDOWING, PREPROCESS_VERSION, windowFrameTimes, windowRanges } from '../src/core/search/layout';
import { AUDIO_RATE, FRAME_BYTES, FRAME_COUNT } from '../src/core/search/layout';
import { audioArgs, framesArgs, preprocessWindow, probeVideo } from '../src/core/search/preprocess';

const WINDOWS = Number(process.env.GENDECK_BENCH_MOMENTS_WINDOWS ?? 100_000);
const DIM = 1024;
const K = 20;

function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296 - 0.5;
  };
}

function unit(v: Float32Array, r: () => number): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += (v[i] = r()) ** 2;
  const inv = 1 / Math.sqrt(n);
  for (let i = 0; i < v.length; i++) v[i] *= inv;
  return v;
}

async function bigIndex() {
  const notes: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'gendeck-bench-moments-'));
  const r = rng(7);
  const vectors = new Float32Array(WINDOWS * DIM);
  for (let i = 0; i < WINDOWS; i++) unit(vectors.subarray(i * DIM, (i + 1) * DIM), r);
  // 10 windows per file, as 100 s videos cut at 10 s.
  const entries = Array.from({ length: WINDOWS }, (_, i) => ({
    rel: `videos/clip-${Math.floor(i / 10)}.mp4`,
    size: 1_000_000 + Math.floor(i / 10),
    mtimeMs: 1_700_000_000_000,
    hash: (Math.floor(i / 10) + 1).toString(16).padStart(64, '0'),
    preprocessVersion: PREPROCESS_VERSION,
    modelVersion: 'bench',
    duration: 100,
    start: (i % 10) * 10,
    end: (i % 10) * 10 + 10,
    tags: { shot_size: [i % 2 ? 'wide' : 'close-up'] },
    tagged: true,
    indexedAt: '2026-01-01T00:00:00.000Z',
  }));
  writeFileSync(join(dir, 'vectors-bench.f32'), new Uint8Array(vectors.buffer));
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({
      version: 2,
      root: '/bench',
      dim: DIM,
      modelVersion: 'bench',
      vectors: 'vectors-bench.f32',
      entries,
    }),
  );
  const manifestMB = fmtMB(JSON.stringify(entries).length);
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  const index = new VideoIndex({ dir, root: '/bench' });
  let t = performance.now();
  await index.load();
  const loadMs = performance.now() - t;
  global.gc?.();
  const rssLoaded = process.memoryUsage().rss;
  const queries = Array.from({ length: 6 }, (_, i) => unit(new Float32Array(DIM), rng(100 + i)));
  const time = async (fn: (q: Float32Array) => Promise<unknown> | unknown) => {
    const ms: number[] = [];
    for (const [i, q] of queries.entries()) {
      t = performance.now();
      await fn(q);
      if (i > 0) ms.push(performance.now() - t); // the first is a warm-up
    }
    return median(ms);
  };
  const workerMs = await time((q) => index.search(q, { k: K }));
  const rssQuery = process.memoryUsage().rss;
  index.workerThreshold = Infinity;
  const threadMs = await time((q) => index.search(q, { k: K }));
  const filteredMs = await time((q) => index.search(q, { k: K, tags: { shot_size: ['wide'] } }));
  let nativeMs: number | undefined;
  let same: string = 'n/a';
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const usearch = require('usearch') as typeof import('usearch');
    nativeMs = await time((q) => usearch.exactSearch(vectors, q, DIM, K, usearch.MetricKind.IP));
    const ours = (await index.search(queries[1], { k: K })).map((h) => `${h.entry.rel}@${h.entry.start}`);
    const m = usearch.exactSearch(vectors, queries[1], DIM, K, usearch.MetricKind.IP) as { keys: BigUint64Array };
    const theirs = [...m.keys].map((k) => `${entries[Number(k)].rel}@${entries[Number(k)].start}`);
    same = ours.join() === theirs.join() ? 'yes' : `no (${ours.filter((x) => theirs.includes(x)).length}/${K})`;
  } catch (err) {
    notes.push(`usearch not available: ${(err as Error).message}`);
  }
  await index.dispose();
  rmSync(dir, { recursive: true, force: true });
  say(
    `moments  ${WINDOWS} windows × ${DIM}: load ${fmtMs(loadMs)} ms, +${fmtMB(rssLoaded - rss0)} MB RSS; query ${fmtMs(workerMs)} ms (worker), ${fmtMs(threadMs)} ms (thread), usearch ${nativeMs === undefined ? 'n/a' : fmtMs(nativeMs)} ms`,
  );
  return {
    rows: [
      [
        WINDOWS,
        DIM,
        fmtMB(WINDOWS * DIM * 4),
        manifestMB,
        fmtMs(loadMs),
        fmtMB(rssLoaded - rss0),
        fmtMB(rssQuery),
        fmtMs(workerMs),
        fmtMs(threadMs),
        fmtMs(filteredMs),
        nativeMs === undefined ? 'n/a' : fmtMs(nativeMs),
        nativeMs === undefined ? 'n/a' : (threadMs / nativeMs).toFixed(2),
        same,
      ],
    ],
    figures: {
      windows: WINDOWS,
      dim: DIM,
      loadMs,
      rssGrowth: rssLoaded - rss0,
      rssQuery,
      workerMs,
      threadMs,
      filteredMs,
      nativeMs,
    },
    notes,
  };
}

/** Runs ffmpeg; its stdout is read (as GenDeck reads it) and returned, or only counted when `keep` is false. */
function run(bin: string, args: string[], keep = false): Promise<{ bytes: number; out?: Buffer }> {
  return new Promise((resolve, reject) => {
    const p = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    let bytes = 0;
    const chunks: Buffer[] = [];
    p.stdout.on('data', (c: Buffer) => {
      bytes += c.length;
      if (keep) chunks.push(c);
    });
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    p.on('error', reject);
    p.on('close', (code) =>
      code === 0
        ? resolve({ bytes, out: keep ? Buffer.concat(chunks) : undefined })
        : reject(new Error(`${bin} ${code}: ${err.slice(-300)}`)),
    );
  });
}

async function longVideo(tools: FfmpegTools) {
  const notes: string[] = [];
  const dir = join(BENCH_TMP, 'videos');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'testsrc-20min-720p.mp4');
  if (!existsSync(file)) {
    say('moments  generating the 20-minute 720p test video (once; cached in bench/tmp/videos)…');
    const r = spawnSync(tools.ffmpeg, [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=1280x720:rate=25:duration=1200',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:duration=1200',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-g',
      '50',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-shortest',
      `${file}.part.mp4`,
    ]);
    if (r.status !== 0) throw new Error(`could not make the test video: ${r.stderr?.toString().slice(-300)}`);
    spawnSync('mv', [`${file}.part.mp4`, file]);
  }
  const probe = await probeVideo(tools, file);
  const ranges = windowRanges(probe.duration, DEFAULT_WINDOWING);
  // ffmpeg's own run of the commands preprocessWindow issues — the same argument lists (framesArgs, audioArgs): per
  // window, 12 input seeks in one process with the same filter graph, and the window's audio; 2 windows at a time,
  // as the index's default concurrency. Output goes to a pipe that is read, as GenDeck reads it.
  const whole = ranges.length === 1;
  const commands = (w: (typeof ranges)[number]) => [
    framesArgs(file, probe, windowFrameTimes(w)),
    ...(probe.audio ? [audioArgs(file, probe.audio.index, whole ? undefined : w)] : []),
  ];
  // Same frames and audio: for a few windows, the reference's bytes are GenDeck's preprocessing's bytes.
  const audioBytes = (w: (typeof ranges)[number]) => Math.round(Math.min(10, w.end - w.start) * AUDIO_RATE) * 4;
  for (const i of [0, Math.floor(ranges.length / 2), ranges.length - 1]) {
    const w = ranges[i];
    const [frames, audio] = await Promise.all(commands(w).map((args) => run(tools.ffmpeg, args, true)));
    const pre = await preprocessWindow(tools, file, probe, w);
    const ours = Buffer.concat(pre.frames.map((f) => Buffer.from(f.buffer, f.byteOffset, f.byteLength)));
    if (frames.bytes !== FRAME_COUNT * FRAME_BYTES || !ours.equals(frames.out!))
      notes.push(`window ${i}: the reference's frames differ from GenDeck's (${frames.bytes} bytes)`);
    const raw = audio?.out;
    const a = Buffer.from(pre.audio.buffer, pre.audio.byteOffset, pre.audio.byteLength);
    const n = Math.min(raw?.length ?? 0, a.length);
    if (raw && (Math.abs(raw.length - audioBytes(w)) > 4 * 64 || !a.subarray(0, n).equals(raw.subarray(0, n))))
      notes.push(`window ${i}: the reference's audio differs from GenDeck's (${raw.length} bytes)`);
  }
  say(`moments  reference = GenDeck's frames and audio for 3 windows: ${notes.length ? notes.join('; ') : 'yes'}`);
  const reference = async () => {
    const t = performance.now();
    let next = 0;
    const lane = async () => {
      while (next < ranges.length) {
        const w = ranges[next++];
        const [frames] = await Promise.all(commands(w).map((args) => run(tools.ffmpeg, args)));
        if (frames.bytes !== FRAME_COUNT * FRAME_BYTES) throw new Error(`the reference got ${frames.bytes} bytes`);
      }
    };
    await Promise.all([lane(), lane()]);
    return performance.now() - t;
  };
  const embedder = {
    embedVideo: async () => ({ vector: Array.from({ length: DIM }, (_, i) => Math.sin(i)), modelVersion: 'bench' }),
    tagVideo: async () => ({ shot_size: ['wide'] }),
  };
  const ours = async () => {
    const idxDir = mkdtempSync(join(tmpdir(), 'gendeck-bench-moments-idx-'));
    const index = new VideoIndex({ dir: idxDir, root: dir });
    await index.load();
    const t = performance.now();
    // Tagging off: a tag call would only reuse the frames already extracted (no extra decode).
    const stats = await index.update([file], { embedder, tools, concurrency: 2, tagging: false });
    const ms = performance.now() - t;
    if (stats.windows !== ranges.length)
      notes.push(`indexing made ${stats.windows} windows: ${JSON.stringify(stats.failed)}`);
    await index.dispose();
    rmSync(idxDir, { recursive: true, force: true });
    return ms;
  };
  const refMs: number[] = [];
  const ourMs: number[] = [];
  for (let i = 0; i < 2; i++) {
    // Alternate which goes first, so neither always meets a colder page cache.
    if (i % 2) ourMs.push(await ours());
    refMs.push(await reference());
    if (!(i % 2)) ourMs.push(await ours());
    say(`moments  20 min video, run ${i + 1}: ffmpeg ${fmtMs(refMs[i])} ms, VideoIndex.update ${fmtMs(ourMs[i])} ms`);
  }
  const ratio = median(ourMs) / median(refMs);
  say(`moments  index / ffmpeg = ×${ratio.toFixed(2)} (target ≤ 1.2)`);
  return {
    rows: [
      [
        `testsrc 1280×720 25 fps h264 (GOP 2 s) + aac, ${probe.duration.toFixed(0)} s`,
        ranges.length,
        fmtMs(median(refMs)),
        fmtMs(median(ourMs)),
        ratio.toFixed(2),
      ],
    ],
    figures: { windows: ranges.length, ffmpegMs: median(refMs), indexMs: median(ourMs), ratio },
    notes,
  };
}

async function main() {
  const big = await bigIndex();
  const tools = await resolveFfmpeg({ searchRoots: [REPO] });
  const video = await longVideo(tools);
  const body = [
    `### ${WINDOWS.toLocaleString('en')} windows in one flat vector file (k = ${K}, median of 5 queries after a warm-up)`,
    '`VideoIndex.load` of a v2 manifest + one float32 file, then exact cosine top-k through `VideoIndex.search` (on its worker, as above 2 M floats, and in-thread), against usearch `exactSearch` (native, inner product) over the same Float32Array in the same process. RSS growth is measured after a GC.',
    '',
    table(
      [
        'Windows',
        'Dim',
        'Vectors (MB)',
        'Manifest (MB)',
        'Load (ms)',
        'RSS growth (MB)',
        'RSS after query (MB)',
        'search, worker (ms)',
        'search, thread (ms)',
        'search + tag filter (ms)',
        'usearch exact (ms)',
        'Thread / usearch',
        'Same hits',
      ],
      big.rows,
    ),
    '',
    '### Indexing a 20-minute video as 10 s windows vs ffmpeg',
    "`VideoIndex.update` of the file (ffprobe, fingerprint, per window 12 input-seek frames in one ffmpeg process + the window's audio + a thumbnail JPEG, an instant in-process embedder, atomic saves), 2 windows at a time, against ffmpeg running the same frame and audio commands for every window itself (the argument lists GenDeck builds, stdout read from a pipe; for the first, middle and last window its bytes are checked equal to GenDeck's frames and audio), 2 at a time. Median of 2 runs, alternating which goes first.",
    '',
    table(['Video', 'Windows', 'ffmpeg (ms)', 'VideoIndex.update (ms)', 'Ratio'], video.rows),
    '',
    ...[...big.notes, ...video.notes].map((n) => `- ${n}`),
  ].join('\n');
  writeSection({
    id: '4b-moments',
    title: 'Search by moment',
    command: 'npm run bench -- moments',
    body,
    figures: { index: big.figures, video: video.figures },
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
