import * as vscode from 'vscode';
import { registerCommands } from './commands/index';
import { setupSeisoai } from './commands/seisoai/setup';
import { setupSeekApi } from './commands/seekapi/setup';
import { setupSeeknetic } from './commands/seeknetic/setup';
import { setupSeele } from './commands/seele/setup';
import { GenDeck } from './context';
import { PREVIEW_VIEW_TYPE, PreviewPanels } from './webview/previewPanel';
import { JobsTreeProvider, type JobsNode } from './views/jobsTree';
import { JobNotifications } from './views/notifications';
import { JobsStatusBar } from './views/statusBar';
import { PROVIDER_IDS } from './core/providers/ids';

let deck: GenDeck | undefined;

/** Wires the pieces together; behaviour lives in the modules it names. */
export async function activate(context: vscode.ExtensionContext): Promise<GenDeck> {
  const started = Date.now();
  const output = vscode.window.createOutputChannel('GenDeck', { log: true });
  const g = new GenDeck(context, output);
  deck = g;
  const tree = new JobsTreeProvider(g.store, (id) => g.provider(id));
  const view = vscode.window.createTreeView<JobsNode>('gendeck.jobs', {
    treeDataProvider: tree,
    showCollapseAll: true,
    canSelectMany: true,
  });
  g.jobsTree = tree;
  g.jobsView = view;
  g.previews = new PreviewPanels(g);
  context.subscriptions.push(
    output,
    g,
    tree,
    view,
    g.previews,
    vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, g.previews),
    new JobsStatusBar(g.store, g.sandbox),
    new JobNotifications(g.store),
    ...registerCommands(g),
    setupSeisoai(g),
    setupSeekApi(g),
    setupSeeknetic(g),
    setupSeele(g),
  );
  await g.start();
  await updateKeyContext(g);
  context.subscriptions.push(
    g.secrets.onDidChange(() => void updateKeyContext(g)),
    g.sandbox.onDidChange(() => void updateKeyContext(g)),
  );
  g.log.info(`Activated in ${Date.now() - started} ms.`);
  return g;
}

/** `gendeck.hasAnyKey` drives the welcome view shown when nothing is configured. */
async function updateKeyContext(g: GenDeck): Promise<void> {
  const has = (await Promise.all(PROVIDER_IDS.map((id) => g.secrets.has(id)))).some(Boolean);
  await vscode.commands.executeCommand('setContext', 'gendeck.hasAnyKey', has || g.sandbox.active);
}

/** Saves the job list; the sandbox server closes with the extension but stays enabled for next time. */
export async function deactivate(): Promise<void> {
  await deck?.store.flush();
}
