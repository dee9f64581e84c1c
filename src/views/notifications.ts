import * as vscode from 'vscode';
import { TERMINAL, type Job, type JobStatus } from '../core/jobs/job';
import type { JobStore } from '../core/jobs/store';
import { PROVIDER_LABELS } from '../core/providers/index';
import { settings } from '../settings';
import { endMessage } from './format';
import { runCommand } from '../commandIds';

/** Tells the user once when a job they watched finishes or fails, with the next useful actions. */
export class JobNotifications implements vscode.Disposable {
  private last = new Map<string, JobStatus>();
  private readonly sub: { dispose(): void };

  constructor(private readonly store: JobStore) {
    for (const j of store.all()) this.last.set(j.key, j.status);
    this.sub = store.onDidChange((keys) => keys.forEach((k) => this.check(k)));
  }

  private check(key: string): void {
    const job = this.store.get(key);
    if (!job) return void this.last.delete(key);
    const before = this.last.get(key);
    this.last.set(key, job.status);
    if (before === undefined || before === job.status || TERMINAL.has(before) || !TERMINAL.has(job.status)) return;
    if (settings.notifyOnFinish()) void this.notify(job);
  }

  private async notify(job: Job): Promise<void> {
    const who = vscode.l10n.t('{0}: “{1}”', PROVIDER_LABELS[job.provider], job.title);
    const node = { type: 'job', key: job.key };
    const open = vscode.l10n.t('Open');
    if (job.status === 'succeeded') {
      const download = vscode.l10n.t('Download');
      const choice = await vscode.window.showInformationMessage(vscode.l10n.t('{0} finished.', who), open, download);
      if (choice === open) await runCommand('gendeck.openPreview', node);
      if (choice === download) await runCommand('gendeck.downloadOutputs', node);
      return;
    }
    const retry = vscode.l10n.t('Retry');
    const showLog = vscode.l10n.t('Show Log');
    const choice = await vscode.window.showWarningMessage(endMessage(job, who), open, retry, showLog);
    if (choice === open) await runCommand('gendeck.openPreview', node);
    if (choice === retry) await runCommand('gendeck.retryJob', node);
    if (choice === showLog) await runCommand('gendeck.showLog');
  }

  dispose(): void {
    this.sub.dispose();
  }
}
