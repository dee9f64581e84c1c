// A second process writing the shared job list, for the store's multi-process tests:
//   node storeWriter.js <file> <name> <count> [padBytes]
// Adds <count> jobs `<name>-<i>` and, between them, patches the shared job `seedancee2:shared` (as a poller would),
// flushing after each change. Prints one JSON line per write that reached the disk ({saved: key} or {patched: at}),
// then {done: true}; then waits for a line on stdin, reloads, prints {final: <the shared job>} and exits.
// <count> 0 writes forever (until killed).
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { newJob } from '../../src/core/jobs/job';
import { JobStore } from '../../src/core/jobs/store';

const [file, name, countText, padText] = process.argv.slice(2);
const count = Number(countText);
const pad = 'x'.repeat(Number(padText ?? 0));
const say = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);

async function main(): Promise<void> {
  const store = new JobStore(file, undefined, { saveDelayMs: 1 });
  await store.load();
  for (let i = 0; count === 0 || i < count; i++) {
    const key = `seedancee2:${name}-${i}`;
    store.upsert(
      newJob({
        provider: 'seedancee2',
        id: `${name}-${i}`,
        title: `${name} ${i}`,
        kind: 'video',
        status: 'running',
        raw: pad,
      }),
    );
    await store.flush();
    say({ saved: key });
    if (i % 2 === 0) {
      const job = store.patch('seedancee2:shared', { progress: `${name} ${i}` });
      await store.flush();
      if (job) say({ patched: job.updatedAt, progress: job.progress });
    }
  }
  say({ done: true });
  await once(createInterface({ input: process.stdin }), 'line');
  await store.reload();
  say({ final: store.get('seedancee2:shared') ?? null });
  process.exit(0);
}

main().catch((err: Error) => {
  say({ error: err.stack ?? err.message });
  process.exit(1);
});
