// GenDeck without the editor, for the CLI and the MCP server: keys from the environment, base URLs from
// GENDECK_<PROVIDER>_BASE_URL, the job store and the sandbox in the user's state folder, the same providers,
// launchers and poll scheduler as the editor.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { stateDir } from '../core/fs/stateDir';
import { isActive, TERMINAL, type Job } from '../core/jobs/job';
import { PollScheduler, type Poller, type PollPolicy } from '../core/jobs/scheduler';
import { JobStore } from '../core/jobs/store';
import { redactingLogger, silentLogger, type Logger } from '../core/log';
import type { ProviderId } from '../core/providerIds';
import {
  createLaunchers,
  createProviders,
  DEFAULT_BASE_URLS,
  PROVIDER_IDS,
  PROVIDERS,
  type Providers,
} from '../core/providers/index';
import type { Launcher } from '../core/providers/launch';
import { isJobSource } from '../core/providers/types';
import { redactor } from '../core/redact';
import { DEFAULT_X402_LIMITS, X402Payer, type PaymentPrompt, type X402Limits } from '../core/x402/payer';
import { ReceiptLog } from '../core/x402/receipts';
import { openUserSandbox, type UserSandbox } from '../sandbox/shared';

type Env = Readonly<Record<string, string | undefined>>;

/** `GENDECK_SEEDANCEE2_BASE_URL` for seedancee2. */
export function baseUrlVar(id: ProviderId): string {
  return `GENDECK_${id.toUpperCase()}_BASE_URL`;
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
  /** The sandbox's clock speed (tests). */
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
    const providers = createProviders({
      baseUrl: (id) => sandbox?.baseUrl(id) ?? env[baseUrlVar(id)] ?? DEFAULT_BASE_URLS[id],
      // In the sandbox only its own key is sent; a real key never leaves for it.
      getKey: async (id) => (sandbox ? sandbox.key : env[PROVIDERS[id].envKey] || undefined),
      isSandbox: () => !!sandbox,
      logger: log,
      jobs: store,
      payer: () => payer,
    });
    return new Headless(env, log, store, providers, createLaunchers(providers), sandbox, receipts, watching);
  }

  launcher(id: ProviderId): Launcher | undefined {
    return this.launchers[id];
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
      const done = (job: Job) => {
        sub.dispose();
        o.signal?.removeEventListener('abort', abort);
        resolve(job);
      };
      const abort = () => {
        sub.dispose();
        reject(o.signal?.reason ?? new Error('aborted'));
      };
      const check = () => {
        const job = this.store.get(key);
        if (!job) return reject(new Error(`Job ${key} is no longer in the list.`));
        o.onChange?.(job);
        if (TERMINAL.has(job.status) && !isActive(job)) done(job);
      };
      const sub = this.store.onDidChange((keys) => keys.includes(key) && check());
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
      policies[id] = PROVIDERS[id].pollPolicy;
      if (isJobSource(p)) {
        pollers[id] = p;
        policies[id] = p.pollPolicy;
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
