import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Logger } from './core/log';
import { redactor } from './core/redact';
import { X402Payer, type PaymentPrompt } from './core/x402/payer';
import { ReceiptLog } from './core/x402/receipts';
import type { SandboxControl } from './sandboxControl';
import type { Secrets } from './secrets';
import { settings } from './settings';

/** The modal that shows what an x402 payment is for; only "Pay" approves it. */
export async function confirmPayment(p: PaymentPrompt, sandbox: boolean): Promise<boolean> {
  const pay = `Pay ${p.amountUsdc} USDC`;
  const detail = [
    `Amount: ${p.amountUsdc} USDC (${p.amountAtomic} units, 6 decimals)`,
    `Recipient: ${p.payTo}`,
    `Network: ${p.networkLabel} (${p.network})`,
    `Asset: USDC ${p.asset}`,
    `Resource: ${p.resource}`,
    p.description ? `Seisoai describes it as: “${p.description}”` : undefined,
    `Last 24 hours: ${p.spentTodayUsdc} of ${p.maxPerDayUsdc} USDC; limit per payment ${p.maxPerPaymentUsdc} USDC.`,
    'GenDeck signs one transfer authorization, valid for about two minutes, and sends it once.',
    sandbox ? 'Sandbox: a throwaway wallet pays the local emulator; no real funds move.' : undefined,
  ]
    .filter(Boolean)
    .join('\n');
  const choice = await vscode.window.showWarningMessage(
    `Pay ${p.amountUsdc} USDC to Seisoai${p.toolId ? ` for ${p.toolId}` : ''}?`,
    { modal: true, detail },
    pay,
  );
  return choice === pay;
}

/**
 * x402 payments: one payer for real payments (limits from settings, the wallet key from SecretStorage, receipts
 * in global storage) and one for the sandbox, which pays the emulator from a throwaway in-memory wallet with its
 * own receipts, so a real wallet key never signs for the sandbox and trying it costs no real budget.
 */
export class Payments {
  private readonly real: X402Payer;
  private readonly sandboxPayer: X402Payer;
  private readonly realReceipts: ReceiptLog;
  private readonly sandboxReceipts: ReceiptLog;
  private sandboxWallet: string | undefined;

  constructor(
    storage: vscode.Uri,
    secrets: Secrets,
    private readonly sandbox: SandboxControl,
    log: Logger,
  ) {
    const limits = () => settings.seisoai.x402Limits();
    this.realReceipts = new ReceiptLog(vscode.Uri.joinPath(storage, 'x402-receipts.jsonl').fsPath);
    this.sandboxReceipts = new ReceiptLog(vscode.Uri.joinPath(storage, 'x402-receipts-sandbox.jsonl').fsPath);
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
