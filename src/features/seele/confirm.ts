import { basename } from 'node:path';
import * as vscode from 'vscode';
import { confirmSend } from '../../commands/util';
import { COST_UNIT } from '../../core/providers/seele/contract';
import { oneLine } from '../../core/text';
import type { GenDeck } from '../../context';
import { budgetTodayLine } from '../../views/spendModel';

/**
 * The modal before a game or a step goes to Seele, uploads included: what is sent, that the cost in koin is known
 * only when the game finishes, today's Seele spend against the daily budget when one is set.
 */
export function confirmSeele(
  g: GenDeck,
  o: { message: string; prompt: string; settings: (string | undefined)[]; files: string[]; button: string },
): Promise<boolean> {
  const n = o.files.length;
  const today = g.budget.today('seele');
  const names = o.files.map((f) => basename(f)).join(', ');
  return confirmSend(
    o.message,
    [
      vscode.l10n.t('Prompt: “{0}”', oneLine(o.prompt, 300)),
      ...o.settings,
      n === 1
        ? vscode.l10n.t('1 reference file, uploaded first (an unchanged one is reused): {0}', names)
        : n
          ? vscode.l10n.t('{0} reference files, uploaded first (an unchanged one is reused): {1}', n, names)
          : vscode.l10n.t('No reference files.'),
      vscode.l10n.t('Cost: Seele reports it in {0} when the game finishes; it is not known before.', COST_UNIT),
      today ? budgetTodayLine(today.spent, today.budget) : undefined,
      g.sandbox.active ? vscode.l10n.t('Sandbox: no real {0} are spent.', COST_UNIT) : undefined,
    ],
    o.button,
  );
}
