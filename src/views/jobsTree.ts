import * as vscode from 'vscode';
import {
  formatCost,
  isActive,
  isUnpackable,
  type Job,
  type JobOutput,
  type JobStatus,
  type JobStep,
} from '../core/jobs/job';
import type { JobStore } from '../core/jobs/store';
import type { ProviderId } from '../core/providerIds';
import { PROVIDER_LABELS, PROVIDER_IDS } from '../core/providers/index';
import type { JobSource } from '../core/providers/types';
import { jobDetails, statusText, stepStateText } from './format';

export type JobsNode =
  | { type: 'provider'; provider: ProviderId }
  | { type: 'job'; key: string }
  | { type: 'step'; key: string; step: JobStep }
  | { type: 'output'; key: string; index: number; output: JobOutput };

const STATUS_ICON: Record<JobStatus, vscode.ThemeIcon> = {
  queued: new vscode.ThemeIcon('clock'),
  running: new vscode.ThemeIcon('sync~spin'),
  succeeded: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  canceled: new vscode.ThemeIcon('circle-slash'),
  timeout: new vscode.ThemeIcon('watch', new vscode.ThemeColor('testing.iconFailed')),
};

const OUTPUT_ICON: Record<string, string> = {
  video: 'device-camera-video',
  image: 'file-media',
  audio: 'unmute',
  model: 'symbol-misc',
  html: 'globe',
  archive: 'file-zip',
  json: 'json',
  text: 'note',
  file: 'file',
};

/** How the Jobs view lists jobs: grouped by provider (newest first in each), all newest first, or by status. */
export const JOBS_SORTS = ['provider', 'newest', 'status'] as const;
export type JobsSort = (typeof JOBS_SORTS)[number];

/** Running first, then the ones that need a look (failed, timed out), then cancelled, then finished. */
const STATUS_RANK: Record<JobStatus, number> = {
  running: 0,
  queued: 1,
  failed: 2,
  timeout: 3,
  canceled: 4,
  succeeded: 5,
};

const newestFirst = (a: Job, b: Job) => b.createdAt.localeCompare(a.createdAt);

/** The jobs in the order `sort` lists them (within a provider group when grouped). */
export function sortJobs(jobs: Job[], sort: JobsSort): Job[] {
  return [...jobs].sort(
    sort === 'status' ? (a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || newestFirst(a, b) : newestFirst,
  );
}

/** Words a `when` clause can test with `viewItem =~ /\bword\b/`. */
export function jobContextValue(job: Job, provider: JobSource | undefined): string {
  const t = ['job', `provider-${job.provider}`, `status-${job.status}`];
  if (job.outputs.length) t.push('hasOutputs');
  if (job.outputs.some((o) => o.url)) t.push('downloadable');
  if (provider?.canCancel(job)) t.push('canCancel');
  if (provider?.followUp) t.push('canFollowUp');
  // Run Again is for a job that has ended: a running one would be paid for twice.
  if (Object.keys(job.request).length && !isActive(job)) t.push('canRetry');
  if (job.webUrl) t.push('hasWebUrl');
  if (job.outputs.some((o) => isUnpackable(job, o))) t.push('unpackable');
  return t.join(' ');
}

/**
 * Providers → jobs (newest first) → steps and outputs, or the jobs of all providers in one list (newest first, or by
 * status). Refreshes only the nodes whose jobs changed, and the whole list when a change moves a job in it.
 */
export class JobsTreeProvider implements vscode.TreeDataProvider<JobsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<JobsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly jobNodes = new Map<string, JobsNode & { type: 'job' }>();
  private readonly providerNodes = new Map<ProviderId, JobsNode & { type: 'provider' }>();
  private readonly sub: { dispose(): void };
  private knownKeys = new Set<string>();
  private readonly wasActive = new Map<string, boolean>();
  private readonly lastStatus = new Map<string, JobStatus>();
  private sortMode: JobsSort = 'provider';

  constructor(
    private readonly store: JobStore,
    private readonly providerOf: (id: ProviderId) => JobSource | undefined,
    /** Whether the sandbox is on: its jobs are shown as offline while it is off (their media are not served). */
    private readonly sandboxOn: () => boolean = () => true,
  ) {
    this.sub = store.onDidChange((keys) => this.onStoreChange(keys));
    this.knownKeys = new Set(store.all().map((j) => j.key));
  }

  get sort(): JobsSort {
    return this.sortMode;
  }

  setSort(sort: JobsSort): void {
    if (sort === this.sortMode) return;
    this.sortMode = sort;
    this.changed.fire(undefined);
  }

  private onStoreChange(keys: string[]): void {
    const moved = (k: string) => {
      const status = this.store.get(k)?.status;
      const before = this.lastStatus.get(k);
      if (status) this.lastStatus.set(k, status);
      return this.sortMode === 'status' && !!status && !!before && before !== status;
    };
    const structural = keys.some((k) => this.knownKeys.has(k) !== !!this.store.get(k)) || keys.map(moved).some(Boolean);
    if (structural) {
      this.knownKeys = new Set(this.store.all().map((j) => j.key));
      for (const k of keys) if (!this.store.get(k)) this.jobNodes.delete(k);
      this.changed.fire(undefined);
      return;
    }
    const providers = new Set<ProviderId>();
    for (const k of keys) {
      const job = this.store.get(k);
      const active = !!job && (job.status === 'queued' || job.status === 'running');
      // The provider's "N running" count changes only when a job starts or stops being active.
      if (job && this.wasActive.get(k) !== active) providers.add(job.provider);
      if (job) this.wasActive.set(k, active);
      const node = this.jobNodes.get(k);
      if (node) this.changed.fire(node);
    }
    for (const p of providers) {
      const node = this.providerNodes.get(p);
      if (node) this.changed.fire(node);
    }
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  jobNode(key: string): JobsNode {
    let n = this.jobNodes.get(key);
    if (!n) {
      n = { type: 'job', key };
      this.jobNodes.set(key, n);
    }
    return n;
  }

  private providerNode(provider: ProviderId): JobsNode {
    let n = this.providerNodes.get(provider);
    if (!n) {
      n = { type: 'provider', provider };
      this.providerNodes.set(provider, n);
    }
    return n;
  }

  getChildren(node?: JobsNode): JobsNode[] {
    if (!node) {
      const all = this.store.all();
      for (const j of all) this.lastStatus.set(j.key, j.status);
      if (this.sortMode !== 'provider') return sortJobs(all, this.sortMode).map((j) => this.jobNode(j.key));
      const present = new Set(all.map((j) => j.provider));
      return PROVIDER_IDS.filter((p) => present.has(p)).map((p) => this.providerNode(p));
    }
    if (node.type === 'provider') {
      const jobs = this.store.all().filter((j) => j.provider === node.provider);
      return sortJobs(jobs, 'newest').map((j) => this.jobNode(j.key));
    }
    if (node.type === 'job') {
      const job = this.store.get(node.key);
      if (!job) return [];
      const steps: JobsNode[] = (job.steps ?? []).map((step) => ({ type: 'step', key: job.key, step }));
      const outputs: JobsNode[] = job.outputs.map((output, index) => ({ type: 'output', key: job.key, index, output }));
      return [...steps, ...outputs];
    }
    return [];
  }

  getParent(node: JobsNode): JobsNode | undefined {
    if (node.type === 'provider') return undefined;
    const job = this.store.get(node.key);
    if (!job) return undefined;
    if (node.type !== 'job') return this.jobNode(job.key);
    return this.sortMode === 'provider' ? this.providerNode(job.provider) : undefined;
  }

  getTreeItem(node: JobsNode): vscode.TreeItem {
    switch (node.type) {
      case 'provider': {
        const jobs = this.store.all().filter((j) => j.provider === node.provider);
        const running = jobs.filter((j) => j.status === 'queued' || j.status === 'running').length;
        const item = new vscode.TreeItem(PROVIDER_LABELS[node.provider], vscode.TreeItemCollapsibleState.Expanded);
        item.id = `provider:${node.provider}`;
        item.description = running ? vscode.l10n.t('{0} running · {1}', running, jobs.length) : String(jobs.length);
        item.contextValue = `provider provider-${node.provider}`;
        item.iconPath = new vscode.ThemeIcon('server-process');
        return item;
      }
      case 'job':
        return this.jobItem(node.key);
      case 'step': {
        const s = node.step;
        const item = new vscode.TreeItem(s.prompt, vscode.TreeItemCollapsibleState.None);
        item.id = `step:${node.key}:${s.localId}`;
        item.description =
          s.state === 'queued'
            ? vscode.l10n.t('queued — sent when the job finishes')
            : s.state === 'sent'
              ? (s.id ?? stepStateText('sent'))
              : stepStateText(s.state);
        item.iconPath = new vscode.ThemeIcon(
          s.state === 'queued'
            ? 'history'
            : s.state === 'failed'
              ? 'error'
              : s.state === 'canceled'
                ? 'circle-slash'
                : 'arrow-right',
        );
        item.contextValue = `step step-${s.state}`;
        item.tooltip = s.error ?? s.prompt;
        return item;
      }
      case 'output': {
        const o = node.output;
        const item = new vscode.TreeItem(o.label ?? o.name ?? o.kind, vscode.TreeItemCollapsibleState.None);
        item.id = `output:${node.key}:${node.index}`;
        item.description = o.description ?? o.kind;
        item.iconPath = new vscode.ThemeIcon(OUTPUT_ICON[o.kind] ?? 'file');
        const job = this.store.get(node.key);
        item.contextValue = `output output-${o.kind} provider-${job?.provider ?? 'unknown'}${o.url ? ' downloadable' : ''}${job && isUnpackable(job, o) ? ' unpackable' : ''}`;
        item.command = {
          command: 'gendeck.openPreview',
          title: vscode.l10n.t('Open Preview'),
          arguments: [this.jobNode(node.key)],
        };
        return item;
      }
    }
  }

  private jobItem(key: string): vscode.TreeItem {
    const job = this.store.get(key);
    if (!job) return new vscode.TreeItem(vscode.l10n.t('(removed)'));
    const hasChildren = job.outputs.length > 0 || (job.steps?.length ?? 0) > 0;
    const item = new vscode.TreeItem(
      job.title,
      hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `job:${key}`;
    const summary = job.status === 'succeeded' && typeof job.meta.summary === 'string' ? job.meta.summary : undefined;
    const parts = [
      job.status === 'running' || job.status === 'queued'
        ? (job.progress ?? statusText(job.status))
        : statusText(job.status),
      formatCost(job),
      summary,
      job.sandbox ? (this.sandboxOn() ? vscode.l10n.t('sandbox') : vscode.l10n.t('sandbox (off)')) : undefined,
      // Without provider groups each row names its provider.
      this.sortMode === 'provider' ? undefined : PROVIDER_LABELS[job.provider],
    ].filter(Boolean);
    item.description = parts.join(' · ');
    item.iconPath = STATUS_ICON[job.status];
    item.contextValue = jobContextValue(job, this.providerOf(job.provider));
    const tip = new vscode.MarkdownString(undefined, false);
    tip.isTrusted = false;
    tip.supportHtml = false;
    const source = this.providerOf(job.provider);
    const cancel = !source?.cancel ? 'never' : source.canCancel(job) ? 'now' : 'not now';
    const lines = jobDetails(job, { label: PROVIDER_LABELS[job.provider], cancel });
    if (summary) lines.splice(3, 0, vscode.l10n.t('Summary: {0}', summary));
    tip.appendText(lines.join('\n\n'));
    item.tooltip = tip;
    item.command = {
      command: 'gendeck.openPreview',
      title: vscode.l10n.t('Open Preview'),
      arguments: [this.jobNode(key)],
    };
    return item;
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
