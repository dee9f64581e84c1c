// What planning asks the providers (a tool's live schema and price, a worker's schema, the models; the job lists an
// orphaned lock entry is looked up in), kept for a while: the editor plans the manifest after every pause in typing,
// and an entry that did not change is not asked about again. A key names what was asked (for a check, the entry's
// spec hash: its fields and its input files' bytes). A refusal is kept like an answer; a failure (the network, no
// key) is dropped at once, so the next plan asks again. Concurrent askers of one key share one request.
import { ValidationError } from '../errors';

export class CheckCache {
  private readonly entries = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(
    readonly ttlMs = 60_000,
    readonly max = 500,
    private readonly now: () => number = Date.now,
  ) {}

  get<T>(key: string, run: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value as Promise<T>;
    const value = run();
    const entry = { at: this.now(), value };
    this.entries.delete(key);
    this.entries.set(key, entry);
    value.catch((err: unknown) => {
      if (!(err instanceof ValidationError) && this.entries.get(key) === entry) this.entries.delete(key);
    });
    // The oldest first (a Map keeps insertion order).
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  /** Forget everything (the key or the sandbox changed: other answers). */
  clear(): void {
    this.entries.clear();
  }
}
