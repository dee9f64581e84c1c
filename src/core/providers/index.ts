// Every provider GenDeck knows: one descriptor each, and the tables derived from them. A new provider adds its
// descriptor here; its id (declared by the descriptor itself) makes the type below fail to compile until it does.
import type { Emulator } from '../emulation/emulator';
import type { PollPolicy } from '../jobs/scheduler';
import type { ProviderId } from '../providerIds';
import { seedancee2 } from './seedancee2/index';
import { seekapi } from './seekapi/index';
import { seeknetic } from './seeknetic/index';
import { seele } from './seele/index';
import { seisoai } from './seisoai/index';
import type { Launcher } from './launch';
import type { Job } from '../jobs/job';
import { isJobSource, type KeyedService, type ProviderDescriptor, type ProviderEnv } from './types';

export const PROVIDERS = { seele, seedancee2, seisoai, seekapi, seeknetic } satisfies {
  [K in ProviderId]: ProviderDescriptor<KeyedService, K, Emulator & { readonly id: K }>;
};

/** Every provider id, in the order the views list them (PROVIDERS' order). */
export const PROVIDER_IDS = Object.keys(PROVIDERS) as readonly ProviderId[];

export function isProviderId(v: unknown): v is ProviderId {
  return typeof v === 'string' && Object.hasOwn(PROVIDERS, v);
}

/** The built providers, each with its own type. */
export type Providers = { [K in ProviderId]: ReturnType<(typeof PROVIDERS)[K]['create']> };

export const PROVIDER_LABELS = Object.fromEntries(PROVIDER_IDS.map((id) => [id, PROVIDERS[id].label])) as Record<
  ProviderId,
  string
>;
export const DEFAULT_BASE_URLS = Object.fromEntries(
  PROVIDER_IDS.map((id) => [id, PROVIDERS[id].defaultBaseUrl]),
) as Record<ProviderId, string>;
/** The unit each provider's jobs cost in; absent for one without per-job cost (Seeknetic). */
export const COST_UNITS = Object.fromEntries(PROVIDER_IDS.map((id) => [id, PROVIDERS[id].costUnit])) as Record<
  ProviderId,
  string | undefined
>;
export const DEFAULT_POLL_POLICIES = Object.fromEntries(
  PROVIDER_IDS.map((id) => [id, PROVIDERS[id].pollPolicy]),
) as Record<ProviderId, PollPolicy>;

/** What all providers share: where each one is called, with which key, and the services they may use. */
export interface SharedEnv extends Omit<ProviderEnv, 'baseUrl' | 'getKey'> {
  baseUrl(id: ProviderId): string;
  getKey(id: ProviderId): Promise<string | undefined>;
}

/** Builds one provider from its descriptor. */
export function createProvider<K extends ProviderId>(id: K, env: ProviderEnv): Providers[K] {
  const d = PROVIDERS[id] as ProviderDescriptor;
  // A copy of the policy: a provider may resize its budget without touching the descriptor.
  return d.create({ ...env, facts: { ...d, pollPolicy: { ...d.pollPolicy } } }) as Providers[K];
}

export function createProviders(env: SharedEnv): Providers {
  const built = PROVIDER_IDS.map((id) => [
    id,
    createProvider(id, { ...env, baseUrl: () => env.baseUrl(id), getKey: () => env.getKey(id) }),
  ]);
  return Object.fromEntries(built) as Providers;
}

/** Each provider's launcher over its built service (the providers that start jobs from plain input). */
export function createLaunchers(providers: Providers): Partial<Record<ProviderId, Launcher>> {
  const out: Partial<Record<ProviderId, Launcher>> = {};
  for (const id of PROVIDER_IDS) {
    const d = PROVIDERS[id] as ProviderDescriptor;
    if (d.launcher) out[id] = d.launcher(providers[id]);
  }
  return out;
}

/** A provider's latest jobs as it lists them (Seedancee2, Seek API); undefined for one that lists none. */
export function remoteJobLister(
  providers: Providers,
): (provider: ProviderId, signal?: AbortSignal) => Promise<Job[]> | undefined {
  return (id, signal) => {
    const p = providers[id] as KeyedService | undefined;
    return p && isJobSource(p) && p.listRemote ? p.listRemote(signal) : undefined;
  };
}
