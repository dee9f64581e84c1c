export const PROVIDER_IDS = ['seele', 'seedancee2', 'seisoai', 'seekapi', 'seeknetic'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export const PROVIDER_LABELS: Record<ProviderId, string> = {
  seele: 'Seele',
  seedancee2: 'Seedancee2',
  seisoai: 'Seisoai',
  seekapi: 'Seek API',
  seeknetic: 'Seeknetic',
};

export const DEFAULT_BASE_URLS: Record<ProviderId, string> = {
  seele: 'https://openapi.seeles.ai',
  seedancee2: 'https://api.seedancee2.ai',
  seisoai: 'https://seisoai.com',
  seekapi: 'https://api.seek-api.com/v1',
  seeknetic: 'https://api.seeknetic.com',
};

export function isProviderId(v: unknown): v is ProviderId {
  return typeof v === 'string' && (PROVIDER_IDS as readonly string[]).includes(v);
}
