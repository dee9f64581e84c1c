// `npm run test:faults [-- name …]`: the whole fault-injection suite — the fast files that `npm test` also runs
// (test/faults/*.test.ts) and the slow ones (test/faults/*.slow.ts: many more kill points, long simulated
// runs). Bundled with esbuild into bench/tmp/faults-build (a concurrent `npm test` clearing out/ cannot break
// it), run with node's test runner under --unhandled-rejections=strict, with one known sandbox key whose bytes
// are then looked for in everything the run printed. The counts each file reports (faults injected, jobs,
// losses, duplicates, leaks) replace the "Fault injection" section of bench/results.md; every other section of
// the file stays as it is (a later `npm run bench` picks the section up again from bench/tmp/results).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { updateSection } from './bench.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(REPO, 'test', 'faults');
const BUILD = join(REPO, 'bench', 'tmp', 'faults-build');
const REPORT = join(REPO, 'bench', 'tmp', 'faults-report');
const RESULTS = join(REPO, 'bench', 'tmp', 'results');

const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const files = readdirSync(SRC)
  .filter((f) => f.endsWith('.test.ts') || f.endsWith('.slow.ts'))
  .filter((f) => !only.length || only.some((o) => f.startsWith(o)))
  .sort();

rmSync(BUILD, { recursive: true, force: true });
rmSync(REPORT, { recursive: true, force: true });
mkdirSync(BUILD, { recursive: true });
await esbuild.build({
  entryPoints: files.map((f) => join(SRC, f)),
  outdir: BUILD,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: 'inline',
  external: ['vscode', 'esbuild', 'linkedom'],
  logLevel: 'warning',
  // jsonc-parser's UMD build loads its parts with a require esbuild cannot follow (as in esbuild.mjs).
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
});
// What the suites find beside themselves at run time (__dirname is BUILD here, out/test/… under npm test): each
// provider's adapter (test/support/adapters.ts), and the scripts they run as second processes.
const support = join(REPO, 'test', 'support');
const helpers = [
  ...readdirSync(join(support, 'adapters'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => [join(support, 'adapters', f), join(BUILD, 'adapters', f.replace(/\.ts$/, '.js'))]),
  [join(support, 'storeWriter.ts'), join(BUILD, 'storeWriter.js')],
  [join(SRC, 'assetsChild.ts'), join(BUILD, 'assetsChild.js')],
];
for (const [entry, outfile] of helpers)
  await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
    alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
  });

const key = `sk_test_pro_${randomBytes(20).toString('hex')}`;
const seed = Number(process.env.GENDECK_FAULTS_SEED) || (Date.now() % 1_000_000) + 1;
const built = files.map((f) => join(BUILD, f.replace(/\.ts$/, '.js')));
console.log(`# fault suite: ${files.length} files, seed ${seed} (replay with GENDECK_FAULTS_SEED=${seed})`);
const t0 = Date.now();
const child = spawn(process.execPath, ['--test', '--test-concurrency=1', '--unhandled-rejections=strict', ...built], {
  cwd: REPO,
  env: {
    ...process.env,
    GENDECK_FAULTS_KEY: key,
    GENDECK_FAULTS_REPORT: REPORT,
    GENDECK_FAULTS_SEED: String(seed),
    GENDECK_FAULTS_SLOW: '1',
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let output = '';
child.stdout.on('data', (d) => {
  output += d;
  process.stdout.write(d);
});
child.stderr.on('data', (d) => {
  output += d;
  process.stderr.write(d);
});
const code = await new Promise((r) => child.on('close', r));
const secs = ((Date.now() - t0) / 1000).toFixed(1);

// The key must not be anywhere in what the run printed (test names, diagnostics, logs, errors).
const forms = [key, key.slice(8), Buffer.from(key).toString('base64'), encodeURIComponent(key)];
const outputLeaks = forms.filter((f) => output.includes(f)).length;

const counts = existsSync(join(REPORT, 'counts.jsonl'))
  ? readFileSync(join(REPORT, 'counts.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
  : [];
const sum = (k) => counts.reduce((s, c) => s + (c[k] ?? 0), 0);
const pass = /^# pass (\d+)/m.exec(output)?.[1] ?? '?';
const fail = /^# fail (\d+)/m.exec(output)?.[1] ?? '?';
// Known bugs are tests marked todo: they run and fail without failing the suite, so they are named here.
const todos = [...output.matchAll(/^\s*not ok \d+ - (.*?) # TODO (.*)$/gm)].map((m) => `${m[1]} (${m[2]})`);
const line = (cells) => `| ${cells.join(' | ')} |`;
const extras = (e) =>
  Object.entries(e ?? {})
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ');
const body = [
  `${files.length} files (the fast ones also run by \`npm test\`; here with GENDECK_FAULTS_SLOW=1: 120 kill points instead of 12, 3 simulated hours instead of 1), ${pass} tests passed, ${fail} failed, ${todos.length} known bugs (tests marked todo, listed below), in ${secs} s; seed ${seed}. The suite ran with one known key; its bytes (raw, base64, URL-encoded, without the prefix) were looked for in every log line, error message, store file, webview page, preview message and in the whole test output: **${outputLeaks} found in the output**.`,
  '',
  line(['Suite', 'Faults injected', 'Jobs', 'Losses', 'Duplicates', 'Key leaks', 'Unhandled rejections', 'Also']),
  line(['---', '---', '---', '---', '---', '---', '---', '---']),
  ...counts.map((c) =>
    line([c.suite, c.faultsInjected, c.jobs, c.losses, c.duplicates, c.leaks, c.unhandledRejections, extras(c.extra)]),
  ),
  line([
    '**Total**',
    `**${sum('faultsInjected')}**`,
    `**${sum('jobs')}**`,
    `**${sum('losses')}**`,
    `**${sum('duplicates')}**`,
    `**${sum('leaks') + outputLeaks}**`,
    `**${sum('unhandledRejections')}**`,
    '',
  ]),
  '',
  ...(todos.length
    ? [
        'Known bugs (tests marked todo: they run, and fail until the bug is fixed):',
        '',
        ...todos.map((t) => `- ${t}`),
        '',
      ]
    : []),
  'A store file truncated at every byte offset still loads from its backup: test/unit/store.test.ts ("a store truncated at every byte offset still loads, from its backup"), part of `npm test`.',
].join('\n');
mkdirSync(RESULTS, { recursive: true });
if (!only.length) {
  const section = {
    id: '6-faults',
    title: 'Fault injection',
    command: 'npm run test:faults',
    body,
    figures: { counts, outputLeaks, seed, code },
    date: new Date().toISOString(),
  };
  writeFileSync(join(RESULTS, '6-faults.json'), JSON.stringify(section, null, 2));
  updateSection(section);
  console.log(`# wrote the "${section.title}" section of bench/results.md`);
}
console.log(
  `# fault suite: exit ${code}, ${secs} s; key found in output: ${outputLeaks}; totals: faults ${sum('faultsInjected')}, jobs ${sum('jobs')}, losses ${sum('losses')}, duplicates ${sum('duplicates')}, leaks ${sum('leaks') + outputLeaks}`,
);
process.exit(code === 0 && outputLeaks === 0 ? 0 : 1);
