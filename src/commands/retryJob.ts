import * as vscode from 'vscode';
import { hasElidedData, isActive, type Job } from '../core/jobs/job';
import { resolveJob } from './util';
import type { CommandContext } from './command';

/** Retry (failed) or duplicate (any): the same request again as a new job, after the usual cost confirmation. */
export async function retryJob(c: CommandContext, arg?: unknown): Promise<void> {
  const { g } = c;
  const job = await resolveJob(
    g,
    arg,
    (j) => Object.keys(j.request).length > 0 && !isActive(j) && c.reruns.has(j.provider),
    vscode.l10n.t('Run which job again?'),
    vscode.l10n.t('No job to run again: Run Again is for jobs that have ended and were started from GenDeck.'),
  );
  if (!job) return;
  if (hasElidedData(job.request)) {
    return void vscode.window.showInformationMessage(
      vscode.l10n.t(
        '“{0}” used local files that were sent inline; select them in the Explorer and start a new job from them.',
        job.title,
      ),
    );
  }
  const rerun = c.reruns.get(job.provider);
  if (!rerun)
    return void vscode.window.showInformationMessage(vscode.l10n.t('This job cannot be run again from GenDeck.'));
  if (job.sandbox && !g.sandbox.active && !(await sandboxJobGoesLive(c, job))) return;
  await rerun(job);
}

/**
 * A sandbox job run again while the sandbox is off would go to the real, paid provider: ask first. Starting the
 * sandbox keeps it where it was; only an explicit choice sends it for real.
 */
async function sandboxJobGoesLive(c: CommandContext, job: Job): Promise<boolean> {
  const label = c.g.label(job.provider);
  const live = vscode.l10n.t('Run on {0}', label);
  const sandbox = vscode.l10n.t('Start the Sandbox and Run');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('“{0}” ran in the sandbox, which is off now.', job.title),
    {
      modal: true,
      detail: vscode.l10n.t(
        'Running it again now sends it to the real {0} with your key, and it may cost money. Start the sandbox to run it there instead.',
        label,
      ),
    },
    sandbox,
    live,
  );
  if (choice === sandbox) {
    await c.g.sandbox.start();
    return c.g.sandbox.active;
  }
  return choice === live;
}
