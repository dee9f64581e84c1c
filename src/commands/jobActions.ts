import * as vscode from 'vscode';
import type { GenDeck } from '../context';
import { describeError } from '../core/errors';
import { isActive, newJob, TERMINAL, type Job } from '../core/jobs/job';
import type { ProviderId } from '../core/providerIds';
import type { JobsNode } from '../views/jobsTree';
import { PROVIDER_LABELS, PROVIDER_IDS } from '../core/providers/index';
import { resolveJob, withProgress } from './util';
import type { CommandContext } from './command';

/** Removes a job from the list (the provider keeps it). */
export async function removeJob(c: CommandContext, arg?: unknown, selected?: unknown[]): Promise<void> {
  const { g } = c;
  const targets = selected?.length ? selected : [arg];
  const jobs: Job[] = [];
  for (const t of targets) {
    const j = await resolveJob(g, t, () => true, vscode.l10n.t('Remove which job from the list?'));
    if (j) jobs.push(j);
  }
  if (!jobs.length) return;
  const active = jobs.filter((j) => !TERMINAL.has(j.status));
  if (active.length) {
    const remove = vscode.l10n.t('Remove');
    const ok = await vscode.window.showWarningMessage(
      active.length === 1
        ? vscode.l10n.t(
            '“{0}” is still running. Remove from the list anyway? The provider keeps running it.',
            active[0].title,
          )
        : vscode.l10n.t(
            '{0} jobs are still running. Remove from the list anyway? The provider keeps running them.',
            active.length,
          ),
      { modal: true },
      remove,
    );
    if (ok !== remove) return;
  }
  removeWithUndo(g, jobs);
}

/** Removes every job that has ended (of one provider, from its group's menu) from the list, with Undo. */
export async function clearFinished(c: CommandContext, arg?: unknown): Promise<void> {
  const { g } = c;
  const only =
    (arg as JobsNode | undefined)?.type === 'provider' ? (arg as { provider: ProviderId }).provider : undefined;
  const done = g.store.all().filter((j) => !isActive(j) && (!only || j.provider === only));
  if (!done.length) return void vscode.window.showInformationMessage(vscode.l10n.t('No finished job to clear.'));
  removeWithUndo(g, done);
}

/** Takes jobs off the list (the providers keep them) and offers to put them back. */
function removeWithUndo(g: GenDeck, jobs: Job[]): void {
  for (const j of jobs) g.store.remove(j.key);
  void g.store.flush();
  const undo = vscode.l10n.t('Undo');
  const message =
    jobs.length === 1
      ? vscode.l10n.t('Removed “{0}” from the list.', jobs[0].title)
      : vscode.l10n.t('Removed {0} jobs from the list.', jobs.length);
  void vscode.window.showInformationMessage(message, undo).then((choice) => {
    if (choice !== undo) return;
    for (const j of jobs) if (!g.store.get(j.key)) g.store.upsert(j);
    void g.store.flush();
  });
}

/** The providers that can cancel at all, by name. */
function cancellers(g: GenDeck): string {
  return PROVIDER_IDS.filter((id) => g.jobSource(id)?.cancel)
    .map((id) => PROVIDER_LABELS[id])
    .join(vscode.l10n.t(' or '));
}

/** Cancels a job where the provider allows it now. */
export async function cancelJob(c: CommandContext, arg?: unknown): Promise<void> {
  const { g } = c;
  const job = await resolveJob(
    g,
    arg,
    (j) => !!g.jobSource(j.provider)?.canCancel(j),
    vscode.l10n.t('Cancel which job?'),
    vscode.l10n.t(
      'No job can be cancelled now: only {0} jobs can be, and only before they start running; the other providers have no cancel.',
      cancellers(g),
    ),
  );
  if (!job) return;
  const provider = g.jobSource(job.provider);
  if (!provider?.cancel || !provider.canCancel(job)) {
    return void vscode.window.showInformationMessage(
      vscode.l10n.t('{0} cannot cancel “{1}” now ({2}).', PROVIDER_LABELS[job.provider], job.title, job.status),
    );
  }
  const patch = await withProgress(g, vscode.l10n.t('Cancelling “{0}”…', job.title), (signal) =>
    provider.cancel!(job, signal),
  );
  if (patch) g.store.patch(job.key, patch);
}

/** Polls one job (or every active one) right away. */
export async function refreshJobs(c: CommandContext, arg?: unknown): Promise<void> {
  const { g } = c;
  const key = (arg as { key?: string } | undefined)?.key;
  if (key) {
    const job = g.store.get(key);
    const source = job && g.jobSource(job.provider);
    if (job && source && !isActive(job)) {
      try {
        g.store.patch(key, await source.poll(job, new AbortController().signal));
      } catch (err) {
        await g.reportError(err, vscode.l10n.t('Refreshing “{0}” failed', job.title));
      }
      return;
    }
    g.scheduler.kick([key]);
    return;
  }
  g.scheduler.kick();
  await mergeRemoteJobs(g);
  c.ui.jobsTree.refresh();
}

/** Adds jobs the providers know about and the list does not (providers with a key or the sandbox only). */
export async function mergeRemoteJobs(g: GenDeck): Promise<number> {
  let added = 0;
  for (const id of PROVIDER_IDS) {
    const p = g.jobSource(id);
    if (!p?.listRemote || !(g.sandbox.active || (await g.secrets.has(id)))) continue;
    try {
      for (const remote of await p.listRemote()) {
        if (g.store.get(remote.key)) continue;
        g.store.upsert({ ...newJob({ ...remote }), sandbox: g.sandbox.active || undefined });
        added++;
      }
    } catch (err) {
      g.log.warn(`Listing ${PROVIDER_LABELS[id]} jobs failed: ${describeError(err)}`);
    }
  }
  return added;
}
