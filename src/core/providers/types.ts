import type { HttpClient } from '../http/client';
import type { Poller, PollPolicy } from '../jobs/scheduler';
import type { Job, JobPatch } from '../jobs/job';
import type { ProviderId } from './ids';

export interface ProviderCapabilities {
  cancel: boolean;
  followUp: boolean;
  upload: boolean;
  listRemote: boolean;
  costEstimate: boolean;
}

/** What every provider adapter offers the editor layer, whatever its own API looks like. */
export interface Provider extends Poller {
  readonly id: ProviderId;
  readonly http: HttpClient;
  readonly capabilities: ProviderCapabilities;
  readonly pollPolicy: PollPolicy;
  /** Throws a ProviderError when the key is not accepted; used before a key is saved. `baseUrl` overrides the current one. */
  validateKey(key: string, o?: { signal?: AbortSignal; baseUrl?: string }): Promise<void>;
  /** Whether the Cancel action applies to this job now. */
  canCancel(job: Job): boolean;
  cancel?(job: Job, signal?: AbortSignal): Promise<JobPatch>;
  /** Jobs the provider knows about, as local jobs (merged without duplicates). */
  listRemote?(signal?: AbortSignal): Promise<Job[]>;
}

/** How long an idle provider may go unpolled, and how fast it may be polled. */
export const DEFAULT_POLL_POLICIES: Record<ProviderId, PollPolicy> = {
  seele: { minMs: 10_000, maxMs: 30_000, factor: 1.5, budgetPerSec: 5 },
  seedancee2: { minMs: 3_000, maxMs: 30_000, factor: 1.5, budgetPerSec: 5 },
  seisoai: { minMs: 3_000, maxMs: 30_000, factor: 1.5, budgetPerSec: 5 },
  seekapi: { minMs: 2_000, maxMs: 30_000, factor: 1.5, budgetPerSec: 8 },
  seeknetic: { minMs: 2_000, maxMs: 15_000, factor: 1.5, budgetPerSec: 5 },
};
