import * as vscode from 'vscode';
import { formatUsd } from '../../views/format';
import { describeError } from '../../core/errors';
import { categoryLabel, type ToolCategory } from '../../core/providers/seisoai/contract';
import type { ToolSummary } from '../../core/providers/seisoai/schemas';
import type { ToolRegistry } from '../../core/providers/seisoai/toolRegistry';

export type ToolsNode =
  | { type: 'category'; category: ToolCategory; tools: ToolSummary[] }
  | { type: 'tool'; tool: ToolSummary }
  | { type: 'message'; text: string; detail?: string; error?: boolean };

const CATEGORY_ICON: Record<ToolCategory, string> = {
  images: 'file-media',
  video: 'device-camera-video',
  audio: 'unmute',
  music: 'music',
  '3D': 'symbol-misc',
  training: 'mortar-board',
  other: 'tools',
};

/** Seisoai tools by category, from the live registry (never a static list). */
export class ToolsTreeProvider implements vscode.TreeDataProvider<ToolsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ToolsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly sub: { dispose(): void };
  private fresh = false;

  constructor(private readonly registry: () => ToolRegistry) {
    this.sub = registry().onDidChange(() => this.changed.fire(undefined));
  }

  /** Reads the live list again (the Refresh action). */
  refresh(): void {
    this.fresh = true;
    this.changed.fire(undefined);
  }

  getTreeItem(node: ToolsNode): vscode.TreeItem {
    if (node.type === 'message') {
      const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
      item.tooltip = node.detail ?? node.text;
      item.iconPath = new vscode.ThemeIcon(node.error ? 'warning' : 'info');
      if (node.error) item.command = { command: 'gendeck.seisoai.refreshTools', title: vscode.l10n.t('Retry') };
      return item;
    }
    if (node.type === 'category') {
      const item = new vscode.TreeItem(categoryLabel(node.category), vscode.TreeItemCollapsibleState.Expanded);
      item.id = `seisoai-category-${node.category}`;
      item.description = `${node.tools.length}`;
      item.iconPath = new vscode.ThemeIcon(CATEGORY_ICON[node.category]);
      item.contextValue = 'seisoaiCategory';
      return item;
    }
    const t = node.tool;
    const item = new vscode.TreeItem(t.name, vscode.TreeItemCollapsibleState.None);
    item.id = `seisoai-tool-${t.id}`;
    const price =
      formatUsd(t.price?.usd) ??
      (t.price?.credits !== undefined ? vscode.l10n.t('{0} credits', t.price.credits) : undefined);
    item.description = [
      t.enabled ? price : vscode.l10n.t('disabled'),
      t.executionMode === 'queue' ? vscode.l10n.t('queued') : undefined,
    ]
      .filter(Boolean)
      .join(' · ');
    const tip = new vscode.MarkdownString(undefined, false);
    tip.appendMarkdown('**').appendText(t.name).appendMarkdown('**  \n').appendText(t.id);
    if (t.description) tip.appendMarkdown('\n\n').appendText(t.description);
    if (price)
      tip
        .appendMarkdown('\n\n')
        .appendText(
          vscode.l10n.t('From {0} per call (the exact price is shown for your input before it is sent).', price),
        );
    if (!t.enabled) tip.appendMarkdown('\n\n').appendText(vscode.l10n.t('Disabled by Seisoai right now.'));
    item.tooltip = tip;
    item.iconPath = new vscode.ThemeIcon(t.enabled ? 'symbol-method' : 'circle-slash');
    item.contextValue = t.enabled ? 'seisoaiTool' : 'seisoaiTool disabled';
    if (t.enabled)
      item.command = { command: 'gendeck.seisoai.runTool', title: vscode.l10n.t('Run Tool…'), arguments: [node] };
    return item;
  }

  async getChildren(node?: ToolsNode): Promise<ToolsNode[]> {
    if (node?.type === 'category') return node.tools.map((tool) => ({ type: 'tool', tool }));
    if (node) return [];
    const fresh = this.fresh;
    this.fresh = false;
    try {
      const groups = await this.registry().grouped({ fresh });
      if (!groups.length) return [{ type: 'message', text: vscode.l10n.t('Seisoai lists no tools right now.') }];
      return groups.map((g) => ({ type: 'category', category: g.category, tools: g.tools }));
    } catch (err) {
      return [
        {
          type: 'message',
          text: vscode.l10n.t('Seisoai tools could not be loaded — click to retry'),
          detail: describeError(err),
          error: true,
        },
      ];
    }
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
