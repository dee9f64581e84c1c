import * as vscode from 'vscode';
import type { SeekneticContext } from './context';

/** "Find Similar Moments" on an Explorer video: the Search view shows the moments most like that file's own vector. */
export async function findSimilar(c: SeekneticContext, arg?: unknown): Promise<void> {
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (!uri || uri.scheme !== 'file') {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Pick an indexed video in the Explorer to find moments like it.'),
    );
    return;
  }
  await c.feature.view.similarTo({ path: uri.fsPath });
}
