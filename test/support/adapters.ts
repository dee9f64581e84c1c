// One way to start a small job on each provider, for the benchmarks and the fault suite. Providers are
// written by different people and land at different times, so everything here is looked up at run time:
// a provider (or its emulator) that is not there yet is skipped with a note instead of failing the run.
import type { Job } from '../../src/core/jobs/job';
import type { JobStore } from '../../src/core/jobs/store';
import { PROVIDER_IDS, type ProviderId } from '../../src/core/providerIds';
import type { JobSource, KeyedService } from '../../src/core/providers/types';

type Provider = KeyedService & JobSource;
import type { Sandbox } from '../../src/sandbox/index';

export interface Adapter {
  id: ProviderId;
  /** Submits one small job; `text` goes into the prompt (or the main text input). Resolves with the job to keep. */
  submit(i: number, text?: string): Promise<Job>;
  /** Counts the creates the emulator has seen for this provider (undefined when it cannot tell). */
  creates(): number | undefined;
  /** Makes the emulator never finish this job (its work takes forever); false when it cannot. */
  neverFinish(jobId: string): boolean;
}

/** Sets `field` to Infinity on a record the emulator keeps, if it is there. */
function forever(rec: unknown, field: string): boolean {
  if (!rec || typeof rec !== 'object' || typeof (rec as Loose)[field] !== 'number') return false;
  (rec as Loose)[field] = Number.POSITIVE_INFINITY;
  return true;
}

function entry(map: unknown, id: string): unknown {
  return map instanceof Map ? map.get(id) : undefined;
}

type Fn = (...args: unknown[]) => Promise<unknown>;
type Loose = Record<string, unknown>;

function emulatorOf(sandbox: Sandbox, id: string): Loose | undefined {
  return (sandbox as unknown as { emulators: (Loose & { id: string })[] }).emulators.find((e) => e.id === id);
}

function method(obj: unknown, name: string): Fn | undefined {
  const f = (obj as Loose | undefined)?.[name];
  return typeof f === 'function' ? (f as Fn).bind(obj) : undefined;
}

function sizeOf(v: unknown): number | undefined {
  return v instanceof Map ? v.size : undefined;
}

/** Submit adapters for every provider that has both a client in `providers` and an emulator in `sandbox`. */
export function adaptersFor(
  providers: object,
  sandbox: Sandbox,
  store?: Pick<JobStore, 'get' | 'patch'>,
): { adapters: Adapter[]; notes: string[] } {
  const all = providers as Record<string, Provider | undefined>;
  const adapters: Adapter[] = [];
  const notes: string[] = [];
  for (const id of PROVIDER_IDS) {
    const p = all[id];
    const emu = emulatorOf(sandbox, id);
    if (!p) {
      notes.push(`${id}: no provider in createProviders() yet — skipped.`);
      continue;
    }
    if (!emu) {
      notes.push(`${id}: no emulator in the sandbox yet — skipped.`);
      continue;
    }
    const a = adapterFor(id, p, emu, store);
    if (typeof a === 'string') notes.push(`${id}: ${a}`);
    else adapters.push(a);
  }
  return { adapters, notes };
}

function adapterFor(
  id: ProviderId,
  p: Provider,
  emu: Loose,
  store?: Pick<JobStore, 'get' | 'patch'>,
): Adapter | string {
  switch (id) {
    case 'seedancee2': {
      const submit = method(p, 'submit');
      if (!submit) return 'Seedancee2Provider.submit not found — skipped.';
      return {
        id,
        submit: async (i, text) =>
          (
            (await submit(
              { model: 'mini', input: { prompt: text ?? `bench clip ${i}`, duration: 4, resolution: '480p' } },
              undefined,
            )) as { job: Job }
          ).job,
        creates: () => sizeOf(emu.tasks),
        neverFinish: (jobId) => forever(entry(emu.tasks, jobId), 'workMs'),
      };
    }
    case 'seele': {
      const create = method(p, 'createGame');
      if (!create) return 'SeeleProvider.createGame not found — skipped.';
      if (store) method(p, 'attachJobs')?.(store);
      return {
        id,
        submit: async (i, text) => ((await create({ prompt: text ?? `bench game ${i}` })) as { job: Job }).job,
        creates: () => sizeOf(emu.jobs),
        neverFinish: (jobId) => {
          const turns = (entry(emu.jobs, jobId) as { turns?: unknown[] } | undefined)?.turns;
          return !!turns?.length && forever(turns[turns.length - 1], 'workMs');
        },
      };
    }
    case 'seekapi': {
      const submit = method(p, 'submit');
      if (!submit) return 'SeekApiProvider.submit not found — skipped.';
      return {
        id,
        // A string worker id skips the local schema check; the emulator still validates the input.
        submit: async (i, text) =>
          (
            (await submit('linkedin-profile', {
              profile_url: `https://linkedin.com/in/bench-${i}${text ? `-${encodeURIComponent(text)}` : ''}`,
            })) as { job: Job }
          ).job,
        creates: () => sizeOf(emu.jobs),
        neverFinish: (jobId) => forever(entry(emu.jobs, jobId), 'runMs'),
      };
    }
    case 'seisoai': {
      const invoke = method(p, 'invoke');
      if (!invoke) return 'SeisoaiProvider.invoke not found — skipped.';
      return 'adapter not written yet (its emulator landed after this bench) — skipped.';
    }
    case 'seeknetic':
      return 'no jobs in the Jobs view (its async requests are polled by SeekneticProvider.waitFor, not the scheduler) — not a submit→finish job.';
  }
}
