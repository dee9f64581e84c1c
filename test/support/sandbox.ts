import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../src/core/log';
import type { ProviderId } from '../../src/core/providerIds';
import { createProvider, createProviders, type Providers } from '../../src/core/providers/index';
import type { ProviderEnv, ProviderEvent } from '../../src/core/providers/types';
import type { X402Payer } from '../../src/core/x402/payer';
import { allEmulators, Sandbox, type EmulatorsById } from '../../src/sandbox/index';
import type { SandboxOptions } from '../../src/sandbox/server';

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

/** Each provider's emulator, typed, so tests read and steer its state directly. */
export type Emulators = EmulatorsById;

/** The product's sandbox (allEmulators(), as createSandbox builds it), keeping a typed hold on each emulator. */
export function createTestSandbox(opts: SandboxOptions): { sandbox: Sandbox; emulators: Emulators } {
  const emulators = allEmulators();
  return { sandbox: new Sandbox(opts, Object.values(emulators)), emulators };
}

export interface Harness {
  sandbox: Sandbox;
  emulators: Emulators;
  providers: Providers;
  /** The payer Seisoai uses for x402 (none until a test sets one). */
  payer: X402Payer | undefined;
  /** What the providers reported (e.g. Seek API: the workers list went stale). */
  events: ProviderEvent[];
  /** A fresh provider on the same sandbox and key, with extras (e.g. the job store). */
  create<K extends ProviderId>(id: K, extra?: Partial<ProviderEnv>): Providers[K];
  key: string;
  log: MemoryLogger;
  tmp: string;
  stop(): Promise<void>;
}

/** A sandbox on a random port and providers pointed at it with a fresh secret test key. */
export async function startHarness(
  o: { timeScale?: number; key?: string | null; timeoutMs?: number } = {},
): Promise<Harness> {
  const { sandbox, emulators } = createTestSandbox({
    mediaDir: MEDIA_DIR,
    timeScale: o.timeScale ?? 0.02,
    acceptTestKeys: true,
  });
  await sandbox.start();
  const key = o.key === null ? '' : (o.key ?? `sk_test_${randomBytes(16).toString('hex')}`);
  const log = new MemoryLogger();
  const events: ProviderEvent[] = [];
  const h: Harness = {
    sandbox,
    emulators,
    key,
    log,
    events,
    payer: undefined,
    providers: undefined as unknown as Providers,
    tmp: mkdtempSync(join(tmpdir(), 'gendeck-test-')),
    create: (id, extra = {}) => createProvider(id, { ...env(id), ...extra }),
    stop: () => sandbox.stop(),
  };
  const env = (id: ProviderId): ProviderEnv => ({
    baseUrl: () => sandbox.baseUrl(id),
    getKey: async () => key || undefined,
    isSandbox: () => true,
    logger: log,
    timeoutMs: o.timeoutMs ?? 5000,
    payer: () => h.payer,
    emit: (e) => void events.push(e),
  });
  h.providers = createProviders({
    ...env('seele'),
    baseUrl: (id) => sandbox.baseUrl(id),
    getKey: async () => key || undefined,
  });
  return h;
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
