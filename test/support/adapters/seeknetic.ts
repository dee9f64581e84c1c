import { randomUUID } from 'node:crypto';
import { newJob, titleFromPrompt, type Job, type JobPatch } from '../../../src/core/jobs/job';
import type { Providers } from '../../../src/core/providers/index';
import { wireTensor } from '../../../src/core/providers/seeknetic/client';
import {
  ASYNC_STATUSES,
  EXPECTED_TENSORS,
  PATHS as SEEKNETIC_PATHS,
} from '../../../src/core/providers/seeknetic/contract';
import { forever, seekneticClip, type AdapterFactory } from '../adapter';

// Seeknetic has no jobs in the Jobs view (it is no job source): its unit of work is an async embedding request.
// submit makes the two POSTs SeekneticProvider.embedVideo makes (tensor upload, async submit) and keeps the
// request id as a job, which the scheduler follows here with the client's GET /async_status/{id}, as waitFor
// does; the pipeline suite also runs waitFor itself under the same faults.
export const adapter: AdapterFactory = ({ providers, emulators }) => ({
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
});
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
