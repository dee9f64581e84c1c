import { defineProvider } from '../types';
import { SeisoaiProvider } from './provider';

/** Seisoai: a media tool gateway, paid by API key credits or per request with x402 (api-docs/seisoai.txt). */
export const seisoai = defineProvider({
  id: 'seisoai',
  label: 'Seisoai',
  defaultBaseUrl: 'https://seisoai.com',
  auth: { header: 'x-api-key' },
  pollPolicy: { minMs: 3_000, maxMs: 30_000, factor: 1.5, budgetPerSec: 5 },
  frameHosts: ['seisoai.com'],
  // What x402 pays in (its daily cap counts the receipts); with an API key a call costs the key's USD or credits.
  costUnit: 'USDC',
  create: (ctx) => new SeisoaiProvider(ctx),
});

declare module '../../providerIds' {
  interface ProviderIds {
    seisoai: true;
  }
}
