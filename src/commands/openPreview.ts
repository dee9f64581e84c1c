import type { GenDeck } from '../context';
import { resolveJob } from './util';

export async function openPreview(g: GenDeck, arg?: unknown): Promise<void> {
  const job = await resolveJob(g, arg, () => true, 'Preview which job?');
  if (job) g.previews!.open(job.key);
}
