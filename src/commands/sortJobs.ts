import * as vscode from 'vscode';
import type { JobsSort } from '../views/jobsTree';
import { JOBS_SORT_STATE } from '../views/ui';
import type { CommandContext } from './command';

const choices = (): { sort: JobsSort; label: string; detail: string }[] => [
  {
    sort: 'provider',
    label: vscode.l10n.t('By provider'),
    detail: vscode.l10n.t('Grouped by provider, newest first in each'),
  },
  { sort: 'newest', label: vscode.l10n.t('Newest first'), detail: vscode.l10n.t('All providers in one list') },
  {
    sort: 'status',
    label: vscode.l10n.t('By status'),
    detail: vscode.l10n.t('Running, then failed, cancelled, finished; newest first in each'),
  },
];

/** Picks how the Jobs view lists jobs; the choice is kept across reloads. */
export async function sortJobs({ g, ui }: CommandContext, arg?: unknown): Promise<void> {
  const current = ui.jobsTree.sort;
  const all = choices();
  const given = all.find((c) => c.sort === arg);
  const pick =
    given ??
    (await vscode.window.showQuickPick(
      all.map((c) => ({ ...c, description: c.sort === current ? vscode.l10n.t('(current)') : undefined })),
      { placeHolder: vscode.l10n.t('List GenDeck jobs…') },
    ));
  if (!pick) return;
  ui.jobsTree.setSort(pick.sort);
  await g.context.globalState.update(JOBS_SORT_STATE, pick.sort);
}
