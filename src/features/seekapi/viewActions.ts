import * as vscode from 'vscode';
import type { Deployment } from '../../core/providers/seekapi/schemas';
import { withProgress } from '../../commands/util';
import type { SeekApiContext } from './context';

export async function refreshSeekAccount(c: SeekApiContext): Promise<void> {
  await c.feature.refreshAccount();
}

export async function refreshSeekWorkers(c: SeekApiContext): Promise<void> {
  await Promise.all([c.feature.refreshWorkers(), c.feature.refreshAccount()]);
}

export async function loadMoreWorkers(c: SeekApiContext): Promise<void> {
  await c.feature.loadMore();
}

/** Filters the Workers list by name (loading further pages as needed; the API has no documented search). */
export async function filterWorkers(c: SeekApiContext): Promise<void> {
  const view = c.feature;
  const text = await vscode.window.showInputBox({
    title: vscode.l10n.t('Filter Seek API workers'),
    prompt: vscode.l10n.t('Part of a worker name, id or category. Empty clears the filter.'),
    value: view.filter,
  });
  if (text === undefined) return;
  await vscode.window.withProgress({ location: { viewId: 'gendeck.workers' } }, () => view.setFilter(text));
}

export async function clearWorkerFilter(c: SeekApiContext): Promise<void> {
  await c.feature.setFilter('');
}

/** Publishes one of the user's deployments to the marketplace, after a modal confirmation. */
export async function publishDeployment(c: SeekApiContext, arg?: unknown): Promise<void> {
  const { g } = c;
  const view = c.feature;
  let d = (arg as { type?: string; deployment?: Deployment } | undefined)?.deployment;
  if (!d) {
    if (!view.account) await view.loadAccount();
    const list = view.account?.deployments ?? [];
    if (!list.length)
      return void vscode.window.showInformationMessage(vscode.l10n.t('You have no Seek API deployments to publish.'));
    const pick = await vscode.window.showQuickPick(
      list.map((x) => ({
        label: x.name,
        description: [x.id, x.status, x.version ? `v${x.version}` : undefined].filter(Boolean).join(' · '),
        d: x,
      })),
      { placeHolder: vscode.l10n.t('Publish which of your workers?') },
    );
    d = pick?.d;
  }
  if (!d) return;
  const publish = vscode.l10n.t('Publish');
  const ok = await vscode.window.showWarningMessage(
    d.version
      ? vscode.l10n.t('Publish “{0}” ({1}, v{2}) to the Seek API marketplace?', d.name, d.id, d.version)
      : vscode.l10n.t('Publish “{0}” ({1}) to the Seek API marketplace?', d.name, d.id),
    {
      modal: true,
      detail:
        d.status === 'published'
          ? vscode.l10n.t(
              'Anyone on Seek API will be able to find and run it. It is already published; publishing again makes the current version the listed one.',
            )
          : vscode.l10n.t('Anyone on Seek API will be able to find and run it.'),
    },
    publish,
  );
  if (ok !== publish) return;
  const target = d;
  const r = await withProgress(g, vscode.l10n.t('Publishing “{0}”…', target.name), (signal) =>
    g.providers.seekapi.publish(target.id, signal),
  );
  if (r)
    void vscode.window.showInformationMessage(
      r.status !== undefined
        ? vscode.l10n.t('“{0}” is {1} on the Seek API marketplace.', target.name, r.status)
        : vscode.l10n.t('“{0}” is published on the Seek API marketplace.', target.name),
    );
}
