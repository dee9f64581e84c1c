/** A token bucket: `ratePerSec` sustained, `burst` at once. Waiters are served in order. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();
  private heldUntil = 0;

  constructor(
    private ratePerSec: number,
    private burst: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  configure(ratePerSec: number, burst: number): void {
    this.refill();
    this.ratePerSec = ratePerSec;
    this.burst = burst;
    this.tokens = Math.min(this.tokens, burst);
  }

  /** Resolves when one token has been taken. */
  acquire(): Promise<void> {
    const next = this.queue.then(() => this.take());
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Empties the bucket, e.g. after the server answered 429. */
  drain(): void {
    this.refill();
    this.tokens = Math.min(this.tokens, 0);
  }

  /** Lets no request through for `ms` (a 429's Retry-After), whoever asks. */
  holdFor(ms: number): void {
    this.drain();
    this.heldUntil = Math.max(this.heldUntil, this.now() + ms);
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.ratePerSec);
    this.last = t;
  }

  private async take(): Promise<void> {
    for (;;) {
      const held = this.heldUntil - this.now();
      if (held > 0) {
        await this.sleep(held);
        continue;
      }
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.sleep(Math.ceil(((1 - this.tokens) / this.ratePerSec) * 1000));
    }
  }
}
