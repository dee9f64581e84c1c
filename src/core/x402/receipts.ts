import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';

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
});
export type Receipt = z.infer<typeof receiptSchema>;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The receipts log (JSON lines, append only). Also the source of the rolling 24-hour spend. */
export class ReceiptLog {
  private cache: Receipt[] | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<() => void>();

  constructor(readonly file: string | undefined) {}

  /** Called after each receipt is added (the Spend view listens). */
  onDidAppend(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  async all(): Promise<Receipt[]> {
    if (this.cache) return this.cache;
    const out: Receipt[] = [];
    if (this.file) {
      let text = '';
      try {
        text = await readFile(this.file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        try {
          const r = receiptSchema.safeParse(JSON.parse(line));
          if (r.success) out.push(r.data);
        } catch {
          /* a damaged line is skipped, the rest still counts */
        }
      }
    }
    this.cache = out;
    return out;
  }

  async append(r: Receipt): Promise<void> {
    const list = await this.all();
    list.push(r);
    for (const l of [...this.listeners]) l();
    if (!this.file) return;
    const file = this.file;
    this.writing = this.writing.then(async () => {
      await mkdir(dirname(file), { recursive: true });
      await appendFile(file, `${JSON.stringify(r)}\n`, { encoding: 'utf8', mode: 0o600 });
    });
    await this.writing;
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
}
