import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../src/core/log';
import type { ProviderId } from '../../src/core/providers/ids';
import { createProviders, type Providers } from '../../src/core/providers/registry';
import { createSandbox, type Sandbox } from '../../src/sandbox/index';

export const MEDIA_DIR = join(__dirname, '..', '..', '..', 'media');

/** A logger that keeps every line, so tests can scan it for leaked keys. */
export class MemoryLogger implements Logger {
  lines: string[] = [];
  trace = (m: string) => void this.lines.push(`trace ${m}`);
  debug = (m: string) => void this.lines.push(`debug ${m}`);
  info = (m: string) => void this.lines.push(`info ${m}`);
  warn = (m: string) => void this.lines.push(`warn ${m}`);
  error = (m: string) => void this.lines.push(`error ${m}`);
}

export interface Harness {
  sandbox: Sandbox;
  providers: Providers;
  key: string;
  log: MemoryLogger;
  tmp: string;
  stop(): Promise<void>;
}

/** A sandbox on a random port and providers pointed at it with a fresh secret test key. */
export async function startHarness(
  o: { timeScale?: number; key?: string | null; timeoutMs?: number } = {},
): Promise<Harness> {
  const sandbox = createSandbox({ mediaDir: MEDIA_DIR, timeScale: o.timeScale ?? 0.02, acceptTestKeys: true });
  await sandbox.start();
  const key = o.key === null ? '' : (o.key ?? `sk_test_${randomBytes(16).toString('hex')}`);
  const log = new MemoryLogger();
  const providers = createProviders({
    baseUrl: (id: ProviderId) => sandbox.baseUrl(id),
    getKey: async () => key || undefined,
    isSandbox: () => true,
    logger: log,
    timeoutMs: o.timeoutMs ?? 5000,
  });
  const tmp = mkdtempSync(join(tmpdir(), 'gendeck-test-'));
  return { sandbox, providers, key, log, tmp, stop: () => sandbox.stop() };
}

export async function waitFor<T>(
  fn: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
  stepMs = 25,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > end) throw new Error('waitFor timed out');
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
