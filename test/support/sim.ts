// The real PollScheduler + JobStore + providers against the sandbox, on simulated time: the scheduler's
// clock and the emulators' clock are one SimulatedClock, so minutes pass in milliseconds while every
// request is still a real HTTP request to the sandbox.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedClock } from '../../src/core/jobs/clock';
import type { Job, JobPatch } from '../../src/core/jobs/job';
import { PollScheduler, type Poller, type PollPolicy } from '../../src/core/jobs/scheduler';
import { JobStore } from '../../src/core/jobs/store';
import { TokenBucket } from '../../src/core/http/rateLimit';
import type { Logger } from '../../src/core/log';
import type { ProviderId } from '../../src/core/providerIds';
import { createProviders, PROVIDERS, type Providers } from '../../src/core/providers/index';
import { adaptersFor } from './adapters';
import { SeekneticProvider } from '../../src/core/providers/seeknetic/provider';
import { DEFAULT_POLL_POLICIES } from '../../src/core/providers/index';
import type { Sandbox } from '../../src/sandbox/index';
import { createTestSandbox, type Emulators } from './sandbox';

export interface SimHarness {
  clock: SimulatedClock;
  sandbox: Sandbox;
  emulators: Emulators;
  providers: Providers;
  store: JobStore;
  scheduler: PollScheduler;
  policies: Record<ProviderId, PollPolicy>;
  key: string;
  /** Polls started by the scheduler, per provider, with the simulated time they started at. */
  polls: { provider: ProviderId; key: string; at: number }[];
  /** Freezes the emulators' clock at this simulated time ("a server that never finishes"); undefined follows the clock. */
  freezeServerAt: number | undefined;
  /** Advances simulated time by `ms` in steps, letting each step's HTTP requests finish in real time. */
  advance(ms: number, stepMs?: number): Promise<void>;
  /** Runs until `done()` or `maxMs` of simulated time; returns the simulated ms it took. */
  runUntil(done: () => boolean, maxMs: number, stepMs?: number): Promise<number>;
  inFlight(): number;
  stop(): Promise<void>;
}

export async function startSim(o: {
  mediaDir: string;
  timeScale?: number;
  logger?: Logger;
  timeoutMs?: number;
  policies?: Partial<Record<ProviderId, PollPolicy>>;
}): Promise<SimHarness> {
  const clock = new SimulatedClock(Date.UTC(2025, 0, 1));
  let frozen: number | undefined;
  const { sandbox, emulators } = createTestSandbox({
    mediaDir: o.mediaDir,
    timeScale: o.timeScale ?? 1,
    now: () => frozen ?? clock.now(),
    acceptTestKeys: true,
  });
  await sandbox.start();
  const key = `sk_test_${randomBytes(16).toString('hex')}`;
  const env = {
    baseUrl: (id: ProviderId) => sandbox.baseUrl(id),
    getKey: async () => key,
    isSandbox: () => true,
    logger: o.logger,
    timeoutMs: o.timeoutMs ?? 10_000,
  };
  const providers: Providers = {
    ...createProviders(env),
    // Seeknetic's client paces itself at 8 requests per real second; simulated hours pass in real seconds here,
    // so that pacing would only stretch the run (the scheduler's own budget is what these runs measure).
    seeknetic: new SeekneticProvider(
      {
        baseUrl: () => env.baseUrl('seeknetic'),
        getKey: env.getKey,
        logger: env.logger,
        timeoutMs: env.timeoutMs,
        facts: PROVIDERS.seeknetic,
      },
      { rateLimiter: new TokenBucket(1000, 1000) },
    ),
  };
  const dir = mkdtempSync(join(tmpdir(), 'gendeck-sim-'));
  const store = new JobStore(join(dir, 'jobs.json'), o.logger);
  await store.load();
  // Like GenDeck's context: each provider's own policy (scale 1).
  const policies = { ...DEFAULT_POLL_POLICIES } as Record<ProviderId, PollPolicy>;
  for (const p of Object.values(providers)) policies[p.id] = { ...p.pollPolicy };
  Object.assign(policies, o.policies ?? {});
  let inFlight = 0;
  const polls: SimHarness['polls'] = [];
  const pollers: Partial<Record<ProviderId, Poller>> = {};
  for (const adapter of adaptersFor({ providers, emulators })) {
    const id = adapter.id;
    const p = adapter.poller;
    pollers[id] = {
      poll: async (job: Job, signal: AbortSignal): Promise<JobPatch> => {
        inFlight++;
        polls.push({ provider: id, key: job.key, at: clock.now() });
        try {
          return await p.poll(job, signal);
        } finally {
          inFlight--;
        }
      },
    };
  }
  const scheduler = new PollScheduler(store, pollers, policies, clock, o.logger);
  scheduler.start();
  const settle = async () => {
    const end = Date.now() + 30_000;
    while (inFlight > 0) {
      if (Date.now() > end) throw new Error(`sim: ${inFlight} poll(s) still in flight after 30 s of real time`);
      await new Promise((r) => setTimeout(r, 1));
    }
  };
  const h: SimHarness = {
    clock,
    sandbox,
    emulators,
    providers,
    store,
    scheduler,
    policies,
    key,
    polls,
    get freezeServerAt() {
      return frozen;
    },
    set freezeServerAt(v: number | undefined) {
      frozen = v;
    },
    async advance(ms, stepMs = 100) {
      for (let t = 0; t < ms; t += stepMs) {
        await clock.advance(Math.min(stepMs, ms - t));
        await settle();
      }
    },
    async runUntil(done, maxMs, stepMs = 100) {
      const t0 = clock.now();
      while (!done() && clock.now() - t0 < maxMs) {
        await clock.advance(stepMs);
        await settle();
      }
      return clock.now() - t0;
    },
    inFlight: () => inFlight,
    async stop() {
      scheduler.dispose();
      await store.flush();
      await sandbox.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}
