import { join } from 'node:path';
import * as vscode from 'vscode';
import { actionsOf, describeError, ProviderError, SetupNeeded, ValidationError } from './core/errors';
import { stateDir } from './core/fs/stateDir';
import { isActive, type Job } from './core/jobs/job';
import { PollScheduler, type Poller, type PollPolicy } from './core/jobs/scheduler';
import { JobEventLog } from './core/jobs/events';
import { loadWithEarlierList } from './core/jobs/migrate';
import { BudgetExceeded } from './core/jobs/spend';
import { JobStore } from './core/jobs/store';
import { redactingLogger, type Logger } from './core/log';
import type { ProviderId } from './core/providerIds';
import { createProviders, PROVIDER_LABELS, type Providers, PROVIDER_IDS } from './core/providers/index';
import { isJobSource, type JobSource, type KeyedService, type ProviderEvent } from './core/providers/types';
import { action } from './commandIds';
import { Budget, Payments } from './payments';
import { SandboxControl } from './sandboxControl';
import { Secrets } from './secrets';
import { JOBS_MIGRATED, type ShellViews } from './shell/views';
import { settings } from './settings';

/** GenDeck's services, built once on activation: store, providers, scheduler, secrets, sandbox, payments, budget, log. */
export class GenDeck implements vscode.Disposable {
  readonly log: Logger;
  readonly secrets: Secrets;
  readonly sandbox: SandboxControl;
  readonly store: JobStore;
  readonly payments: Payments;
  /** The daily budgets: the check every paid create passes, and the spend the views show. */
  readonly budget: Budget;
  /** What providers report (e.g. Seek API: the workers list went stale); features listen. */
  readonly providerEvents = new vscode.EventEmitter<ProviderEvent>();
  readonly providers: Providers;
  readonly scheduler: PollScheduler;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly context: vscode.ExtensionContext,
    readonly output: vscode.LogOutputChannel,
    /** The views, lens, tools and documents the editor registered at activation, for GenDeck's parts to fill. */
    readonly shell: ShellViews,
  ) {
    this.log = redactingLogger(output);
    this.secrets = new Secrets(context.secrets);
    const shared = stateDir();
    this.sandbox = new SandboxControl(context, join(shared, 'sandbox'), this.log);
    // One job list for every face (other windows, the CLI, the MCP server): the user's state folder, shared safely.
    this.store = new JobStore(join(shared, 'jobs.json'), this.log, { providers: PROVIDER_IDS });
    this.payments = new Payments(context.globalStorageUri, shared, this.secrets, this.sandbox, this.log);
    this.budget = new Budget(this.store, this.payments, this.sandbox);
    this.providers = createProviders({
      baseUrl: (id) => this.baseUrl(id),
      getKey: (id) => this.keyFor(id),
      isSandbox: () => this.sandbox.active,
      logger: this.log,
      timeoutMs: settings.requestTimeoutSec() * 1000,
      jobs: this.store,
      payer: () => this.payments.payer(),
      emit: (e) => this.providerEvents.fire(e),
      budget: this.budget.guard,
    });
    const scale = settings.pollingScale();
    const sources = PROVIDER_IDS.flatMap((id) => {
      const p = this.jobSource(id);
      return p ? [[id, p] as const] : [];
    });
    const policies = Object.fromEntries(
      sources.map(([id, p]) => [
        id,
        // The budget is read live: a provider may resize it (Seek API follows the key's plan and the rate-limit settings).
        {
          ...p.pollPolicy,
          minMs: p.pollPolicy.minMs * scale,
          maxMs: p.pollPolicy.maxMs * scale,
          get budgetPerSec() {
            return p.pollPolicy.budgetPerSec;
          },
        },
      ]),
    ) as Record<ProviderId, PollPolicy>;
    const pollers: Partial<Record<ProviderId, Poller>> = Object.fromEntries(sources);
    this.scheduler = new PollScheduler(this.store, pollers, policies, undefined, this.log);
    this.disposables.push(
      this.secrets,
      this.sandbox,
      this.providerEvents,
      this.budget,
      this.secrets.onDidChange((name) => {
        if (name !== 'x402-wallet') this.scheduler.resumeProvider(name);
      }),
      this.sandbox.onDidChange(() => PROVIDER_IDS.forEach((id) => this.scheduler.resumeProvider(id))),
    );
  }

  /** The sandbox when it is on, otherwise the configured base URL. */
  baseUrl(id: ProviderId): string {
    return this.sandbox.baseUrl(id) ?? settings.baseUrl(id);
  }

  /** The sandbox key in sandbox mode (so a real key never reaches it), otherwise the stored key. */
  async keyFor(id: ProviderId): Promise<string | undefined> {
    return this.sandbox.active ? this.sandbox.key : this.secrets.get(id);
  }

  provider(id: ProviderId): KeyedService {
    return this.providers[id];
  }

  /** The provider's jobs side; undefined for a provider without jobs (Seeknetic). */
  jobSource(id: ProviderId): (KeyedService & JobSource) | undefined {
    const p = this.provider(id);
    return isJobSource(p) ? p : undefined;
  }

  async start(): Promise<void> {
    const migrated = this.context.globalState.get<boolean>(JOBS_MIGRATED) ?? false;
    const earlier = vscode.Uri.joinPath(this.context.globalStorageUri, 'jobs.json').fsPath;
    const report = await loadWithEarlierList(this.store, migrated ? undefined : earlier);
    if (!migrated) {
      if (report.copied || report.imported)
        this.log.info(
          `Job list moved to ${this.store.file} (${report.copied ? 'copied' : `${report.imported} jobs added`} from ${earlier}, which is kept).`,
        );
      await this.context.globalState.update(JOBS_MIGRATED, true);
    }
    // Jobs other processes add, change or remove show here too (and are polled: the scheduler follows the store).
    this.disposables.push(this.store.watch());
    // From here on, every job event gets its line in the log (the loaded jobs are where they were).
    this.disposables.push(new JobEventLog(this.store, this.log));
    if (report.corruptBackup) {
      void vscode.window.showWarningMessage(
        report.fromBackup
          ? vscode.l10n.t(
              "GenDeck's job list was damaged and has been restored from its previous copy. The damaged file was kept at {0}.",
              report.corruptBackup,
            )
          : vscode.l10n.t(
              "GenDeck's job list was damaged and has been reset. The damaged file was kept at {0}.",
              report.corruptBackup,
            ),
      );
    }
    if (this.sandbox.wasEnabled || settings.sandboxOnLaunch())
      await this.sandbox.start().catch((err) => this.log.warn(`Sandbox did not restart: ${describeError(err)}`));
    this.scheduler.start();
    this.log.info(`GenDeck started with ${report.jobs} jobs (${this.store.all().filter(isActive).length} active).`);
  }

  /** Adds a new job and polls it soon. */
  addJob(job: Job): void {
    this.store.upsert(job);
    // Saved at once: a job the provider accepted must survive an immediate crash (Seele cannot list jobs).
    void this.store.flush();
    this.scheduler.kick([job.key]);
  }

  /**
   * One clear message for any failure, and the only place actions become buttons: the error's own (withActions),
   * else Set API Key / Try the Sandbox for a missing or refused key; errors also offer the log. Input problems,
   * setup still to do and a daily budget reached are warnings; `what` (what failed) prefixes real failures.
   */
  async reportError(err: unknown, what?: string): Promise<void> {
    const message = describeError(err);
    const notice = err instanceof ValidationError || err instanceof SetupNeeded || err instanceof BudgetExceeded;
    const line = what ? vscode.l10n.t('{0}: {1}', what, message) : message;
    if (notice) this.log.warn(line);
    else this.log.error(line);
    const actions = [...actionsOf(err)];
    if (!actions.length && err instanceof ProviderError && (err.status === 401 || err.code === 'no_key'))
      actions.push(
        action(vscode.l10n.t('Set API Key'), 'gendeck.setApiKey', err.provider),
        action(vscode.l10n.t('Try the Sandbox'), 'gendeck.trySandbox'),
      );
    const titles = actions.map((a) => a.title);
    const showLog = vscode.l10n.t('Show Log');
    // Nothing to choose: not waited for, so the command that reported it ends now.
    if (notice && !titles.length) return void vscode.window.showWarningMessage(message);
    const choice = notice
      ? await vscode.window.showWarningMessage(message, ...titles)
      : await vscode.window.showErrorMessage(line, ...titles, showLog);
    if (choice === showLog) return this.output.show(true);
    const chosen = actions.find((a) => a.title === choice);
    if (chosen) await vscode.commands.executeCommand(chosen.command, ...(chosen.args ?? []));
  }

  label(id: ProviderId): string {
    return PROVIDER_LABELS[id];
  }

  dispose(): void {
    this.scheduler.dispose();
    void this.store.flush();
    for (const d of this.disposables) d.dispose();
  }
}
