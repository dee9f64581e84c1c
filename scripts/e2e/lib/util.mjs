// Small helpers: sleeping, polling with a clear timeout message, timing out a promise.
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * `what` may be a string or an (async) function producing the description when the wait fails.
 * Polls `fn` until it returns a truthy value (which is returned). Errors thrown by `fn` count as "not yet";
 * the last one is reported on timeout together with `what`.
 */
export async function waitUntil(fn, { timeout = 15_000, interval = 200, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let lastErr;
  let lastVal;
  for (;;) {
    try {
      lastVal = await fn();
      if (lastVal) return lastVal;
    } catch (e) {
      lastErr = e;
    }
    if (Date.now() > deadline) {
      const detail = lastErr ? ` (last error: ${lastErr.message?.split('\n')[0]})` : lastVal !== undefined ? ` (last value: ${JSON.stringify(lastVal)?.slice(0, 300)})` : '';
      let w = what;
      if (typeof what === 'function') { try { w = await what(); } catch (e) { w = `(description failed: ${e.message})`; } }
      throw new Error(`timed out after ${timeout} ms waiting for ${w}${detail}`);
    }
    await sleep(interval);
  }
}

export function withTimeout(promise, ms, what) {
  let t;
  const timer = new Promise((_, reject) => {
    t = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timer]).finally(() => clearTimeout(t));
}

export const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
