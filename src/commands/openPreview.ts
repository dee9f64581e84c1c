import * as vscode from 'vscode';
import { resolveJob } from './util';
import type { CommandContext } from './command';

export async function openPreview(c: CommandContext, arg?: unknown): Promise<void> {
  const { g } = c;
  const job = await resolveJob(g, arg, () => true, vscode.l10n.t('Preview which job?'));
  if (job) c.ui.previews.open(job.key);
}
