/** Ways the sandbox can misbehave on purpose, for tests, benchmarks and curious users. */
export type FaultKind =
  | 'latency' // wait `ms`, then answer normally
  | 'reset-before' // drop the connection before the handler runs (nothing happened)
  | 'reset-after' // run the handler, then drop the connection (it happened, the client cannot know)
  | 'truncate' // run the handler, send half of the body, then drop the connection
  | 'malformed' // answer 200 with text that is not JSON
  | 'status' // answer `status` with the provider's error shape, plus Retry-After when given
  | 'hang' // never answer
  | 'extra-fields' // add unknown fields to every JSON object in the answer
  | 'drop-field'; // remove `field` (a dotted path such as data.id) from the JSON answer

export interface Fault {
  kind: FaultKind;
  /** Provider prefix (seedancee2, seele, …); any when absent. */
  provider?: string;
  method?: string;
  /** Substring or regular expression source matched against the path below the provider prefix. */
  path?: string;
  status?: number;
  retryAfterSec?: number;
  /** Extra response headers of a `status` fault (e.g. a PAYMENT-RESPONSE on an error). */
  headers?: Record<string, string>;
  field?: string;
  ms?: number;
  /** How many matching requests it applies to; unlimited when absent. */
  times?: number;
  /** Probability per matching request (0..1); always when absent. */
  rate?: number;
}

export class FaultInjector {
  private faults: (Fault & { used: number })[] = [];
  injected = 0;

  constructor(private readonly random: () => number = Math.random) {}

  add(fault: Fault): void {
    this.faults.push({ ...fault, used: 0 });
  }

  clear(): void {
    this.faults = [];
  }

  /** The fault that applies to this request, if any; counts it as used. */
  take(provider: string, method: string, path: string): Fault | undefined {
    for (const f of this.faults) {
      if (f.provider && f.provider !== provider) continue;
      if (f.method && f.method !== method) continue;
      if (f.path && !(path.includes(f.path) || safeRegex(f.path)?.test(path))) continue;
      if (f.times !== undefined && f.used >= f.times) continue;
      if (f.rate !== undefined && this.random() >= f.rate) continue;
      f.used++;
      this.injected++;
      return f;
    }
    return undefined;
  }
}

function safeRegex(src: string): RegExp | undefined {
  try {
    return new RegExp(src);
  } catch {
    return undefined;
  }
}
