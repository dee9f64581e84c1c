import { defineProvider } from '../types';
import { SeekApiEmulator } from './emulator';
import { seekapiLauncher } from './launch';
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
  envKey: 'SEEKAPI_KEY',
  costUnit: 'credits',
  create: (ctx) => new SeekApiProvider(ctx),
  emulator: () => new SeekApiEmulator(),
  launcher: seekapiLauncher,
});

declare module '../../providerIds' {
  interface ProviderIds {
    seekapi: true;
  }
}
