import { ProviderError, describeError } from '../errors';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import type { ProviderId } from '../providerIds';
import type { Clock } from './clock';
import { realClock } from './clock';
import { isActive, TERMINAL, type Job, type JobPatch } from './job';
import type { JobStore } from './store';

export interface PollPolicy {
  /** First and fastest interval. */
  minMs: number;
  /** Slowest interval reached while nothing changes. */
  maxMs: number;
  /** Interval multiplier per unchanged poll. */
  factor: number;
  /** Requests per second the poller may spend on this provider. */
  budgetPerSec: number;
}

/** Anything that can refresh a job from its provider. */
export interface Poller {
  poll(job: Job, signal: AbortSignal): Promise<JobPatch>;
}

interface Slot {
  nextAt: number;
  /** When the job first became due while its provider's budget was spent. */
  dueSince?: number;
  intervalMs: number;
  inFlight: boolean;
}

export interface SchedulerStats {
  requests: Record<string, number>;
}

/**
 * One poller for every provider. Arms a single timer for the earliest due job and none
 * when no job is active; at most one request per job in flight; each provider's polls
 * are held to its budget per second; the interval backs off while a job does not change.
 */
export class PollScheduler {
  private slots = new Map<string, Slot>();
  private timer: unknown;
  private timerAt = Infinity;
  /** Start times of each provider's polls in the last second (a sliding window, so no 1 s span ever holds more than the budget). */
  private windows = new Map<ProviderId, number[]>();
  private pausedProviders = new Map<ProviderId, string>();
  private readonly abort = new AbortController();
  private disposed = false;
  readonly stats: SchedulerStats = { requests: {} };

  constructor(
    private readonly store: JobStore,
    private readonly pollers: Partial<Record<ProviderId, Poller>>,
    private readonly policies: Record<ProviderId, PollPolicy>,
    private readonly clock: Clock = realClock,
    private readonly log: Logger = silentLogger,
  ) {
    store.onDidChange(() => this.sync());
  }

  /** Adopts the store's active jobs and arms the timer. */
  start(): void {
    this.sync();
  }

  dispose(): void {
    this.disposed = true;
    this.abort.abort();
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  /** Poll these jobs (or all active ones) as soon as the budget allows. */
  kick(keys?: string[]): void {
    const now = this.clock.now();
    for (const key of keys ?? [...this.slots.keys()]) {
      const slot = this.slots.get(key);
      const job = this.store.get(key);
      if (!slot || !job) continue;
      slot.nextAt = now;
      slot.intervalMs = this.policies[job.provider].minMs;
    }
    this.arm();
  }

  /** Stops polling a provider (e.g. its key was rejected) until resumed. */
  pauseProvider(provider: ProviderId, reason: string): void {
    this.pausedProviders.set(provider, reason);
  }

  resumeProvider(provider: ProviderId): void {
    if (this.pausedProviders.delete(provider)) {
      const keys = [...this.slots.keys()].filter((k) => this.store.get(k)?.provider === provider);
      this.kick(keys);
    }
  }

  activeCount(): number {
    return this.slots.size;
  }

  private sync(): void {
    if (this.disposed) return;
    const now = this.clock.now();
    const seen = new Set<string>();
    for (const job of this.store.all()) {
      if (!isActive(job) || !this.pollers[job.provider]) continue;
      seen.add(job.key);
      if (!this.slots.has(job.key)) {
        const policy = this.policies[job.provider];
        this.slots.set(job.key, { nextAt: now + policy.minMs, intervalMs: policy.minMs, inFlight: false });
      }
    }
    for (const key of this.slots.keys()) if (!seen.has(key)) this.slots.delete(key);
    this.arm();
  }

  private arm(): void {
    if (this.disposed) return;
    let earliest = Infinity;
    for (const [key, slot] of this.slots) {
      const job = this.store.get(key);
      if (slot.inFlight || !job || this.pausedProviders.has(job.provider)) continue;
      earliest = Math.min(earliest, slot.nextAt);
    }
    if (earliest === this.timerAt) return;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.timerAt = earliest;
    if (earliest === Infinity) return;
    this.timer = this.clock.setTimer(
      () => {
        this.timer = undefined;
        this.timerAt = Infinity;
        this.tick();
      },
      Math.max(0, earliest - this.clock.now()),
    );
  }

  /**
   * Takes one request from the provider's budget; false when `budgetPerSec` polls already started
   * in the last 1000 ms. A sliding window: a fixed one lets a late-filled second and the next
   * one's burst land within the same second (up to twice the budget).
   */
  private takeBudget(provider: ProviderId, now: number): boolean {
    let starts = this.windows.get(provider);
    if (!starts) this.windows.set(provider, (starts = []));
    while (starts.length && now - starts[0] >= 1000) starts.shift();
    if (starts.length >= this.policies[provider].budgetPerSec) return false;
    starts.push(now);
    return true;
  }

  private tick(): void {
    const now = this.clock.now();
    // Longest-waiting first, so jobs held back by a spent budget are not overtaken by fresher ones.
    const due = [...this.slots]
      .filter(([, slot]) => !slot.inFlight && slot.nextAt <= now)
      .sort(([, a], [, b]) => (a.dueSince ?? a.nextAt) - (b.dueSince ?? b.nextAt));
    for (const [key, slot] of due) {
      const job = this.store.get(key);
      if (!job || this.pausedProviders.has(job.provider)) continue;
      if (!this.takeBudget(job.provider, now)) {
        slot.dueSince ??= slot.nextAt;
        // Due again once the oldest poll of the window has aged out.
        slot.nextAt = (this.windows.get(job.provider)?.[0] ?? now) + 1000;
        continue;
      }
      slot.dueSince = undefined;
      slot.inFlight = true;
      void this.pollOne(job, slot);
    }
    this.arm();
  }

  private async pollOne(job: Job, slot: Slot): Promise<void> {
    const policy = this.policies[job.provider];
    const poller = this.pollers[job.provider]!;
    this.stats.requests[job.provider] = (this.stats.requests[job.provider] ?? 0) + 1;
    try {
      const patch = await poller.poll(job, this.abort.signal);
      if (this.disposed) return;
      const current = this.store.get(job.key);
      if (!current) return;
      const changed = significantChange(current, patch);
      // Merge onto the latest copy (a user action may have changed the job mid-request), and only what differs.
      const diff = differingFields(current, patch);
      if (Object.keys(diff).length) this.store.patch(job.key, diff, new Date(this.clock.now()));
      slot.intervalMs = changed ? policy.minMs : Math.min(policy.maxMs, Math.round(slot.intervalMs * policy.factor));
    } catch (err) {
      if (this.disposed) return;
      this.onPollError(job, slot, err, policy);
    } finally {
      slot.inFlight = false;
      slot.nextAt = this.clock.now() + slot.intervalMs;
      this.sync();
    }
  }

  private onPollError(job: Job, slot: Slot, err: unknown, policy: PollPolicy): void {
    const message = describeError(err);
    if (err instanceof ProviderError && (err.code === 'no_key' || err.status === 401)) {
      this.pauseProvider(job.provider, message);
      this.store.patch(job.key, { progress: 'Paused: the API key is missing or was rejected' });
      this.log.warn(`Polling ${job.provider} paused: ${message}`);
      return;
    }
    if (err instanceof ProviderError && err.status === 404) {
      this.store.patch(job.key, {
        status: 'failed',
        error: { code: 'not_found', message },
        finishedAt: new Date(this.clock.now()).toISOString(),
      });
      return;
    }
    const retryAfter = err instanceof ProviderError ? err.retryAfterMs : undefined;
    slot.intervalMs = Math.min(policy.maxMs * 4, Math.max(retryAfter ?? 0, Math.round(slot.intervalMs * 2)));
    this.log.warn(`Polling ${job.key} failed (${message}); next try in ${Math.round(slot.intervalMs / 1000)} s.`);
  }
}

function differingFields(job: Job, patch: JobPatch): JobPatch {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch)) {
    if (JSON.stringify(v) !== JSON.stringify((job as Record<string, unknown>)[k])) out[k] = v;
  }
  return out as JobPatch;
}

function significantChange(job: Job, patch: JobPatch): boolean {
  if (patch.status && patch.status !== job.status) return true;
  if (patch.remoteStatus !== undefined && patch.remoteStatus !== job.remoteStatus) return true;
  if (patch.progress !== undefined && patch.progress !== job.progress) return true;
  if (patch.outputs && patch.outputs.length !== job.outputs.length) return true;
  if (patch.steps && JSON.stringify(patch.steps) !== JSON.stringify(job.steps)) return true;
  return patch.status !== undefined && TERMINAL.has(patch.status);
}
