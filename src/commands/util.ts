import * as vscode from 'vscode';
import type { GenDeck } from '../context';
import { formatCost, type Job } from '../core/jobs/job';
import type { ProviderId } from '../core/providerIds';
import { PROVIDER_LABELS, PROVIDER_IDS } from '../core/providers/index';
import type { JobsNode } from '../views/jobsTree';

/** The key of the job a command was given: a key, a tree node or `{key}` (not a provider group). */
export function jobKeyOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  return (arg as JobsNode | undefined)?.type !== 'provider' ? (arg as { key?: string } | undefined)?.key : undefined;
}

/**
 * The jobs a command may pick from, newest first. When none fits it says so — `none` (what the command needs), or
 * that the list is empty — and returns undefined.
 */
export function jobChoices(g: GenDeck, filter: (j: Job) => boolean, none: string): Job[] | undefined {
  const jobs = g.store
    .all()
    .filter(filter)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  if (jobs.length) return jobs;
  void vscode.window.showInformationMessage(
    g.store.all().length
      ? none
      : vscode.l10n.t(
          'The GenDeck job list is empty. Start a job with one of the "GenDeck: New …" commands, or try the sandbox.',
        ),
  );
  return undefined;
}

/** A job's row in a pick: title, provider and status, cost. */
export function jobItem(j: Job): vscode.QuickPickItem & { job: Job } {
  return { label: j.title, description: `${PROVIDER_LABELS[j.provider]} · ${j.status}`, detail: formatCost(j), job: j };
}

/**
 * The job a command is about: the tree node or `{key}` it was given, else one the user picks. When no job fits,
 * `none` says why (what the command needs), or that the list is empty.
 */
export async function resolveJob(
  g: GenDeck,
  arg: unknown,
  filter: (j: Job) => boolean = () => true,
  placeHolder = vscode.l10n.t('Choose a job'),
  none = vscode.l10n.t('No GenDeck job fits.'),
): Promise<Job | undefined> {
  const key = jobKeyOf(arg);
  if (key) return g.store.get(key);
  const jobs = jobChoices(g, filter, none);
  if (!jobs) return undefined;
  const pick = await vscode.window.showQuickPick(jobs.map(jobItem), { placeHolder, matchOnDescription: true });
  return pick?.job;
}

export async function pickProvider(placeHolder: string, only?: readonly ProviderId[]): Promise<ProviderId | undefined> {
  const pick = await vscode.window.showQuickPick(
    (only ?? PROVIDER_IDS).map((id) => ({ label: PROVIDER_LABELS[id], id })),
    { placeHolder },
  );
  return pick?.id;
}

/** Runs a submit with a notification progress; errors become one clear message. */
export async function withProgress<T>(
  g: GenDeck,
  title: string,
  fn: (signal: AbortSignal, progress: vscode.Progress<{ message?: string; increment?: number }>) => Promise<T>,
): Promise<T | undefined> {
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      (progress, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        return fn(ac.signal, progress);
      },
    );
  } catch (err) {
    await g.reportError(err, title.replace(/…$/, ''));
    return undefined;
  }
}

/** Runs `fn` under a cancellable notification; undefined when the user cancelled it, any other error rethrown. */
export async function cancellable<T>(title: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
  const ac = new AbortController();
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      (_progress, token) => {
        token.onCancellationRequested(() => ac.abort());
        return fn(ac.signal);
      },
    );
  } catch (err) {
    if (ac.signal.aborted) return undefined;
    throw err;
  }
}

/** Quick-pick rows with the earlier choice (a retry's, or the default) first and marked, so Enter keeps it. */
export function earlierFirst<T extends vscode.QuickPickItem>(
  items: T[],
  earlier: string | undefined,
  mark = vscode.l10n.t('as before'),
): T[] {
  const i = items.findIndex((x) => x.label === earlier);
  if (i < 0) return items;
  const first = { ...items[i], description: [items[i].description, mark].filter(Boolean).join(' · ') };
  return [first, ...items.slice(0, i), ...items.slice(i + 1)];
}

/**
 * The one confirmation before something is sent that may cost money: modal, the question as its message, what is
 * sent and what it costs as its detail (one line each), the action named on its only button.
 */
export async function confirmSend(message: string, detail: (string | undefined)[], button: string): Promise<boolean> {
  const choice = await vscode.window.showInformationMessage(
    message,
    { modal: true, detail: detail.filter(Boolean).join('\n') },
    button,
  );
  return choice === button;
}

/** What `p` settled to, if it settles within `ms`; never waits longer. */
export async function within<T>(p: Promise<T>, ms: number): Promise<{ value: T } | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([p.then((value) => ({ value })), late]);
  } finally {
    clearTimeout(timer);
  }
}
