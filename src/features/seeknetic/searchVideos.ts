import * as vscode from 'vscode';
import type { SeekneticContext } from './context';

/** "GenDeck: Search Videos…": asks for a query, then shows the results in the Search view. */
export async function searchVideos(c: SeekneticContext, query?: unknown): Promise<void> {
  const text =
    typeof query === 'string' && query.trim()
      ? query
      : await vscode.window.showInputBox({
          title: vscode.l10n.t('Search Workspace Videos'),
          prompt: vscode.l10n.t('Describe what you are looking for; the closest indexed videos come first.'),
          placeHolder: vscode.l10n.t('a red car driving at night'),
        });
  if (!text?.trim()) return;
  await c.feature.view.query(text.trim());
}
