// Bundled in place of zod's locales index: GenDeck's messages are VS Code's (l10n) and it never switches zod's
// locale, so of zod's ~60 locales (~260 KB minified) only English, its default, is kept.
export { default as en } from '../../node_modules/zod/v4/locales/en.js';
