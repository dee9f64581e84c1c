import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { action } from './commandIds';
import { withActions } from './core/errors';
import {
  BudgetGuard,
  costNotKnown,
  spendOf,
  type BudgetExceeded,
  type Charge,
  type DailyBudget,
  type Spend,
  type Tally,
} from './core/jobs/spend';
import type { JobStore } from './core/jobs/store';
import type { Logger } from './core/log';
import type { ProviderId } from './core/providerIds';
import { COST_UNITS, PROVIDER_LABELS } from './core/providers/index';
import { redactor } from './core/redact';
import { X402Payer, type PaymentPrompt } from './core/x402/payer';
import { ReceiptLog } from './core/x402/receipts';
import type { SandboxControl } from './sandboxControl';
import type { Secrets } from './secrets';
import { BUDGET_SETTINGS, DAILY_BUDGET_PROVIDERS, settings } from './settings';

/** The modal that shows what an x402 payment is for; only "Pay" approves it. */
export async function confirmPayment(p: PaymentPrompt, sandbox: boolean): Promise<boolean> {
  const pay = vscode.l10n.t('Pay {0} USDC', p.amountUsdc);
  const detail = [
    vscode.l10n.t('Amount: {0} USDC ({1} units, 6 decimals)', p.amountUsdc, p.amountAtomic),
    vscode.l10n.t('Recipient: {0}', p.payTo),
    vscode.l10n.t('Network: {0} ({1})', p.networkLabel, p.network),
    vscode.l10n.t('Asset: USDC {0}', p.asset),
    vscode.l10n.t('Resource: {0}', p.resource),
    p.description ? vscode.l10n.t('Seisoai describes it as: “{0}”', p.description) : undefined,
    vscode.l10n.t(
      'Last 24 hours: {0} of {1} USDC; limit per payment {2} USDC.',
      p.spentTodayUsdc,
      p.maxPerDayUsdc,
      p.maxPerPaymentUsdc,
    ),
    vscode.l10n.t('GenDeck signs one transfer authorization, valid for about two minutes, and sends it once.'),
    sandbox ? vscode.l10n.t('Sandbox: a throwaway wallet pays the local emulator; no real funds move.') : undefined,
  ]
    .filter(Boolean)
    .join('\n');
  const choice = await vscode.window.showWarningMessage(
    p.toolId
      ? vscode.l10n.t('Pay {0} USDC to Seisoai for {1}?', p.amountUsdc, p.toolId)
      : vscode.l10n.t('Pay {0} USDC to Seisoai?', p.amountUsdc),
    { modal: true, detail },
    pay,
  );
  return choice === pay;
}

/**
 * x402 payments: one payer for real payments (limits from settings, the wallet key from SecretStorage, receipts
 * in the shared state folder) and one for the sandbox, which pays the emulator from a throwaway in-memory wallet with its
 * own receipts, so a real wallet key never signs for the sandbox and trying it costs no real budget.
 */
export class Payments {
  private readonly real: X402Payer;
  private readonly sandboxPayer: X402Payer;
  readonly realReceipts: ReceiptLog;
  readonly sandboxReceipts: ReceiptLog;
  private sandboxWallet: string | undefined;

  constructor(
    storage: vscode.Uri,
    shared: string,
    secrets: Secrets,
    private readonly sandbox: SandboxControl,
    log: Logger,
  ) {
    const limits = () => settings.seisoai.x402Limits();
    // The receipts every face shares (other windows, the CLI, the MCP server), so the daily cap is one cap; the ones
    // this editor kept in its global storage before are taken in.
    const receipts = (name: string) => new ReceiptLog(join(shared, name), vscode.Uri.joinPath(storage, name).fsPath);
    this.realReceipts = receipts('x402-receipts.jsonl');
    this.sandboxReceipts = receipts('x402-receipts-sandbox.jsonl');
    this.real = new X402Payer({
      limits,
      confirm: (p) => confirmPayment(p, false),
      getWalletKey: () => secrets.get('x402-wallet'),
      receipts: this.realReceipts,
      logger: log,
    });
    this.sandboxPayer = new X402Payer({
      limits,
      confirm: (p) => confirmPayment(p, true),
      getWalletKey: async () => {
        if (!this.sandboxWallet) {
          this.sandboxWallet = `0x${randomBytes(32).toString('hex')}`;
          redactor.add(this.sandboxWallet);
        }
        return this.sandboxWallet;
      },
      receipts: this.sandboxReceipts,
      logger: log,
    });
  }

  /** The payer of the mode in use. */
  payer(): X402Payer {
    return this.sandbox.active ? this.sandboxPayer : this.real;
  }

  /** The receipts of the mode in use. */
  receipts(): ReceiptLog {
    return this.sandbox.active ? this.sandboxReceipts : this.realReceipts;
  }
}

/** A daily limit as the views show it; Seisoai's (its x402 cap) counts the rolling 24 hours, the others today. */
export interface ShownBudget extends DailyBudget {
  window: 'today' | '24h';
}

/** What the Spend view and the status bar show. */
export interface SpendState {
  spend: Spend[];
  /** Running jobs whose cost is not known yet, per provider. */
  unknown: { real: Map<ProviderId, number>; sandbox: Map<ProviderId, number> };
  budgets: Partial<Record<ProviderId, ShownBudget>>;
}

/**
 * The daily budgets and the spend behind them. `guard` is the one check: the providers send every paid create
 * through it, and the commands ask it (`refusal`) before their confirmation. Only real spend counts; in the sandbox
 * no budget applies. Seisoai's daily limit stays the x402 payer's cap, shown here, not checked twice.
 */
export class Budget implements vscode.Disposable {
  readonly guard: BudgetGuard;
  private readonly changed = new vscode.EventEmitter<void>();
  /** The jobs, the receipts or a budget setting changed. */
  readonly onDidChange = this.changed.event;
  private readonly subs: { dispose(): void }[];

  constructor(
    private readonly store: JobStore,
    private readonly payments: Payments,
    private readonly sandbox: SandboxControl,
  ) {
    this.guard = new BudgetGuard({
      jobs: () => store.all(),
      budgets: () => (sandbox.active ? {} : this.daily()),
      label: (id) => PROVIDER_LABELS[id],
      refused: (err: BudgetExceeded) =>
        void withActions(err, action(vscode.l10n.t('Open Budget Setting'), 'gendeck.openBudgetSettings', err.provider)),
    });
    const fire = () => this.changed.fire();
    const keys = Object.values(BUDGET_SETTINGS).map((k) => k.replace(/^gendeck\./, ''));
    this.subs = [
      store.onDidChange(fire),
      payments.realReceipts.onDidAppend(fire),
      payments.sandboxReceipts.onDidAppend(fire),
      // Other windows, the CLI and the MCP server pay from the same receipts.
      payments.realReceipts.watch(),
      payments.sandboxReceipts.watch(),
      settings.onChange(keys, fire),
      this.changed,
    ];
  }

  /** Why this charge may not be sent now (an error with its button), or undefined. */
  refusal(charge: Charge): BudgetExceeded | undefined {
    return this.guard.refusal(charge);
  }

  /** Today's real spend against a provider's daily budget, for its confirmation; undefined when no budget applies. */
  today(id: ProviderId, now = Date.now()): { spent: Tally; budget: DailyBudget } | undefined {
    if (this.sandbox.active) return undefined;
    const budget = this.daily()[id];
    if (!budget) return undefined;
    const s = spendOf({ jobs: this.store.all(), now }).find(
      (x) => x.provider === id && x.unit === budget.unit && !x.sandbox,
    );
    return { spent: s?.today ?? { amount: 0, estimated: 0 }, budget };
  }

  /** The `gendeck.<id>.dailyBudget` limits set. */
  private daily(): Partial<Record<ProviderId, DailyBudget>> {
    const out: Partial<Record<ProviderId, DailyBudget>> = {};
    for (const id of DAILY_BUDGET_PROVIDERS) {
      const limit = settings.dailyBudget(id);
      const unit = COST_UNITS[id];
      if (limit !== undefined && unit) out[id] = { limit, unit, setting: BUDGET_SETTINGS[id]! };
    }
    return out;
  }

  /** Every daily limit, the x402 cap included. */
  budgets(): Partial<Record<ProviderId, ShownBudget>> {
    const out: Partial<Record<ProviderId, ShownBudget>> = {};
    for (const [id, b] of Object.entries(this.daily()) as [ProviderId, DailyBudget][])
      out[id] = { ...b, window: 'today' };
    const cap = settings.seisoai.x402Limits().maxPerDayUsd;
    out.seisoai = { limit: cap, unit: 'USDC', setting: BUDGET_SETTINGS.seisoai!, window: '24h' };
    return out;
  }

  async state(now = Date.now()): Promise<SpendState> {
    const [real, sandbox] = await Promise.all([this.payments.realReceipts.all(), this.payments.sandboxReceipts.all()]);
    const jobs = this.store.all();
    return {
      spend: spendOf({ jobs, receipts: { provider: 'seisoai', real, sandbox }, now }),
      unknown: { real: costNotKnown(jobs, false), sandbox: costNotKnown(jobs, true) },
      budgets: this.budgets(),
    };
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}
