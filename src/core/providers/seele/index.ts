import { defineProvider } from '../types';
import { SeeleEmulator } from './emulator';
import { seeleLauncher } from './launch';
import { COST_UNIT } from './contract';
import { SeeleProvider } from './provider';

/** Seele: game generation jobs with reference uploads and follow-up steps (api-docs/seele.txt). */
export const seele = defineProvider({
  id: 'seele',
  label: 'Seele',
  defaultBaseUrl: 'https://openapi.seeles.ai',
  auth: { header: 'authorization', scheme: 'Bearer' },
  // The document asks for no faster than every 10 s.
  pollPolicy: { minMs: 10_000, maxMs: 30_000, factor: 1.5, budgetPerSec: 5 },
  frameHosts: ['seeles.ai', 'seele.ai'],
  envKey: 'SEELE_API_KEY',
  costUnit: COST_UNIT,
  create: (ctx) => new SeeleProvider(ctx),
  emulator: () => new SeeleEmulator(),
  launcher: seeleLauncher,
});

declare module '../../providerIds' {
  interface ProviderIds {
    seele: true;
  }
}
