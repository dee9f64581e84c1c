import { copyIfAbsent } from '../fs/copyOnce';
import type { LoadReport, JobStore } from './store';

/**
 * Loads the shared job list, bringing in an earlier one of this editor (`globalStorage/jobs.json`) when given (the
 * caller gives it once): copied when the shared list does not exist yet, else its jobs the shared list lacks are
 * added (another face, e.g. the CLI, made the shared list first). The earlier file is kept as it was.
 */
export async function loadWithEarlierList(
  store: JobStore,
  earlier: string | undefined,
): Promise<LoadReport & { copied?: boolean; imported?: number }> {
  const copied = earlier ? await copyIfAbsent(earlier, store.file) : false;
  if (copied) await copyIfAbsent(`${earlier}.bak`, `${store.file}.bak`);
  const report = await store.load();
  if (!earlier || copied) return { ...report, copied };
  const imported = await store.importFrom(earlier);
  if (imported) await store.flush();
  return { ...report, jobs: store.all().length, copied, imported };
}
