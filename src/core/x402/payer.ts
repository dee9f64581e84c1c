import * as l10n from '@vscode/l10n';
import { randomBytes } from 'node:crypto';
import { privateKeyToAccount } from 'viem/accounts';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { redactor } from '../redact';
import { oneLine } from '../text';
import {
  ALLOWED_NETWORKS,
  formatUsdc,
  networkFor,
  paymentHeader,
  transferTypedData,
  usdToAtomic,
  type AllowedNetwork,
  type Authorization,
  type Challenge,
  type Hex,
  type NetworkId,
  type PaymentRequirement,
  type Settlement,
} from './protocol';
import type { ReceiptLog, SpendHold } from './receipts';

/** The address a wallet private key (hex, with or without 0x) belongs to; throws on a key that is not one. */
export function walletAddress(key: string): string {
  return privateKeyToAccount((key.startsWith('0x') ? key : `0x${key}`) as Hex).address;
}

export interface X402Limits {
  /** Hard cap for one payment, in USD (USDC). */
  maxPerPaymentUsd: number;
  /** Hard cap for the rolling 24 hours, in USD (USDC). */
  maxPerDayUsd: number;
  /** Networks the user allows (a subset of Base and Base Sepolia). */
  networks: NetworkId[];
}

export const DEFAULT_X402_LIMITS: X402Limits = {
  maxPerPaymentUsd: 0.5,
  maxPerDayUsd: 2,
  networks: ['base', 'base-sepolia'],
};

/** What the user is asked to approve. */
export interface PaymentPrompt {
  amountUsdc: string;
  amountAtomic: string;
  payTo: string;
  network: string;
  networkLabel: string;
  asset: string;
  /** The URL paid for, as the server names it (one line, capped). */
  resource: string;
  /** The server's description of what is paid for (one line, capped); shown as its words, not GenDeck's. */
  description?: string;
  toolId?: string;
  spentTodayUsdc: string;
  maxPerPaymentUsdc: string;
  maxPerDayUsdc: string;
}

export type X402ErrorCode =
  | 'no_acceptable_option'
  | 'over_payment_cap'
  | 'over_daily_cap'
  | 'declined'
  | 'no_wallet'
  | 'bad_wallet_key'
  | 'already_paid'
  | 'payment_rejected'
  /** The signed header left but no answer says whether it was used: it counts as spent. */
  | 'payment_unconfirmed';

/** A payment GenDeck would not make (or that failed); nothing was sent unless `sent` is true. */
export class X402Error extends Error {
  constructor(
    readonly code: X402ErrorCode,
    message: string,
    readonly sent = false,
  ) {
    super(message);
    this.name = 'X402Error';
  }
}

export interface X402PayerOptions {
  limits: () => X402Limits;
  /** Shows amount, recipient, network and resource; true only when the user approves. */
  confirm: (prompt: PaymentPrompt) => Promise<boolean>;
  /** The wallet key from secret storage; read only after the user approved. */
  getWalletKey: () => Promise<string | undefined>;
  receipts: ReceiptLog;
  now?: () => number;
  logger?: Logger;
  /** Seconds a signed authorization stays valid (capped by the server's maxTimeoutSeconds). */
  validitySec?: number;
}

/** A signed payment for one request. Its header can be taken exactly once. */
export class PreparedPayment {
  private taken = false;
  private settledOutcome = false;

  constructor(
    readonly requirement: PaymentRequirement,
    readonly network: AllowedNetwork,
    readonly authorization: Authorization,
    private readonly header: { name: string; value: string },
    readonly context: { resource: string; toolId?: string },
    private readonly payer: X402Payer,
  ) {}

  /** The header to send; throws on a second call, so a signed header is never reused. */
  takeHeader(): { name: string; value: string } {
    if (this.taken)
      throw new X402Error(
        'already_paid',
        l10n.t('This payment was already sent once; GenDeck never sends a signed payment twice.'),
      );
    this.taken = true;
    return this.header;
  }

  /** Records what the server said about the payment in the receipts log (once). */
  async settle(outcome: {
    status: 'settled' | 'rejected' | 'unknown';
    header?: string;
    settlement?: Settlement;
    error?: string;
  }): Promise<void> {
    if (this.settledOutcome) return;
    this.settledOutcome = true;
    await this.payer.record(this, outcome);
  }
}

/**
 * Pays x402 challenges with EIP-3009 authorizations, within hard limits:
 * allowlisted network + asset, per-payment and rolling daily caps checked before the user is
 * asked and before anything is signed, explicit confirmation, a fresh random nonce and a short
 * validity window per payment, and a receipts log.
 */
export class X402Payer {
  private readonly usedNonces = new Set<string>();
  private readonly log: Logger;

  constructor(private readonly o: X402PayerOptions) {
    this.log = o.logger ?? silentLogger;
  }

  private now(): number {
    return this.o.now?.() ?? Date.now();
  }

  /** The first offered option GenDeck may pay with, or why none is acceptable. */
  choose(challenge: Challenge): { requirement: PaymentRequirement; network: AllowedNetwork } {
    const allowed = new Set(this.o.limits().networks);
    const problems: string[] = [];
    for (const r of challenge.accepts) {
      const network = networkFor(r.network);
      if (r.scheme !== 'exact') problems.push(l10n.t('scheme {0}', r.scheme));
      else if (!network) problems.push(l10n.t('network {0}', r.network));
      else if (!allowed.has(network.id)) problems.push(l10n.t('{0} (not enabled in settings)', network.label));
      else if (r.asset.toLowerCase() !== network.asset.toLowerCase())
        problems.push(l10n.t('asset {0} on {1} (only USDC {2})', r.asset, network.label, network.asset));
      else if (!/^0x[0-9a-fA-F]{40}$/.test(r.payTo)) problems.push(l10n.t('recipient {0}', r.payTo));
      else return { requirement: r, network };
    }
    throw new X402Error(
      'no_acceptable_option',
      l10n.t(
        'Seisoai asked for a payment GenDeck will not make: {0}. GenDeck only pays in USDC on {1}.',
        problems.join('; '),
        Object.values(ALLOWED_NETWORKS)
          .map((n) => n.label)
          .join(l10n.t(' or ')),
      ),
    );
  }

  /**
   * Checks limits, asks the user, then signs. Throws X402Error (nothing signed, nothing sent)
   * when the payment is not allowed, over a cap, declined, or the wallet key is missing.
   */
  async prepare(challenge: Challenge, ctx: { resource: string; toolId?: string }): Promise<PreparedPayment> {
    const { requirement, network } = this.choose(challenge);
    const limits = this.o.limits();
    const amount = requirement.amount;
    const perPayment = usdToAtomic(limits.maxPerPaymentUsd);
    const perDay = usdToAtomic(limits.maxPerDayUsd);
    if (amount <= 0n)
      throw new X402Error('no_acceptable_option', l10n.t('Seisoai asked for a payment of zero; nothing was paid.'));
    if (amount > perPayment) {
      throw new X402Error(
        'over_payment_cap',
        l10n.t(
          'This call costs {0} USDC, above your limit of {1} USDC per payment (setting gendeck.seisoai.x402.maxPerPaymentUsd). Nothing was paid.',
          formatUsdc(amount),
          formatUsdc(perPayment),
        ),
      );
    }
    // The cap check and its hold are one step under the receipts' lock, so no other payment (of this process or
    // another sharing the receipts) can slip under the cap between them.
    const { spent, hold } = await this.o.receipts.hold(amount, this.now(), (s) => s + amount <= perDay);
    if (!hold) {
      throw new X402Error(
        'over_daily_cap',
        l10n.t(
          'Paying {0} USDC would bring the last 24 hours to {1} USDC, above your daily limit of {2} USDC (setting gendeck.seisoai.x402.maxPerDayUsd). Nothing was paid.',
          formatUsdc(amount),
          formatUsdc(spent + amount),
          formatUsdc(perDay),
        ),
      );
    }
    try {
      const resource = requirement.resource ?? challenge.resource?.url ?? ctx.resource;
      const ok = await this.o.confirm({
        amountUsdc: formatUsdc(amount),
        amountAtomic: amount.toString(),
        payTo: requirement.payTo,
        network: requirement.network,
        networkLabel: network.label,
        asset: requirement.asset,
        // The server's own words: one line each, capped, so they cannot add lines of their own to the dialog.
        resource: oneLine(resource, 300),
        description: requirement.description ? oneLine(requirement.description, 160) || undefined : undefined,
        toolId: ctx.toolId,
        spentTodayUsdc: formatUsdc(spent),
        maxPerPaymentUsdc: formatUsdc(perPayment),
        maxPerDayUsdc: formatUsdc(perDay),
      });
      if (!ok) throw new X402Error('declined', l10n.t('Payment declined; nothing was sent.'));
      const prepared = await this.sign(requirement, network, challenge, { resource, toolId: ctx.toolId });
      // Before the header can leave: from here the payment counts whatever becomes of this process.
      await hold.signed();
      this.holds.set(prepared, hold);
      return prepared;
    } catch (err) {
      await hold.release();
      throw err;
    }
  }

  private readonly holds = new WeakMap<PreparedPayment, SpendHold>();

  private async sign(
    requirement: PaymentRequirement,
    network: AllowedNetwork,
    challenge: Challenge,
    ctx: { resource: string; toolId?: string },
  ): Promise<PreparedPayment> {
    const key = (await this.o.getWalletKey())?.trim();
    if (!key)
      throw new X402Error(
        'no_wallet',
        l10n.t('No x402 wallet key is set. Run "GenDeck: Set Wallet Key (x402)" or set a Seisoai API key instead.'),
      );
    const hexKey = (key.startsWith('0x') ? key : `0x${key}`) as Hex;
    redactor.add(key);
    redactor.add(hexKey);
    redactor.add(hexKey.slice(2));
    if (!/^0x[0-9a-fA-F]{64}$/.test(hexKey))
      throw new X402Error(
        'bad_wallet_key',
        l10n.t(
          'The x402 wallet key is not a 32-byte hex private key. Set it again with "GenDeck: Set Wallet Key (x402)".',
        ),
      );
    let account: ReturnType<typeof privateKeyToAccount>;
    try {
      account = privateKeyToAccount(hexKey);
    } catch {
      // viem's message could quote the input; never pass it on.
      throw new X402Error(
        'bad_wallet_key',
        l10n.t('The x402 wallet key is not a valid private key. Set it again with "GenDeck: Set Wallet Key (x402)".'),
      );
    }
    let nonce: Hex;
    do nonce = `0x${randomBytes(32).toString('hex')}` as Hex;
    while (this.usedNonces.has(nonce));
    this.usedNonces.add(nonce);
    const nowSec = Math.floor(this.now() / 1000);
    const window = Math.max(10, Math.min(this.o.validitySec ?? 120, requirement.maxTimeoutSeconds ?? 120));
    const authorization: Authorization = {
      from: account.address,
      to: requirement.payTo as Hex,
      value: requirement.amount.toString(),
      // Ten minutes back, as the official clients do, so a verifier whose clock runs behind still accepts it; the
      // window that matters, validBefore, stays short.
      validAfter: String(nowSec - 600),
      validBefore: String(nowSec + window),
      nonce,
    };
    const signature = await account.signTypedData(transferTypedData(network, authorization));
    const header = paymentHeader({
      x402Version: requirement.version,
      scheme: requirement.scheme,
      network: requirement.network,
      resource: challenge.resource,
      accepted: requirement.raw,
      payload: { signature, authorization },
    });
    this.log.info(
      `x402: signed ${formatUsdc(requirement.amount)} USDC to ${requirement.payTo} on ${network.label} for ${ctx.resource} (valid ${window} s).`,
    );
    return new PreparedPayment(requirement, network, authorization, header, ctx, this);
  }

  /** @internal called by PreparedPayment.settle */
  async record(
    p: PreparedPayment,
    outcome: { status: 'settled' | 'rejected' | 'unknown'; header?: string; settlement?: Settlement; error?: string },
  ): Promise<void> {
    const receipt = {
      time: new Date(this.now()).toISOString(),
      amount: p.requirement.amount.toString(),
      amountUsdc: formatUsdc(p.requirement.amount),
      asset: p.requirement.asset,
      network: p.requirement.network,
      payTo: p.requirement.payTo,
      payer: p.authorization.from,
      resource: p.context.resource,
      toolId: p.context.toolId,
      status: outcome.status,
      paymentResponseHeader: outcome.header,
      paymentResponse: outcome.settlement,
      transaction: outcome.settlement?.transaction || undefined,
      error: outcome.error ?? outcome.settlement?.errorReason,
      hold: this.holds.get(p)?.id,
    };
    try {
      await this.o.receipts.append(receipt);
    } finally {
      await this.holds.get(p)?.release();
    }
    this.log.info(
      `x402: payment ${outcome.status} (${receipt.amountUsdc} USDC to ${receipt.payTo}${receipt.transaction ? `, transaction ${receipt.transaction}` : ''}).`,
    );
  }
}
