import { basename } from 'node:path';
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
  return confirmSend(
    o.message,
    [
      `Prompt: “${oneLine(o.prompt, 300)}”`,
      ...o.settings,
      n
        ? `${n} reference file${n === 1 ? '' : 's'}, uploaded first (an unchanged one is reused): ${o.files.map((f) => basename(f)).join(', ')}`
        : 'No reference files.',
      `Cost: Seele reports it in ${COST_UNIT} when the game finishes; it is not known before.`,
      today ? budgetTodayLine(today.spent, today.budget) : undefined,
      g.sandbox.active ? `Sandbox: no real ${COST_UNIT} are spent.` : undefined,
    ],
    o.button,
  );
}
