// What every tool of one MCP server shares: the headless services, the spend ledger, the folder it may write in, the
// files it handed out as resources, and (only when started with --seisoai-agent) the one agent it may act through.
import { AsyncLocalStorage } from 'node:async_hooks';
import { isAbsolute, relative, resolve } from 'node:path';
import { ValidationError } from '../../core/errors';
import type { Logger } from '../../core/log';
import type { AgentSession } from '../../core/providers/seisoai/agents';
import type { PaymentPrompt } from '../../core/x402/payer';
import type { Headless } from '../services';
import type { SpendEntry, SpendLedger } from './spend';

export interface SessionOptions {
  /** The folder downloads and indexing stay inside (the server's working folder unless --root says otherwise). */
  root: string;
  /** x402 pay-per-request for Seisoai tools (--pay-x402 --max-usd N). */
  x402?: { maxUsd: number };
  /** The agent bound with --seisoai-agent, its declared tools loaded. */
  agent?: AgentSession;
  log: Logger;
}

/** The x402 payment a tool call is about to make: what the call allows (max_cost) and what it reserved. */
interface PaymentScope {
  maxCost: number;
  entry: SpendEntry;
}

export class McpSession {
  /** Local files this server wrote or found (downloads, indexed videos): the only ones resources/read serves. */
  readonly files = new Map<string, { name: string; mimeType?: string; job?: string }>();
  private readonly payments = new AsyncLocalStorage<PaymentScope>();

  constructor(
    readonly h: Headless,
    readonly ledger: SpendLedger,
    readonly o: SessionOptions,
  ) {
    // What a job reports it finally cost replaces the estimate in the ledger.
    h.store.onDidChange((keys) => {
      for (const key of keys) if (ledger.has(key)) ledger.settle(key, h.store.get(key)?.cost);
    });
  }

  get sandbox(): boolean {
    return !!this.h.sandbox;
  }

  get log(): Logger {
    return this.o.log;
  }

  /** A folder the agent named, inside the root; relative names are taken from the root. */
  inside(folder: string | undefined, fallback: string): string {
    const abs = resolve(this.o.root, folder ?? fallback);
    const rel = relative(this.o.root, abs);
    if (rel.startsWith('..') || isAbsolute(rel))
      throw new ValidationError(
        `${folder} is outside ${this.o.root}, the folder this server may use (start it with --root to choose another).`,
      );
    return abs;
  }

  /** Runs `fn` with an x402 allowance: a payment it triggers is approved only within max_cost and the spend cap. */
  withPayment<T>(scope: PaymentScope, fn: () => Promise<T>): Promise<T> {
    return this.payments.run(scope, fn);
  }

  /** The x402 payer's confirmation: no human at hand, so max_cost and the cap decide (elicitation came before). */
  async confirmPayment(p: PaymentPrompt): Promise<boolean> {
    const scope = this.payments.getStore();
    const amount = Number(p.amountUsdc);
    if (!scope || !Number.isFinite(amount)) return false;
    if (amount > scope.maxCost + 1e-9) {
      this.log.warn(`x402: ${p.amountUsdc} USDC asked, above the call's max_cost ${scope.maxCost}; declined.`);
      return false;
    }
    if (!this.ledger.grow(scope.entry, amount)) {
      this.log.warn(`x402: ${p.amountUsdc} USDC would pass the spend cap; declined.`);
      return false;
    }
    this.log.info(
      `x402: paying ${p.amountUsdc} USDC to ${p.payTo} on ${p.networkLabel} for ${p.toolId ?? p.resource}.`,
    );
    return true;
  }
}
