// A tiny sequential test runner with per-test timeouts, dependencies and node-test-runner-like output.
// Closing line: "N passed, N failed, N skipped".
import { withTimeout, secs } from './util.mjs';

export class Runner {
  constructor({ onFailure } = {}) {
    this.results = [];
    this.onFailure = onFailure; // async (test, error) => void — screenshots, dumps
  }

  status(name) {
    return this.results.find((r) => r.name === name)?.status;
  }

  /**
   * Runs one test now. `needs`: names of earlier tests that must have passed, else this one is skipped.
   * Returns true when it passed.
   */
  async test(name, fn, { timeout = 60_000, needs = [] } = {}) {
    const missing = needs.filter((n) => this.status(n) !== 'passed');
    if (missing.length) {
      this.record({ name, status: 'skipped', reason: `needs: ${missing.join(', ')}`, ms: 0 });
      return false;
    }
    const t0 = Date.now();
    try {
      await withTimeout(Promise.resolve().then(fn), timeout, `test "${name}"`);
      this.record({ name, status: 'passed', ms: Date.now() - t0 });
      return true;
    } catch (e) {
      const r = { name, status: 'failed', ms: Date.now() - t0, error: e };
      this.record(r);
      if (this.onFailure) {
        try {
          await withTimeout(this.onFailure(name, e), 20_000, 'failure hook');
        } catch (e2) {
          console.log(`#   (failure hook: ${e2.message})`);
        }
      }
      return false;
    }
  }

  /** Records an externally computed result (e.g. from the in-host suite). */
  record(r) {
    this.results.push(r);
    const mark = r.status === 'passed' ? '✔' : r.status === 'skipped' ? '﹣' : '✖';
    const extra = r.status === 'skipped' ? ` # SKIP ${r.reason || ''}` : '';
    console.log(`${mark} ${r.name} (${secs(r.ms || 0)})${extra}`);
    if (r.status === 'failed') {
      const msg = (r.error && (r.error.stack || r.error.message)) || String(r.error || r.message || 'failed');
      for (const line of String(msg).split('\n').slice(0, 12)) console.log(`    ${line}`);
    }
  }

  summary() {
    const c = (s) => this.results.filter((r) => r.status === s).length;
    return { passed: c('passed'), failed: c('failed'), skipped: c('skipped') };
  }
}
