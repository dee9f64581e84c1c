// One way to start a small unit of work on each provider, for the benchmarks and the fault suites: typed calls
// to the real provider classes, and the real emulators' state to count creates and to stall a job. Every id in
// PROVIDER_IDS has an adapter (the Record below does not compile otherwise; test/unit/adapters.test.ts checks
// it at run time too), so no provider is ever left out of a suite.
import { randomUUID } from 'node:crypto';
import { newJob, titleFromPrompt, type Job, type JobPatch } from '../../src/core/jobs/job';
import type { ProviderId } from '../../src/core/providerIds';
import { type Providers, PROVIDER_IDS } from '../../src/core/providers/index';
import { wireTensor } from '../../src/core/providers/seeknetic/client';
import {
  ASYNC_STATUSES,
  EXPECTED_TENSORS,
  PATHS as SEEKNETIC_PATHS,
} from '../../src/core/providers/seeknetic/contract';
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

/** What the adapters need: a harness from test/support/sandbox.ts or sim.ts. */
export interface AdapterEnv {
  providers: Providers;
  emulators: Emulators;
}

/** Sets a job's remaining work to forever; false when there is no such record. */
function forever<T extends object>(rec: T | undefined, set: (r: T) => void): boolean {
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

export const ADAPTERS: Record<ProviderId, (env: AdapterEnv) => Adapter> = {
  seedancee2: ({ providers, emulators }) => ({
    id: 'seedancee2',
    unit: 'a video task',
    submit: async (i, text) =>
      (
        await providers.seedancee2.submit(
          { model: 'mini', input: { prompt: text ?? `bench clip ${i}`, duration: 4, resolution: '480p' } },
          undefined,
        )
      ).job,
    creates: () => emulators.seedancee2.tasks.size,
    neverFinish: (jobId) => forever(emulators.seedancee2.tasks.get(jobId), (r) => (r.workMs = Infinity)),
    statusField: 'data.status',
    poller: providers.seedancee2,
    createRequests: [{ name: 'create' }],
  }),

  seele: ({ providers, emulators }) => {
    return {
      id: 'seele',
      unit: 'a game job',
      submit: async (i, text) => (await providers.seele.createGame({ prompt: text ?? `bench game ${i}` })).job,
      creates: () => emulators.seele.jobs.size,
      neverFinish: (jobId) =>
        forever(emulators.seele.jobs.get(jobId)?.turns.at(-1), (turn) => (turn.workMs = Infinity)),
      statusField: 'data.status',
      poller: providers.seele,
      createRequests: [{ name: 'create' }],
    };
  },

  seekapi: ({ providers, emulators }) => ({
    id: 'seekapi',
    unit: 'a worker job',
    // A string worker id skips the local schema check; the emulator still validates the input.
    submit: async (i, text) =>
      (
        await providers.seekapi.submit('linkedin-profile', {
          profile_url: `https://linkedin.com/in/bench-${i}${text ? `-${encodeURIComponent(text)}` : ''}`,
        })
      ).job,
    creates: () => emulators.seekapi.jobs.size,
    neverFinish: (jobId) => forever(emulators.seekapi.jobs.get(jobId), (r) => (r.runMs = Infinity)),
    statusField: 'status',
    poller: providers.seekapi,
    createRequests: [{ name: 'create' }],
  }),

  // A queue-mode tool (music.generate) paid with the API key: invoke answers with a job that is then polled.
  seisoai: ({ providers, emulators }) => ({
    id: 'seisoai',
    unit: 'a queue-mode tool job (music.generate, API key)',
    submit: async (i, text) => {
      const r = await providers.seisoai.invoke(
        'music.generate',
        { prompt: text ?? `bench music ${i}`, duration_seconds: 5 },
        { auth: 'apiKey' },
      );
      if (r.mode !== 'queue') throw new Error(`Seisoai ran music.generate as ${r.mode}, not as a queued job`);
      return r.job;
    },
    creates: () => emulators.seisoai.jobs.size,
    neverFinish: (jobId) => forever(emulators.seisoai.jobs.get(jobId), (r) => (r.workMs = Infinity)),
    // The answer carries the word twice (top level and job.status); the provider reads either.
    statusField: 'status',
    poller: providers.seisoai,
    createRequests: [{ name: 'invoke' }],
  }),

  // Seeknetic has no jobs in the Jobs view (it is no job source): its unit of work is an async embedding request.
  // submit makes the two POSTs SeekneticProvider.embedVideo makes (tensor upload, async submit) and keeps the
  // request id as a job, which the scheduler follows here with the client's GET /async_status/{id}, as waitFor
  // does; the pipeline suite also runs waitFor itself under the same faults.
  seeknetic: ({ providers, emulators }) => ({
    id: 'seeknetic',
    unit: 'a video embedding request (tensor upload + async submit)',
    submit: async (i, text) => {
      const p = providers.seeknetic;
      const { video, audio } = seekneticClip();
      const keys = await p.client.uploadTensors('embedding', `gendeck-emb-${randomUUID()}`, {
        video_input: wireTensor(video, EXPECTED_TENSORS.video_input.shape, 'uint8'),
        audio_input: wireTensor(audio, EXPECTED_TENSORS.audio_input.shape, 'float32'),
      });
      const id = await p.client.submitEmbedding({
        video_input_key: keys.video_input_key,
        audio_input_key: keys.audio_input_key,
      });
      // No text field in an embedding request: `text` only names the job locally.
      return newJob({
        provider: 'seeknetic',
        id,
        title: titleFromPrompt(text ?? `bench embedding ${i}`),
        kind: 'embedding',
        status: 'queued',
      });
    },
    creates: () => emulators.seeknetic.tasks.size,
    // A task's state is a function of its age: one created at the end of time stays pending.
    neverFinish: (jobId) => forever(emulators.seeknetic.tasks.get(jobId), (r) => (r.createdAt = Infinity)),
    statusField: 'status',
    poller: { poll: (job, signal) => seekneticTaskPatch(providers.seeknetic, job, signal) },
    createRequests: [
      { name: 'tensor upload', path: SEEKNETIC_PATHS.upload },
      { name: 'async submit', path: SEEKNETIC_PATHS.encodeVideoAsync },
    ],
  }),
};

/** An embedding request's state as a job patch. */
async function seekneticTaskPatch(p: Providers['seeknetic'], job: Job, signal: AbortSignal): Promise<JobPatch> {
  const { status, raw } = await p.client.asyncStatus(job.id, signal);
  const finishedAt = new Date().toISOString();
  if (status.status === ASYNC_STATUSES.completed)
    return { status: 'succeeded', remoteStatus: status.status, progress: undefined, raw, finishedAt };
  if (status.status === ASYNC_STATUSES.failed)
    return {
      status: 'failed',
      remoteStatus: status.status,
      error: { code: 'task_failed', message: status.error_message ?? 'Seeknetic reported the task as failed.' },
      raw,
      finishedAt,
    };
  return { status: 'running', remoteStatus: status.status, progress: status.status, raw };
}

/** One adapter per provider, in PROVIDER_IDS order. */
export function adaptersFor(env: AdapterEnv): Adapter[] {
  return PROVIDER_IDS.map((id) => ADAPTERS[id](env));
}
