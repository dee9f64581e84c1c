import * as vscode from 'vscode';
import type { GenDeck } from '../context';
import { PREVIEW_VIEW_TYPE, PreviewPanels } from '../webview/previewPanel';
import { ReadOnlyDocs } from './documents';
import { JobsTreeProvider, type JobsNode } from './jobsTree';
import { JobNotifications } from './notifications';
import { SpendTree } from './spendTree';
import { JobsStatusBar } from './statusBar';

/** The shared parts of the window: the Jobs tree and view, the Spend view, the preview panels, the status bar, notifications. */
export class EditorUi implements vscode.Disposable {
  readonly jobsTree: JobsTreeProvider;
  readonly jobsView: vscode.TreeView<JobsNode>;
  readonly previews: PreviewPanels;
  readonly docs = new ReadOnlyDocs();
  private readonly disposables: vscode.Disposable[];

  constructor(g: GenDeck) {
    this.jobsTree = new JobsTreeProvider(
      g.store,
      (id) => g.jobSource(id),
      () => g.sandbox.active,
    );
    this.jobsView = vscode.window.createTreeView<JobsNode>('gendeck.jobs', {
      treeDataProvider: this.jobsTree,
      showCollapseAll: true,
      canSelectMany: true,
    });
    this.previews = new PreviewPanels(g);
    const spendTree = new SpendTree(g.budget);
    this.disposables = [
      spendTree,
      vscode.window.createTreeView('gendeck.spend', { treeDataProvider: spendTree }),
      this.jobsTree,
      this.jobsView,
      this.previews,
      this.docs,
      vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, this.previews),
      new JobsStatusBar(g.store, g.sandbox, g.budget),
      new JobNotifications(g.store),
      // Sandbox jobs read "sandbox (off)" while it is stopped.
      g.sandbox.onDidChange(() => this.jobsTree.refresh()),
    ];
  }

  /** Selects a job in the Jobs view, if the view is there to show it. */
  async revealJob(key: string): Promise<void> {
    try {
      await this.jobsView.reveal(this.jobsTree.jobNode(key), { select: true, focus: false, expand: false });
    } catch {
      /* the view may be hidden */
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
