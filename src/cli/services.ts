// GenDeck without the editor, for the CLI and the MCP server: keys from the environment, base URLs from
// GENDECK_<PROVIDER>_BASE_URL, the job store and the sandbox in the user's state folder, the same providers,
// launchers and poll scheduler as the editor.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ValidationError } from '../core/errors';
import { stateDir } from '../core/fs/stateDir';
import { downloadJobOutputs, type DownloadedOutput } from '../core/jobs/download';
import { isActive, TERMINAL, type Job } from '../core/jobs/job';
import { PollScheduler, type Poller, type PollPolicy } from '../core/jobs/scheduler';
import { BudgetGuard, type DailyBudget } from '../core/jobs/spend';
import { JobStore } from '../core/jobs/store';
import type { TransferProgress } from '../core/http/transfer';
import { redactingLogger, silentLogger, type Logger } from '../core/log';
import type { ProviderId } from '../core/providerIds';
import {
  COST_UNITS,
  createLaunchers,
  createProviders,
  DEFAULT_BASE_URLS,
  PROVIDER_IDS,
  PROVIDER_LABELS,
  PROVIDERS,
  type Providers,
} from '../core/providers/index';
import type { Launcher } from '../core/providers/launch';
import { isJobSource, type JobSource } from '../core/providers/types';
import { redactor } from '../core/redact';
import { DEFAULT_X402_LIMITS, X402Payer, type PaymentPrompt, type X402Limits } from '../core/x402/payer';
import { ReceiptLog } from '../core/x402/receipts';
import { openUserSandbox, type UserSandbox } from '../sandbox/shared';

type Env = Readonly<Record<string, string | undefined>>;

/** `GENDECK_SEEDANCEE2_BASE_URL` for seedancee2. */
export function baseUrlVar(id: ProviderId): string {
  return `GENDECK_${id.toUpperCase()}_BASE_URL`;
}

/** `GENDECK_SEELE_DAILY_BUDGET` for seele: the daily budget in the provider's unit, as the editor's setting. */
export function dailyBudgetVar(id: ProviderId): string {
  return `GENDECK_${id.toUpperCase()}_DAILY_BUDGET`;
}

/**
 * The daily budgets the environment sets, for the providers that charge in their own unit (Seisoai's x402 limit is
 * the payer's own daily cap). A value that is not a positive number is an input error, not an unlimited budget.
 */
export function dailyBudgets(env: Env): Partial<Record<ProviderId, DailyBudget>> {
  const out: Partial<Record<ProviderId, DailyBudget>> = {};
  for (const id of PROVIDER_IDS) {
    const unit = COST_UNITS[id];
    const name = dailyBudgetVar(id);
    const raw = env[name]?.trim();
    if (!raw || !unit || unit === 'USDC') continue;
    const limit = Number(raw);
    if (!Number.isFinite(limit) || limit <= 0)
      throw new ValidationError(`${name} is "${raw}": set it to a positive number of ${unit}, or unset it.`);
    out[id] = { limit, unit, setting: name };
  }
  return out;
}

export interface HeadlessOptions {
  /** Use the user's sandbox (attached when the editor or another process serves it) instead of the real services. */
  sandbox?: boolean;
  env?: Env;
  log?: Logger;
  /** x402 for Seisoai: off unless asked, with the caps and the confirmation of the caller. */
  x402?: { limits: Partial<X402Limits>; confirm: (p: PaymentPrompt) => Promise<boolean> };
  /** Folder of the shipped sample media the sandbox serves (`media/` beside `dist/`). */
  mediaDir?: string;
  /** The sandbox's clock speed (tests); in the sandbox the poll intervals follow it. */
  timeScale?: number;
}

/** The services every headless face uses: providers, launchers, the job store, the scheduler, the sandbox. */
export class Headless {
  private scheduler: PollScheduler | undefined;

  private constructor(
    readonly env: Env,
    readonly log: Logger,
    readonly store: JobStore,
    readonly providers: Providers,
    readonly launchers: Partial<Record<ProviderId, Launcher>>,
    readonly sandbox: UserSandbox | undefined,
    readonly receipts: ReceiptLog,
    private readonly watching: { dispose(): void },
    /** Poll intervals are multiplied by this: the sandbox's time scale in it, else 1. */
    readonly pollScale: number,
  ) {}

  static async open(o: HeadlessOptions = {}): Promise<Headless> {
    const env = o.env ?? process.env;
    const log = redactingLogger(o.log ?? silentLogger);
    const dir = stateDir(env);
    for (const id of PROVIDER_IDS) redactor.add(env[PROVIDERS[id].envKey]);
    redactor.add(env.SEISOAI_WALLET_KEY);
    const sandbox = o.sandbox
      ? await openUserSandbox(join(dir, 'sandbox'), o.mediaDir ?? join(__dirname, '..', 'media'), {
          timeScale: o.timeScale,
        })
      : undefined;
    const receipts = new ReceiptLog(join(dir, sandbox ? 'x402-receipts-sandbox.jsonl' : 'x402-receipts.jsonl'));
    const payer = o.x402 && newPayer(o.x402, receipts, sandbox ? 'throwaway' : env.SEISOAI_WALLET_KEY, log);
    // The job list every face shares (the editor's windows too); what other processes write is merged in as it lands.
    const store = new JobStore(join(dir, 'jobs.json'), log, { providers: PROVIDER_IDS });
    await store.load();
    const watching = store.watch();
    // Daily budgets hold real spend only, as the editor's do; the sandbox pays nothing.
    const budgets = sandbox ? {} : dailyBudgets(env);
    const budget = new BudgetGuard({
      jobs: () => store.all(),
      budgets: () => budgets,
      label: (id) => PROVIDER_LABELS[id],
    });
    const providers = createProviders({
      baseUrl: (id) => sandbox?.baseUrl(id) ?? env[baseUrlVar(id)] ?? DEFAULT_BASE_URLS[id],
      // In the sandbox only its own key is sent; a real key never leaves for it.
      getKey: async (id) => (sandbox ? sandbox.key : env[PROVIDERS[id].envKey] || undefined),
      isSandbox: () => !!sandbox,
      logger: log,
      jobs: store,
      payer: () => payer,
      budget,
    });
    const pollScale = sandbox ? (o.timeScale ?? 1) : 1;
    return new Headless(env, log, store, providers, createLaunchers(providers), sandbox, receipts, watching, pollScale);
  }

  launcher(id: ProviderId): Launcher | undefined {
    return this.launchers[id];
  }

  /** The provider as a job source (poll, cancel), when its work is jobs. */
  jobSource(id: ProviderId): JobSource | undefined {
    const p = this.providers[id];
    return isJobSource(p) ? p : undefined;
  }

  /** Whether requests to this provider carry a key: the sandbox's own, or one from the environment. */
  hasKey(id: ProviderId): boolean {
    return !!this.sandbox || !!this.env[PROVIDERS[id].envKey];
  }

  /** Reads an active job from its provider once, now, and keeps what changed; a failure is thrown, not retried. */
  async refresh(key: string, signal?: AbortSignal): Promise<Job> {
    const job = this.known(key);
    const source = this.jobSource(job.provider);
    if (!source || !isActive(job)) return job;
    const patch = await source.poll(job, signal ?? new AbortController().signal);
    const updated = this.store.patch(key, patch) ?? job;
    await this.store.flush();
    return updated;
  }

  /** Cancels a job where its provider allows it now (its state read first); input errors say why not. */
  async cancel(key: string, signal?: AbortSignal): Promise<Job> {
    const job = await this.refresh(key, signal);
    const label = PROVIDER_LABELS[job.provider];
    const source = this.jobSource(job.provider);
    if (!source?.cancel) {
      const can = PROVIDER_IDS.filter((id) => this.jobSource(id)?.cancel).map((id) => PROVIDER_LABELS[id]);
      throw new ValidationError(`${label} has no cancel; only ${can.join(' or ')} jobs can be cancelled.`);
    }
    if (!source.canCancel(job))
      throw new ValidationError(`${label} cannot cancel “${job.title}” now: it is ${job.status}.`);
    const updated = this.store.patch(key, await source.cancel(job, signal)) ?? job;
    await this.store.flush();
    return updated;
  }

  /**
   * Streams a job's outputs into its own folder below `folder` (with the `gendeck.json` sidecar; nothing is written
   * outside `folder`) and records where each landed on the job.
   */
  async download(
    key: string,
    folder: string,
    o: { signal?: AbortSignal; onProgress?: (name: string, p: TransferProgress) => void } = {},
  ): Promise<{ job: Job; files: DownloadedOutput[] }> {
    const job = this.known(key);
    const files = await downloadJobOutputs(job, folder, this.providers[job.provider].http, o);
    const current = this.store.get(key) ?? job;
    const outputs = current.outputs.map((out) => {
      const hit = files.find((f) => f.output === out || (out.url && f.output.url === out.url));
      return hit ? { ...out, localPath: hit.path } : out;
    });
    const updated = this.store.patch(key, { outputs }) ?? job;
    await this.store.flush();
    return { job: updated, files };
  }

  private known(key: string): Job {
    const job = this.store.get(key);
    if (!job) throw new ValidationError(`No job ${key} in the list.`);
    return job;
  }

  /** Keeps a job the provider accepted, on disk at once (a crash right after keeps it). */
  async addJob(job: Job): Promise<Job> {
    const kept = this.store.upsert(job);
    await this.store.flush();
    this.poller().kick([kept.key]);
    return kept;
  }

  /** Jobs of this mode (sandbox or real), newest first. */
  jobs(): Job[] {
    return this.store
      .all()
      .filter((j) => (j.sandbox === true) === !!this.sandbox)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** The job a user names: its key, its provider id, or a unique prefix of either. */
  find(ref: string): Job | undefined {
    const jobs = this.jobs();
    const exact = jobs.find((j) => j.key === ref || j.id === ref);
    if (exact) return exact;
    const hits = jobs.filter((j) => j.key.startsWith(ref) || j.id.startsWith(ref));
    return hits.length === 1 ? hits[0] : undefined;
  }

  /** Polls the job until it ends (or the signal aborts), calling `onChange` with each new state. */
  async wait(key: string, o: { signal?: AbortSignal; onChange?: (job: Job) => void } = {}): Promise<Job> {
    const scheduler = this.poller();
    return new Promise<Job>((resolve, reject) => {
      // The scheduler's timers do not hold the process open (the editor's never should); a wait must.
      const alive = setInterval(() => undefined, 60_000);
      const settle = (end: () => void) => {
        sub.dispose();
        clearInterval(alive);
        o.signal?.removeEventListener('abort', abort);
        end();
      };
      const abort = () => settle(() => reject(o.signal?.reason ?? new Error('aborted')));
      const check = () => {
        const job = this.store.get(key);
        if (!job) return settle(() => reject(new Error(`Job ${key} is no longer in the list.`)));
        o.onChange?.(job);
        if (TERMINAL.has(job.status) && !isActive(job)) settle(() => resolve(job));
      };
      const sub = this.store.onDidChange((keys) => keys.includes(key) && check());
      if (o.signal?.aborted) return abort();
      o.signal?.addEventListener('abort', abort, { once: true });
      check();
      scheduler.kick([key]);
    });
  }

  private poller(): PollScheduler {
    if (this.scheduler) return this.scheduler;
    const pollers: Partial<Record<ProviderId, Poller>> = {};
    const policies = {} as Record<ProviderId, PollPolicy>;
    for (const id of PROVIDER_IDS) {
      const p = this.providers[id];
      policies[id] = scaled(PROVIDERS[id].pollPolicy, this.pollScale);
      if (isJobSource(p)) {
        pollers[id] = p;
        policies[id] = scaled(p.pollPolicy, this.pollScale);
      }
    }
    this.scheduler = new PollScheduler(this.store, pollers, policies, undefined, this.log);
    this.scheduler.start();
    return this.scheduler;
  }

  async close(): Promise<void> {
    this.scheduler?.dispose();
    this.watching.dispose();
    await this.store.flush();
    await this.sandbox?.stop();
  }
}

/** A poll policy with its intervals × `scale`, read live (Seek API resizes its budget as it learns its plan). */
function scaled(policy: PollPolicy, scale: number): PollPolicy {
  if (scale === 1) return policy;
  return {
    get minMs() {
      return Math.max(10, policy.minMs * scale);
    },
    get maxMs() {
      return Math.max(10, policy.maxMs * scale);
    },
    get factor() {
      return policy.factor;
    },
    get budgetPerSec() {
      return policy.budgetPerSec;
    },
  };
}

/** The x402 payer of a headless face: the caller's caps and confirmation; the sandbox pays from a throwaway wallet. */
function newPayer(
  x: NonNullable<HeadlessOptions['x402']>,
  receipts: ReceiptLog,
  wallet: 'throwaway' | string | undefined,
  log: Logger,
): X402Payer {
  const key = wallet === 'throwaway' ? `0x${randomBytes(32).toString('hex')}` : wallet;
  redactor.add(key);
  return new X402Payer({
    limits: () => ({ ...DEFAULT_X402_LIMITS, ...x.limits }),
    confirm: x.confirm,
    // Read only after the payment was confirmed; none outside the sandbox without SEISOAI_WALLET_KEY.
    getWalletKey: async () => key,
    receipts,
    logger: log,
  });
}
