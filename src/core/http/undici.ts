import type * as Undici from 'undici';

let loaded: typeof Undici | undefined;

/**
 * undici, loaded by the first request: the editor starts without it (~520 KB), which its bundle keeps in a file of
 * its own (dist/undici.js, see esbuild.mjs).
 */
export function undici(): typeof Undici {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require('undici') as typeof Undici);
}
