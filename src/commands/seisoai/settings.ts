import * as vscode from 'vscode';
import { NETWORK_IDS, type NetworkId } from '../../core/x402/protocol';
import { DEFAULT_X402_LIMITS, type X402Limits } from '../../core/x402/payer';

export type PayWith = 'auto' | 'apiKey' | 'x402';

const cfg = () => vscode.workspace.getConfiguration('gendeck.seisoai');

/** Typed reads of the `gendeck.seisoai.*` settings (limits are dollars of USDC; nothing secret here). */
export const seisoaiSettings = {
  payWith(): PayWith {
    const v = cfg().get<string>('payWith');
    return v === 'apiKey' || v === 'x402' ? v : 'auto';
  },
  x402Limits(): X402Limits {
    const num = (k: string, d: number) => {
      const v = cfg().get<number>(k);
      return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : d;
    };
    const nets = cfg().get<string[]>('x402.networks');
    const networks = Array.isArray(nets)
      ? nets.filter((n): n is NetworkId => (NETWORK_IDS as string[]).includes(n))
      : DEFAULT_X402_LIMITS.networks;
    return {
      maxPerPaymentUsd: num('x402.maxPerPaymentUsd', DEFAULT_X402_LIMITS.maxPerPaymentUsd),
      maxPerDayUsd: num('x402.maxPerDayUsd', DEFAULT_X402_LIMITS.maxPerDayUsd),
      networks,
    };
  },
};
