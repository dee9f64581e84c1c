import type { ProviderId } from '../core/providerIds';
import { SeeleEmulator } from './emulators/seele';
import { SeekApiEmulator } from './emulators/seekapi';
import { Seedancee2Emulator } from './emulators/seedancee2';
import { SeekneticEmulator } from './emulators/seeknetic';
import { SeisoaiEmulator } from './emulators/seisoai';
import { Sandbox, type Emulator, type SandboxOptions } from './server';

export { Sandbox, newSandboxKey } from './server';

/** One emulator per provider id (the compiler asks for a new provider's), each built fresh per sandbox. */
const EMULATORS: { [K in ProviderId]: () => Emulator & { readonly id: K } } = {
  seedancee2: () => new Seedancee2Emulator(),
  seele: () => new SeeleEmulator(),
  seekapi: () => new SeekApiEmulator(),
  seeknetic: () => new SeekneticEmulator(),
  seisoai: () => new SeisoaiEmulator(),
};

/** Every provider's emulator, fresh. */
export function allEmulators(): Emulator[] {
  return Object.values(EMULATORS).map((make) => make());
}

export function createSandbox(opts: SandboxOptions): Sandbox {
  return new Sandbox(opts, allEmulators());
}
