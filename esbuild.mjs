// Builds the extension (node/cjs) and webview (browser/iife) bundles; `--tests` transpiles src+test to out/ for node --test.
import * as esbuild from 'esbuild';
import { readdirSync, statSync, rmSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { THREE_GLOBAL, threeEntry, threeFromGlobal } from './scripts/build/three-global.mjs';
import { zodEnglishOnly } from './scripts/build/zod-english-only.mjs';

const production = process.argv.includes('--production');
const tests = process.argv.includes('--tests');

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const common = {
  bundle: true,
  plugins: [zodEnglishOnly],
  minify: production,
  sourcemap: !production,
  logLevel: 'warning',
  // jsonc-parser's UMD build (its `main`) loads its parts with a require esbuild cannot follow: bundle its ES build.
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
};

const CORE_DIR = resolve('src', 'core');
// Packages the core and the code over it must share one instance of: l10n (configured once with the bundle), zod.
const SHARED_PACKAGES = ['zod', 'zod/v4', 'zod/v4/core', '@vscode/l10n'];

/**
 * The extension's parts (main.js) and the CLI (cli.js) take src/core, and the shared packages, from one file,
 * dist/core.js (each module evaluated on its first require), so the VSIX ships the core once: an import that lands
 * in src/core becomes `require('./core.js')(id)`.
 */
const sharedCore = {
  name: 'shared-core',
  setup(build) {
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === 'shared-core' || args.kind === 'entry-point') return undefined;
      if (args.namespace === 'shared-core') return { path: './core.js', external: true };
      if (SHARED_PACKAGES.includes(args.path)) return { path: args.path, namespace: 'shared-core' };
      if (!args.path.startsWith('.')) return undefined;
      const r = await build.resolve(args.path, {
        resolveDir: args.resolveDir,
        kind: args.kind,
        importer: args.importer,
        pluginData: 'shared-core',
      });
      if (r.errors.length || !r.path.startsWith(CORE_DIR + sep)) return undefined;
      return { path: relative(process.cwd(), r.path).split(sep).join('/'), namespace: 'shared-core' };
    });
    build.onLoad({ filter: /.*/, namespace: 'shared-core' }, (args) => ({
      contents: `module.exports = require('./core.js')(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/** dist/core.js: every core module and shared package by id, each required on first use. */
function coreEntry() {
  const ids = [...walk('src/core').map((p) => p.split(sep).join('/')), ...SHARED_PACKAGES];
  const lines = ids.map(
    (id) => `  ${JSON.stringify(id)}: () => require(${JSON.stringify(id.startsWith('src/') ? `./${id}` : id)}),`,
  );
  return `const modules = {\n${lines.join('\n')}\n};\nmodule.exports = (id) => {\n  const load = modules[id];\n  if (!load) throw new Error('dist/core.js has no ' + id);\n  return load();\n};\n`;
}

/** core.js requires the shared packages as the core's modules import them (their ES build: one copy, not two). */
const sharedAsImported = {
  name: 'shared-as-imported',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) =>
      args.kind === 'require-call' && args.pluginData !== 'as-imported' && SHARED_PACKAGES.includes(args.path)
        ? build
            .resolve(args.path, { kind: 'import-statement', resolveDir: args.resolveDir, pluginData: 'as-imported' })
            .then((r) => ({ path: r.path }))
        : undefined,
    );
  },
};

/** Leaves the import `spec` to Node at run time, as `target` beside the bundle. */
function requireAtRuntime(spec, target) {
  return {
    name: `require-${spec}`,
    setup(build) {
      build.onResolve({ filter: new RegExp(`^${spec.replace(/[./]/g, '\\$&')}$`) }, () => ({
        path: target,
        external: true,
      }));
    },
  };
}

if (tests) {
  rmSync('out', { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [
      ...walk('src').filter((p) => !p.startsWith(join('src', 'webview-ui'))),
      ...walk('test').filter((p) => !p.startsWith(join('test', 'e2e'))),
      ...walk('bench').filter((p) => !p.startsWith(join('bench', 'tmp'))),
    ],
    outdir: 'out',
    outbase: '.',
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}

await Promise.all([
  // The shell (activation: stand-ins only) and GenDeck's parts, loaded on first use: the shell's `require('./main')`
  // stays a require of dist/main.js.
  esbuild.build({
    ...common,
    entryPoints: { extension: 'src/extension.ts' },
    outdir: 'dist',
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['vscode'],
    plugins: [zodEnglishOnly, requireAtRuntime('./main', './main.js')],
  }),
  esbuild.build({
    ...common,
    entryPoints: { main: 'src/main.ts' },
    outdir: 'dist',
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['vscode'],
    plugins: [zodEnglishOnly, sharedCore],
  }),
  esbuild.build({
    ...common,
    stdin: { contents: coreEntry(), resolveDir: process.cwd(), sourcefile: 'core-entry.js', loader: 'js' },
    outfile: 'dist/core.js',
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // core/http/undici.ts requires it on the first request.
    plugins: [zodEnglishOnly, sharedAsImported, requireAtRuntime('undici', './undici.js')],
  }),
  esbuild.build({
    ...common,
    entryPoints: { undici: 'scripts/build/undici-entry.mjs' },
    outdir: 'dist',
    format: 'cjs',
    platform: 'node',
    target: 'node20',
  }),
  esbuild.build({
    ...common,
    // three.js, once: the model viewer's webview loads it before modelViewer.js, the sandbox inlines it in its game.
    stdin: { contents: threeEntry(), resolveDir: process.cwd(), sourcefile: 'three-entry.js', loader: 'js' },
    outfile: 'dist/three.js',
    format: 'iife',
    globalName: THREE_GLOBAL,
    // Inlined in the sandbox game too, where a map beside it would be looked for at the page's address.
    sourcemap: false,
    platform: 'browser',
    target: 'es2022',
  }),
  esbuild.build({
    ...common,
    // modelViewer (over dist/three.js) is loaded by the preview only when a job has a 3D output; form is the schema
    // form page.
    plugins: [zodEnglishOnly, threeFromGlobal],
    entryPoints: {
      webview: 'src/webview-ui/main.ts',
      search: 'src/webview-ui/search.ts',
      form: 'src/webview-ui/form/main.ts',
      modelViewer: 'src/webview-ui/model/viewer.ts',
    },
    outdir: 'dist',
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
  }),
  esbuild.build({
    ...common,
    // The CLI shares the extension's undici file (the VSIX ships it once); the sandbox's own process keeps its copy
    // (dist/sandbox.js is a checkout's tool, not shipped).
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    plugins: [zodEnglishOnly, sharedCore],
  }),
  esbuild.build({
    ...common,
    entryPoints: { sandbox: 'src/sandbox/cli.ts' },
    outdir: 'dist',
    format: 'cjs',
    platform: 'node',
    target: 'node20',
  }),
]);
