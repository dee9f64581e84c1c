import * as vscode from 'vscode';
import type { JobStore } from '../core/jobs/store';
import type { SandboxControl } from '../sandboxControl';

/** "$(sync~spin) 2 GenDeck jobs" while anything runs; a sandbox badge while the sandbox is on. */
export class JobsStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('gendeck.jobs', vscode.StatusBarAlignment.Left, 10);
  private readonly subs: { dispose(): void }[];

  constructor(
    private readonly store: JobStore,
    private readonly sandbox: SandboxControl,
  ) {
    this.item.name = 'GenDeck Jobs';
    this.item.command = 'gendeck.jobs.focus';
    this.subs = [store.onDidChange(() => this.update()), sandbox.onDidChange(() => this.update())];
    this.update();
  }

  update(): void {
    const running = this.store.all().filter((j) => j.status === 'queued' || j.status === 'running').length;
    const sandbox = this.sandbox.active ? ' $(beaker) Sandbox' : '';
    if (!running && !this.sandbox.active) {
      this.item.hide();
      return;
    }
    this.item.text = running
      ? `$(sync~spin) ${running} GenDeck job${running === 1 ? '' : 's'}${sandbox}`
      : `$(beaker) GenDeck Sandbox`;
    this.item.tooltip = `${running} running or queued${this.sandbox.active ? `\nSandbox on at ${this.sandbox.origin} — no real provider is called` : ''}`;
    this.item.show();
  }

  dispose(): void {
    this.subs.forEach((s) => s.dispose());
    this.item.dispose();
  }
}
