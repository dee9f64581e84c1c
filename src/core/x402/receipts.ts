import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { z } from 'zod';
import { takeFileLock } from '../fs/fileLock';
import { processAlive } from '../fs/process';
import { watchFile } from '../fs/watchFile';
import { silentLogger, type Logger } from '../log';

/** One signed x402 payment and what became of it; one JSON line each in the receipts file. */
export const receiptSchema = z.object({
  time: z.string(),
  /** Atomic USDC units as a decimal string, and the same in USDC for people. */
  amount: z.string(),
  amountUsdc: z.string(),
  asset: z.string(),
  network: z.string(),
  payTo: z.string(),
  payer: z.string().optional(),
  resource: z.string(),
  toolId: z.string().optional(),
  /**
   * settled: the server answered success; rejected: the server answered that the payment failed
   * (the authorization was not used); unknown: the answer was lost after the signed header was sent.
   */
  status: z.enum(['settled', 'rejected', 'unknown']),
  /** The PAYMENT-RESPONSE header exactly as received, and decoded. */
  paymentResponseHeader: z.string().optional(),
  paymentResponse: z.unknown().optional(),
  transaction: z.string().optional(),
  error: z.string().optional(),
  /** The spend hold this receipt ends (see ReceiptLog.hold). */
  hold: z.string().optional(),
});
export type Receipt = z.infer<typeof receiptSchema>;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Lines of `<receipts>.pending`: spend held for a payment between the cap check and its receipt. */
const holdSchema = z.union([
  z.object({ id: z.string(), time: z.string(), amount: z.string(), pid: z.number(), host: z.string() }),
  z.object({ id: z.string(), signed: z.literal(true) }),
  z.object({ id: z.string(), done: z.literal(true) }),
]);
type HoldLine = z.infer<typeof holdSchema>;

interface Hold {
  time: number;
  amount: bigint;
  pid: number;
  host: string;
  signed: boolean;
}

/** A payment's share of the daily cap, held from the cap check until its receipt is written (or it is dropped). */
export interface SpendHold {
  readonly id: string;
  /** The payment is signed: from here on it counts even if this process dies before its receipt. */
  signed(): Promise<void>;
  /** Nothing was signed, or the receipt is written: the hold ends. */
  release(): Promise<void>;
}

/**
 * The receipts log (JSON lines, append only), the source of the rolling 24-hour spend, shared by every process that
 * pays from this folder (the editor's windows, the CLI, the MCP server): each read sees the others' receipts, and
 * the cap check and the hold it takes happen under `<file>.lock`, so two of them cannot both slip under the cap.
 */
export class ReceiptLog {
  private cache: Receipt[] = [];
  private stamp = '';
  private writing: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<() => void>();
  /** The holds when there is no file (one process). */
  private readonly memoryHolds = new Map<string, Hold>();
  private imported = false;

  /** `earlier`: a receipts file this one replaces; its lines are taken in once (kept there too). */
  constructor(
    readonly file: string | undefined,
    private readonly earlier?: string,
  ) {}

  /** Called after each receipt this process adds (the Spend view listens). */
  onDidAppend(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * Tells the `onDidAppend` listeners when another process adds receipts too (the Spend view refreshes): the file
   * watched, read again when it changed.
   */
  watch(log?: Logger): { dispose(): void } {
    const file = this.file;
    if (!file) return { dispose: () => undefined };
    let seen = this.stamp;
    return watchFile(
      file,
      () =>
        void this.all().then(
          () => {
            if (this.stamp === seen) return;
            seen = this.stamp;
            for (const l of [...this.listeners]) l();
          },
          (err: Error) => log?.warn(`x402 receipts: ${file} could not be read (${err.message}).`),
        ),
      { log, what: 'x402 receipts' },
    );
  }

  /** Every receipt, read again when another process has added some. */
  async all(): Promise<Receipt[]> {
    if (!this.file) return this.cache;
    if (!this.imported) await this.importEarlier();
    const st = await stat(this.file).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
    const stamp = st ? `${st.ino}:${st.size}:${st.mtimeMs}` : '';
    if (stamp === this.stamp) return this.cache;
    const text = st ? await readFile(this.file, 'utf8') : '';
    this.cache = parseReceipts(text);
    this.stamp = stamp;
    return this.cache;
  }

  async append(r: Receipt): Promise<void> {
    if (!this.file) {
      this.cache.push(r);
    } else {
      const file = this.file;
      this.writing = this.writing.then(async () => {
        await mkdir(dirname(file), { recursive: true });
        await appendFile(file, `${JSON.stringify(r)}\n`, { encoding: 'utf8', mode: 0o600 });
      });
      await this.writing;
    }
    for (const l of [...this.listeners]) l();
  }

  /**
   * Atomic USDC spent in the 24 hours before `now`: settled payments and those whose answer was
   * lost (they may have been settled). Rejected ones did not move money.
   */
  async spentInLastDay(now: number): Promise<bigint> {
    let sum = 0n;
    for (const r of await this.all()) {
      if (r.status === 'rejected') continue;
      const t = Date.parse(r.time);
      if (Number.isFinite(t) && now - t < DAY_MS && /^\d+$/.test(r.amount)) sum += BigInt(r.amount);
    }
    return sum;
  }

  /**
   * The one cap check: under the lock, what the last 24 hours spent plus every payment held (in any process) is
   * given to `fits`; when it fits, `amount` is held until the hold is released. A hold whose process died before it
   * signed no longer counts; a signed one counts until its receipt is written.
   */
  async hold(
    amount: bigint,
    now: number,
    fits: (spent: bigint) => boolean,
  ): Promise<{ spent: bigint; hold?: SpendHold }> {
    const id = randomBytes(8).toString('hex');
    const line = {
      id,
      time: new Date(now).toISOString(),
      amount: amount.toString(),
      pid: process.pid,
      host: hostname(),
    };
    if (!this.file) {
      const spent = (await this.spentInLastDay(now)) + sumHolds(this.memoryHolds, now);
      if (!fits(spent)) return { spent };
      this.memoryHolds.set(id, { time: now, amount, pid: line.pid, host: line.host, signed: false });
      return {
        spent,
        hold: {
          id,
          signed: async () => {
            const h = this.memoryHolds.get(id);
            if (h) h.signed = true;
          },
          release: async () => void this.memoryHolds.delete(id),
        },
      };
    }
    const pending = `${this.file}.pending`;
    await mkdir(dirname(pending), { recursive: true });
    return this.locked(async () => {
      const receipted = new Set((await this.all()).map((r) => r.hold));
      const holds = await readHolds(pending);
      for (const id of holds.keys()) if (receipted.has(id)) holds.delete(id);
      const held = sumHolds(holds, now);
      const spent = (await this.spentInLastDay(now)) + held;
      if (!fits(spent)) return { spent };
      // No hold that still counts: the file starts again, so it does not grow for ever.
      if (held === 0n) await writeFile(pending, '', { mode: 0o600 });
      await appendHold(pending, line);
      return {
        spent,
        hold: {
          id,
          signed: () => appendHold(pending, { id, signed: true }),
          release: () => appendHold(pending, { id, done: true }),
        },
      };
    });
  }

  private async locked<T>(fn: () => Promise<T>): Promise<T> {
    const unlock = await takeFileLock(`${this.file}.lock`, {
      staleMs: 10_000,
      waitMs: 15_000,
      what: 'the x402 receipts',
      log: silentLogger,
    });
    try {
      return await fn();
    } finally {
      await unlock();
    }
  }

  /** Takes in the lines of the file this one replaces that it does not have yet (once per process). */
  private async importEarlier(): Promise<void> {
    this.imported = true;
    const from = this.earlier;
    const file = this.file;
    if (!from || !file) return;
    const old = await readFile(from, 'utf8').catch(() => '');
    if (!old.trim()) return;
    await mkdir(dirname(file), { recursive: true });
    await this.locked(async () => {
      const have = new Set((await readFile(file, 'utf8').catch(() => '')).split('\n'));
      const missing = old.split('\n').filter((l) => l.trim() && !have.has(l));
      if (missing.length) await appendFile(file, `${missing.join('\n')}\n`, { encoding: 'utf8', mode: 0o600 });
    });
  }
}

function parseReceipts(text: string): Receipt[] {
  const out: Receipt[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = receiptSchema.safeParse(JSON.parse(line));
      if (r.success) out.push(r.data);
    } catch {
      /* a damaged line (or one still being written) is skipped, the rest still counts */
    }
  }
  return out;
}

/** The holds still open in a `.pending` file. */
async function readHolds(file: string): Promise<Map<string, Hold>> {
  const holds = new Map<string, Hold>();
  const text = await readFile(file, 'utf8').catch(() => '');
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    let line: HoldLine;
    try {
      const r = holdSchema.safeParse(JSON.parse(raw));
      if (!r.success) continue;
      line = r.data;
    } catch {
      continue;
    }
    if ('done' in line) holds.delete(line.id);
    else if ('signed' in line) {
      const h = holds.get(line.id);
      if (h) h.signed = true;
    } else if (/^\d+$/.test(line.amount))
      holds.set(line.id, {
        time: Date.parse(line.time),
        amount: BigInt(line.amount),
        pid: line.pid,
        host: line.host,
        signed: false,
      });
  }
  return holds;
}

/** What the open holds of the last 24 hours add: all but those of a process on this machine that died unsigned. */
function sumHolds(holds: Map<string, Hold>, now: number): bigint {
  let sum = 0n;
  for (const h of holds.values()) {
    if (!(now - h.time < DAY_MS)) continue;
    const died = h.host === hostname() && h.pid !== process.pid && !processAlive(h.pid);
    if (died && !h.signed) continue;
    sum += h.amount;
  }
  return sum;
}

async function appendHold(file: string, line: HoldLine): Promise<void> {
  await appendFile(file, `${JSON.stringify(line)}\n`, { encoding: 'utf8', mode: 0o600 });
}
