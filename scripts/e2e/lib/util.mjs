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
      const detail = lastErr
        ? ` (last error: ${lastErr.message?.split('\n')[0]})`
        : lastVal !== undefined
          ? ` (last value: ${JSON.stringify(lastVal)?.slice(0, 300)})`
          : '';
      let w = what;
      if (typeof what === 'function') {
        try {
          w = await what();
        } catch (e) {
          w = `(description failed: ${e.message})`;
        }
      }
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

/**
 * For inputs the workbench may drop under load (a context-menu click, a key press, Enter in a dialog that is still
 * loading): does `action`, then waits up to `settle` ms for `effect` to be truthy; does `action` again while it is
 * not, until `timeout`. Returns the effect's value. `action` errors count as "not yet" (the element may be gone).
 */
export async function retryUntil(
  action,
  effect,
  { timeout = 30_000, settle = 3_000, what = 'the action to take effect' } = {},
) {
  const deadline = Date.now() + timeout;
  let tries = 0;
  let lastErr;
  for (;;) {
    tries++;
    try {
      await action(tries);
    } catch (e) {
      lastErr = e;
    }
    const left = deadline - Date.now();
    try {
      return await waitUntil(effect, { timeout: Math.max(0, Math.min(settle, left)), what });
    } catch (e) {
      if (Date.now() >= deadline) {
        const detail = lastErr ? ` (last action error: ${lastErr.message?.split('\n')[0]})` : '';
        throw new Error(`${e.message} after ${tries} tries${detail}`);
      }
    }
  }
}
