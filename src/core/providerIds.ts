// The names of the providers, below the engine: jobs, the scheduler and the HTTP client key their state by
// these and know nothing else of a provider. Each provider's facts (label, base URL, auth, poll policy, frame
// hosts) are in its descriptor, core/providers/<id>/index.ts; core/providers/index.ts checks there is one per id.

export const PROVIDER_IDS = ['seele', 'seedancee2', 'seisoai', 'seekapi', 'seeknetic'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export function isProviderId(v: unknown): v is ProviderId {
  return typeof v === 'string' && (PROVIDER_IDS as readonly string[]).includes(v);
}
