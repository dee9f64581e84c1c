import { defineProvider } from '../types';
import { SeekApiProvider } from './provider';

/** Seek API: a worker marketplace with jobs, credits and per-key rate limits (api-docs/seekapi.txt). */
export const seekapi = defineProvider({
  id: 'seekapi',
  label: 'Seek API',
  defaultBaseUrl: 'https://api.seek-api.com/v1',
  auth: { header: 'x-api-key' },
  // The budget is the starting point; the provider follows the key's plan (80% of its rate).
  pollPolicy: { minMs: 2_000, maxMs: 30_000, factor: 1.5, budgetPerSec: 8 },
  frameHosts: [],
  costUnit: 'credits',
  create: (ctx) => new SeekApiProvider(ctx),
});

declare module '../../providerIds' {
  interface ProviderIds {
    seekapi: true;
  }
}
