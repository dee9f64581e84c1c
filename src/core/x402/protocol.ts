import { z } from 'zod';
import { withoutNulls } from '../json';

// The x402 wire format (x402-foundation/x402 specs, HTTP transport v1 and v2, scheme "exact" on EVM):
// - v1: 402 body { x402Version: 1, accepts: [{ scheme, network: "base" | "base-sepolia", maxAmountRequired,
//   resource, description, mimeType, payTo, maxTimeoutSeconds, asset, extra }] }; paid retry carries
//   X-PAYMENT: base64(JSON { x402Version: 1, scheme, network, payload }); answer header X-PAYMENT-RESPONSE.
// - v2: 402 header PAYMENT-REQUIRED: base64(JSON { x402Version: 2, resource: { url, description, mimeType },
//   accepts: [{ scheme, network: "eip155:8453", amount, asset, payTo, maxTimeoutSeconds, extra }] });
//   paid retry carries PAYMENT-SIGNATURE: base64(JSON { x402Version: 2, resource, accepted, payload });
//   answer header PAYMENT-RESPONSE: base64(JSON { success, transaction, network, payer, errorReason? }).
// - payload (exact/EVM) = { signature, authorization: { from, to, value, validAfter, validBefore, nonce } },
//   an EIP-3009 TransferWithAuthorization signed as EIP-712 typed data on the asset's domain.
// Implemented here by hand (with viem for the signature) because @x402/core + @x402/evm would add
// ~400 KB and a second zod to the extension bundle.

export type Hex = `0x${string}`;

/** The only networks and assets GenDeck will pay on: USDC on Base and Base Sepolia. */
export const ALLOWED_NETWORKS = {
  base: {
    id: 'base',
    caip2: 'eip155:8453',
    chainId: 8453,
    label: 'Base',
    asset: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913' as Hex,
    /** EIP-712 domain of the USDC contract there. */
    domain: { name: 'USD Coin', version: '2' },
  },
  'base-sepolia': {
    id: 'base-sepolia',
    caip2: 'eip155:84532',
    chainId: 84532,
    label: 'Base Sepolia (testnet)',
    asset: '0x036CbD53842c5426634e7929541eC2318f3dCF7e' as Hex,
    domain: { name: 'USDC', version: '2' },
  },
} as const;
export type NetworkId = keyof typeof ALLOWED_NETWORKS;
export type AllowedNetwork = (typeof ALLOWED_NETWORKS)[NetworkId];
export const NETWORK_IDS = Object.keys(ALLOWED_NETWORKS) as NetworkId[];

/** USDC has 6 decimals on both networks. */
export const USDC_DECIMALS = 6;

/** "base", "eip155:8453" → the allowlisted network; undefined for anything else. */
export function networkFor(name: string): AllowedNetwork | undefined {
  const n = name.trim().toLowerCase();
  return Object.values(ALLOWED_NETWORKS).find((x) => x.id === n || x.caip2 === n);
}

const requirementSchema = z.object({
  scheme: z.string(),
  network: z.string(),
  amount: z.union([z.string(), z.number()]).optional(),
  maxAmountRequired: z.union([z.string(), z.number()]).optional(),
  asset: z.string(),
  payTo: z.string(),
  maxTimeoutSeconds: z.number().optional(),
  resource: z.string().optional(),
  description: z.string().optional(),
  mimeType: z.string().optional(),
  extra: z.record(z.string(), z.unknown()).nullish(),
});
export type RawRequirement = z.infer<typeof requirementSchema>;

const resourceSchema = z.object({
  url: z.string(),
  description: z.string().optional(),
  mimeType: z.string().optional(),
});

const paymentRequiredSchema = z.object({
  x402Version: z.number(),
  error: z.string().optional(),
  resource: resourceSchema.optional(),
  accepts: z.array(z.unknown()),
});

/** One way to pay, normalised across versions. */
export interface PaymentRequirement {
  version: 1 | 2;
  scheme: string;
  /** As the server wrote it. */
  network: string;
  /** Atomic units (USDC: 6 decimals). */
  amount: bigint;
  asset: string;
  payTo: string;
  maxTimeoutSeconds?: number;
  resource?: string;
  description?: string;
  /** Exactly what the server sent (echoed as `accepted` in a v2 payment). */
  raw: RawRequirement;
}

export interface Challenge {
  version: 1 | 2;
  error?: string;
  resource?: { url: string; description?: string; mimeType?: string };
  accepts: PaymentRequirement[];
}

export function encodeJsonHeader(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64');
}

export function decodeJsonHeader(value: string | string[] | undefined): unknown {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  try {
    return JSON.parse(Buffer.from(v.trim(), 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
}

function atomic(v: string | number | undefined): bigint | undefined {
  if (v === undefined) return undefined;
  const s = String(v).trim();
  return /^\d{1,30}$/.test(s) ? BigInt(s) : undefined;
}

/**
 * Why a 402 re-challenge refused a payment: the `error` of the v2 PAYMENT-REQUIRED header, else of a v1 body that is
 * an x402 challenge (`x402Version` + `accepts`). Undefined when the 402 names no reason.
 */
export function challengeError(
  headers: Record<string, string | string[] | undefined>,
  body: unknown,
): string | undefined {
  const fromHeader = paymentRequiredSchema.safeParse(withoutNulls(decodeJsonHeader(headers['payment-required'])));
  const source = fromHeader.success ? fromHeader.data : paymentRequiredSchema.safeParse(withoutNulls(body)).data;
  return source?.error?.trim() || undefined;
}

/**
 * The payment requirements of a 402: the v2 PAYMENT-REQUIRED header when present,
 * else a v1 body with `accepts[]`. Undefined when the 402 carries no usable challenge
 * (e.g. a plain "not enough credits" answer).
 */
export function parseChallenge(
  headers: Record<string, string | string[] | undefined>,
  body: unknown,
): Challenge | undefined {
  const fromHeaderRaw = decodeJsonHeader(headers['payment-required']);
  const fromHeader = paymentRequiredSchema.safeParse(withoutNulls(fromHeaderRaw));
  const source = fromHeader.success ? fromHeader.data : paymentRequiredSchema.safeParse(withoutNulls(body)).data;
  if (!source) return undefined;
  // The entries as sent, nulls included: each is validated without its nulls but echoed exactly.
  const sent = ((fromHeader.success ? fromHeaderRaw : body) as { accepts?: unknown[] }).accepts ?? [];
  const version = source.x402Version >= 2 ? 2 : 1;
  const accepts: PaymentRequirement[] = [];
  for (const entry of sent) {
    const r = requirementSchema.safeParse(withoutNulls(entry));
    if (!r.success) continue;
    const amount = atomic(
      version === 2 ? (r.data.amount ?? r.data.maxAmountRequired) : (r.data.maxAmountRequired ?? r.data.amount),
    );
    if (amount === undefined) continue;
    accepts.push({
      version,
      scheme: r.data.scheme,
      network: r.data.network,
      amount,
      asset: r.data.asset,
      payTo: r.data.payTo,
      maxTimeoutSeconds: r.data.maxTimeoutSeconds,
      resource: r.data.resource ?? source.resource?.url,
      description: r.data.description ?? source.resource?.description,
      // The entry exactly as sent (unknown keys and nulls included): a v2 payment echoes it as `accepted`.
      raw: entry as RawRequirement,
    });
  }
  if (!accepts.length) return undefined;
  return { version, error: source.error, resource: source.resource, accepts };
}

export interface Authorization {
  from: Hex;
  to: Hex;
  value: string;
  validAfter: string;
  validBefore: string;
  nonce: Hex;
}

export const TRANSFER_WITH_AUTHORIZATION_TYPES = {
  TransferWithAuthorization: [
    { name: 'from', type: 'address' },
    { name: 'to', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'validAfter', type: 'uint256' },
    { name: 'validBefore', type: 'uint256' },
    { name: 'nonce', type: 'bytes32' },
  ],
} as const;

/** The EIP-712 typed data a payment signs (and a verifier recovers the signer from). */
export function transferTypedData(network: AllowedNetwork, a: Authorization) {
  return {
    domain: {
      name: network.domain.name,
      version: network.domain.version,
      chainId: network.chainId,
      verifyingContract: network.asset,
    },
    types: TRANSFER_WITH_AUTHORIZATION_TYPES,
    primaryType: 'TransferWithAuthorization' as const,
    message: {
      from: a.from,
      to: a.to,
      value: BigInt(a.value),
      validAfter: BigInt(a.validAfter),
      validBefore: BigInt(a.validBefore),
      nonce: a.nonce,
    },
  };
}

export interface PaymentPayload {
  x402Version: 1 | 2;
  scheme: string;
  network: string;
  resource?: Challenge['resource'];
  accepted?: RawRequirement;
  payload: { signature: Hex; authorization: Authorization };
}

/** The header that carries a payment: PAYMENT-SIGNATURE for v2, X-PAYMENT for v1. */
export function paymentHeader(p: PaymentPayload): { name: string; value: string } {
  const body =
    p.x402Version === 2
      ? { x402Version: 2, resource: p.resource, accepted: p.accepted, payload: p.payload }
      : { x402Version: 1, scheme: p.scheme, network: p.network, payload: p.payload };
  return { name: p.x402Version === 2 ? 'payment-signature' : 'x-payment', value: encodeJsonHeader(body) };
}

const hex = z.string().regex(/^0x[0-9a-fA-F]*$/);
export const paymentPayloadSchema = z.object({
  x402Version: z.number(),
  scheme: z.string().optional(),
  network: z.string().optional(),
  resource: resourceSchema.optional(),
  accepted: requirementSchema.optional(),
  payload: z.object({
    signature: hex,
    authorization: z.object({
      from: hex,
      to: hex,
      value: z.string(),
      validAfter: z.string(),
      validBefore: z.string(),
      nonce: hex,
    }),
  }),
});

export const settlementSchema = z.object({
  success: z.boolean(),
  transaction: z.string().optional(),
  network: z.string().optional(),
  payer: z.string().optional(),
  errorReason: z.string().optional(),
});
export type Settlement = z.infer<typeof settlementSchema>;

/** The decoded PAYMENT-RESPONSE (or v1 X-PAYMENT-RESPONSE) header, with the raw header value. */
export function readSettlement(
  headers: Record<string, string | string[] | undefined>,
): { header: string; settlement?: Settlement } | undefined {
  const raw = headers['payment-response'] ?? headers['x-payment-response'];
  const header = Array.isArray(raw) ? raw[0] : raw;
  if (!header) return undefined;
  const r = settlementSchema.safeParse(withoutNulls(decodeJsonHeader(header)));
  return { header, settlement: r.success ? r.data : undefined };
}

/** 50000n → "0.05" (at least two decimals, no trailing zeros beyond). */
export function formatUsdc(atomicAmount: bigint): string {
  const neg = atomicAmount < 0n;
  const v = neg ? -atomicAmount : atomicAmount;
  const whole = v / 10n ** BigInt(USDC_DECIMALS);
  let frac = (v % 10n ** BigInt(USDC_DECIMALS)).toString().padStart(USDC_DECIMALS, '0').replace(/0+$/, '');
  if (frac.length < 2) frac = frac.padEnd(2, '0');
  return `${neg ? '-' : ''}${whole}.${frac}`;
}

/** Dollars (a setting) → atomic USDC, rounded down. */
export function usdToAtomic(usd: number): bigint {
  if (!Number.isFinite(usd) || usd <= 0) return 0n;
  return BigInt(Math.floor(usd * 10 ** USDC_DECIMALS + 1e-6));
}
