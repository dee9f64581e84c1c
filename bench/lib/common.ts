// Shared by the benchmarks: where results go, timing, RSS sampling, formatting.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

/** The repository root (bench bundles run from bench/tmp/build, sources from bench/). */
export const REPO = resolve(process.env.GENDECK_REPO ?? process.cwd());
export const BENCH_TMP = join(REPO, 'bench', 'tmp');
export const RESULTS_DIR = join(BENCH_TMP, 'results');
export const MEDIA_DIR = join(REPO, 'media');

export interface Section {
  /** File name and order key, e.g. "2-poller". */
  id: string;
  title: string;
  /** The exact command that reproduces this section alone. */
  command: string;
  /** Markdown body (tables, notes). */
  body: string;
  /** Machine-readable figures. */
  figures: unknown;
  date?: string;
}

/** Writes one benchmark's section for scripts/bench.mjs to assemble into bench/results.md. */
export function writeSection(s: Section): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(
    join(RESULTS_DIR, `${s.id}.json`),
    JSON.stringify({ ...s, date: s.date ?? new Date().toISOString() }, null, 2),
  );
}

export const now = () => performance.now();

export async function timeIt<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

export function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function percentile(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export const fmtMs = (ms: number) =>
  ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3);
export const fmtMB = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);

export function table(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map((c) => String(c)).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Samples process RSS every `everyMs` (50 ms by default) until stopped. */
export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  readonly samples: { t: number; rss: number }[] = [];
  private t0 = 0;
  constructor(private readonly everyMs = 50) {}
  start(): this {
    this.t0 = performance.now();
    const take = () => this.samples.push({ t: performance.now() - this.t0, rss: process.memoryUsage().rss });
    take();
    this.timer = setInterval(take, this.everyMs);
    return this;
  }
  stop(): { baseline: number; peak: number; last: number; samples: number; growth: number } {
    if (this.timer) clearInterval(this.timer);
    this.samples.push({ t: performance.now() - this.t0, rss: process.memoryUsage().rss });
    const baseline = this.samples[0].rss;
    const peak = Math.max(...this.samples.map((s) => s.rss));
    return {
      baseline,
      peak,
      last: this.samples[this.samples.length - 1].rss,
      samples: this.samples.length,
      growth: peak - baseline,
    };
  }
}

/** Prints a line to stdout straight away (benchmarks are long; show progress). */
export function say(...parts: unknown[]): void {
  process.stdout.write(`${parts.map(String).join(' ')}\n`);
}
