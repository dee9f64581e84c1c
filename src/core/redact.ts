/** Remembers secret values and masks them anywhere they would be written out. */
export class Redactor {
  private readonly secrets = new Set<string>();

  add(secret: string | undefined): void {
    if (secret && secret.length >= 4) this.secrets.add(secret);
  }

  /** Only the registered secrets masked (no heuristics, so ids and hashes in data stay as they are). */
  redactKnown(text: string): string {
    let out = text;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join('«redacted»');
    return out;
  }

  /**
   * `value` with every registered secret masked in every string, keys included, at any depth: what a provider echoed
   * back (a key in a response) never reaches the job store, a tooltip or a webview. The same object when nothing
   * needed masking.
   */
  redactDeep<T>(value: T): T {
    if (!this.secrets.size) return value;
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.redactKnown(v);
      if (Array.isArray(v)) {
        const mapped = v.map(walk);
        return mapped.some((x, i) => x !== v[i]) ? mapped : v;
      }
      if (v && typeof v === 'object') {
        let changed = false;
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) {
          const key = this.redactKnown(k);
          const val = walk(x);
          if (key !== k || val !== x) changed = true;
          out[key] = val;
        }
        return changed ? out : v;
      }
      return v;
    };
    return walk(value) as T;
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join('«redacted»');
    // Defence in depth for values we were never told about.
    return out
      .replace(
        /(authorization|x-api-key|api[_-]?key|bearer)(["'\s:=]+)(bearer\s+)?[A-Za-z0-9._~+/-]{8,}/gi,
        '$1$2$3«redacted»',
      )
      .replace(/\b(sk|pk)_(live|test|sandbox)_[A-Za-z0-9_-]{4,}/g, '«redacted»')
      .replace(/0x[0-9a-fA-F]{64}\b/g, '«redacted»');
  }
}

/** The process-wide redactor every log sink goes through. */
export const redactor = new Redactor();
