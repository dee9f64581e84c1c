import { defineProvider } from '../types';
import { SeekneticEmulator } from './emulator';
import { SeekneticProvider } from './provider';

/** Seeknetic: video and text embeddings for the workspace search index; no jobs (api-docs/seeknetic.txt). */
export const seeknetic = defineProvider({
  id: 'seeknetic',
  label: 'Seeknetic',
  defaultBaseUrl: 'https://api.seeknetic.com',
  auth: { header: 'x-api-key' },
  // Paces its own waits for async requests.
  pollPolicy: { minMs: 2_000, maxMs: 15_000, factor: 1.5, budgetPerSec: 5 },
  frameHosts: [],
  envKey: 'SEEKNETIC_API_KEY',
  create: (ctx) => new SeekneticProvider(ctx),
  emulator: () => new SeekneticEmulator(),
});

declare module '../../providerIds' {
  interface ProviderIds {
    seeknetic: true;
  }
}
