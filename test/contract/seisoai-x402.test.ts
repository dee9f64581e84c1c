import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { privateKeyToAccount } from 'viem/accounts';
import { describeError } from '../../src/core/errors';
import { SeisoaiPolicyError } from '../../src/core/providers/seisoai/provider';
import { walletAddress, X402Error, X402Payer, type PaymentPrompt, type X402Limits } from '../../src/core/x402/payer';
import { decodeJsonHeader, encodeJsonHeader, parseChallenge, readSettlement } from '../../src/core/x402/protocol';
import { ReceiptLog } from '../../src/core/x402/receipts';
import { SANDBOX_PAY_TO, type SeisoaiEmulator } from '../../src/core/providers/seisoai/emulator';
import { startHarness, waitFor, type Harness } from '../support/sandbox';

describe('walletAddress (what "Set Wallet Key" shows before storing)', () => {
  it('gives the address of a key with or without 0x, and refuses what is not a key', () => {
    // The secp256k1 key 1 and its well-known address.
    const one = `${'0'.repeat(63)}1`;
    assert.equal(walletAddress(one), '0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf');
    assert.equal(walletAddress(`0x${one}`), '0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf');
    assert.throws(() => walletAddress('0'.repeat(64)));
  });
});

describe('Seisoai x402 pay-per-request against the sandbox', () => {
  let h: Harness;
  let emu: SeisoaiEmulator;
  const walletKey = `0x${randomBytes(32).toString('hex')}`;
  const wallet = privateKeyToAccount(walletKey as `0x${string}`);
  let limits: X402Limits;
  let prompts: PaymentPrompt[];
  let approve: boolean;
  let keyReads: number;
  let receipts: ReceiptLog;
  let receiptsFile: string;
  const errors: string[] = [];

  const payer = () =>
    new X402Payer({
      limits: () => limits,
      confirm: async (p) => {
        prompts.push(p);
        return approve;
      },
      getWalletKey: async () => {
        keyReads++;
        return walletKey;
      },
      receipts,
      logger: h.log,
    });

  const invokes = (toolId: string) => emu.calls.filter((c) => c === `POST /api/gateway/invoke/${toolId}`).length;

  before(async () => {
    h = await startHarness({ key: null });
    emu = h.emulators.seisoai;
  });
  after(() => h.stop());
  beforeEach(() => {
    limits = { maxPerPaymentUsd: 0.5, maxPerDayUsd: 2, networks: ['base', 'base-sepolia'] };
    prompts = [];
    approve = true;
    keyReads = 0;
    receiptsFile = join(h.tmp, `receipts-${randomBytes(4).toString('hex')}.jsonl`);
    receipts = new ReceiptLog(receiptsFile);
    emu.x402Offer = { network: 'base-sepolia' };
    h.payer = payer();
  });

  const expectRefusal = async (p: Promise<unknown>, code: X402Error['code']) => {
    await assert.rejects(p, (e: X402Error) => {
      errors.push(describeError(e));
      return e instanceof X402Error && e.code === code;
    });
  };

  it('pays within the cap after confirmation; the receipt keeps the payment response', async () => {
    const p = h.providers.seisoai;
    const r = await p.invoke('image.generate.flux-2', { prompt: 'paid lighthouse' });
    assert.equal(r.mode, 'sync');
    assert.equal(r.job.outputs[0].kind, 'image');
    assert.equal(r.payment?.amountUsdc, '0.03');
    assert.deepEqual([r.job.cost?.amount, r.job.cost?.unit], [0.03, 'USDC']);
    assert.equal(prompts.length, 1);
    assert.deepEqual(
      {
        amount: prompts[0].amountUsdc,
        payTo: prompts[0].payTo,
        network: prompts[0].network,
        label: prompts[0].networkLabel,
      },
      { amount: '0.03', payTo: SANDBOX_PAY_TO, network: 'eip155:84532', label: 'Base Sepolia (testnet)' },
    );
    assert.match(prompts[0].resource, /\/api\/gateway\/invoke\/image\.generate\.flux-2$/);
    assert.equal(invokes('image.generate.flux-2'), 2, 'the challenge, then exactly one paid retry');
    const lines = readFileSync(receiptsFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines.length, 1);
    assert.equal(lines[0].status, 'settled');
    assert.equal(lines[0].amount, '30000');
    assert.equal(lines[0].amountUsdc, '0.03');
    assert.equal(lines[0].payTo, SANDBOX_PAY_TO);
    assert.equal(lines[0].payer, wallet.address);
    assert.ok(lines[0].paymentResponseHeader);
    assert.equal((decodeJsonHeader(lines[0].paymentResponseHeader) as { success: boolean }).success, true);
    assert.match(lines[0].transaction, /^0x[0-9a-f]{64}$/);
    assert.ok(lines[0].time && lines[0].resource);
  });

  it('pays a queue tool and polls the job without any key', async () => {
    const p = h.providers.seisoai;
    const r = await p.invoke('video.generate.veo3', { prompt: 'paid clip', duration: '4s' });
    assert.equal(r.mode, 'queue');
    assert.equal(r.job.meta.auth, 'x402');
    const done = await waitFor(async () => {
      const patch = await p.poll(r.job);
      return patch.status === 'succeeded' ? patch : undefined;
    });
    assert.equal(done.outputs?.[0].kind, 'video');
  });

  it('pays a v1-only challenge with X-PAYMENT', async () => {
    emu.x402Offer = { network: 'base-sepolia', versions: [1] };
    const r = await h.providers.seisoai.invoke('audio.transcribe', { audio_url: 'https://example.com/a.wav' });
    assert.equal(r.job.status, 'succeeded');
    assert.equal(prompts[0].network, 'base-sepolia');
    assert.equal(emu.payments.at(-1)?.ok, true);
  });

  it('refuses above the per-payment cap before asking or signing', async () => {
    const before = invokes('video.generate.veo3');
    const paymentsBefore = emu.payments.length;
    await expectRefusal(
      h.providers.seisoai.invoke('video.generate.veo3', { prompt: 'expensive', duration: '8s' }),
      'over_payment_cap',
    );
    assert.equal(prompts.length, 0, 'the user was not asked');
    assert.equal(keyReads, 0, 'the wallet key was not even read');
    assert.equal(invokes('video.generate.veo3'), before + 1, 'only the unpaid request that fetched the challenge');
    assert.equal(emu.payments.length, paymentsBefore, 'no payment was sent');
    assert.equal(existsSync(receiptsFile), false);
  });

  it('refuses above the daily cap (rolling 24 h, from the receipts log)', async () => {
    limits.maxPerDayUsd = 0.05;
    await h.providers.seisoai.invoke('image.generate.flux-2', { prompt: 'first' });
    await expectRefusal(h.providers.seisoai.invoke('image.generate.flux-2', { prompt: 'second' }), 'over_daily_cap');
    assert.equal(prompts.length, 1);
    // A fresh payer (e.g. after a reload) reads the same log and still refuses.
    h.payer = payer();
    await expectRefusal(h.providers.seisoai.invoke('image.generate.flux-2', { prompt: 'third' }), 'over_daily_cap');
  });

  it('refuses a wrong asset, a wrong network, and a network not enabled', async () => {
    const before = emu.payments.length;
    emu.x402Offer = { network: 'base-sepolia', asset: '0x1111111111111111111111111111111111111111' };
    await expectRefusal(h.providers.seisoai.invoke('image.generate.flux-2', { prompt: 'x' }), 'no_acceptable_option');
    emu.x402Offer = { network: 'base-sepolia', networkName: 'eip155:137' };
    await expectRefusal(h.providers.seisoai.invoke('image.generate.flux-2', { prompt: 'x' }), 'no_acceptable_option');
    emu.x402Offer = { network: 'base' };
    limits.networks = ['base-sepolia'];
    await expectRefusal(h.providers.seisoai.invoke('image.generate.flux-2', { prompt: 'x' }), 'no_acceptable_option');
    assert.equal(prompts.length, 0);
    assert.equal(keyReads, 0);
    assert.equal(emu.payments.length, before);
  });

  it('declined confirmation sends nothing', async () => {
    approve = false;
    const before = invokes('image.generate.flux-2');
    const paymentsBefore = emu.payments.length;
    await expectRefusal(h.providers.seisoai.invoke('image.generate.flux-2', { prompt: 'x' }), 'declined');
    assert.equal(prompts.length, 1);
    assert.equal(keyReads, 0, 'the wallet key was not read');
    assert.equal(invokes('image.generate.flux-2'), before + 1);
    assert.equal(emu.payments.length, paymentsBefore);
    assert.equal(existsSync(receiptsFile), false);
  });

  it('the emulator rejects a replayed nonce; a signed header is never taken twice', async () => {
    const client = h.providers.seisoai.client;
    const input = { prompt: 'replay' };
    const first = await client.invoke('image.generate.flux-2', input, { auth: false });
    assert.equal(first.status, 402);
    const challenge = parseChallenge(first.headers, first.raw)!;
    assert.equal(challenge.version, 2);
    const pay = payer();
    const prepared = await pay.prepare(challenge, { resource: 'test', toolId: 'image.generate.flux-2' });
    const header = prepared.takeHeader();
    assert.throws(
      () => prepared.takeHeader(),
      (e: X402Error) => e.code === 'already_paid',
    );
    const paid = await client.invoke('image.generate.flux-2', input, {
      auth: false,
      headers: { [header.name]: header.value },
    });
    assert.equal(paid.status, 200);
    assert.equal(readSettlement(paid.headers)?.settlement?.success, true);
    const replay = await client.invoke('image.generate.flux-2', input, {
      auth: false,
      headers: { [header.name]: header.value },
    });
    assert.equal(replay.status, 402);
    assert.equal(readSettlement(replay.headers)?.settlement?.errorReason, 'nonce_already_used');
    // Two payments never share a nonce.
    const second = await pay.prepare(challenge, { resource: 'test' });
    assert.notEqual(second.authorization.nonce, prepared.authorization.nonce);
    assert.ok(Number(second.authorization.validBefore) - Math.floor(Date.now() / 1000) <= 120, 'short validity');
  });

  it('the emulator checks the signature, recipient and amount', async () => {
    const client = h.providers.seisoai.client;
    const first = await client.invoke('image.generate.flux-2', { prompt: 'x' }, { auth: false });
    const challenge = parseChallenge(first.headers, first.raw)!;
    const prepared = await payer().prepare(challenge, { resource: 'test' });
    const { name, value } = prepared.takeHeader();
    const decoded = decodeJsonHeader(value) as {
      accepted: Record<string, unknown>;
      payload: { authorization: { value: string; to: string; nonce: string; validBefore: string } };
    };
    const tamper = (f: (d: typeof decoded) => void) => {
      const copy = JSON.parse(JSON.stringify(decoded));
      f(copy);
      return Buffer.from(JSON.stringify(copy)).toString('base64');
    };
    const cases: [string, string][] = [
      [tamper((d) => (d.payload.authorization.nonce = `0x${'ab'.repeat(32)}`)), 'invalid_exact_evm_payload_signature'],
      [tamper((d) => (d.payload.authorization.value = '1')), 'invalid_exact_evm_payload_authorization_value'],
      // As strict as the official verifier: the exact amount, 6 s of validity left, `accepted` exactly as offered.
      [tamper((d) => (d.payload.authorization.value = '999999')), 'invalid_exact_evm_payload_authorization_value'],
      [
        tamper((d) => (d.payload.authorization.validBefore = String(Math.floor(Date.now() / 1000) + 3))),
        'invalid_exact_evm_payload_authorization_valid_before',
      ],
      [tamper((d) => (d.accepted.maxTimeoutSeconds = 600)), 'accepted_requirements_mismatch'],
      [tamper((d) => (d.accepted.extra = { name: 'USDC', version: '1' })), 'accepted_requirements_mismatch'],
      [tamper((d) => (d.accepted.note = 'added')), 'accepted_requirements_mismatch'],
      [
        tamper((d) => (d.payload.authorization.to = '0x2222222222222222222222222222222222222222')),
        'invalid_exact_evm_payload_recipient_mismatch',
      ],
    ];
    for (const [v, reason] of cases) {
      const r = await client.invoke('image.generate.flux-2', { prompt: 'x' }, { auth: false, headers: { [name]: v } });
      assert.equal(r.status, 402);
      assert.equal(readSettlement(r.headers)?.settlement?.errorReason, reason);
    }
  });

  it('a payment the server refuses is not retried; the receipt says rejected', async () => {
    emu.x402ForceReject = 'insufficient_funds';
    const before = emu.payments.length;
    await assert.rejects(h.providers.seisoai.invoke('image.generate.flux-2', { prompt: 'broke' }), (e: X402Error) => {
      errors.push(describeError(e));
      return e.code === 'payment_rejected' && e.sent && /insufficient_funds/.test(e.message);
    });
    assert.equal(emu.payments.length, before + 1, 'one payment attempt');
    const lines = readFileSync(receiptsFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines.at(-1).status, 'rejected');
  });

  it('a paid request answered 500 is not sent again', async () => {
    h.sandbox.faults.add({
      provider: 'seisoai',
      kind: 'status',
      status: 500,
      method: 'POST',
      path: '/invoke/audio.tts',
      times: 1,
      rate: 1,
    });
    // The fault hits the first (unpaid) request: that one is retried, then paid once.
    const r = await h.providers.seisoai.invoke('audio.tts', { text: 'hi' });
    assert.equal(r.job.status, 'succeeded');
    h.sandbox.faults.clear();
    const pay = emu.payments.length;
    // Now make the paid retry fail with a 500: the first request passes, the second is faulted.
    let n = 0;
    const orig = h.sandbox.faults.take.bind(h.sandbox.faults);
    h.sandbox.faults.take = (provider, method, path) =>
      provider === 'seisoai' && method === 'POST' && path.includes('/invoke/audio.tts') && ++n === 2
        ? { kind: 'status', status: 500 }
        : orig(provider, method, path);
    try {
      await assert.rejects(
        h.providers.seisoai.invoke('audio.tts', { text: 'hi again' }),
        (e: SeisoaiPolicyError) => e.policy === 'server' && /paid request was not sent again/.test(e.message),
      );
    } finally {
      h.sandbox.faults.take = orig;
    }
    assert.equal(n, 2, 'no third request');
    assert.equal(emu.payments.length, pay, 'the faulted paid request never reached the emulator');
  });

  /** Answers the paid (second) invoke of `toolId` with `fault`, once; the unpaid first request reaches the emulator. */
  const failPaidRequest = (toolId: string, fault: Parameters<typeof h.sandbox.faults.add>[0]) => {
    let n = 0;
    const orig = h.sandbox.faults.take.bind(h.sandbox.faults);
    h.sandbox.faults.take = (provider, method, path) => {
      if (provider === 'seisoai' && method === 'POST' && path.endsWith(`/invoke/${toolId}`) && ++n === 2) return fault;
      return orig(provider, method, path);
    };
    return () => {
      h.sandbox.faults.take = orig;
      return n;
    };
  };

  it('a signed payment answered with an error counts against the daily cap: four $0.40 calls never pass a $0.50 cap', async () => {
    limits = { maxPerPaymentUsd: 0.5, maxPerDayUsd: 0.5, networks: ['base-sepolia'] };
    const answers = [
      { kind: 'status' as const, status: 500 },
      { kind: 'status' as const, status: 400 },
      { kind: 'status' as const, status: 404 },
      {
        kind: 'status' as const,
        status: 503,
        headers: {
          'payment-response': encodeJsonHeader({
            success: true,
            transaction: '0xabc',
            network: 'eip155:84532',
            payer: wallet.address,
          }),
        },
      },
    ];
    const outcomes: string[] = [];
    for (const fault of answers) {
      const restore = failPaidRequest('video.generate.veo3', fault);
      try {
        await assert.rejects(
          h.providers.seisoai.invoke('video.generate.veo3', { prompt: `cap ${fault.status}`, duration: '4s' }),
          (e: Error) => {
            outcomes.push(e instanceof X402Error ? e.code : e.name);
            return true;
          },
        );
      } finally {
        restore();
      }
    }
    assert.equal(prompts.length, 1, `asked once: the first signed payment used the day (outcomes ${outcomes})`);
    assert.deepEqual(outcomes.slice(1), ['over_daily_cap', 'over_daily_cap', 'over_daily_cap']);
    const lines = readFileSync(receiptsFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => l.status),
      ['unknown'],
    );
    assert.equal(await receipts.spentInLastDay(Date.now()), 400_000n);
    // An error status with a successful PAYMENT-RESPONSE is a settled payment.
    limits = { maxPerPaymentUsd: 0.5, maxPerDayUsd: 2, networks: ['base-sepolia'] };
    const restore = failPaidRequest('video.generate.veo3', answers[3]);
    try {
      await assert.rejects(
        h.providers.seisoai.invoke('video.generate.veo3', { prompt: 'settled but 503', duration: '4s' }),
      );
    } finally {
      restore();
    }
    const last = readFileSync(receiptsFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .at(-1);
    assert.deepEqual([last.status, last.transaction], ['settled', '0xabc']);
  });

  it('a 402 without a reason after paying counts as spent; a re-challenge naming the reason is a refusal that does not', async () => {
    limits = { maxPerPaymentUsd: 0.5, maxPerDayUsd: 2, networks: ['base-sepolia'] };
    let restore = failPaidRequest('image.generate.flux-2', { kind: 'status', status: 402 });
    try {
      await assert.rejects(
        h.providers.seisoai.invoke('image.generate.flux-2', { prompt: 'silent 402' }),
        (e: X402Error) => e.code === 'payment_unconfirmed' && e.sent && /counts against your daily/.test(e.message),
      );
    } finally {
      restore();
    }
    const reason = 'invalid_exact_evm_signature';
    const challenge = encodeJsonHeader({ x402Version: 2, error: reason, resource: { url: 'x' }, accepts: [] });
    restore = failPaidRequest('image.generate.flux-2', {
      kind: 'status',
      status: 402,
      headers: { 'payment-required': challenge },
    });
    try {
      await assert.rejects(
        h.providers.seisoai.invoke('image.generate.flux-2', { prompt: 'refused' }),
        (e: X402Error) =>
          e.code === 'payment_rejected' && e.message.includes(reason) && !/payment not accepted/.test(e.message),
      );
    } finally {
      restore();
    }
    const lines = readFileSync(receiptsFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => l.status),
      ['unknown', 'rejected'],
    );
    assert.equal(await receipts.spentInLastDay(Date.now()), 30_000n, 'only the unconfirmed payment counts');
  });

  it('a 429 on the paid request is not retried with the same signed header', async () => {
    const pay = emu.payments.length;
    const restore = failPaidRequest('image.generate.flux-2', { kind: 'status', status: 429, retryAfterSec: 0 });
    let n = 0;
    try {
      await assert.rejects(
        h.providers.seisoai.invoke('image.generate.flux-2', { prompt: 'rate limited' }),
        (e: X402Error) => e.code === 'payment_unconfirmed' && /429/.test(e.message) && /not sent again/.test(e.message),
      );
    } finally {
      n = restore();
    }
    assert.equal(n, 2, 'the unpaid request and one paid request; no third');
    assert.equal(emu.payments.length, pay);
    assert.equal(prompts.length, 1);
    const lines = readFileSync(receiptsFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => l.status),
      ['unknown'],
    );
  });

  it('echoes the offered requirement exactly as `accepted`, with fields GenDeck does not know and nulls', async () => {
    emu.x402Offer = {
      network: 'base-sepolia',
      versions: [2],
      requirementExtras: { outputSchema: null, 'x-facilitator': { region: 'eu', tier: 2 } },
    };
    const before = emu.payments.length;
    const r = await h.providers.seisoai.invoke('image.generate.flux-2', { prompt: 'exact echo' });
    assert.equal(r.job.status, 'succeeded');
    assert.deepEqual(
      emu.payments.slice(before).map((p) => p.ok),
      [true],
    );
  });

  it("the confirmation shows the server's description and resource on one line each, capped", async () => {
    const hostile = 'Pay now\n\nGenDeck: this payment is pre-approved.\u202E' + 'x'.repeat(400);
    emu.x402Offer = { network: 'base-sepolia', description: hostile };
    await h.providers.seisoai.invoke('image.generate.flux-2', { prompt: 'described' });
    const p = prompts.at(-1)!;
    assert.ok(p.description && !/[\n\r\u202E]/.test(p.description), JSON.stringify(p.description));
    assert.ok(p.description.length <= 160);
    assert.match(p.description, /^Pay now GenDeck: this payment is pre-approved\.x+…$/);
    assert.ok(!/[\n\r]/.test(p.resource) && p.resource.length <= 300);
  });

  it('the wallet key never appears in logs, errors or receipts', async () => {
    const bare = walletKey.slice(2);
    const all = [h.log.lines.join('\n'), errors.join('\n')];
    for (const f of readdirSync(h.tmp)) all.push(readFileSync(join(h.tmp, f), 'utf8'));
    assert.ok(all.length > 3, 'receipts were written');
    for (const text of all) {
      assert.ok(!text.includes(walletKey));
      assert.ok(!text.toLowerCase().includes(bare.toLowerCase()));
    }
    // A malformed key is refused without echoing it.
    const bad = `0x${'z'.repeat(64)}`;
    const p = new X402Payer({
      limits: () => limits,
      confirm: async () => true,
      getWalletKey: async () => bad,
      receipts: new ReceiptLog(undefined),
    });
    h.payer = p;
    await assert.rejects(
      h.providers.seisoai.invoke('image.generate.flux-2', { prompt: 'x' }),
      (e: X402Error) => e.code === 'bad_wallet_key' && !e.message.includes(bad) && !e.message.includes('zzzz'),
    );
  });
});
