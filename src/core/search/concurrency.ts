/**
 * Runs `fn` over `items` with at most `limit` calls in flight; results keep the input order.
 * The first failure stops new calls from starting and is rethrown once the running ones settle.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed: { err: unknown } | undefined;
  const worker = async () => {
    while (!failed && next < items.length) {
      if (signal?.aborted) {
        failed ??= { err: signal.reason ?? new DOMException('Aborted', 'AbortError') };
        return;
      }
      const i = next++;
      try {
        results[i] = await fn(items[i], i);
      } catch (err) {
        failed ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failed) throw failed.err;
  return results;
}
