import { defineProvider } from '../types';
import { SeisoaiEmulator } from './emulator';
import { seisoaiLauncher } from './launch';
import { SeisoaiProvider } from './provider';

/** Seisoai: a media tool gateway, paid by API key credits or per request with x402 (api-docs/seisoai.txt). */
export const seisoai = defineProvider({
  id: 'seisoai',
  label: 'Seisoai',
  defaultBaseUrl: 'https://seisoai.com',
  auth: { header: 'x-api-key' },
  pollPolicy: { minMs: 3_000, maxMs: 30_000, factor: 1.5, budgetPerSec: 5 },
  frameHosts: ['seisoai.com'],
  envKey: 'SEISOAI_API_KEY',
  // What x402 pays in (its daily cap counts the receipts); with an API key a call costs the key's USD or credits.
  costUnit: 'USDC',
  create: (ctx) => new SeisoaiProvider(ctx),
  emulator: () => new SeisoaiEmulator(),
  launcher: seisoaiLauncher,
});

declare module '../../providerIds' {
  interface ProviderIds {
    seisoai: true;
  }
}
