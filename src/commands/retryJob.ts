import * as vscode from 'vscode';
import { hasElidedData, isActive } from '../core/jobs/job';
import { resolveJob } from './util';
import type { CommandContext } from './command';

/** Retry (failed) or duplicate (any): the same request again as a new job, after the usual cost confirmation. */
export async function retryJob(c: CommandContext, arg?: unknown): Promise<void> {
  const { g } = c;
  const job = await resolveJob(
    g,
    arg,
    (j) => Object.keys(j.request).length > 0 && !isActive(j) && c.reruns.has(j.provider),
    'Run which job again?',
    'No job to run again: Run Again is for jobs that have ended and were started from GenDeck.',
  );
  if (!job) return;
  if (hasElidedData(job.request)) {
    return void vscode.window.showInformationMessage(
      `“${job.title}” used local files that were sent inline; select them in the Explorer and start a new job from them.`,
    );
  }
  const rerun = c.reruns.get(job.provider);
  if (!rerun) return void vscode.window.showInformationMessage('This job cannot be run again from GenDeck.');
  await rerun(job);
}
