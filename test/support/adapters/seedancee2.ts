import { forever, type AdapterFactory } from '../adapter';

export const adapter: AdapterFactory = ({ providers, emulators }) => ({
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
});
