// Transfer benchmark: download and upload of a 1 GB file against the sandbox (running in its own process),
// throughput and the client's RSS sampled every 50 ms (it must stay flat: both directions stream).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { once } from 'node:events';
import { downloadToFile, uploadFile } from '../src/core/http/transfer';
import { fmtMB, MEDIA_DIR, RssSampler, say, table, writeSection } from './lib/common';

const MB = Number(process.env.GENDECK_BENCH_TRANSFER_MB ?? 1024);
const BYTES = MB * 1024 * 1024;

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

async function measure(what: string, fn: () => Promise<number>): Promise<Row> {
  if (global.gc) global.gc();
  const s = new RssSampler(50).start();
  const t0 = performance.now();
  const bytes = await fn();
  const ms = performance.now() - t0;
  const rss = s.stop();
  say(
    `transfer  ${what}: ${fmtMB(bytes)} MB in ${(ms / 1000).toFixed(2)} s = ${(bytes / 2 ** 20 / (ms / 1000)).toFixed(0)} MB/s; RSS ${fmtMB(rss.baseline)} → peak ${fmtMB(rss.peak)} MB (+${fmtMB(rss.growth)} MB, ${rss.samples} samples)`,
  );
  return { what, ms, bytes, rss };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'gendeck-bench-transfer-'));
  const { origin, proc } = await startServer();
  const rows: Row[] = [];
  const notes: string[] = [];
  try {
    const src = join(dir, 'upload.bin');
    const genMs = await writeSource(src);
    say(`transfer  generated ${MB} MB source file in ${(genMs / 1000).toFixed(1)} s`);
    rows.push(
      await measure('Download: downloadToFile from GET /bench/bytes/N (streamed to .part, renamed)', async () => {
        const dest = join(dir, 'download.bin');
        const r = await downloadToFile(`${origin}/bench/bytes/${BYTES}`, dest, {
          provider: 'seedancee2',
          label: 'Seedancee2',
          timeoutMs: 120_000,
        });
        if (statSync(dest).size !== BYTES) throw new Error('download size mismatch');
        rmSync(dest);
        return r.bytes;
      }),
    );
    rows.push(
      await measure('Upload: uploadFile PUT to /bench/sink (the server counts bytes)', async () => {
        const status = await uploadFile(`${origin}/bench/sink`, src, {
          provider: 'seele',
          label: 'Seele',
          method: 'PUT',
          timeoutMs: 300_000,
        });
        if (status !== 200) throw new Error(`upload status ${status}`);
        // uploadFile returns the status only: ask the sink how many bytes it counted.
        const counted = ((await (await fetch(`${origin}/bench/sink`)).json()) as { bytes: number }).bytes;
        if (counted !== BYTES) throw new Error(`the sink counted ${counted} bytes, not ${BYTES}`);
        return counted;
      }),
    );
    try {
      const { SeeleProvider } = await import('../src/core/providers/seele/provider');
      const seele = new SeeleProvider({
        baseUrl: () => `${origin}/seele`,
        getKey: async () => `sk_test_${randomBytes(12).toString('hex')}`,
        timeoutMs: 300_000,
      } as never);
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
      notes.push(`Seele presigned PUT not measured: ${(err as Error).message}`);
    }
  } finally {
    proc.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
  writeSection({
    id: '5-transfer',
    title: 'Transfers',
    command: 'npm run bench -- transfer',
    body: [
      `${MB} MB (${BYTES.toLocaleString('en')} bytes) each way over 127.0.0.1. The sandbox runs in a child process with a benchmark-only emulator (bench/lib/transferServer.ts: \`GET /bench/bytes/N\` streams generated data, \`PUT /bench/sink\` counts bytes), so the RSS below is the client alone, sampled every 50 ms with \`process.memoryUsage().rss\`. The upload source is generated by streaming to a temp dir and deleted afterwards.`,
      '',
      table(
        ['Transfer', 'Seconds', 'MB/s', 'RSS before (MB)', 'Peak RSS (MB)', 'Growth (MB)', 'Samples'],
        rows.map((r) => [
          r.what,
          (r.ms / 1000).toFixed(2),
          (r.bytes / 2 ** 20 / (r.ms / 1000)).toFixed(0),
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
      rows: rows.map((r) => ({
        what: r.what,
        ms: r.ms,
        bytes: r.bytes,
        MBps: r.bytes / 2 ** 20 / (r.ms / 1000),
        rss: r.rss,
      })),
    },
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
