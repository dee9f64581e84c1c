// Transfer benchmark: download and upload of a 1 GB file against the sandbox (running in its own process),
// throughput and the client's RSS sampled every 50 ms (it must stay flat: both directions stream). The reference is
// curl on the same URLs in the same run, alternating with ours round by round; without curl it says so and
// gives no ratio.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { once } from 'node:events';
import { downloadToFile, uploadFile } from '../src/core/http/transfer';
import { createProvider } from '../src/core/providers/index';
import { fmtMB, MEDIA_DIR, median, RssSampler, say, table, writeSection } from './lib/common';

const MB = Number(process.env.GENDECK_BENCH_TRANSFER_MB ?? 1024);
const BYTES = MB * 1024 * 1024;
const ROUNDS = Number(process.env.GENDECK_BENCH_TRANSFER_ROUNDS ?? 5);

/** curl's first `--version` line, or undefined when it is not on PATH. */
function curlVersion(): string | undefined {
  const r = spawnSync('curl', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0] : undefined;
}

/** Runs curl to completion; its own stdout (the sink's answer) is returned. */
function curl(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn('curl', ['-sS', '--fail', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`curl exited ${code}: ${err.trim()}`))));
  });
}

async function startServer(): Promise<{ origin: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, [join(__dirname, 'lib', 'transferServer.js'), MEDIA_DIR], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const origin = await new Promise<string>((resolve, reject) => {
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = /GENDECK_SANDBOX_URL=(\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    proc.on('exit', (c) => reject(new Error(`transfer server exited ${c}`)));
  });
  return { origin, proc };
}

async function writeSource(file: string): Promise<number> {
  const t0 = performance.now();
  const block = randomBytes(1024 * 1024);
  const ws = createWriteStream(file);
  for (let written = 0; written < BYTES; written += block.length) {
    if (!ws.write(written + block.length <= BYTES ? block : block.subarray(0, BYTES - written)))
      await once(ws, 'drain');
  }
  ws.end();
  await once(ws, 'finish');
  return performance.now() - t0;
}

interface Row {
  what: string;
  ms: number;
  bytes: number;
  rss: ReturnType<RssSampler['stop']>;
}

/**
 * Flushes the page cache's dirty pages (the source file, earlier transfers, earlier benchmarks' files) before a
 * measured transfer, so neither client meets writeback left by the other or by what ran before.
 */
function settleDisk(): void {
  spawnSync('sync');
}

async function measure(what: string, fn: () => Promise<number>): Promise<Row> {
  settleDisk();
  if (global.gc) global.gc();
  const s = new RssSampler(50).start();
  const t0 = performance.now();
  const bytes = await fn();
  const ms = performance.now() - t0;
  const rss = s.stop();
  say(
    `transfer  ${what}: ${fmtMB(bytes)} MB in ${(ms / 1000).toFixed(2)} s = ${mbps(bytes, ms).toFixed(0)} MB/s; RSS ${fmtMB(rss.baseline)} → peak ${fmtMB(rss.peak)} MB (+${fmtMB(rss.growth)} MB, ${rss.samples} samples)`,
  );
  return { what, ms, bytes, rss };
}

/** Wall time of a curl run (a child process: its memory is not ours, so none is sampled). */
async function timeCurl(what: string, fn: () => Promise<number>): Promise<{ ms: number; bytes: number }> {
  settleDisk();
  const t0 = performance.now();
  const bytes = await fn();
  const ms = performance.now() - t0;
  say(`transfer  ${what}: ${fmtMB(bytes)} MB in ${(ms / 1000).toFixed(2)} s = ${mbps(bytes, ms).toFixed(0)} MB/s`);
  return { ms, bytes };
}

const mbps = (bytes: number, ms: number) => bytes / 2 ** 20 / (ms / 1000);

interface Pair {
  what: string;
  ours: Row[];
  curl: { ms: number; bytes: number }[];
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'gendeck-bench-transfer-'));
  const { origin, proc } = await startServer();
  const curlSays = curlVersion();
  const pairs: Pair[] = [];
  const rows: Row[] = [];
  const notes: string[] = [];
  if (!curlSays) {
    const msg =
      'curl is NOT on PATH: no reference measured, so no ratio below. Install it (`apt-get install -y curl`; `npm run bench` tries that itself) and run again.';
    say(`transfer  ${msg}`);
    notes.push(`**${msg}**`);
  } else say(`transfer  reference: ${curlSays}`);
  const download = join(dir, 'download.bin');
  const sinkCount = async () => ((await (await fetch(`${origin}/bench/sink`)).json()) as { bytes: number }).bytes;
  try {
    const src = join(dir, 'upload.bin');
    const genMs = await writeSource(src);
    say(`transfer  generated ${MB} MB source file in ${(genMs / 1000).toFixed(1)} s`);
    const down: Pair = {
      what: 'Download: downloadToFile from GET /bench/bytes/N (streamed to .part, renamed)',
      ours: [],
      curl: [],
    };
    const up: Pair = { what: 'Upload: uploadFile PUT to /bench/sink (the server counts bytes)', ours: [], curl: [] };
    const oursDown = () =>
      measure('download, ours', async () => {
        const r = await downloadToFile(`${origin}/bench/bytes/${BYTES}`, download, {
          provider: 'seedancee2',
          label: 'Seedancee2',
          timeoutMs: 120_000,
        });
        if (statSync(download).size !== BYTES) throw new Error('download size mismatch');
        rmSync(download);
        return r.bytes;
      });
    const curlDown = () =>
      timeCurl('download, curl', async () => {
        await curl(['-o', download, `${origin}/bench/bytes/${BYTES}`]);
        const { size } = statSync(download);
        rmSync(download);
        if (size !== BYTES) throw new Error(`curl downloaded ${size} bytes, not ${BYTES}`);
        return size;
      });
    const oursUp = () =>
      measure('upload, ours', async () => {
        const status = await uploadFile(`${origin}/bench/sink`, src, {
          provider: 'seele',
          label: 'Seele',
          method: 'PUT',
          timeoutMs: 300_000,
        });
        if (status !== 200) throw new Error(`upload status ${status}`);
        // uploadFile returns the status only: ask the sink how many bytes it counted.
        const counted = await sinkCount();
        if (counted !== BYTES) throw new Error(`the sink counted ${counted} bytes, not ${BYTES}`);
        return counted;
      });
    const curlUp = () =>
      timeCurl('upload, curl', async () => {
        const answer = JSON.parse(await curl(['-T', src, `${origin}/bench/sink`])) as { bytes: number };
        if (answer.bytes !== BYTES) throw new Error(`the sink counted ${answer.bytes} bytes from curl, not ${BYTES}`);
        return answer.bytes;
      });
    // One small transfer each way first, unmeasured: the first request's one-time costs (undici's parser, the
    // JIT, the file thread pool) are not growth of a streaming transfer.
    const WARM = 16 * 1024 * 1024;
    await downloadToFile(`${origin}/bench/bytes/${WARM}`, download, { provider: 'seedancee2', label: 'Seedancee2' });
    rmSync(download);
    // And curl once, so the server's own first-request costs fall on neither client.
    if (curlSays) {
      await curl(['-o', download, `${origin}/bench/bytes/${WARM}`]);
      rmSync(download);
    }
    const warm = join(dir, 'warm.bin');
    writeFileSync(warm, randomBytes(WARM));
    await uploadFile(`${origin}/bench/sink`, warm, { provider: 'seele', label: 'Seele', method: 'PUT' });
    rmSync(warm);
    // Rounds alternate which client goes first, so a change in the machine's load falls on both.
    for (let round = 0; round < ROUNDS; round++) {
      const curlFirst = round % 2 === 0;
      for (const [pair, ours, ref] of [
        [down, oursDown, curlDown],
        [up, oursUp, curlUp],
      ] as const) {
        if (curlSays && curlFirst) pair.curl.push(await ref());
        pair.ours.push(await ours());
        if (curlSays && !curlFirst) pair.curl.push(await ref());
      }
    }
    pairs.push(down, up);
    try {
      const key = `sk_test_${randomBytes(12).toString('hex')}`;
      const seele = createProvider('seele', {
        baseUrl: () => `${origin}/seele`,
        getKey: async () => key,
        isSandbox: () => true,
        timeoutMs: 300_000,
      });
      rows.push(
        await measure(
          'Upload: Seele presigned PUT via SeeleProvider.uploadFiles (sha-256 pass + session + PUT)',
          async () => {
            const [u] = await seele.uploadFiles([src]);
            if (!u || u.size !== BYTES) throw new Error('Seele upload did not report the full size');
            return u.size;
          },
        ),
      );
    } catch (err) {
      const msg = `Seele presigned PUT not measured: ${(err as Error).message}`;
      say(`transfer  ${msg}`);
      notes.push(msg);
    }
  } finally {
    proc.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
  const summary = pairs.map((p) => {
    const ours = median(p.ours.map((r) => mbps(r.bytes, r.ms)));
    const ref = p.curl.length ? median(p.curl.map((r) => mbps(r.bytes, r.ms))) : undefined;
    const growth = Math.max(...p.ours.map((r) => r.rss.growth));
    // Each round's two transfers run back to back: their ratio is what a change in the machine's load (a VM's
    // neighbours, the page cache's writeback) spoils least, so the figure is the median of the rounds' ratios.
    const roundRatios = p.curl.length
      ? p.ours.map((r, i) => mbps(r.bytes, r.ms) / mbps(p.curl[i].bytes, p.curl[i].ms))
      : [];
    const ratio = roundRatios.length ? median(roundRatios) : undefined;
    say(
      `transfer  ${p.what}: median ${ours.toFixed(0)} MB/s, curl ${ref === undefined ? 'not measured' : `${ref.toFixed(0)} MB/s`}, ratio ${ratio === undefined ? '—' : ratio.toFixed(2)}; RSS growth at most ${fmtMB(growth)} MB`,
    );
    return { p, ours, ref, ratio, roundRatios, growth };
  });
  writeSection({
    id: '5-transfer',
    title: 'Transfers',
    command: 'npm run bench -- transfer',
    body: [
      `${MB} MB (${BYTES.toLocaleString('en')} bytes) each way over 127.0.0.1. The sandbox runs in a child process with a benchmark-only emulator (bench/lib/transferServer.ts: \`GET /bench/bytes/N\` streams generated data, \`PUT /bench/sink\` counts bytes), so the RSS below is the client alone, sampled every 50 ms with \`process.memoryUsage().rss\`. The upload source is generated by streaming to a temp dir and deleted afterwards.`,
      '',
      `Reference: ${curlSays ? `\`${curlSays}\`` : '**none (curl not on PATH)**'} on the same URLs (\`curl -o FILE URL\`, \`curl -T FILE URL\`), ${ROUNDS} rounds alternating which client goes first; medians per client; the ratio is the median of the rounds' ours / curl (goal ≥ 0.7, RSS growth ≤ 64 MB). Before the rounds, one unmeasured 16 MB download by each client and one upload take the first request's one-time costs; before each measured transfer \`sync\` flushes dirty pages, so neither client meets writeback left by the other or by earlier benchmarks.`,
      '',
      table(
        [
          'Transfer',
          'Ours MB/s (median)',
          'curl MB/s (median)',
          'Ours / curl (median of rounds)',
          'Rounds, ours / curl',
          'Rounds, ours (MB/s)',
          'Rounds, curl (MB/s)',
          'RSS growth, worst round (MB)',
        ],
        summary.map((x) => [
          x.p.what,
          x.ours.toFixed(0),
          x.ref === undefined ? 'not measured' : x.ref.toFixed(0),
          x.ratio === undefined ? '—' : x.ratio.toFixed(2),
          x.roundRatios.map((r) => r.toFixed(2)).join(', ') || '—',
          x.p.ours.map((r) => mbps(r.bytes, r.ms).toFixed(0)).join(', '),
          x.p.curl.map((r) => mbps(r.bytes, r.ms).toFixed(0)).join(', ') || '—',
          fmtMB(x.growth),
        ]),
      ),
      '',
      table(
        ['Transfer (ours, once)', 'Seconds', 'MB/s', 'RSS before (MB)', 'Peak RSS (MB)', 'Growth (MB)', 'Samples'],
        rows.map((r) => [
          r.what,
          (r.ms / 1000).toFixed(2),
          mbps(r.bytes, r.ms).toFixed(0),
          fmtMB(r.rss.baseline),
          fmtMB(r.rss.peak),
          fmtMB(r.rss.growth),
          r.rss.samples,
        ]),
      ),
      '',
      ...notes.map((n) => `- ${n}`),
    ].join('\n'),
    figures: {
      bytes: BYTES,
      rounds: ROUNDS,
      reference: curlSays ?? null,
      pairs: summary.map((x) => ({
        what: x.p.what,
        oursMBps: x.ours,
        curlMBps: x.ref ?? null,
        ratio: x.ratio ?? null,
        roundRatios: x.roundRatios,
        rssGrowth: x.growth,
        ours: x.p.ours.map((r) => ({ ms: r.ms, bytes: r.bytes, rss: r.rss })),
        curl: x.p.curl,
      })),
      rows: rows.map((r) => ({ what: r.what, ms: r.ms, bytes: r.bytes, MBps: mbps(r.bytes, r.ms), rss: r.rss })),
    },
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
