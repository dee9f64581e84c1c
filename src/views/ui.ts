import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { GenDeck } from '../context';
import { PreviewPanels } from '../webview/previewPanel';
import { ReadOnlyDocs } from './documents';
import { JOBS_SORTS, JobsTreeProvider, type JobsNode, type JobsSort } from './jobsTree';
import { JobNotifications } from './notifications';
import { Onboarding } from './onboarding';
import { SpendTree } from './spendTree';
import { JobsStatusBar } from './statusBar';

/** Where the Jobs view's order is kept (globalState). */
export const JOBS_SORT_STATE = 'gendeck.jobsSort';

/** The shared parts of the window: the Jobs tree and view, the Spend view, the preview panels, the status bar, notifications. */
export class EditorUi implements vscode.Disposable {
  readonly jobsTree: JobsTreeProvider;
  readonly jobsView: vscode.TreeView<JobsNode>;
  readonly previews: PreviewPanels;
  readonly docs = new ReadOnlyDocs();
  readonly onboarding: Onboarding;
  private readonly disposables: vscode.Disposable[];

  constructor(g: GenDeck) {
    this.jobsTree = new JobsTreeProvider(
      g.store,
      (id) => g.jobSource(id),
      () => g.sandbox.active,
    );
    const sort = g.context.globalState.get<string>(JOBS_SORT_STATE);
    if ((JOBS_SORTS as readonly string[]).includes(sort ?? '')) this.jobsTree.setSort(sort as JobsSort);
    // The views are the shell's (registered at activation); GenDeck's providers feed them.
    const { jobs, spend } = g.shell;
    this.jobsView = jobs.view as vscode.TreeView<JobsNode>;
    this.previews = new PreviewPanels(g);
    this.onboarding = new Onboarding(g.store);
    const spendTree = new SpendTree(g.budget);
    this.disposables = [
      spendTree,
      spend.tree.attach(spendTree),
      this.jobsTree,
      jobs.tree.attach(this.jobsTree as vscode.TreeDataProvider<unknown>),
      jobs.drag.attach(new OutputDrag(g) as vscode.TreeDragAndDropController<unknown>),
      this.previews,
      this.docs,
      g.shell.docs.attach(this.docs),
      this.onboarding,
      g.shell.previews.attach(this.previews),
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

/**
 * Dragging outputs out of the Jobs view: each one already on disk goes as its file (`text/uri-list`), so an editor
 * inserts a reference to it (Markdown makes an image link) and the Explorer copies it. Outputs not downloaded yet
 * are left out (Download first).
 */
class OutputDrag implements vscode.TreeDragAndDropController<JobsNode> {
  readonly dragMimeTypes = ['text/uri-list'];
  readonly dropMimeTypes: string[] = [];
  constructor(private readonly g: GenDeck) {}

  handleDrag(source: readonly JobsNode[], data: vscode.DataTransfer): void {
    const uris = source.flatMap((n) => {
      if (n.type !== 'output') return [];
      const path = this.g.store.get(n.key)?.outputs[n.index]?.localPath;
      return path && existsSync(path) ? [vscode.Uri.file(path).toString()] : [];
    });
    if (uris.length) data.set('text/uri-list', new vscode.DataTransferItem(uris.join('\r\n')));
  }
}
