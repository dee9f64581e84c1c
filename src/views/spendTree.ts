import * as vscode from 'vscode';
import type { Budget } from '../payments';
import { spendRows, type SpendRow } from './spendModel';

/** The Spend view (`gendeck.spend`): one row per provider, from spendModel.ts; refreshed when jobs, receipts or budgets change. */
export class SpendTree implements vscode.TreeDataProvider<SpendRow>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly sub: vscode.Disposable;

  constructor(private readonly budget: Budget) {
    this.sub = budget.onDidChange(() => this.changed.fire());
  }

  async getChildren(row?: SpendRow): Promise<SpendRow[]> {
    return row ? [] : spendRows(await this.budget.state());
  }

  getTreeItem(row: SpendRow): vscode.TreeItem {
    const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    item.id = row.id;
    item.description = row.description;
    item.tooltip = row.tooltip;
    item.iconPath = new vscode.ThemeIcon(
      row.icon,
      row.icon === 'warning' ? new vscode.ThemeColor('list.warningForeground') : undefined,
    );
    item.contextValue = row.budget ? 'spend budget' : 'spend';
    return item;
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
