import * as vscode from 'vscode';
import { runCommand } from '../commandIds';
import { PROVIDER_LABELS } from '../core/providers/index';
import type { CommandContext, JobStart } from './command';

type Row = vscode.QuickPickItem & { start?: JobStart };

/** New…: everything the providers can start, under each provider's name; the pick runs that provider's command. */
export async function newJob({ starts }: CommandContext): Promise<void> {
  const rows: Row[] = [];
  for (const start of starts) {
    if (rows.every((r) => r.start?.provider !== start.provider))
      rows.push({ label: PROVIDER_LABELS[start.provider], kind: vscode.QuickPickItemKind.Separator });
    rows.push({ label: start.label, detail: start.detail, description: PROVIDER_LABELS[start.provider], start });
  }
  const pick = await vscode.window.showQuickPick(rows, {
    placeHolder: vscode.l10n.t('Start something new with GenDeck'),
    matchOnDescription: true,
  });
  if (pick?.start) await runCommand(pick.start.command);
}
