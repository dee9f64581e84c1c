import type * as Undici from 'undici';

/** What GenDeck calls of undici: all the bundled dist/undici.js holds (scripts/build/undici-entry.mjs). */
export type UndiciParts = Pick<typeof Undici, 'request' | 'getGlobalDispatcher'>;

let loaded: UndiciParts | undefined;

/**
 * undici, loaded by the first request: the editor starts without it, which its bundle keeps in a file of its own
 * (dist/undici.js, see esbuild.mjs).
 */
export function undici(): UndiciParts {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require('undici') as UndiciParts);
}
