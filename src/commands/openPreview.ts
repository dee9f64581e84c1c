import { resolveJob } from './util';
import type { CommandContext } from './command';

export async function openPreview(c: CommandContext, arg?: unknown): Promise<void> {
  const { g } = c;
  const job = await resolveJob(g, arg, () => true, 'Preview which job?');
  if (job) c.ui.previews.open(job.key);
}
