import * as vscode from 'vscode';
import { ValidationError } from '../../core/errors';
import type { JobStep } from '../../core/jobs/job';
import { resolveJob } from '../../commands/util';
import type { CommandContext } from '../../commands/command';

/** Jobs tree → "Cancel Queued Step" on a queued step (or a pick of every queued Seele step). */
export async function cancelQueuedStep(c: CommandContext, arg?: unknown): Promise<void> {
  const { g } = c;
  let target = stepArg(arg);
  if (!target) {
    const queued = g.store
      .all()
      .filter((j) => j.provider === 'seele')
      .flatMap((j) =>
        (j.steps ?? [])
          .filter((s) => s.state === 'queued')
          .map((s) => ({ label: s.prompt, description: j.title, key: j.key, localId: s.localId })),
      );
    if (!queued.length)
      return void vscode.window.showInformationMessage(vscode.l10n.t('No Seele step is waiting to be sent.'));
    const pick = await vscode.window.showQuickPick(queued, { placeHolder: vscode.l10n.t('Cancel which queued step?') });
    if (!pick) return;
    target = { key: pick.key, localId: pick.localId };
  }
  try {
    g.providers.seele.cancelQueuedStep(target.key, target.localId);
  } catch (err) {
    if (err instanceof ValidationError) return void vscode.window.showWarningMessage(err.message);
    throw err;
  }
}

function stepArg(arg: unknown): { key: string; localId: string } | undefined {
  const n = arg as { type?: string; key?: string; step?: JobStep } | undefined;
  return n?.type === 'step' && typeof n.key === 'string' && n.step
    ? { key: n.key, localId: n.step.localId }
    : undefined;
}

/** "Open in Seele Workspace": the job's meta.platform_url in the browser. */
export async function openSeeleWorkspace(c: CommandContext, arg?: unknown): Promise<void> {
  const { g } = c;
  const job = await resolveJob(
    g,
    arg,
    (j) => j.provider === 'seele' && !!j.webUrl,
    vscode.l10n.t('Open which Seele job in its workspace?'),
    vscode.l10n.t('No Seele job has a workspace link yet.'),
  );
  if (!job) return;
  if (!job.webUrl || !/^https?:\/\//i.test(job.webUrl))
    return void vscode.window.showInformationMessage(
      vscode.l10n.t('Seele has not given a workspace link for “{0}”.', job.title),
    );
  await vscode.env.openExternal(vscode.Uri.parse(job.webUrl));
}

/** Jobs tree → "Open Artifact" on an artifact: a browser-playable page opens in the preview, anything else in the browser. */
export async function openSeeleArtifact(c: CommandContext, arg?: unknown): Promise<void> {
  const { g } = c;
  const n = arg as { type?: string; key?: string; index?: number } | undefined;
  const job =
    n?.type === 'output' && n.key
      ? g.store.get(n.key)
      : await resolveJob(
          g,
          arg,
          (j) => j.provider === 'seele' && j.outputs.length > 0,
          vscode.l10n.t('Open an artifact of which job?'),
          vscode.l10n.t('No Seele job has artifacts yet.'),
        );
  if (!job) return;
  const output =
    typeof n?.index === 'number'
      ? job.outputs[n.index]
      : (job.outputs.find((o) => o.kind === 'html') ?? job.outputs[0]);
  if (!output?.url || !/^https?:\/\//i.test(output.url))
    return void vscode.window.showInformationMessage(vscode.l10n.t('“{0}” has no artifact link.', job.title));
  if (output.kind === 'html') return c.ui.previews.open(job.key);
  await vscode.env.openExternal(vscode.Uri.parse(output.url));
}
