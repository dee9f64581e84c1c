import type { Dispatcher } from 'undici';
import type { HttpClient, HttpClientOptions, KeyAuth } from '../http/client';
import { keyHeaders } from '../http/client';
import type { Job, JobPatch } from '../jobs/job';
import type { Poller, PollPolicy } from '../jobs/scheduler';
import type { Charge, SpendGate } from '../jobs/spend';
import type { JobStore } from '../jobs/store';
import type { Emulator } from '../emulation/emulator';
import type { Logger } from '../log';
import type { Launcher } from './launch';
import type { ProviderId } from '../providerIds';
import type { X402Payer } from '../x402/payer';

/** What every provider is: a service reached with its own key on its own base URL. */
export interface KeyedService {
  readonly id: ProviderId;
  readonly http: HttpClient;
  /** Throws a ProviderError when the key is not accepted; used before a key is saved. `baseUrl` overrides the current one. */
  validateKey(key: string, o?: { signal?: AbortSignal; baseUrl?: string }): Promise<void>;
}

/** A provider whose work shows as jobs in the Jobs view; the scheduler polls it. */
export interface JobSource extends Poller {
  /** The policy in force (a provider may resize its budget as it learns its rate limit). */
  readonly pollPolicy: PollPolicy;
  /** Set when a job takes follow-up steps (Seele). */
  readonly followUp?: boolean;
  /** Whether the Cancel action applies to this job now. */
  canCancel(job: Job): boolean;
  cancel?(job: Job, signal?: AbortSignal): Promise<JobPatch>;
  /** Jobs the provider knows about, as local jobs (merged without duplicates). */
  listRemote?(signal?: AbortSignal): Promise<Job[]>;
}

export function isJobSource<S extends KeyedService>(p: S): p is S & JobSource {
  return typeof (p as Partial<JobSource>).poll === 'function';
}

/** The store as a provider may use it: read a job, patch it in one synchronous step. */
export type JobAccess = Pick<JobStore, 'get' | 'patch'>;

/** Something a provider tells the editor: what it shows went stale (a 404 on a worker or job, a publish). */
export interface ProviderEvent {
  provider: ProviderId;
  stale: 'workers' | 'jobs' | 'account';
}

/** A provider's facts: who it is, where it lives, how it takes its key, how fast it may be polled. */
export interface ProviderFacts {
  readonly id: ProviderId;
  readonly label: string;
  readonly defaultBaseUrl: string;
  readonly auth: KeyAuth;
  readonly pollPolicy: PollPolicy;
  /** Hosts whose pages may be framed in the preview (a suffix match on the host name, https only). */
  readonly frameHosts: readonly string[];
  /** The unit its jobs cost in (Seele koin, credits, USDC); absent when its work has no per-job cost. */
  readonly costUnit?: string;
  /** The environment variable the CLI and the MCP server read its key from (the name its own docs use). */
  readonly envKey: string;
}

/** What a provider gets from its surroundings, all at construction. */
export interface ProviderEnv {
  /** Read on every request, so a settings change or the sandbox takes effect at once. */
  baseUrl: () => string;
  getKey: () => Promise<string | undefined>;
  isSandbox?: () => boolean;
  logger?: Logger;
  dispatcher?: Dispatcher;
  timeoutMs?: number;
  /** The job store, for providers that keep state on their jobs (Seele's queued steps). */
  jobs?: JobAccess;
  /** The x402 payer in force (Seisoai without a key); read at each payment. */
  payer?: () => X402Payer | undefined;
  emit?: (event: ProviderEvent) => void;
  /** The daily budgets: every paid create is sent through it, which refuses one that would pass its budget. */
  budget?: SpendGate;
}

/** The env plus the provider's own facts, as `create` receives it. */
export interface ProviderContext extends ProviderEnv {
  facts: ProviderFacts;
}

/** One provider: its facts and how to build it. Every per-provider table derives from these. */
export interface ProviderDescriptor<
  S extends KeyedService = KeyedService,
  K extends ProviderId = ProviderId,
  E extends Emulator = Emulator,
> extends ProviderFacts {
  readonly id: K;
  create(ctx: ProviderContext): S;
  /** Its sandbox emulator (`emulator.ts`), fresh: every provider works with no key. */
  emulator(): E & { readonly id: K };
  /** How scripts and agents start its jobs (`launch.ts`); absent when it has none (Seeknetic searches). */
  launcher?(service: S): Launcher;
}

export function defineProvider<
  const K extends ProviderId,
  S extends KeyedService & { readonly id: K },
  E extends Emulator & { readonly id: K },
>(d: ProviderDescriptor<S, K, E>): ProviderDescriptor<S, K, E> {
  return d;
}

/** Sends a paid create through the budget gate when there is one. */
export function gated<T>(gate: SpendGate | undefined, charge: Charge, send: () => Promise<T>): Promise<T> {
  return gate ? gate.run(charge, send) : send();
}

/** The HTTP options a provider's client starts from: its id, label, key header, base URL and limits. */
export function clientOptions(
  ctx: ProviderContext,
): Pick<
  HttpClientOptions,
  'provider' | 'label' | 'authHeaders' | 'baseUrl' | 'getKey' | 'logger' | 'dispatcher' | 'timeoutMs'
> {
  return {
    provider: ctx.facts.id,
    label: ctx.facts.label,
    authHeaders: keyHeaders(ctx.facts.auth),
    baseUrl: ctx.baseUrl,
    getKey: ctx.getKey,
    logger: ctx.logger,
    dispatcher: ctx.dispatcher,
    timeoutMs: ctx.timeoutMs,
  };
}
