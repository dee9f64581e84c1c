import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { X402Error, X402Payer, type X402Limits } from '../../src/core/x402/payer';
import { ALLOWED_NETWORKS, type Challenge } from '../../src/core/x402/protocol';
import { ReceiptLog } from '../../src/core/x402/receipts';
import { waitFor } from '../support/sandbox';

const LIMITS: X402Limits = { maxPerPaymentUsd: 0.5, maxPerDayUsd: 0.5, networks: ['base-sepolia'] };
const WALLET = `0x${randomBytes(32).toString('hex')}`;
const PAY_TO = '0x1111111111111111111111111111111111111111';

/** A challenge for `usdc` USDC on Base Sepolia. */
function challenge(usdc: number): Challenge {
  const amount = BigInt(Math.round(usdc * 1e6));
  const net = ALLOWED_NETWORKS['base-sepolia'];
  const raw = { scheme: 'exact', network: net.caip2, amount: amount.toString(), asset: net.asset, payTo: PAY_TO };
  return {
    version: 2,
    accepts: [{ version: 2, scheme: 'exact', network: net.caip2, amount, asset: net.asset, payTo: PAY_TO, raw }],
  };
}

/** A payer over its own ReceiptLog of `file`, as another process sharing the state folder has. */
function payer(file: string, confirm: () => Promise<boolean> = async () => true): X402Payer {
  return new X402Payer({
    limits: () => LIMITS,
    confirm,
    getWalletKey: async () => WALLET,
    receipts: new ReceiptLog(file),
  });
}

const code = (e: unknown) => (e instanceof X402Error ? e.code : String(e));

/** Holds `usdc` in the receipts `file` from a child process that exits without releasing it (a crash). */
function holdInDeadProcess(file: string, usdc: number, signed: boolean): void {
  const receipts = join(__dirname, '../../src/core/x402/receipts.js');
  const script = `
    const { ReceiptLog } = require(${JSON.stringify(receipts)});
    (async () => {
      const { hold } = await new ReceiptLog(${JSON.stringify(file)}).hold(${Math.round(usdc * 1e6)}n, Date.now(), () => true);
      if (${signed}) await hold.signed();
      process.exit(0);
    })();`;
  execFileSync(process.execPath, ['-e', script]);
}

describe('x402 daily cap shared by every process paying from one state folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gendeck-x402-shared-'));
  const fresh = () => join(dir, `receipts-${randomBytes(4).toString('hex')}.jsonl`);

  it('a payment waiting for its confirmation holds its share: the other process is refused before it asks', async () => {
    const file = fresh();
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    let asked = false;
    const a = payer(file, async () => {
      asked = true;
      await gate;
      return true;
    });
    let bAsked = 0;
    const b = payer(file, async () => {
      bAsked++;
      return true;
    });
    const first = a.prepare(challenge(0.4), { resource: 'https://x/a' });
    while (!asked) await new Promise((r) => setImmediate(r));
    await assert.rejects(b.prepare(challenge(0.4), { resource: 'https://x/b' }), (e) => code(e) === 'over_daily_cap');
    open();
    const paid = await first;
    paid.takeHeader();
    await paid.settle({ status: 'unknown' });
    // Its receipt, written by "the other process", is read here: still refused, and B never asked its user.
    await assert.rejects(b.prepare(challenge(0.2), { resource: 'https://x/b' }), (e) => code(e) === 'over_daily_cap');
    assert.equal(bAsked, 0);
    assert.equal(await new ReceiptLog(file).spentInLastDay(Date.now()), 400_000n);
  });

  it('two processes at once: of two $0.40 payments under a $0.50 cap exactly one is signed', async () => {
    const file = fresh();
    const results = await Promise.allSettled(
      [0, 1, 2, 3].map((i) => payer(file).prepare(challenge(0.4), { resource: `https://x/${i}` })),
    );
    const signed = results.filter((r) => r.status === 'fulfilled');
    assert.equal(signed.length, 1, results.map((r) => (r.status === 'rejected' ? code(r.reason) : 'signed')).join());
    assert.ok(results.every((r) => r.status === 'fulfilled' || code(r.reason) === 'over_daily_cap'));
  });

  it('a declined or a refused payment gives its share back', async () => {
    const file = fresh();
    await assert.rejects(
      payer(file, async () => false).prepare(challenge(0.4), { resource: 'https://x' }),
      (e) => code(e) === 'declined',
    );
    const p = await payer(file).prepare(challenge(0.4), { resource: 'https://x' });
    p.takeHeader();
    await p.settle({ status: 'rejected', error: 'insufficient_funds' });
    const again = await payer(file).prepare(challenge(0.4), { resource: 'https://x' });
    assert.ok(again);
  });

  it('a process that died before signing holds nothing; one that died after signing still counts', async () => {
    const unsigned = fresh();
    holdInDeadProcess(unsigned, 0.4, false);
    assert.ok(await payer(unsigned).prepare(challenge(0.4), { resource: 'https://x' }));
    const signed = fresh();
    holdInDeadProcess(signed, 0.4, true);
    await assert.rejects(
      payer(signed).prepare(challenge(0.4), { resource: 'https://x' }),
      (e) => code(e) === 'over_daily_cap',
    );
  });

  it('a receipt ends its hold: a crash after the receipt is written does not count the payment twice', async () => {
    const file = fresh();
    const limits = { ...LIMITS, maxPerDayUsd: 0.8 };
    const p = await new X402Payer({
      limits: () => limits,
      confirm: async () => true,
      getWalletKey: async () => WALLET,
      receipts: new ReceiptLog(file),
    }).prepare(challenge(0.4), { resource: 'https://x' });
    p.takeHeader();
    await p.settle({ status: 'settled' });
    // As if the process had died between the receipt and the end of its hold.
    const pending = `${file}.pending`;
    const lines = readFileSync(pending, 'utf8').trim().split('\n');
    writeFileSync(pending, `${lines.filter((l) => !l.includes('"done"')).join('\n')}\n`);
    const second = new X402Payer({
      limits: () => limits,
      confirm: async () => true,
      getWalletKey: async () => WALLET,
      receipts: new ReceiptLog(file),
    });
    assert.ok(await second.prepare(challenge(0.4), { resource: 'https://x' }), '0.4 spent + 0.4 fits 0.8');
  });

  it("the editor's earlier receipts are taken in once", async () => {
    const earlier = fresh();
    writeFileSync(
      earlier,
      `${JSON.stringify({ time: new Date().toISOString(), amount: '300000', amountUsdc: '0.3', asset: 'a', network: 'n', payTo: PAY_TO, resource: 'r', status: 'settled' })}\n`,
    );
    const file = fresh();
    assert.equal(await new ReceiptLog(file, earlier).spentInLastDay(Date.now()), 300_000n);
    assert.equal(await new ReceiptLog(file, earlier).spentInLastDay(Date.now()), 300_000n, 'not twice');
    assert.equal(readFileSync(file, 'utf8').trim().split('\n').length, 1);
  });

  it("another process's receipt reaches this one's listeners (the Spend view refreshes)", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gendeck-x402-watch-')), 'x402-receipts.jsonl');
    const here = new ReceiptLog(file);
    let heard = 0;
    here.onDidAppend(() => heard++);
    const watching = here.watch();
    try {
      await here.all();
      await new ReceiptLog(file).append({
        time: new Date().toISOString(),
        amount: '100000',
        amountUsdc: '0.1',
        asset: 'a',
        network: 'n',
        payTo: PAY_TO,
        resource: 'r',
        status: 'settled',
      });
      await waitFor(() => heard > 0 || undefined, 20_000);
      assert.equal(await here.spentInLastDay(Date.now()), 100_000n);
    } finally {
      watching.dispose();
    }
  });
});
