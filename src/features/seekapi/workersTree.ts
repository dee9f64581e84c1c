import * as vscode from 'vscode';
import { describePricing } from '../../core/providers/seekapi/provider';
import type { SeekNode, SeekWorkersModel } from './workersModel';

/** The Seek API view (`gendeck.workers`): the model's nodes as tree items. */
export class SeekWorkersTree implements vscode.TreeDataProvider<SeekNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SeekNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly sub: { dispose(): void };

  constructor(private readonly model: SeekWorkersModel) {
    this.sub = model.onChange((node) => this.changed.fire(node));
  }

  getChildren(node?: SeekNode): Promise<SeekNode[]> {
    return this.model.getChildren(node);
  }

  getTreeItem(node: SeekNode): vscode.TreeItem {
    switch (node.type) {
      case 'section': {
        if (node.section === 'account') {
          const item = new vscode.TreeItem(vscode.l10n.t('Account'), vscode.TreeItemCollapsibleState.Expanded);
          item.id = 'seek:account';
          item.iconPath = new vscode.ThemeIcon('account');
          item.contextValue = 'seekAccount';
          if (this.model.account?.credits.balance !== undefined)
            item.description = vscode.l10n.t('{0} credits', this.model.account.credits.balance);
          return item;
        }
        const item = new vscode.TreeItem(vscode.l10n.t('Workers'), vscode.TreeItemCollapsibleState.Expanded);
        item.id = 'seek:workers';
        item.iconPath = new vscode.ThemeIcon('tools');
        item.contextValue = 'seekWorkers';
        item.description =
          this.model.totalWorkers !== undefined
            ? vscode.l10n.t('{0} of {1}', this.model.workers.length, this.model.totalWorkers)
            : this.model.workers.length
              ? `${this.model.workers.length}${this.model.hasMore ? '+' : ''}`
              : undefined;
        return item;
      }
      case 'usage': {
        const rows = this.model.account?.credits.usage ?? [];
        const item = new vscode.TreeItem(
          vscode.l10n.t('Usage'),
          rows.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
        );
        item.id = 'seek:usage';
        item.iconPath = new vscode.ThemeIcon('graph');
        const total = rows.reduce((s, r) => s + r.credits, 0);
        item.description =
          rows.length === 1
            ? vscode.l10n.t('{0} credits over 1 period', total)
            : rows.length
              ? vscode.l10n.t('{0} credits over {1} periods', total, rows.length)
              : vscode.l10n.t('no usage yet');
        return item;
      }
      case 'deployments': {
        const list = this.model.account?.deployments ?? [];
        const item = new vscode.TreeItem(vscode.l10n.t('Deployments'), vscode.TreeItemCollapsibleState.Expanded);
        item.id = 'seek:deployments';
        item.iconPath = new vscode.ThemeIcon('rocket');
        item.description =
          list.length === 1 ? vscode.l10n.t('1 worker of yours') : vscode.l10n.t('{0} workers of yours', list.length);
        return item;
      }
      case 'deployment': {
        const d = node.deployment;
        const item = new vscode.TreeItem(d.name, vscode.TreeItemCollapsibleState.None);
        item.id = `seek:deployment:${d.id}`;
        item.description = [d.status, d.version ? `v${d.version}` : undefined].filter(Boolean).join(' · ');
        item.iconPath = new vscode.ThemeIcon(d.status === 'published' ? 'cloud' : 'cloud-upload');
        item.contextValue = `seekDeployment seekDeployment-${(d.status ?? 'unknown').replace(/\W+/g, '')}`;
        const tip = new vscode.MarkdownString(undefined, false);
        tip.isTrusted = false;
        tip.appendText(
          `${d.name} (${d.id})${d.description ? `\n\n${d.description}` : ''}${d.publishedAt ? `\n\n${vscode.l10n.t('Published {0}', d.publishedAt)}` : ''}`,
        );
        item.tooltip = tip;
        return item;
      }
      case 'worker': {
        const w = node.worker;
        const item = new vscode.TreeItem(w.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `seek:worker:${w.id}`;
        item.description = describePricing(w.pricing);
        item.iconPath = new vscode.ThemeIcon('symbol-class');
        item.contextValue = 'seekWorker';
        const tip = new vscode.MarkdownString(undefined, false);
        tip.isTrusted = false;
        tip.appendText(
          `${w.name} (${w.id})${w.category ? ` · ${w.category}` : ''}${w.author ? ` · ${vscode.l10n.t('by {0}', w.author)}` : ''}${w.description ? `\n\n${w.description}` : ''}`,
        );
        item.tooltip = tip;
        return item;
      }
      case 'loadMore': {
        const item = new vscode.TreeItem(
          this.model.loadingWorkers ? vscode.l10n.t('Loading…') : vscode.l10n.t('Load more…'),
          vscode.TreeItemCollapsibleState.None,
        );
        item.id = 'seek:loadMore';
        item.iconPath = new vscode.ThemeIcon(this.model.loadingWorkers ? 'loading~spin' : 'ellipsis');
        item.command = { command: 'gendeck.seekapi.loadMoreWorkers', title: vscode.l10n.t('Load More Workers') };
        return item;
      }
      case 'info': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.id = `seek:info:${node.id}`;
        item.description = node.description;
        item.tooltip = node.tooltip;
        if (node.icon)
          item.iconPath = new vscode.ThemeIcon(
            node.icon,
            node.error ? new vscode.ThemeColor('errorForeground') : undefined,
          );
        item.command = node.command;
        return item;
      }
    }
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
