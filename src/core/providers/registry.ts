import type { Dispatcher } from 'undici';
import type { Logger } from '../log';
import type { ProviderId } from './ids';
import { SeeleProvider } from './seele/provider';
import { SeekApiProvider } from './seekapi/provider';
import { Seedancee2Provider } from './seedancee2/provider';
import { SeekneticProvider } from './seeknetic/provider';
import { SeisoaiProvider } from './seisoai/provider';
import type { Provider } from './types';

/** What providers need from their surroundings: where to call, with which key, and where to log. */
export interface ProviderEnv {
  baseUrl(id: ProviderId): string;
  getKey(id: ProviderId): Promise<string | undefined>;
  isSandbox(): boolean;
  logger?: Logger;
  dispatcher?: Dispatcher;
  timeoutMs?: number;
}

export interface Providers {
  seele: SeeleProvider;
  seedancee2: Seedancee2Provider;
  seeknetic: SeekneticProvider;
  seekapi: SeekApiProvider;
  seisoai: SeisoaiProvider;
}

export function createProviders(env: ProviderEnv): Providers {
  const common = (id: ProviderId) => ({
    baseUrl: () => env.baseUrl(id),
    getKey: () => env.getKey(id),
    logger: env.logger,
    dispatcher: env.dispatcher,
    timeoutMs: env.timeoutMs,
  });
  return {
    seele: new SeeleProvider(common('seele'), env.isSandbox),
    seedancee2: new Seedancee2Provider(common('seedancee2'), env.isSandbox),
    seeknetic: new SeekneticProvider(common('seeknetic')),
    seekapi: new SeekApiProvider(common('seekapi'), env.isSandbox),
    seisoai: new SeisoaiProvider(common('seisoai'), env.isSandbox),
  };
}

export function providerList(p: Providers): Provider[] {
  return Object.values(p) as Provider[];
}
