import * as l10n from '@vscode/l10n';
import type { CommandId } from '../../commandIds';
import { describeError } from '../../core/errors';
import { formFromSchema } from '../../core/forms/schemaForm';
import type { WorkersPageToken } from '../../core/providers/seekapi/client';
import { describePricing, type AccountOverview, type SeekApiProvider } from '../../core/providers/seekapi/provider';
import type { Deployment, WorkerDetail, WorkerSummary } from '../../core/providers/seekapi/schemas';

/** The Seek API view: an Account section (plan, balance, usage, deployments) and the Workers marketplace. */
export type SeekNode =
  | { type: 'section'; section: 'account' | 'workers' }
  | { type: 'usage' }
  | { type: 'deployments' }
  | { type: 'deployment'; deployment: Deployment }
  | { type: 'worker'; worker: WorkerSummary }
  | { type: 'loadMore' }
  | {
      type: 'info';
      id: string;
      label: string;
      description?: string;
      icon?: string;
      tooltip?: string;
      command?: { command: CommandId; title: string; arguments?: unknown[] };
      error?: boolean;
    };

/** How many pages a filter may pull in at once to search by name (the API documents no server-side search). */
const FILTER_PAGE_LIMIT = 20;

/**
 * What the Seek API view shows, without the editor: the account, the marketplace pages read so far, the filter,
 * worker details, and the nodes for each level. The tree (workersTree.ts) only turns nodes into items.
 */
export class SeekWorkersModel {
  private readonly listeners = new Set<(node: SeekNode | undefined) => void>();
  readonly sections = {
    account: { type: 'section', section: 'account' } as SeekNode,
    workers: { type: 'section', section: 'workers' } as SeekNode,
  };

  account: AccountOverview | undefined;
  private accountError: string | undefined;
  private accountLoad: Promise<void> | undefined;

  workers: WorkerSummary[] = [];
  /** Where the next page starts; undefined once the last page was read. */
  private next: WorkersPageToken | undefined;
  private started = false;
  private total: number | undefined;
  private workersError: string | undefined;
  private workersLoad: Promise<void> | undefined;
  private readonly details = new Map<string, WorkerDetail | string>();
  filter = '';

  constructor(
    readonly provider: SeekApiProvider,
    /** Whether there is anything to talk to (a key, or the sandbox). */
    private readonly configured: () => Promise<boolean>,
  ) {}

  /** Calls `fn` with the node whose children changed (undefined: everything). */
  onChange(fn: (node: SeekNode | undefined) => void): { dispose(): void } {
    this.listeners.add(fn);
    return { dispose: () => this.listeners.delete(fn) };
  }

  private emit(node: SeekNode | undefined): void {
    for (const fn of this.listeners) fn(node);
  }

  /** The marketplace's size when the server states it. */
  get totalWorkers(): number | undefined {
    return this.total;
  }

  /** True while a page is being read. */
  get loadingWorkers(): boolean {
    return this.workersLoad !== undefined;
  }

  /** Drops everything loaded (key or sandbox changed). */
  reset(): void {
    this.account = undefined;
    this.accountError = undefined;
    this.workers = [];
    this.next = undefined;
    this.started = false;
    this.total = undefined;
    this.workersError = undefined;
    this.details.clear();
    this.emit(undefined);
  }

  refreshAccount(): Promise<void> {
    this.account = undefined;
    this.accountError = undefined;
    this.accountLoad = undefined;
    this.emit(this.sections.account);
    return this.loadAccount();
  }

  refreshWorkers(): Promise<void> {
    this.workers = [];
    this.next = undefined;
    this.started = false;
    this.workersError = undefined;
    this.workersLoad = undefined;
    this.details.clear();
    this.emit(this.sections.workers);
    return this.loadMore();
  }

  setFilter(text: string): Promise<void> {
    this.filter = text.trim();
    this.emit(this.sections.workers);
    return this.filter ? this.loadForFilter() : Promise.resolve();
  }

  get hasMore(): boolean {
    return !this.started || this.next !== undefined;
  }

  loadAccount(): Promise<void> {
    this.accountLoad ??= (async () => {
      try {
        this.account = await this.provider.account();
        this.accountError = undefined;
      } catch (err) {
        this.accountError = describeError(err);
      } finally {
        this.accountLoad = undefined;
        this.emit(this.sections.account);
      }
    })();
    return this.accountLoad;
  }

  /** The next page of the marketplace (the first one on first use). */
  loadMore(): Promise<void> {
    if (!this.hasMore) return Promise.resolve();
    this.workersLoad ??= (async () => {
      try {
        const page = await this.provider.listWorkers(this.started ? this.next : undefined);
        const known = new Set(this.workers.map((w) => w.id));
        const fresh = page.workers.filter((w) => !known.has(w.id));
        this.workers.push(...fresh);
        // A page that adds nothing new ends the list (a server that ignores the page parameter).
        this.next = fresh.length ? page.next : undefined;
        this.total = page.total ?? this.total;
        this.started = true;
        this.workersError = undefined;
      } catch (err) {
        this.workersError = describeError(err);
      } finally {
        this.workersLoad = undefined;
        this.emit(this.sections.workers);
      }
    })();
    return this.workersLoad;
  }

  /** Loads further pages until the filter has matches to show or the list ends (bounded). */
  private async loadForFilter(): Promise<void> {
    for (let i = 0; i < FILTER_PAGE_LIMIT && this.hasMore && !this.workersError; i++) await this.loadMore();
  }

  /** Every worker, loading all pages (bounded): for the "Run Worker…" picker. */
  async allWorkers(): Promise<WorkerSummary[]> {
    for (let i = 0; i < FILTER_PAGE_LIMIT && this.hasMore && !this.workersError; i++) await this.loadMore();
    if (this.workersError && !this.workers.length) throw new Error(this.workersError);
    return this.workers;
  }

  private matches(w: WorkerSummary): boolean {
    const f = this.filter.toLowerCase();
    return (
      !f ||
      w.name.toLowerCase().includes(f) ||
      w.id.toLowerCase().includes(f) ||
      (w.category ?? '').toLowerCase().includes(f)
    );
  }

  async getChildren(node?: SeekNode): Promise<SeekNode[]> {
    if (!node) {
      if (!(await this.configured())) {
        return [
          {
            type: 'info',
            id: 'nokey',
            label: l10n.t('Set a Seek API key to browse workers'),
            icon: 'key',
            command: { command: 'gendeck.setApiKey', title: l10n.t('Set API Key'), arguments: ['seekapi'] },
          },
          {
            type: 'info',
            id: 'sandbox',
            label: l10n.t('Or try the sandbox (no key needed)'),
            icon: 'beaker',
            command: { command: 'gendeck.trySandbox', title: l10n.t('Try the Sandbox') },
          },
        ];
      }
      return [this.sections.account, this.sections.workers];
    }
    switch (node.type) {
      case 'section':
        return node.section === 'account' ? this.accountChildren() : this.workerChildren();
      case 'usage':
        return (this.account?.credits.usage ?? []).map((u, i) => ({
          type: 'info',
          id: `usage:${i}:${u.date}`,
          label: u.date || l10n.t('(undated)'),
          description: [
            u.credits === 1 ? l10n.t('1 credit') : l10n.t('{0} credits', u.credits),
            u.jobs === undefined ? undefined : u.jobs === 1 ? l10n.t('1 job') : l10n.t('{0} jobs', u.jobs),
            u.worker,
          ]
            .filter(Boolean)
            .join(' · '),
          icon: 'graph',
        }));
      case 'deployments':
        return (this.account?.deployments ?? []).map((d) => ({ type: 'deployment', deployment: d }));
      case 'worker':
        return this.workerDetailChildren(node.worker);
      default:
        return [];
    }
  }

  private async accountChildren(): Promise<SeekNode[]> {
    if (!this.account && !this.accountError) await this.loadAccount();
    if (!this.account)
      return [
        {
          type: 'info',
          id: 'account-error',
          label: l10n.t('Could not load the account'),
          description: this.accountError,
          tooltip: this.accountError,
          icon: 'error',
          error: true,
          command: { command: 'gendeck.seekapi.refreshAccount', title: l10n.t('Retry') },
        },
      ];
    const { account, credits, deployments } = this.account;
    const limit = this.provider.rateLimit();
    const plan = account.plan ?? credits.plan;
    const periodBits = [
      credits.monthlyAllowance !== undefined ? l10n.t('{0} / month', credits.monthlyAllowance) : undefined,
      credits.periodEnd ? l10n.t('period ends {0}', credits.periodEnd) : undefined,
    ]
      .filter(Boolean)
      .join(' · ');
    const nodes: SeekNode[] = [
      {
        type: 'info',
        id: 'plan',
        label: plan ? l10n.t('Plan: {0}', plan[0].toUpperCase() + plan.slice(1)) : l10n.t('Plan: unknown'),
        description:
          limit.source === 'configured'
            ? l10n.t('{0} req/s · burst {1} (configured)', limit.ratePerSec, limit.burst)
            : limit.source === 'default'
              ? l10n.t('{0} req/s · burst {1} (default)', limit.ratePerSec, limit.burst)
              : l10n.t('{0} req/s · burst {1}', limit.ratePerSec, limit.burst),
        icon: 'account',
        tooltip: [account.name, account.email].filter(Boolean).join(' · ') || undefined,
      },
      {
        type: 'info',
        id: 'balance',
        label: l10n.t('Balance: {0} credits', credits.balance ?? '?'),
        description: periodBits || undefined,
        icon: 'credit-card',
      },
      { type: 'usage' },
      { type: 'deployments' },
    ];
    if (!deployments.length) nodes.pop();
    return nodes;
  }

  private async workerChildren(): Promise<SeekNode[]> {
    if (!this.started && !this.workersError) await this.loadMore();
    const nodes: SeekNode[] = [];
    const shown = this.workers.filter((w) => this.matches(w));
    if (this.filter) {
      nodes.push({
        type: 'info',
        id: `filter:${this.filter}`,
        label: l10n.t('Filter: “{0}”', this.filter),
        description: this.hasMore
          ? l10n.t('{0} of {1} loaded', shown.length, this.workers.length)
          : l10n.t('{0} of {1} loaded (all)', shown.length, this.workers.length),
        icon: 'filter',
        command: { command: 'gendeck.seekapi.clearWorkerFilter', title: l10n.t('Clear Filter') },
        tooltip: l10n.t('Click to clear the filter'),
      });
    }
    nodes.push(...shown.map((worker) => ({ type: 'worker' as const, worker })));
    if (this.workersError)
      nodes.push({
        type: 'info',
        id: 'workers-error',
        label: l10n.t('Could not load workers'),
        description: this.workersError,
        tooltip: this.workersError,
        icon: 'error',
        error: true,
        command: { command: 'gendeck.seekapi.loadMoreWorkers', title: l10n.t('Retry') },
      });
    else if (this.hasMore) nodes.push({ type: 'loadMore' });
    return nodes;
  }

  private async workerDetailChildren(w: WorkerSummary): Promise<SeekNode[]> {
    let d = this.details.get(w.id);
    if (!d) {
      try {
        d = await this.provider.getWorker(w.id);
      } catch (err) {
        d = describeError(err);
      }
      this.details.set(w.id, d);
    }
    if (typeof d === 'string')
      return [
        {
          type: 'info',
          id: `${w.id}:error`,
          label: l10n.t('Could not load the details'),
          description: d,
          tooltip: d,
          icon: 'error',
          error: true,
        },
      ];
    const out: SeekNode[] = [];
    if (d.description)
      out.push({ type: 'info', id: `${w.id}:desc`, label: d.description, icon: 'info', tooltip: d.description });
    out.push({
      type: 'info',
      id: `${w.id}:price`,
      label: l10n.t('Pricing: {0}', describePricing(d.pricing)),
      icon: 'credit-card',
    });
    if (d.maxDurationSec !== undefined)
      out.push({
        type: 'info',
        id: `${w.id}:max`,
        label: l10n.t('Max duration: {0} s', d.maxDurationSec),
        description: l10n.t('a timeout costs 0 credits'),
        icon: 'watch',
      });
    for (const f of formFromSchema(d.inputSchema).fields) {
      const bits = [
        f.type,
        f.required ? l10n.t('required') : l10n.t('optional'),
        f.enum ? l10n.t('one of {0}', f.enum.join(', ')) : undefined,
        f.default !== undefined ? l10n.t('default {0}', JSON.stringify(f.default)) : undefined,
      ].filter(Boolean);
      out.push({
        type: 'info',
        id: `${w.id}:field:${f.name}`,
        label: f.name,
        description: bits.join(' · '),
        icon: 'symbol-field',
        tooltip: f.description,
      });
    }
    out.push({
      type: 'info',
      id: `${w.id}:run`,
      label: l10n.t('Run Worker…'),
      icon: 'play',
      command: { command: 'gendeck.seekapi.runWorker', title: l10n.t('Run Worker…'), arguments: [w.id] },
    });
    return out;
  }

  dispose(): void {
    this.listeners.clear();
  }
}
