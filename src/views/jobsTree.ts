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

const PROVIDER_ICON = new vscode.ThemeIcon('server-process');

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

// `createdAt` is an ISO string: compared by code unit (chronological, and far cheaper than localeCompare).
const newerFirst = (a: string, b: string) => (a === b ? 0 : a > b ? -1 : 1);
const newestFirst = (a: Job, b: Job) => newerFirst(a.createdAt, b.createdAt);
const byStatus = (a: Job, b: Job) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || newestFirst(a, b);

/** The jobs in the order `sort` lists them (within a provider group when grouped); ties keep their order. */
export function sortJobs(jobs: Job[], sort: JobsSort): Job[] {
  return [...jobs].sort(sort === 'status' ? byStatus : newestFirst);
}

/** What a finished job says it made, when its provider gave a summary. */
const summaryOf = (job: Job) =>
  job.status === 'succeeded' && typeof job.meta.summary === 'string' ? job.meta.summary : undefined;

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

/** One job as the tree holds it: the element VS Code is given for it, the job it was last drawn from, its item. */
interface Row {
  readonly node: JobsNode & { type: 'job' };
  job: Job;
  /** When the tree first saw the job: jobs created at the same moment keep the store's order. */
  readonly seq: number;
  /** Built on the first ask and kept until the job changes; its tooltip is added on hover (resolveTreeItem). */
  item?: vscode.TreeItem;
}

type RowOrder = (a: Row, b: Row) => number;
const rowNewest: RowOrder = (a, b) => newestFirst(a.job, b.job) || a.seq - b.seq;
const rowStatus: RowOrder = (a, b) => byStatus(a.job, b.job) || a.seq - b.seq;

/** Where `row` goes in `list` (sorted by `order`, no two rows equal under it). */
function placeOf(list: Row[], row: Row, order: RowOrder): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (order(list[mid], row) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertRow(list: Row[], row: Row, order: RowOrder): number {
  const at = placeOf(list, row, order);
  list.splice(at, 0, row);
  return at;
}

/** Takes `row` out of `list`, where `row.job` is still the job it was placed by; returns where it was. */
function removeRow(list: Row[], row: Row, order: RowOrder): number {
  let at = placeOf(list, row, order);
  if (list[at] !== row) at = list.indexOf(row);
  if (at >= 0) list.splice(at, 1);
  return at;
}

/**
 * Providers → jobs (newest first) → steps and outputs, or the jobs of all providers in one list (newest first, or by
 * status). The lists are kept sorted as jobs come, change and go (a binary search each), and each job's item is
 * built once per change of the job, so a change redraws only its row — or its provider's group when the job came,
 * went, moved or started or stopped running; the whole tree only when a group appears or goes, or in the flat
 * lists when a job comes, goes or moves.
 */
export class JobsTreeProvider implements vscode.TreeDataProvider<JobsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<JobsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** The one element of each job (VS Code's targeted refresh and reveal go by identity). */
  private readonly jobNodes = new Map<string, JobsNode & { type: 'job' }>();
  private readonly providerNodes = new Map<ProviderId, JobsNode & { type: 'provider' }>();
  private readonly rows = new Map<string, Row>();
  /** Each provider's rows, newest first; a provider without jobs has none. */
  private readonly groups = new Map<ProviderId, Row[]>();
  /** Each provider's queued and running jobs, for its "N running" description. */
  private readonly active = new Map<ProviderId, number>();
  /** Every row in the order of `sortMode` when it is not 'provider' (empty then). */
  private flat: Row[] = [];
  private seq = 0;
  private readonly sub: { dispose(): void };
  private sortMode: JobsSort = 'provider';

  constructor(
    private readonly store: JobStore,
    private readonly providerOf: (id: ProviderId) => JobSource | undefined,
    /** Whether the sandbox is on: its jobs are shown as offline while it is off (their media are not served). */
    private readonly sandboxOn: () => boolean = () => true,
  ) {
    this.sub = store.onDidChange((keys) => this.onStoreChange(keys));
    this.rebuild();
  }

  get sort(): JobsSort {
    return this.sortMode;
  }

  setSort(sort: JobsSort): void {
    if (sort === this.sortMode) return;
    this.sortMode = sort;
    this.flat = this.sortedFlat();
    // Without groups each row names its provider.
    for (const row of this.rows.values()) row.item = undefined;
    this.changed.fire(undefined);
  }

  /** Everything drawn again from the store (the sandbox went on or off, remote jobs were merged). */
  refresh(): void {
    for (const row of this.rows.values()) row.item = undefined;
    this.rebuild();
    this.changed.fire(undefined);
  }

  private flatOrder(): RowOrder {
    return this.sortMode === 'status' ? rowStatus : rowNewest;
  }

  private sortedFlat(): Row[] {
    return this.sortMode === 'provider' ? [] : [...this.rows.values()].sort(this.flatOrder());
  }

  /** The lists from the store's jobs, keeping the rows (and their items) of jobs that did not change. */
  private rebuild(): void {
    const present = new Set<string>();
    for (const job of this.store.all()) {
      present.add(job.key);
      const row = this.rows.get(job.key);
      if (!row) this.rows.set(job.key, { node: this.jobNode(job.key), job, seq: this.seq++ });
      else if (row.job !== job) {
        row.job = job;
        row.item = undefined;
      }
    }
    for (const key of this.rows.keys()) {
      if (present.has(key)) continue;
      this.rows.delete(key);
      this.jobNodes.delete(key);
    }
    this.groups.clear();
    this.active.clear();
    for (const row of this.rows.values()) {
      const p = row.job.provider;
      const group = this.groups.get(p);
      if (group) group.push(row);
      else this.groups.set(p, [row]);
      if (isActive(row.job)) this.active.set(p, (this.active.get(p) ?? 0) + 1);
    }
    for (const group of this.groups.values()) group.sort(rowNewest);
    this.flat = this.sortedFlat();
  }

  private onStoreChange(keys: string[]): void {
    const grouped = this.sortMode === 'provider';
    const order = this.flatOrder();
    const fire = new Set<JobsNode>();
    let whole = false;
    for (const key of keys) {
      const job = this.store.get(key);
      const row = this.rows.get(key);
      if (row?.job === job) continue;
      const before = row?.job;
      let [groupAt, flatAt, groupNow, flatNow] = [-1, -1, -1, -1];
      if (row && before) {
        const group = this.groups.get(before.provider) ?? [];
        groupAt = removeRow(group, row, rowNewest);
        if (!group.length) this.groups.delete(before.provider);
        if (!grouped) flatAt = removeRow(this.flat, row, order);
        if (isActive(before)) this.active.set(before.provider, (this.active.get(before.provider) ?? 1) - 1);
      }
      let kept: Row | undefined;
      if (!job) {
        this.rows.delete(key);
        this.jobNodes.delete(key);
      } else {
        kept = row ?? { node: this.jobNode(key), job, seq: this.seq++ };
        this.rows.set(key, kept);
        kept.job = job;
        kept.item = undefined;
        let group = this.groups.get(job.provider);
        if (!group) this.groups.set(job.provider, (group = []));
        groupNow = insertRow(group, kept, rowNewest);
        if (!grouped) flatNow = insertRow(this.flat, kept, order);
        if (isActive(job)) this.active.set(job.provider, (this.active.get(job.provider) ?? 0) + 1);
      }
      if (!grouped) {
        // The list is the root's children: a job that comes, goes or moves changes them.
        if (!before || !kept || flatAt !== flatNow) whole = true;
        else fire.add(kept.node);
        continue;
      }
      if (before && kept) {
        fire.add(kept.node);
        const stays = before.provider === kept.job.provider && groupAt === groupNow;
        if (stays && isActive(before) === isActive(kept.job)) continue;
      }
      // Its group's children or "N running" changed; a group that appears or goes changes the root's children.
      for (const p of new Set([before?.provider, job?.provider])) {
        if (!p) continue;
        const size = this.groups.get(p)?.length ?? 0;
        if (size === 0 || (size === 1 && p === job?.provider && p !== before?.provider)) whole = true;
        else fire.add(this.providerNode(p));
      }
    }
    // `load()` replaces the whole list and names only the jobs it has: any other one is gone.
    if (this.rows.size !== this.store.size) {
      this.rebuild();
      whole = true;
    }
    if (whole) this.changed.fire(undefined);
    else for (const node of fire) this.changed.fire(node);
  }

  jobNode(key: string): JobsNode & { type: 'job' } {
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
      if (this.sortMode !== 'provider') return this.flat.map((r) => r.node);
      return PROVIDER_IDS.filter((p) => this.groups.has(p)).map((p) => this.providerNode(p));
    }
    if (node.type === 'provider') return (this.groups.get(node.provider) ?? []).map((r) => r.node);
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
        const total = this.groups.get(node.provider)?.length ?? 0;
        const running = this.active.get(node.provider) ?? 0;
        const item = new vscode.TreeItem(PROVIDER_LABELS[node.provider], vscode.TreeItemCollapsibleState.Expanded);
        item.id = `provider:${node.provider}`;
        item.description = running ? vscode.l10n.t('{0} running · {1}', running, total) : String(total);
        item.contextValue = `provider provider-${node.provider}`;
        item.iconPath = PROVIDER_ICON;
        return item;
      }
      case 'job': {
        const row = this.rows.get(node.key);
        if (!row) return new vscode.TreeItem(vscode.l10n.t('(removed)'));
        return (row.item ??= this.jobItem(row.job));
      }
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

  /** A job's tooltip (its details), built when VS Code asks on hover rather than for every row shown. */
  resolveTreeItem(item: vscode.TreeItem, node: JobsNode): vscode.TreeItem {
    const job = node.type === 'job' ? this.store.get(node.key) : undefined;
    if (job && item.tooltip === undefined) item.tooltip = this.jobTooltip(job);
    return item;
  }

  private jobItem(job: Job): vscode.TreeItem {
    const hasChildren = job.outputs.length > 0 || (job.steps?.length ?? 0) > 0;
    const item = new vscode.TreeItem(
      job.title,
      hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `job:${job.key}`;
    const parts = [
      job.status === 'running' || job.status === 'queued'
        ? (job.progress ?? statusText(job.status))
        : statusText(job.status),
      formatCost(job),
      summaryOf(job),
      job.sandbox ? (this.sandboxOn() ? vscode.l10n.t('sandbox') : vscode.l10n.t('sandbox (off)')) : undefined,
      // Without provider groups each row names its provider.
      this.sortMode === 'provider' ? undefined : PROVIDER_LABELS[job.provider],
    ].filter(Boolean);
    item.description = parts.join(' · ');
    item.iconPath = STATUS_ICON[job.status];
    item.contextValue = jobContextValue(job, this.providerOf(job.provider));
    item.command = {
      command: 'gendeck.openPreview',
      title: vscode.l10n.t('Open Preview'),
      arguments: [this.jobNode(job.key)],
    };
    return item;
  }

  private jobTooltip(job: Job): vscode.MarkdownString {
    const tip = new vscode.MarkdownString(undefined, false);
    tip.isTrusted = false;
    tip.supportHtml = false;
    const source = this.providerOf(job.provider);
    const cancel = !source?.cancel ? 'never' : source.canCancel(job) ? 'now' : 'not now';
    const lines = jobDetails(job, { label: PROVIDER_LABELS[job.provider], cancel });
    const summary = summaryOf(job);
    if (summary) lines.splice(3, 0, vscode.l10n.t('Summary: {0}', summary));
    tip.appendText(lines.join('\n\n'));
    return tip;
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
