import { forever, type AdapterFactory } from '../adapter';

export const adapter: AdapterFactory = ({ providers, emulators }) => {
  return {
    id: 'seele',
    unit: 'a game job',
    submit: async (i, text) => (await providers.seele.createGame({ prompt: text ?? `bench game ${i}` })).job,
    creates: () => emulators.seele.jobs.size,
    neverFinish: (jobId) => forever(emulators.seele.jobs.get(jobId)?.turns.at(-1), (turn) => (turn.workMs = Infinity)),
    statusField: 'data.status',
    poller: providers.seele,
    createRequests: [{ name: 'create' }],
  };
};
