import * as vscode from 'vscode';
import type { Job } from '../../core/jobs/job';
import { resolveJob, withProgress } from '../../commands/util';
import { uploadHooks } from './newGame';
import type { CommandContext } from '../../commands/command';

const isSeele = (j: Job) => j.provider === 'seele';

/** Jobs tree → "Add Follow-up Step…": a prompt and optional files; queued when the job is still generating. */
export async function addFollowUpStep(c: CommandContext, arg?: unknown): Promise<void> {
  const { g } = c;
  const job = await resolveJob(
    g,
    arg,
    isSeele,
    'Add a step to which Seele job?',
    'No Seele game to add a step to: start one with "New Game from Prompt (Seele)".',
  );
  if (!job) return;
  if (!isSeele(job)) return void vscode.window.showInformationMessage('Follow-up steps are a Seele feature.');
  const refused = g.budget.refusal({ provider: 'seele', what: 'this step' });
  if (refused) return g.reportError(refused, 'Seele step not sent');
  const prompt = await vscode.window.showInputBox({
    title: `Follow-up step for “${job.title}”`,
    prompt:
      job.status === 'running'
        ? 'Describe the change. The job is still generating, so the step waits and is sent when it finishes.'
        : 'Describe the change',
    placeHolder: 'Add a day-night cycle and a boss battle',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'The prompt is empty.'),
  });
  if (prompt === undefined) return;
  const choice = await vscode.window.showQuickPick(
    [
      { label: 'No files', files: false },
      { label: 'Attach reference files…', files: true },
    ],
    { title: 'Reference files (optional)', ignoreFocusOut: true },
  );
  if (!choice) return;
  let files: string[] = [];
  if (choice.files) {
    const uris = await vscode.window.showOpenDialog({
      canSelectMany: true,
      canSelectFolders: false,
      openLabel: 'Attach to step',
    });
    if (!uris?.length) return;
    files = uris.map((u) => u.fsPath);
  }
  // The job's model goes along so the step is generated the same way; the engine stays as it is.
  const req = job.request as { model?: string };
  const model = typeof req.model === 'string' ? req.model : undefined;
  const result = await withProgress(g, 'Sending Seele step…', (signal, progress) =>
    g.providers.seele.addStep(job.key, { prompt: prompt.trim(), model, files }, uploadHooks(files, signal, progress)),
  );
  if (!result) return;
  void vscode.window.showInformationMessage(
    result.queued
      ? `“${job.title}” is still generating: the step is queued and will be sent when it finishes. You can cancel it until then.`
      : `Step sent to “${job.title}”; the job is generating again.`,
  );
}
