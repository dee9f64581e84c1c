// esbuild plugin: zod with its English messages only (scripts/build/zod-locales-en.mjs stands in for its locales
// index), for every bundle esbuild.mjs builds and for the bundle benchmark's measurements of zod.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ENGLISH_ONLY = join(dirname(fileURLToPath(import.meta.url)), 'zod-locales-en.mjs');

export const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: ENGLISH_ONLY } : undefined,
    );
  },
};
