// Shared by the fault-injection suite: the no-unhandled-rejection guard, output capture for the key scan,
// the "one clear message" check, and the counts that `npm run test:faults` writes into bench/results.md.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../../src/core/emulation/prng';

/** The key the suite uses: the runner passes one in so it can scan the whole test output for it. */
export function suiteKey(): string {
  const k = process.env.GENDECK_FAULTS_KEY;
  return k && /^sk_test_[A-Za-z0-9_-]{6,}$/.test(k) ? k : `sk_test_pro_${randomBytes(16).toString('hex')}`;
}

/** Records every unhandled rejection from now on; `check()` fails the suite if there was any. */
export function guardUnhandled(): { list: unknown[]; check(): void } {
  const list: unknown[] = [];
  process.on('unhandledRejection', (reason) => void list.push(reason));
  return {
    list,
    check: () =>
      assert.deepEqual(
        list.map((r) => String((r as Error)?.stack ?? r)),
        [],
        'no unhandled rejections',
      ),
  };
}

/** Everything this process writes to stdout/stderr while it runs (console.log, warnings …). */
export function captureOutput(): { text(): string } {
  const chunks: string[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...a: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
  return { text: () => chunks.join('') };
}

/** A message a person can act on: one line, not empty, no stack, no object dump, not endless. */
export function assertOneClearMessage(message: string, context: string): void {
  assert.ok(message.trim().length > 0, `${context}: empty message`);
  assert.ok(!message.includes('\n'), `${context}: more than one line: ${JSON.stringify(message)}`);
  assert.ok(message.length <= 400, `${context}: ${message.length} characters`);
  assert.ok(
    !/\[object \w+\]|\bat [\w.<>]+ \(|^undefined$|\bundefined\b.*\bundefined\b/.test(message),
    `${context}: not a clear sentence: ${message}`,
  );
}

/** Throws when `key` (or its base64 / URL-encoded forms) appears in any of the texts. */
export function assertNoKey(key: string, artifacts: Record<string, string>): number {
  const forms = [key, Buffer.from(key).toString('base64'), encodeURIComponent(key), key.slice(8)];
  let scanned = 0;
  for (const [name, text] of Object.entries(artifacts)) {
    scanned += text.length;
    for (const f of forms) assert.ok(!text.includes(f), `the key appears in ${name}`);
  }
  return scanned;
}

export interface FaultCounts {
  suite: string;
  faultsInjected: number;
  jobs: number;
  losses: number;
  duplicates: number;
  leaks: number;
  unhandledRejections: number;
  /** Anything else worth a column (kill points, bytes scanned …). */
  extra?: Record<string, number | string>;
}

/** Appends this file's counts for scripts/bench-faults.mjs (only when it asked for them). */
export function reportCounts(c: FaultCounts): void {
  const dir = process.env.GENDECK_FAULTS_REPORT;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, 'counts.jsonl'), `${JSON.stringify({ ...c, at: new Date().toISOString() })}\n`);
}

/** A seeded random source, so a failing kill point can be replayed with GENDECK_FAULTS_SEED. */
export const seeded = mulberry32;

export function suiteSeed(): number {
  const s = Number(process.env.GENDECK_FAULTS_SEED);
  return Number.isFinite(s) && s > 0 ? s : (Date.now() % 1_000_000) + 1;
}
