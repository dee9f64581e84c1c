// What an adapter is: one way to start a small unit of work on a provider, for the benchmarks and the fault suites
// (typed calls to the real provider class, the real emulator's state to count creates and to stall a job). Each
// provider's is its own file, test/support/adapters/<id>.ts; adapters.ts finds them.
import type { Job } from '../../src/core/jobs/job';
import type { ProviderId } from '../../src/core/providerIds';
import type { Providers } from '../../src/core/providers/index';
import { EXPECTED_TENSORS } from '../../src/core/providers/seeknetic/contract';
import type { Poller } from '../../src/core/jobs/scheduler';
import type { Emulators } from './sandbox';

export interface Adapter {
  id: ProviderId;
  /** What one submit makes on the provider, in words (for bench notes and messages). */
  unit: string;
  /** Submits one small job; `text` goes into the prompt (or the main text input). Resolves with the job to keep. */
  submit(i: number, text?: string): Promise<Job>;
  /** The creates the emulator has seen for this provider (its job/task records). */
  creates(): number;
  /** Makes the emulator never finish this job (its work takes forever); false when the job is unknown. */
  neverFinish(jobId: string): boolean;
  /** Dotted path of the status word in a poll answer (for the dropped-field fault). */
  statusField: string;
  /** The POSTs one submit is made of; create faults hit each in turn. `path` undefined: any POST of the provider. */
  createRequests: { name: string; path?: string }[];
  /** How the scheduler follows a unit: the provider itself when it is a job source. */
  poller: Poller;
}

export type AdapterFactory = (env: AdapterEnv) => Adapter;

/** What the adapters need: a harness from test/support/sandbox.ts or sim.ts. */
export interface AdapterEnv {
  providers: Providers;
  emulators: Emulators;
}

/** Sets a job's remaining work to forever; false when there is no such record. */
export function forever<T extends object>(rec: T | undefined, set: (r: T) => void): boolean {
  if (!rec) return false;
  set(rec);
  return true;
}

/** One clip's tensors as the indexer sends them to Seeknetic (uint8 frames, float32 audio), made once: ~2.7 MB. */
let tensors: { video: Uint8Array; audio: Uint8Array } | undefined;
export function seekneticClip(): { video: Uint8Array; audio: Uint8Array } {
  if (!tensors) {
    const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
    const video = new Uint8Array(size(EXPECTED_TENSORS.video_input.shape)).fill(200); // a flat light frame
    const audio = new Uint8Array(size(EXPECTED_TENSORS.audio_input.shape) * 4); // silence
    tensors = { video, audio };
  }
  return tensors;
}
