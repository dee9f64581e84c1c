import * as vscode from 'vscode';
import { DOC_SCHEME } from '../shell/views';

/** Read-only documents GenDeck writes (a manifest, receipts, usage): nothing to save when they are closed. */
export class ReadOnlyDocs implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.path) ?? '';
  }

  /** Opens `text` as a read-only document named by `path` (its extension picks the language). */
  async show(path: string, text: string): Promise<void> {
    await vscode.window.showTextDocument(this.set(path, text), { preview: true });
  }

  /** Opens a read-only Markdown document in the Markdown preview (the text itself when there is no preview). */
  async showMarkdown(path: string, text: string): Promise<void> {
    const uri = this.set(path, text);
    await vscode.commands
      .executeCommand('markdown.showPreview', uri)
      .then(undefined, () => vscode.window.showTextDocument(uri, { preview: true }));
  }

  private set(path: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: DOC_SCHEME, path });
    this.texts.set(path, text);
    this.changed.fire(uri);
    return uri;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
