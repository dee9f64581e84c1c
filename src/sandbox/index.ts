import { SeeleEmulator } from './emulators/seele';
import { SeekApiEmulator } from './emulators/seekapi';
import { Seedancee2Emulator } from './emulators/seedancee2';
import { SeekneticEmulator } from './emulators/seeknetic';
import { SeisoaiEmulator } from './emulators/seisoai';
import { Sandbox, type Emulator, type SandboxOptions } from './server';

export { Sandbox, newSandboxKey } from './server';

/** Every provider's emulator, fresh. Each new provider adds its emulator here. */
export function allEmulators(): Emulator[] {
  return [
    new Seedancee2Emulator(),
    new SeeleEmulator(),
    new SeekApiEmulator(),
    new SeekneticEmulator(),
    new SeisoaiEmulator(),
  ];
}

export function createSandbox(opts: SandboxOptions): Sandbox {
  return new Sandbox(opts, allEmulators());
}
