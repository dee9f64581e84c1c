import * as vscode from 'vscode';
import {
  LazyCodeLens,
  LazyDocs,
  LazyDrag,
  LazyMcp,
  LazySerializer,
  LazyTools,
  LazyTree,
  LazyWebviewView,
  type Load,
} from './lazy';

// What the editor must have at activation to show GenDeck's views and offer its tools, each a stand-in that loads
// GenDeck's parts on first use (extension.ts); the parts attach their own providers to these.

export const SEARCH_VIEW_ID = 'gendeck.search';
export const PREVIEW_VIEW_TYPE = 'gendeck.preview';
export const DOC_SCHEME = 'gendeck-doc';
export const MCP_PROVIDER_ID = 'gendeck.mcpServers';
/** Set once this editor's own earlier job list (globalStorage/jobs.json) was brought into the shared one. */
export const JOBS_MIGRATED = 'gendeck.jobs.sharedListMigrated';
/** The assets manifest's file name (core/assets/manifest.ts keeps the same; a test holds them equal). */
export const MANIFEST_FILE = 'gendeck.assets.json';

/** A tree view and the stand-in that feeds it. */
export interface ShellTree {
  readonly view: vscode.TreeView<unknown>;
  readonly tree: LazyTree;
}

export class ShellViews implements vscode.Disposable {
  readonly jobs: ShellTree & { readonly drag: LazyDrag };
  readonly spend: ShellTree;
  readonly tools: ShellTree;
  readonly workers: ShellTree;
  readonly search: LazyWebviewView;
  readonly previews: LazySerializer;
  readonly lens: LazyCodeLens;
  readonly docs: LazyDocs;
  readonly lmTools: LazyTools;
  readonly mcp: LazyMcp;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(manifest: ExtensionManifest, load: Load) {
    const tree = (id: string, options: Omit<vscode.TreeViewOptions<unknown>, 'treeDataProvider'> = {}): ShellTree => {
      const provider = new LazyTree(load);
      const view = vscode.window.createTreeView(id, { ...options, treeDataProvider: provider });
      this.disposables.push(provider, view);
      return { view, tree: provider };
    };
    const drag = new LazyDrag(['text/uri-list']);
    this.jobs = {
      ...tree('gendeck.jobs', { showCollapseAll: true, canSelectMany: true, dragAndDropController: drag }),
      drag,
    };
    this.spend = tree('gendeck.spend');
    this.tools = tree('gendeck.tools', { showCollapseAll: true });
    this.workers = tree('gendeck.workers', { showCollapseAll: true });
    this.search = new LazyWebviewView(load);
    this.previews = new LazySerializer(load);
    this.lens = new LazyCodeLens(load);
    this.docs = new LazyDocs(load);
    this.lmTools = new LazyTools(load);
    this.mcp = new LazyMcp(load);
    this.disposables.push(
      vscode.window.registerWebviewViewProvider(SEARCH_VIEW_ID, this.search, {
        webviewOptions: { retainContextWhenHidden: false },
      }),
      vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, this.previews),
      this.lens,
      vscode.languages.registerCodeLensProvider({ scheme: 'file', pattern: `**/${MANIFEST_FILE}` }, this.lens),
      this.docs,
      vscode.workspace.registerTextDocumentContentProvider(DOC_SCHEME, this.docs),
      this.mcp,
    );
    // Older editors lack these APIs (a fork may not have them): GenDeck runs without them.
    if (typeof vscode.lm?.registerTool === 'function')
      for (const { name } of manifest.contributes.languageModelTools ?? [])
        this.disposables.push(vscode.lm.registerTool(name, this.lmTools.stand(name)));
    if (typeof vscode.lm?.registerMcpServerDefinitionProvider === 'function')
      this.disposables.push(vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, this.mcp));
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** The parts of package.json the shell reads. */
export interface ExtensionManifest {
  contributes: { commands?: { command: string }[]; languageModelTools?: { name: string }[] };
}
