import { randomBytes } from 'node:crypto';
import { TokenBucket } from '../../src/core/http/rateLimit';
import { seeknetic } from '../../src/core/providers/seeknetic/index';
import { SeekneticProvider } from '../../src/core/providers/seeknetic/provider';
import { SeekneticEmulator } from '../../src/core/providers/seeknetic/emulator';
import { Sandbox } from '../../src/sandbox/server';
import { MEDIA_DIR, MemoryLogger } from './sandbox';

export interface SeekneticHarness {
  sandbox: Sandbox;
  emulator: SeekneticEmulator;
  provider: SeekneticProvider;
  key: string;
  log: MemoryLogger;
  /** Fast polling for the scaled-down sandbox. */
  wait: { pollMs: number; maxPollMs: number };
  stop(): Promise<void>;
}

/** A sandbox with the Seeknetic emulator alone (its counters at hand) and a provider pointed at it. */
export async function startSeeknetic(o: { timeScale?: number } = {}): Promise<SeekneticHarness> {
  const emulator = new SeekneticEmulator();
  const sandbox = new Sandbox({ mediaDir: MEDIA_DIR, timeScale: o.timeScale ?? 0.02, acceptTestKeys: true }, [
    emulator,
  ]);
  await sandbox.start();
  const key = `sk_test_${randomBytes(16).toString('hex')}`;
  const log = new MemoryLogger();
  // The sandbox has no QPS limit: lift the client's own pacing so polling at test speed is not throttled.
  const provider = new SeekneticProvider(
    {
      baseUrl: () => sandbox.baseUrl('seeknetic'),
      getKey: async () => key,
      logger: log,
      timeoutMs: 10_000,
      facts: seeknetic,
    },
    { rateLimiter: new TokenBucket(1000, 1000) },
  );
  return { sandbox, emulator, provider, key, log, wait: { pollMs: 10, maxPollMs: 40 }, stop: () => sandbox.stop() };
}
