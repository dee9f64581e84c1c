import * as vscode from 'vscode';
import type { GenDeck } from '../../context';
import type { Deployment } from '../../core/providers/seekapi/schemas';
import { withProgress } from '../util';
import { seekView } from './setup';

export async function refreshSeekAccount(g: GenDeck): Promise<void> {
  await seekView(g).refreshAccount();
}

export async function refreshSeekWorkers(g: GenDeck): Promise<void> {
  await Promise.all([seekView(g).refreshWorkers(), seekView(g).refreshAccount()]);
}

export async function loadMoreWorkers(g: GenDeck): Promise<void> {
  await seekView(g).loadMore();
}

/** Filters the Workers list by name (loading further pages as needed; the API has no documented search). */
export async function filterWorkers(g: GenDeck): Promise<void> {
  const view = seekView(g);
  const text = await vscode.window.showInputBox({
    title: 'Filter Seek API workers',
    prompt: 'Part of a worker name, id or category. Empty clears the filter.',
    value: view.filter,
  });
  if (text === undefined) return;
  await vscode.window.withProgress({ location: { viewId: 'gendeck.workers' } }, () => view.setFilter(text));
}

export async function clearWorkerFilter(g: GenDeck): Promise<void> {
  await seekView(g).setFilter('');
}

/** Publishes one of the user's deployments to the marketplace, after a modal confirmation. */
export async function publishDeployment(g: GenDeck, arg?: unknown): Promise<void> {
  const view = seekView(g);
  let d = (arg as { type?: string; deployment?: Deployment } | undefined)?.deployment;
  if (!d) {
    if (!view.account) await view.loadAccount();
    const list = view.account?.deployments ?? [];
    if (!list.length) return void vscode.window.showInformationMessage('You have no Seek API deployments to publish.');
    const pick = await vscode.window.showQuickPick(
      list.map((x) => ({
        label: x.name,
        description: [x.id, x.status, x.version ? `v${x.version}` : undefined].filter(Boolean).join(' · '),
        d: x,
      })),
      { placeHolder: 'Publish which of your workers?' },
    );
    d = pick?.d;
  }
  if (!d) return;
  const again =
    d.status === 'published'
      ? ' It is already published; publishing again makes the current version the listed one.'
      : '';
  const ok = await vscode.window.showWarningMessage(
    `Publish “${d.name}” (${d.id}${d.version ? `, v${d.version}` : ''}) to the Seek API marketplace?`,
    { modal: true, detail: `Anyone on Seek API will be able to find and run it.${again}` },
    'Publish',
  );
  if (ok !== 'Publish') return;
  const target = d;
  const r = await withProgress(g, `Publishing “${target.name}”…`, (signal) =>
    g.providers.seekapi.publish(target.id, signal),
  );
  if (r)
    void vscode.window.showInformationMessage(
      `“${target.name}” is ${r.status ?? 'published'} on the Seek API marketplace.`,
    );
}
