import { defineProvider } from '../types';
import { Seedancee2Emulator } from './emulator';
import { seedancee2Launcher } from './launch';
import { Seedancee2Provider } from './provider';

/** Seedancee2: video generation tasks paid in credits (api-docs/seedancee2.txt). */
export const seedancee2 = defineProvider({
  id: 'seedancee2',
  label: 'Seedancee2',
  defaultBaseUrl: 'https://api.seedancee2.ai',
  auth: { header: 'authorization', scheme: 'Bearer' },
  pollPolicy: { minMs: 3_000, maxMs: 30_000, factor: 1.5, budgetPerSec: 5 },
  frameHosts: [],
  envKey: 'SEEDANCEE2_API_KEY',
  costUnit: 'credits',
  create: (ctx) => new Seedancee2Provider(ctx),
  emulator: () => new Seedancee2Emulator(),
  launcher: seedancee2Launcher,
});

declare module '../../providerIds' {
  interface ProviderIds {
    seedancee2: true;
  }
}
