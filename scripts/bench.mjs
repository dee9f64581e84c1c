// `npm run bench [-- name …]`: builds the benchmarks in bench/ with esbuild (into bench/tmp/build, so a
// concurrent `npm test` that clears out/ cannot pull files from under a long run), runs each in its own
// Node process, and assembles bench/results.md from their sections (bench/tmp/results/*.json) plus the
// fault-suite counts that `npm run test:faults` leaves there. Names: poller, tree, search, moments, transfer,
// activation (default: all). Prints every figure as it goes; asserts nothing about timing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { ensureCurl } from './e2e/install.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BUILD = join(REPO, 'bench', 'tmp', 'build');
const RESULTS = join(REPO, 'bench', 'tmp', 'results');
const ALL = ['poller', 'tree', 'search', 'moments', 'transfer', 'activation'];

export function machine() {
  const cpu = cpus()[0]?.model?.trim() ?? 'unknown';
  const sh = (cmd, args) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim() : undefined;
  };
  return {
    cpus: cpus().length,
    nproc: Number(sh('nproc', [])) || cpus().length,
    cpu,
    memoryGiB: +(totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    os: sh('uname', ['-srm']) ?? process.platform,
    ffmpeg: sh('ffmpeg', ['-version'])?.split('\n')[0],
    commit: sh('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD']),
  };
}

async function build() {
  rmSync(BUILD, { recursive: true, force: true });
  mkdirSync(BUILD, { recursive: true });
  const entries = readdirSync(join(REPO, 'bench')).filter((f) => f.endsWith('.bench.ts'));
  await esbuild.build({
    entryPoints: [...entries.map((f) => join(REPO, 'bench', f)), join(REPO, 'bench', 'lib', 'transferServer.ts')],
    outdir: BUILD,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
    // usearch (a native addon, the search benchmark's reference) loads from node_modules, never bundled.
    external: ['vscode', 'playwright-core', 'usearch'],
  });
  // test/support/adapters.ts finds each provider's adapter by file name next to itself at run time: give the
  // bundles (whose __dirname is BUILD) an adapters/ folder of their own, one bundle per adapter file.
  const adapters = join(REPO, 'test', 'support', 'adapters');
  await esbuild.build({
    entryPoints: readdirSync(adapters)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(adapters, f)),
    outdir: join(BUILD, 'adapters'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    external: ['vscode'],
  });
}

function run(name) {
  const t0 = Date.now();
  console.log(`\n## ${name}`);
  const mjs = join(REPO, 'bench', `${name}.bench.mjs`);
  const script = existsSync(mjs) ? mjs : join(BUILD, `${name}.bench.js`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', script], {
    cwd: REPO,
    stdio: 'inherit',
    env: { ...process.env, GENDECK_REPO: REPO },
  });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) console.log(`# ${name} FAILED (exit ${r.status ?? r.signal}) after ${secs} s`);
  else console.log(`# ${name} done in ${secs} s`);
  return r.status === 0;
}

const RESULTS_MD = join(REPO, 'bench', 'results.md');
/** The sections this script writes above the measured ones. */
const HEADER_SECTIONS = ['Machine', 'How to reproduce'];

/** One section as results.md shows it. */
export function renderSection(s) {
  return [`## ${s.title}`, '', `_${s.date} — \`${s.command}\`_`, '', s.body.trim(), ''].join('\n');
}

/** The `## ` sections of a results.md, in order: title and text (heading included, up to the next heading). */
function sectionsOf(text) {
  const out = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('## ')) out.push({ title: line.slice(3), lines: [line] });
    else out.at(-1)?.lines.push(line);
  }
  return out.map((s) => ({ title: s.title, text: `${s.lines.join('\n').replace(/\n+$/, '')}\n` }));
}

/** `text` with the section `title` replaced by `block` in place, or with `block` added at the end. */
export function spliceSection(text, title, block) {
  const lines = text.split('\n');
  const start = lines.indexOf(`## ${title}`);
  const own = block.replace(/\n+$/, '').split('\n');
  if (start < 0) return `${text.replace(/\n+$/, '')}\n\n${own.join('\n')}\n`;
  let end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  if (end < 0) end = lines.length;
  const rest = lines.slice(end);
  return [...lines.slice(0, start), ...own, ...(rest.length ? ['', ...rest] : [''])].join('\n');
}

/** Replaces one section of bench/results.md (or adds it), leaving every other section as it is. */
export function updateSection(s) {
  const text = existsSync(RESULTS_MD) ? readFileSync(RESULTS_MD, 'utf8') : '';
  writeFileSync(RESULTS_MD, spliceSection(text, s.title, renderSection(s)));
}

/**
 * bench/results.md: a fresh header (machine, how to reproduce), the sections already in the file, and every
 * section on disk (this run's and earlier ones, each with its own date) in place of its older copy. A section
 * whose run left nothing in bench/tmp (a fresh checkout, another machine) is kept as it was.
 */
export function assemble() {
  mkdirSync(RESULTS, { recursive: true });
  const sections = readdirSync(RESULTS)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(RESULTS, f), 'utf8')));
  const kept = existsSync(RESULTS_MD)
    ? sectionsOf(readFileSync(RESULTS_MD, 'utf8')).filter((s) => !HEADER_SECTIONS.includes(s.title))
    : [];
  const m = machine();
  const lines = [
    '# GenDeck benchmarks and fault-injection counts',
    '',
    'Produced by `npm run bench` (benchmarks) and `npm run test:faults` (fault counts); re-run either to refresh its sections. Each section names its own date and the exact command.',
    '',
    '## Machine',
    '',
    `- CPU: ${m.cpu} — ${m.nproc} cores (nproc)`,
    `- Memory: ${m.memoryGiB} GiB`,
    `- Node: ${m.node}; OS: ${m.os}`,
    `- ffmpeg: ${m.ffmpeg ?? 'not on PATH'}`,
    `- Commit: ${m.commit ?? 'unknown'} (plus any uncommitted work in the tree at the time)`,
    `- Shared machine: other engineers' builds and test runs were going on during these runs (1-minute load average when this file was written: ${loadavg()[0].toFixed(1)} on ${m.nproc} cores), so timings are pessimistic; counts (requests, bytes, RSS growth) do not depend on load.`,
    '',
    '## How to reproduce',
    '',
    '```sh',
    'npm ci',
    'npm run bench                 # every benchmark (about 10 minutes; the 1 GB transfers need ~2 GB free in the temp dir)',
    'npm run bench -- poller tree  # some of them',
    'npm run test:faults           # the fault-injection suite, fast and slow parts; writes the counts below',
    '```',
    '',
    'Knobs (environment): `GENDECK_BENCH_TRANSFER_MB` (default 1024), `GENDECK_BENCH_TREE_JOBS` (5000), `GENDECK_BENCH_ACTIVE_JOBS` (1000), `GENDECK_BENCH_SEARCH_MAX` (100000), `GENDECK_E2E_CACHE` (where the e2e toolchain is cached).',
    '',
  ];
  let text = lines.join('\n');
  for (const s of kept) text = spliceSection(text, s.title, s.text);
  for (const s of sections) text = spliceSection(text, s.title, renderSection(s));
  writeFileSync(RESULTS_MD, text);
  console.log(
    `\nWrote ${join('bench', 'results.md')} (${sections.length} sections from bench/tmp/results, ${kept.length} in the file before).`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = asked.filter((a) => !ALL.includes(a));
  if (unknown.length) {
    console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Choose from: ${ALL.join(', ')}.`);
    process.exit(2);
  }
  const names = asked.length ? asked : ALL;
  const m = machine();
  console.log(`# ${m.cpu}, ${m.nproc} cores, ${m.memoryGiB} GiB, node ${m.node}`);
  if (names.includes('transfer')) {
    // The transfer benchmark's reference; without it that benchmark still runs and says there is no ratio.
    try {
      ensureCurl();
    } catch (e) {
      console.log(`# curl could not be installed (${e.message}): the transfer benchmark has no reference this run`);
    }
  }
  await build();
  const failed = names.filter((n) => !run(n));
  assemble();
  if (failed.length) {
    console.log(`# failed: ${failed.join(', ')}`);
    process.exit(1);
  }
}
