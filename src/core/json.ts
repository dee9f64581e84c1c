// JSON as providers send it.

/**
 * `value` with every object property whose value is `null` left out, at any depth (arrays keep their items), so an
 * explicit `null` in an optional field validates like a missing one.
 */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = withoutNulls(v);
  return out;
}
