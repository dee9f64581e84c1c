// Every provider's adapter (test/support/adapter.ts says what one is), one file each in adapters/, found by name:
// a provider id without its file fails every suite that asks for the adapters (and test/unit/adapters.test.ts), so
// no provider is ever left out, and a new provider adds a file instead of an entry in a shared list.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROVIDER_IDS } from '../../src/core/providers/index';
import type { Adapter, AdapterEnv, AdapterFactory } from './adapter';

const DIR = join(__dirname, 'adapters');

/** The adapter files there are, by file name. */
export function adapterFiles(): string[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.js'))
    .map((f) => f.slice(0, -3))
    .sort();
}

/** One adapter per provider, in PROVIDER_IDS order; throws naming a provider whose file is missing. */
export function adaptersFor(env: AdapterEnv): Adapter[] {
  const missing = PROVIDER_IDS.filter((id) => !adapterFiles().includes(id));
  if (missing.length) throw new Error(`No test adapter for ${missing.join(', ')}: add test/support/adapters/<id>.ts.`);
  return PROVIDER_IDS.map((id) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { adapter } = require(join(DIR, `${id}.js`)) as { adapter: AdapterFactory };
    const built = adapter(env);
    if (built.id !== id) throw new Error(`adapters/${id}.ts builds the adapter of ${built.id}.`);
    return built;
  });
}
