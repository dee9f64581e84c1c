import * as vscode from 'vscode';
import type { JobsSort } from '../views/jobsTree';
import { JOBS_SORT_STATE } from '../views/ui';
import type { CommandContext } from './command';

const CHOICES: { sort: JobsSort; label: string; detail: string }[] = [
  { sort: 'provider', label: 'By provider', detail: 'Grouped by provider, newest first in each' },
  { sort: 'newest', label: 'Newest first', detail: 'All providers in one list' },
  { sort: 'status', label: 'By status', detail: 'Running, then failed, cancelled, finished; newest first in each' },
];

/** Picks how the Jobs view lists jobs; the choice is kept across reloads. */
export async function sortJobs({ g, ui }: CommandContext, arg?: unknown): Promise<void> {
  const current = ui.jobsTree.sort;
  const given = CHOICES.find((c) => c.sort === arg);
  const pick =
    given ??
    (await vscode.window.showQuickPick(
      CHOICES.map((c) => ({ ...c, description: c.sort === current ? '(current)' : undefined })),
      { placeHolder: 'List GenDeck jobs…' },
    ));
  if (!pick) return;
  ui.jobsTree.setSort(pick.sort);
  await g.context.globalState.update(JOBS_SORT_STATE, pick.sort);
}
