// GenDeck's x402 payments checked by the official verifier itself (@x402/evm's exact scheme, v1 and v2, Base and Base
// Sepolia): the signature and every rule of the scheme are the library's; only the chain reads are stubbed (USDC is
// deployed, the payer has funds, the nonce is unused, the transfer simulates).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { ExactEvmScheme } from '@x402/evm/exact/facilitator';
import { ExactEvmSchemeV1 } from '@x402/evm/exact/v1/facilitator';
import { verifyTypedData } from 'viem';
import { X402Payer } from '../../src/core/x402/payer';
import { ALLOWED_NETWORKS, decodeJsonHeader, encodeJsonHeader, parseChallenge } from '../../src/core/x402/protocol';
import { ReceiptLog } from '../../src/core/x402/receipts';

type Hex = `0x${string}`;
type Verdict = { isValid: boolean; invalidReason?: string };
const PAY_TO = '0x5e15a0a1000000000000000000000000000402aa';
const NETWORKS = [ALLOWED_NETWORKS['base-sepolia'], ALLOWED_NETWORKS.base];
const isAsset = (a: string) => NETWORKS.some((n) => n.asset.toLowerCase() === a.toLowerCase());

/** The facilitator's chain access, stubbed; typed-data verification is viem's own. */
const signer = {
  getAddresses: () => ['0x1111111111111111111111111111111111111111'] as const,
  readContract: async (a: { functionName: string }) =>
    a.functionName === 'balanceOf' ? 10n ** 12n : a.functionName === 'authorizationState' ? false : 0n,
  verifyTypedData: (a: Parameters<typeof verifyTypedData>[0]) => verifyTypedData(a),
  writeContract: async () => '0x' as Hex,
  sendTransaction: async () => '0x' as Hex,
  waitForTransactionReceipt: async () => ({ status: 'success' }),
  getCode: async ({ address }: { address: Hex }) => (isAsset(address) ? ('0x6080604052' as Hex) : ('0x' as Hex)),
};

function payer(): X402Payer {
  const key = `0x${randomBytes(32).toString('hex')}`;
  return new X402Payer({
    limits: () => ({ maxPerPaymentUsd: 1, maxPerDayUsd: 5, networks: ['base', 'base-sepolia'] }),
    confirm: async () => true,
    getWalletKey: async () => key,
    receipts: new ReceiptLog(undefined),
  });
}

/** Runs `fn` with the verifier's clock `skewMs` behind. */
async function withClockBehind<T>(skewMs: number, fn: () => Promise<T>): Promise<Awaited<T>> {
  const real = Date.now;
  Date.now = () => real() - skewMs;
  try {
    return await fn();
  } finally {
    Date.now = real;
  }
}

describe('x402 payments against the official verifier (@x402/evm exact scheme)', () => {
  for (const net of NETWORKS) {
    const extra = { name: net.domain.name, version: net.domain.version };

    it(`v2 on ${net.label}: valid, with an offered requirement carrying fields GenDeck does not know, from a verifier 10 s behind`, async () => {
      const requirement = {
        scheme: 'exact',
        network: net.caip2,
        amount: '30000',
        asset: net.asset,
        payTo: PAY_TO,
        maxTimeoutSeconds: 120,
        extra,
        outputSchema: null,
        'x-note': { tier: 2 },
      };
      const challenge = parseChallenge(
        {
          'payment-required': encodeJsonHeader({
            x402Version: 2,
            error: 'PAYMENT-SIGNATURE header is required',
            resource: { url: 'https://seisoai.example/api/gateway/invoke/x' },
            accepts: [requirement],
          }),
        },
        undefined,
      )!;
      const header = (await payer().prepare(challenge, { resource: 'x' })).takeHeader();
      assert.equal(header.name, 'payment-signature');
      const payload = decodeJsonHeader(header.value) as Parameters<ExactEvmScheme['verify']>[0];
      assert.deepEqual(payload.accepted, requirement, '`accepted` is the offered entry exactly');
      const r: Verdict = await withClockBehind(10_000, () =>
        new ExactEvmScheme(signer as never).verify(payload, requirement as never),
      );
      assert.deepEqual([r.isValid, r.invalidReason], [true, undefined]);
      // The same payment for another amount is refused by the library: the check is real.
      const wrong = await new ExactEvmScheme(signer as never).verify(payload, {
        ...requirement,
        amount: '30001',
      } as never);
      assert.equal(wrong.isValid, false);
    });

    it(`v1 on ${net.label}: valid X-PAYMENT from a verifier 10 s behind`, async () => {
      const requirement = {
        scheme: 'exact',
        network: net.id,
        maxAmountRequired: '30000',
        resource: 'https://seisoai.example/api/gateway/invoke/x',
        description: 'FLUX.2',
        mimeType: 'application/json',
        payTo: PAY_TO,
        maxTimeoutSeconds: 120,
        asset: net.asset,
        extra,
      };
      const challenge = parseChallenge(
        {},
        { x402Version: 1, error: 'X-PAYMENT header is required', accepts: [requirement] },
      )!;
      const header = (await payer().prepare(challenge, { resource: 'x' })).takeHeader();
      assert.equal(header.name, 'x-payment');
      const payload = decodeJsonHeader(header.value) as never;
      const r: Verdict = await withClockBehind(10_000, () =>
        new ExactEvmSchemeV1(signer as never).verify(payload, requirement as never),
      );
      assert.deepEqual([r.isValid, r.invalidReason], [true, undefined]);
    });
  }
});
