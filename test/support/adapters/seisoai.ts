import { forever, type AdapterFactory } from '../adapter';

// A queue-mode tool (music.generate) paid with the API key: invoke answers with a job that is then polled.
export const adapter: AdapterFactory = ({ providers, emulators }) => ({
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
});
