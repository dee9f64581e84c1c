// Bundle sizes and extension activation time in the real extension host (code-server), reusing the e2e
// engineer's helpers (scripts/e2e/lib/*.mjs) read-only. Bundles: `node esbuild.mjs --production`, then
// `npx vsce package --no-dependencies`. Activation: the packaged VSIX installed into a fresh code-server,
// the workbench opened in headless Chromium, and the time read from GenDeck's own log line
// ("Activated in N ms." in the exthost …/GenDeck.log) and from VS Code's Running Extensions view.
// When the e2e toolchain is not installed, that part prints a note instead of failing the run.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { buildHelloWorld, HELLO_CHANNEL } from './lib/helloWorld.mjs';
import { zipEntries } from './lib/zipEntries.mjs';
import { zodEnglishOnly } from '../scripts/build/zod-english-only.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = join(REPO, 'bench', 'tmp', 'results');
const RUNS = Number(process.env.GENDECK_BENCH_ACTIVATIONS ?? 3);
const say = (...a) => console.log(...a);
const kb = (n) => (n / 1024).toFixed(1);

function sh(cmd, args, opts = {}) {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: REPO, encoding: 'utf8', timeout: 600_000, ...opts });
  return { ...r, ms: Date.now() - t0 };
}

function bundles(tmp) {
  const notes = [];
  const rows = [];
  const b = sh(process.execPath, ['esbuild.mjs', '--production']);
  if (b.status !== 0)
    return { rows, notes: [`node esbuild.mjs --production failed: ${(b.stderr || b.stdout).slice(-500)}`] };
  // Read the sizes straight away: a concurrent `npm test` rebuilds dist/ unminified.
  for (const f of [
    'extension.js',
    'main.js',
    'core.js',
    'undici.js',
    'cli.js',
    'sandbox.js',
    'three.js',
    'modelViewer.js',
    'webview.js',
  ]) {
    const p = join(REPO, 'dist', f);
    if (existsSync(p)) rows.push([`dist/${f}`, statSync(p).size]);
  }
  const vsix = join(tmp, 'gendeck.vsix');
  let v = sh('npx', ['vsce', 'package', '--no-dependencies', '-o', vsix]);
  if (v.status !== 0 && /baseContentUrl/.test(`${v.stderr}${v.stdout}`)) {
    // README links are relative and the repository URL is not on a known host: vsce refuses unless told a base URL.
    notes.push(
      `\`npx vsce package --no-dependencies\` refused: "${(v.stderr || v.stdout)
        .split('\n')
        .find((l) => /ERROR/.test(l))
        ?.replace(/^\s*ERROR\s*/, '')
        .trim()}" — packaged again with \`--baseContentUrl https://example.invalid --baseImagesUrl https://example.invalid\` (same contents).`,
    );
    v = sh('npx', [
      'vsce',
      'package',
      '--no-dependencies',
      '--baseContentUrl',
      'https://example.invalid',
      '--baseImagesUrl',
      'https://example.invalid',
      '-o',
      vsix,
    ]);
  }
  if (v.status !== 0 || !existsSync(vsix)) {
    notes.push(`npx vsce package failed: ${(v.stderr || v.stdout).trim().split('\n').slice(-5).join(' / ')}`);
    return { rows, notes };
  }
  const vsixBytes = statSync(vsix).size;
  rows.push(['VSIX (vsce package --no-dependencies)', vsixBytes]);
  const entries = zipEntries(vsix).sort((x, y) => y.stored - x.stored);
  const ffmpeg = entries.filter((e) => /ffmpeg|ffprobe/i.test(e.name));
  notes.push(
    `The VSIX is ${vsixBytes.toLocaleString('en')} bytes (goal ≤ 1,000,000) in ${entries.length} files; ffmpeg/ffprobe binaries inside: ${ffmpeg.length ? ffmpeg.map((e) => e.name).join(', ') : 'none'}.`,
  );
  return { rows, notes, vsix, entries };
}

/** esbuild's minified output for one entry, and its gzip size. */
async function minified(entry) {
  const r = await esbuild.build({
    ...entry,
    bundle: true,
    minify: true,
    write: false,
    logLevel: 'silent',
    platform: 'node',
    format: 'cjs',
    absWorkingDir: REPO,
    // As esbuild.mjs builds zod: with its English messages only.
    plugins: [zodEnglishOnly],
  });
  const code = r.outputFiles[0].contents;
  return { bytes: code.length, gzip: gzipSync(code).length };
}

/** The two library choices the bundle goal names, each beside its alternative built the same way in this run. */
async function libraryChoices() {
  const schema = (from) => ({
    stdin: {
      contents: `import * as z from '${from}'; export const job = z.object({ id: z.string(), n: z.optional(z.number()) });`,
      resolveDir: REPO,
      loader: 'js',
    },
  });
  return [
    {
      part: 'undici',
      ours: 'request + global dispatcher (scripts/build/undici-entry.mjs)',
      mine: await minified({ entryPoints: ['scripts/build/undici-entry.mjs'] }),
      alternative: 'the whole package (undici/index.js)',
      other: await minified({ entryPoints: ['node_modules/undici/index.js'] }),
    },
    {
      part: 'zod',
      ours: 'zod (classic), one object schema',
      mine: await minified(schema('zod')),
      alternative: 'zod/mini, the same schema',
      other: await minified(schema('zod/mini')),
    },
  ];
}

function findFiles(dir, re, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findFiles(p, re, out);
    else if (re.test(p)) out.push(p);
  }
  return out;
}

async function activation(vsix) {
  const notes = [];
  let lib;
  try {
    const paths = await import(join(REPO, 'scripts', 'e2e', 'lib', 'paths.mjs'));
    const missing = [
      ['code-server', paths.CS_ENTRY],
      ['Node 24', paths.NODE_BIN],
      ['Chromium', paths.CHROMIUM],
    ].filter(([, p]) => !existsSync(p));
    if (missing.length)
      return {
        runs: [],
        notes: [
          `The e2e toolchain is not installed (${missing.map(([n, p]) => `${n}: ${p}`).join('; ')}); run \`node scripts/e2e/install.mjs\` (or \`npm run test:e2e\`) once, then \`npm run bench -- activation\`. Activation time not measured.`,
        ],
      };
    lib = {
      cs: await import(join(REPO, 'scripts', 'e2e', 'lib', 'codeserver.mjs')),
      browser: await import(join(REPO, 'scripts', 'e2e', 'lib', 'browser.mjs')),
      wb: await import(join(REPO, 'scripts', 'e2e', 'lib', 'workbench.mjs')),
      util: await import(join(REPO, 'scripts', 'e2e', 'lib', 'util.mjs')),
    };
  } catch (err) {
    return { runs: [], notes: [`The e2e helpers could not be loaded (${err.message}); activation time not measured.`] };
  }
  const root = mkdtempSync(join(tmpdir(), 'gendeck-bench-act-'));
  const runs = [];
  let firstUse;
  let server;
  let browser;
  try {
    const dirs = lib.cs.makeDirs(root, {});
    writeFileSync(join(dirs.workspace, 'README.md'), '# bench\n');
    const inst = lib.cs.installExtension(dirs, vsix, join(root, 'install.log'));
    say(`activation  VSIX installed in ${inst.ms} ms`);
    lib.cs.installExtension(dirs, buildHelloWorld(root, REPO), join(root, 'install.log'));
    server = await lib.cs.startCodeServer(dirs, { logFile: join(root, 'code-server.log') });
    browser = await lib.browser.launchBrowser(root, { logFile: join(root, 'browser.log') });
    const wb = new lib.wb.Workbench(browser.page, server.url);
    for (let i = 0; i < RUNS; i++) {
      const seen = new Set(findFiles(join(dirs.userData, 'logs'), /GenDeck\.log$/));
      const seenHello = new Set(findFiles(join(dirs.userData, 'logs'), new RegExp(`${HELLO_CHANNEL}\\.log$`)));
      const t0 = Date.now();
      if (i === 0) await wb.open();
      else {
        await browser.page.reload({ waitUntil: 'domcontentloaded' });
        await wb.waitReady();
      }
      const line = await logLine(dirs, 'GenDeck', /Activated in ([\d.]+) ms\./, seen);
      const hello = await logLine(dirs, HELLO_CHANNEL, /Activated in ([\d.]+) ms\./, seenHello);
      const pageToActivated = Date.now() - t0;
      // VS Code's own figure: Developer: Show Running Extensions lists each extension's activation time.
      let vscodeMs;
      let helloVscodeMs;
      let vscodeText;
      try {
        await wb.runCommand('Developer: Show Running Extensions', { timeout: 15_000 });
        const rowsText = await lib.util.waitUntil(
          async () => {
            const rows = browser.page.locator('.runtime-extensions-editor .monaco-list-row');
            const n = await rows.count();
            const found = {};
            for (let r = 0; r < n; r++) {
              const t = (await rows.nth(r).innerText()).replace(/\s+/g, ' ');
              if (!/\d+\s*ms/.test(t)) continue;
              if (/GenDeck/.test(t)) found.gendeck = t;
              else if (/Hello World \(bench reference\)/.test(t)) found.hello = t;
            }
            return found.gendeck && found.hello ? found : undefined;
          },
          { timeout: 15_000, what: 'GenDeck and the hello world in Running Extensions' },
        );
        const msOf = (t) => {
          const m = /(?:Activation|activation)[^0-9]*(\d+)\s*ms/.exec(t) ?? /(\d+)\s*ms/.exec(t);
          return m ? Number(m[1]) : undefined;
        };
        vscodeText = rowsText.gendeck;
        vscodeMs = msOf(rowsText.gendeck);
        helloVscodeMs = msOf(rowsText.hello);
        await browser.page.keyboard.press('Control+W').catch(() => undefined);
      } catch (err) {
        notes.push(`Running Extensions could not be read on run ${i + 1}: ${err.message.split('\n')[0]}`);
      }
      runs.push({
        gendeckMs: line.ms,
        helloMs: hello.ms,
        vscodeMs,
        helloVscodeMs,
        pageToActivatedMs: pageToActivated,
        vscodeText,
      });
      say(
        `activation  run ${i + 1}: GenDeck says ${line.ms} ms (hello world ${hello.ms} ms); VS Code says ${vscodeMs ?? '?'} ms (hello world ${helloVscodeMs ?? '?'} ms); page load → activated ${pageToActivated} ms`,
      );
    }
    // First use: the GenDeck view shown loads GenDeck's parts (dist/main.js), which log how long that took.
    try {
      await wb.openViewContainer('GenDeck');
      firstUse = (await logLine(dirs, 'GenDeck', /Loaded in (\d+) ms\./, new Set())).ms;
      say(`activation  first use (the GenDeck view shown): GenDeck's parts loaded in ${firstUse} ms`);
    } catch (err) {
      notes.push(`The first use could not be measured: ${err.message.split('\n')[0]}`);
    }
  } catch (err) {
    notes.push(`Activation measurement failed: ${err.message.split('\n')[0]}`);
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  }
  return { runs, notes, firstUse };

  /** The last "…N ms." line of `channel`'s log in an extension host log not in `seen`. */
  function logLine(dirs, channel, re, seen) {
    return lib.util.waitUntil(
      () => {
        for (const f of findFiles(join(dirs.userData, 'logs'), new RegExp(`${channel}\\.log$`))) {
          if (seen.has(f)) continue;
          const m = re.exec(readFileSync(f, 'utf8'));
          if (m) return { file: f, ms: Number(m[1]) };
        }
        return undefined;
      },
      { timeout: 90_000, interval: 100, what: `"${re.source}" in the ${channel} log` },
    );
  }
}

const ratio = (a, b) => (typeof a === 'number' && typeof b === 'number' && b > 0 ? (a / b).toFixed(2) : 'n/a');

const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  if (!s.length) return undefined;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const tmp = mkdtempSync(join(tmpdir(), 'gendeck-bench-vsix-'));
try {
  const b = bundles(tmp);
  for (const [name, size] of b.rows) say(`bundle  ${name}: ${kb(size)} KB`);
  const choices = await libraryChoices();
  for (const c of choices)
    say(
      `bundle  ${c.part}: ${c.ours} ${kb(c.mine.bytes)} KB (${kb(c.mine.gzip)} gzip); ${c.alternative} ${kb(c.other.bytes)} KB (${kb(c.other.gzip)} gzip)`,
    );
  b.notes.forEach((n) => say(`bundle  ${n}`));
  const a = b.vsix ? await activation(b.vsix) : { runs: [], notes: ['No VSIX, so no activation run.'] };
  a.notes.forEach((n) => say(`activation  ${n}`));
  const line = (cells) => `| ${cells.join(' | ')} |`;
  const body = [
    '### Bundle sizes',
    'Built with `node esbuild.mjs --production` (minified, no source maps) and packaged with `npx vsce package --no-dependencies`; the VSIX ships no ffmpeg (it is a dev dependency only).',
    '',
    line(['File', 'KB']),
    line(['---', '---']),
    ...b.rows.map(([n, s]) => line([n, kb(s)])),
    '',
    ...b.notes.map((n) => `- ${n}`),
    '',
    ...(b.entries
      ? [
          "The VSIX's largest entries (its size is what is stored, deflated):",
          '',
          line(['Entry', 'KB', 'KB stored']),
          line(['---', '---', '---']),
          ...b.entries.slice(0, 14).map((e) => line([e.name, kb(e.size), kb(e.stored)])),
          '',
        ]
      : []),
    '#### Library choices',
    "Each part as GenDeck bundles it beside its alternative, both built here with esbuild (minified, node, cjs); gzip -9 of the output as a stand-in for the VSIX's deflate.",
    '',
    line(['Part', 'GenDeck bundles', 'KB', 'KB gzip', 'Alternative', 'KB', 'KB gzip']),
    line(['---', '---', '---', '---', '---', '---', '---']),
    ...choices.map((c) =>
      line([c.part, c.ours, kb(c.mine.bytes), kb(c.mine.gzip), c.alternative, kb(c.other.bytes), kb(c.other.gzip)]),
    ),
    '',
    '### Activation in the real extension host',
    a.runs.length
      ? `The VSIX installed into a fresh code-server (scripts/e2e/lib helpers) beside a minimal hello-world extension (bench/lib/helloWorld.mjs: one output channel and one command, also on onStartupFinished), the workbench opened in headless Chromium and reloaded ${a.runs.length - 1} times (each load starts a new extension host). "GenDeck" and "Hello world" are each extension's own \`Activated in N ms.\` log line (from \`activate()\` entry to its end, read from the exthost logs under the user-data-dir); "VS Code" is the figure Developer: Show Running Extensions shows for each; "Page → activated" is wall time from navigation to GenDeck's line appearing. GenDeck's activation is the shell of stand-ins; its parts (dist/main.js) load on first use, measured once at the end by showing the GenDeck view (\`Loaded in N ms.\`).`
      : 'Not measured on this run (see the note below).',
    '',
    ...(a.runs.length
      ? [
          line([
            'Run',
            'GenDeck (ms)',
            'Hello world (ms)',
            'VS Code: GenDeck (ms)',
            'VS Code: hello world (ms)',
            'Page → activated (ms)',
          ]),
          line(['---', '---', '---', '---', '---', '---']),
          ...a.runs.map((r, i) =>
            line([i + 1, r.gendeckMs, r.helloMs, r.vscodeMs ?? 'n/a', r.helloVscodeMs ?? 'n/a', r.pageToActivatedMs]),
          ),
          line([
            'median',
            median(a.runs.map((r) => r.gendeckMs)),
            median(a.runs.map((r) => r.helloMs)),
            median(a.runs.map((r) => r.vscodeMs)) ?? 'n/a',
            median(a.runs.map((r) => r.helloVscodeMs)) ?? 'n/a',
            median(a.runs.map((r) => r.pageToActivatedMs)),
          ]),
          '',
          `GenDeck / hello world (medians): own \`activate\` ${ratio(median(a.runs.map((r) => r.gendeckMs)), median(a.runs.map((r) => r.helloMs)))}×, VS Code's figure ${ratio(median(a.runs.map((r) => r.vscodeMs)), median(a.runs.map((r) => r.helloVscodeMs)))}× (goals: own ≤ 30 ms, ≤ 3× the hello world).`,
          a.firstUse !== undefined
            ? `First use (the GenDeck view shown): GenDeck's parts loaded in ${a.firstUse} ms (\`Loaded in N ms.\`: providers, store, scheduler, views; polling starts here, or at start-up when the job list holds jobs to follow).`
            : '',
          '',
          a.runs[0]?.vscodeText ? `Running Extensions row (run 1): \`${a.runs[0].vscodeText.slice(0, 200)}\`` : '',
        ]
      : []),
    '',
    ...a.notes.map((n) => `- ${n}`),
  ].join('\n');
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(
    join(RESULTS, '1-activation.json'),
    JSON.stringify(
      {
        id: '1-activation',
        title: 'Extension activation and bundle sizes',
        command: 'npm run bench -- activation',
        body,
        figures: {
          bundles: Object.fromEntries(b.rows),
          vsixEntries: b.entries,
          libraryChoices: choices,
          activation: a.runs,
          firstUseMs: a.firstUse,
        },
        date: new Date().toISOString(),
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
