import * as vscode from 'vscode';
import type { JobStore } from '../core/jobs/store';
import type { ProviderId } from '../core/providerIds';

/**
 * The walkthrough's provider steps complete on a real success: `gendeck.succeeded.<provider>` becomes true once a
 * job of that provider has succeeded (jobs already in the list count), or once its feature says so (Seeknetic: a
 * search that found videos).
 */
export class Onboarding implements vscode.Disposable {
  private readonly done = new Set<ProviderId>();
  private readonly sub: { dispose(): void };

  constructor(store: JobStore) {
    this.sub = store.onDidChange((keys) => {
      for (const k of keys) {
        const job = store.get(k);
        if (job?.status === 'succeeded') this.succeeded(job.provider);
      }
    });
    for (const job of store.all()) if (job.status === 'succeeded') this.succeeded(job.provider);
  }

  succeeded(provider: ProviderId): void {
    if (this.done.has(provider)) return;
    this.done.add(provider);
    void vscode.commands.executeCommand('setContext', `gendeck.succeeded.${provider}`, true);
  }

  dispose(): void {
    this.sub.dispose();
  }
}
