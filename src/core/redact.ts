/** Remembers secret values and masks them anywhere they would be written out. */
export class Redactor {
  private readonly secrets = new Set<string>();

  add(secret: string | undefined): void {
    if (secret && secret.length >= 4) this.secrets.add(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join('«redacted»');
    // Defence in depth for values we were never told about.
    return out
      .replace(/(authorization|x-api-key|api[_-]?key|bearer)(["'\s:=]+)(bearer\s+)?[A-Za-z0-9._~+/-]{8,}/gi, '$1$2$3«redacted»')
      .replace(/\b(sk|pk)_(live|test|sandbox)_[A-Za-z0-9_-]{4,}/g, '«redacted»')
      .replace(/0x[0-9a-fA-F]{64}\b/g, '«redacted»');
  }
}

/** The process-wide redactor every log sink goes through. */
export const redactor = new Redactor();
