import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import { ValidationError } from '../../core/errors';
import { newGame } from './newGame';
import type { CommandContext } from '../../commands/command';

/** Explorer → "New Game from Selected Files (Seele)": the files are uploaded (or reused by content) as references. */
export async function newGameFromFiles(
  c: CommandContext,
  clicked?: vscode.Uri,
  selected?: vscode.Uri[],
): Promise<void> {
  const { g } = c;
  let uris = selected?.length ? selected : clicked ? [clicked] : undefined;
  if (!uris) {
    uris = await vscode.window.showOpenDialog({
      canSelectMany: true,
      canSelectFolders: false,
      openLabel: vscode.l10n.t('Use as Seele reference'),
    });
    if (!uris?.length) return;
  }
  try {
    const files: string[] = [];
    for (const uri of uris) {
      if (uri.scheme !== 'file')
        throw new ValidationError(
          vscode.l10n.t('{0} is not a local file; Seele references are uploaded from disk.', uri.toString(true)),
        );
      const s = await stat(uri.fsPath).catch(() => undefined);
      if (!s?.isFile())
        throw new ValidationError(
          vscode.l10n.t('“{0}” is a folder or cannot be read; select files.', vscode.workspace.asRelativePath(uri)),
        );
      files.push(uri.fsPath);
    }
    await newGame(c, { files });
  } catch (err) {
    await g.reportError(err, vscode.l10n.t('Seele game not started'));
  }
}
