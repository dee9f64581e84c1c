import type * as vscode from 'vscode';
import type { GenDeck } from '../../context';
import type { CachedFileId } from '../../core/providers/seele/files';

const FILE_IDS_STATE = 'gendeck.seele.fileIds';

/**
 * Seele's editor wiring, run once on activation before polling starts: queued steps live on jobs
 * in the store, and the content-hash → file_id cache survives reloads (globalState; ids only, no
 * key). The cache is dropped when the Seele key changes, as another account cannot use those ids.
 */
export function setupSeele(g: GenDeck): vscode.Disposable {
  const seele = g.providers.seele;
  seele.attachJobs(g.store);
  seele.files.restore(g.context.globalState.get<CachedFileId[]>(FILE_IDS_STATE) ?? []);
  const subs = [
    seele.files.onDidChange(() => void g.context.globalState.update(FILE_IDS_STATE, seele.files.entries())),
    g.secrets.onDidChange((name) => {
      if (name === 'seele') seele.files.clear();
    }),
  ];
  return { dispose: () => subs.forEach((s) => s.dispose()) };
}
