import * as vscode from 'vscode';

export const DOC_SCHEME = 'gendeck-seisoai';

/** Read-only documents (manifest, receipts): nothing to save when they are closed. */
export class SeisoaiDocs implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.path) ?? '';
  }

  async show(path: string, text: string): Promise<void> {
    const uri = vscode.Uri.from({ scheme: DOC_SCHEME, path });
    this.texts.set(path, text);
    this.changed.fire(uri);
    await vscode.window.showTextDocument(uri, { preview: true });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
