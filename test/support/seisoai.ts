import type { SeisoaiEmulator } from '../../src/sandbox/emulators/seisoai';
import type { Sandbox } from '../../src/sandbox/index';

/** The running Seisoai emulator, so tests can change its state (schemas, balances, the x402 offer). */
export function seisoaiEmulator(sandbox: Sandbox): SeisoaiEmulator {
  return (sandbox as unknown as { emulators: { id: string }[] }).emulators.find(
    (e) => e.id === 'seisoai',
  ) as SeisoaiEmulator;
}
