import type { ProviderId } from '../core/providerIds';
import { SeeleEmulator } from './emulators/seele';
import { SeekApiEmulator } from './emulators/seekapi';
import { Seedancee2Emulator } from './emulators/seedancee2';
import { SeekneticEmulator } from './emulators/seeknetic';
import { SeisoaiEmulator } from './emulators/seisoai';
import { Sandbox, type Emulator, type SandboxOptions } from './server';

export { Sandbox, newSandboxKey } from './server';

/** One emulator per provider id (the compiler asks for a new provider's), each built fresh per sandbox. */
const EMULATORS = {
  seedancee2: () => new Seedancee2Emulator(),
  seele: () => new SeeleEmulator(),
  seekapi: () => new SeekApiEmulator(),
  seeknetic: () => new SeekneticEmulator(),
  seisoai: () => new SeisoaiEmulator(),
} satisfies { [K in ProviderId]: () => Emulator & { readonly id: K } };

/** Each provider's emulator with its own type (tests read and steer their state). */
export type EmulatorsById = { [K in ProviderId]: ReturnType<(typeof EMULATORS)[K]> };

/** Every provider's emulator, fresh. */
export function allEmulators(): EmulatorsById {
  const ids = Object.keys(EMULATORS) as ProviderId[];
  return Object.fromEntries(ids.map((id) => [id, EMULATORS[id]()])) as EmulatorsById;
}

export function createSandbox(opts: SandboxOptions): Sandbox {
  return new Sandbox(opts, Object.values(allEmulators()));
}
