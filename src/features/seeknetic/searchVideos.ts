import * as vscode from 'vscode';
import type { SeekneticContext } from './context';

/** "GenDeck: Search Videos…": asks for a query, then shows the results in the Search view. */
export async function searchVideos(c: SeekneticContext, query?: unknown): Promise<void> {
  const text =
    typeof query === 'string' && query.trim()
      ? query
      : await vscode.window.showInputBox({
          title: 'Search Workspace Videos',
          prompt: 'Describe what you are looking for; the closest indexed videos come first.',
          placeHolder: 'a red car driving at night',
        });
  if (!text?.trim()) return;
  await c.feature.view.query(text.trim());
}
