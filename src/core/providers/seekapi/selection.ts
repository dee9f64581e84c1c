// Which Seek API workers take the files selected in the Explorer (Run Seek API Worker on Selection…), from each
// worker's input schema through the shared form model.
import { takesFiles } from '../../forms/mediaFit';
import { formFromSchema, type MediaKind } from '../../forms/schemaForm';
import type { WorkerDetail } from './schemas';

export interface WorkerFitGroup {
  /** The worker's own category word; "" for workers without one (listed last). */
  category: string;
  workers: WorkerDetail[];
}

/** The workers with a field for every kind among the files, by category, by name within one. */
export function workersForFiles(workers: readonly WorkerDetail[], files: readonly MediaKind[]): WorkerFitGroup[] {
  const fits = workers.filter((w) => takesFiles(formFromSchema(w.inputSchema), files));
  const categories = [...new Set(fits.map((w) => w.category?.trim() ?? ''))].sort(
    (a, b) => Number(!a) - Number(!b) || a.localeCompare(b),
  );
  return categories.map((category) => ({
    category,
    workers: fits.filter((w) => (w.category?.trim() ?? '') === category).sort((a, b) => a.name.localeCompare(b.name)),
  }));
}
