import type { ProviderId } from '../core/providerIds';
import { PROVIDER_IDS, PROVIDERS } from '../core/providers/index';
import { Sandbox, type SandboxOptions } from './server';

export { Sandbox, newSandboxKey } from './server';

/** Each provider's emulator with its own type (tests read and steer their state); its descriptor builds it. */
export type EmulatorsById = { [K in ProviderId]: ReturnType<(typeof PROVIDERS)[K]['emulator']> };

/** Every provider's emulator, fresh. */
export function allEmulators(): EmulatorsById {
  return Object.fromEntries(PROVIDER_IDS.map((id) => [id, PROVIDERS[id].emulator()])) as EmulatorsById;
}

export function createSandbox(opts: SandboxOptions): Sandbox {
  return new Sandbox(opts, Object.values(allEmulators()));
}
