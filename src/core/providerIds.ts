// The names of the providers, below the engine: jobs, the scheduler and the HTTP client key their state by
// these and know nothing else of a provider. Each provider's descriptor (core/providers/<id>/index.ts) adds its
// id to `ProviderIds` by declaration merging, and core/providers/index.ts lists the descriptors (its PROVIDERS
// does not compile until every id here has one); the run-time list, PROVIDER_IDS, is derived there.

/** One key per provider, added by its descriptor: `declare module '../../providerIds' { interface ProviderIds { x: true } }`. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by declaration merging
export interface ProviderIds {}

export type ProviderId = keyof ProviderIds & string;
