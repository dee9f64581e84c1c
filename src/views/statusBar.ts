import * as vscode from 'vscode';
import type { JobStore } from '../core/jobs/store';
import type { Budget } from '../payments';
import type { SandboxControl } from '../sandboxControl';
import { spendTodayLines } from './spendModel';

/** "$(sync~spin) 2 GenDeck jobs" while anything runs; a sandbox badge while the sandbox is on; today's spend in the tooltip. */
export class JobsStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('gendeck.jobs', vscode.StatusBarAlignment.Left, 10);
  private readonly subs: { dispose(): void }[];
  /** Counts updates, so a slower spend answer never overwrites a newer tooltip. */
  private generation = 0;

  constructor(
    private readonly store: JobStore,
    private readonly sandbox: SandboxControl,
    private readonly budget: Budget,
  ) {
    this.item.name = vscode.l10n.t('GenDeck Jobs');
    this.item.command = 'gendeck.jobs.focus';
    // The budget fires on every job change too, and on receipts and budget settings.
    this.subs = [budget.onDidChange(() => this.update()), sandbox.onDidChange(() => this.update())];
    this.update();
  }

  update(): void {
    const running = this.store.all().filter((j) => j.status === 'queued' || j.status === 'running').length;
    if (!running && !this.sandbox.active) {
      this.item.hide();
      return;
    }
    const jobs = running === 1 ? vscode.l10n.t('1 GenDeck job') : vscode.l10n.t('{0} GenDeck jobs', running);
    this.item.text = running
      ? `$(sync~spin) ${jobs}${this.sandbox.active ? ` $(beaker) ${vscode.l10n.t('Sandbox')}` : ''}`
      : `$(beaker) ${vscode.l10n.t('GenDeck Sandbox')}`;
    const tooltip = [
      vscode.l10n.t('{0} running or queued', running),
      this.sandbox.active
        ? vscode.l10n.t('Sandbox on at {0} — no real provider is called', String(this.sandbox.origin))
        : undefined,
    ]
      .filter(Boolean)
      .join('\n');
    this.item.tooltip = tooltip;
    this.item.show();
    const generation = ++this.generation;
    // Unreadable receipts leave the tooltip without the spend lines.
    void this.budget.state().then(
      (s) => {
        if (generation === this.generation) this.item.tooltip = `${tooltip}\n\n${spendTodayLines(s).join('\n')}`;
      },
      () => undefined,
    );
  }

  dispose(): void {
    this.subs.forEach((s) => s.dispose());
    this.item.dispose();
  }
}
