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
  if (job.sandbox && !g.sandbox.active && !(await sandboxJobGoesLive(c, job))) return;
  await rerun(job);
}

/**
 * A sandbox job run again while the sandbox is off would go to the real, paid provider: ask first. Starting the
 * sandbox keeps it where it was; only an explicit choice sends it for real.
 */
async function sandboxJobGoesLive(c: CommandContext, job: Job): Promise<boolean> {
  const label = c.g.label(job.provider);
  const live = `Run on ${label}`;
  const sandbox = 'Start the Sandbox and Run';
  const choice = await vscode.window.showWarningMessage(
    `“${job.title}” ran in the sandbox, which is off now.`,
    {
      modal: true,
      detail: `Running it again now sends it to the real ${label} with your key, and it may cost money. Start the sandbox to run it there instead.`,
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
