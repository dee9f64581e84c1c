import { forever, type AdapterFactory } from '../adapter';

export const adapter: AdapterFactory = ({ providers, emulators }) => ({
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
});
