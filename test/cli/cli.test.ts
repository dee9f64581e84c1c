// The CLI as its users run it: `node dist/cli.js …` as child processes, each group with its own state folder. Most
// run against the in-process sandbox (--sandbox, its clock fifty times faster); the real-mode group points the base
// URLs at a standalone sandbox that takes `sk_test_…` keys, to check keys, exit codes and that nothing is sent early.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../src/sandbox/server';
import { makeVideo, REPO_ROOT, testTools } from '../support/ffmpeg';
import { createTestSandbox, MEDIA_DIR } from '../support/sandbox';

const CLI = join(REPO_ROOT, 'dist', 'cli.js');
const SCALE = '0.02';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The child's whole command line. */
  argv: string[];
  /** stdout's lines, each parsed as JSON. */
  objects: Record<string, unknown>[];
}

/** A fresh folder for one group: its state folder and its working folder. */
function group(): { state: string; cwd: string } {
  const base = mkdtempSync(join(tmpdir(), 'gendeck-cli-'));
  mkdirSync(join(base, 'cwd'));
  return { state: join(base, 'state'), cwd: join(base, 'cwd') };
}

/** Runs the CLI with only the environment given (no key of the machine running the tests leaks in). */
function cli(args: string[], env: Record<string, string | undefined>, cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, SYSTEMROOT: process.env.SYSTEMROOT, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // A guard against a hung child, not a timing assertion.
    const guard = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      const objects = stdout
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => {
          try {
            return JSON.parse(l) as Record<string, unknown>;
          } catch {
            return { unparsed: l };
          }
        });
      resolve({ code, stdout, stderr, argv: child.spawnargs, objects });
    });
  });
}

/** The CLI against the in-process sandbox of one state folder. */
function sandboxCli(g: { state: string; cwd: string }, scale = SCALE) {
  return (...args: string[]) =>
    cli([...args, '--sandbox'], { GENDECK_STATE_DIR: g.state, GENDECK_SANDBOX_TIME_SCALE: scale }, g.cwd);
}

/** Each group's steps run in order (subtests would inherit the top level's concurrency). */
const inOrder = { concurrency: 1 };

const said = (r: Run) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
const JOB_FIELDS = [
  'key',
  'provider',
  'id',
  'title',
  'kind',
  'status',
  'sandbox',
  'cost',
  'createdAt',
  'outputs',
  'error',
] as const;

interface JobJson {
  key: string;
  provider: string;
  id: string;
  status: string;
  outputs: Record<string, unknown>[];
  [field: string]: unknown;
}

/** The one JSON object a --json job command prints, checked for the documented shape. */
function oneJob(r: Run): JobJson {
  assert.equal(r.objects.length, 1, said(r));
  const job = r.objects[0] as JobJson;
  for (const f of JOB_FIELDS) assert.ok(f in job, `${f} missing: ${r.stdout}`);
  assert.match(String(job.key), new RegExp(`^${job.provider}:`));
  return job;
}

/** Every output downloaded into one job folder below `out`, with its gendeck.json naming the job. */
function assertDownloaded(job: JobJson, out: string): void {
  assert.ok(job.outputs.length > 0);
  for (const o of job.outputs) {
    assert.ok(typeof o.path === 'string' && o.path.startsWith(out), JSON.stringify(o));
    assert.ok(existsSync(o.path as string), `${o.path} exists`);
  }
  const folder = join(out, readdirSync(out)[0]);
  const sidecar = JSON.parse(readFileSync(join(folder, 'gendeck.json'), 'utf8'));
  assert.equal(sidecar.jobId, job.id);
  assert.equal(sidecar.provider, job.provider);
  assert.equal(sidecar.outputs.length, job.outputs.length);
}

describe('gendeck CLI (child processes)', { concurrency: 3 }, () => {
  describe('help and usage', inOrder, () => {
    const g = group();
    const run = (...args: string[]) => cli(args, { GENDECK_STATE_DIR: g.state }, g.cwd);
    it('--help lists every command; each command has its own --help', async () => {
      const top = await run('--help');
      assert.equal(top.code, 0, said(top));
      const listed = top.stdout.split('Commands:\n')[1].split('\n\n')[0];
      const commands = [...listed.matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1]).filter((c) => c !== 'mcp');
      assert.deepEqual(commands, [
        'providers',
        'models',
        'tools',
        'workers',
        'run',
        'jobs',
        'status',
        'wait',
        'cancel',
        'download',
        'index',
        'search',
        'plan',
        'apply',
      ]);
      assert.match(top.stdout, /Exit codes: 0 done, 1 the job failed/);
      const helps = await Promise.all(commands.map((c) => run(c, '--help')));
      helps.forEach((h, i) => {
        assert.equal(h.code, 0, said(h));
        assert.match(h.stdout, new RegExp(`^Usage: gendeck ${commands[i]}\\b`));
      });
    });
    it('no command, an unknown command or option, or a key-like option: exit 2 with nothing leaked', async () => {
      const none = await run();
      assert.equal(none.code, 2);
      assert.match(none.stderr, /Usage: gendeck <command>/);
      assert.equal((await run('frobnicate')).code, 2);
      const key = `sk_live_${randomBytes(12).toString('hex')}`;
      const r = await run('run', 'seedancee2', '--prompt', 'x', `--api-key=${key}`);
      assert.equal(r.code, 2, said(r));
      assert.match(r.stderr, /Keys are read from the environment only/);
      assert.ok(!r.stderr.includes(key) && !r.stdout.includes(key));
    });
  });

  describe('discovery with live data (sandbox)', inOrder, () => {
    const run = sandboxCli(group());
    it('providers: five, with the key variable and whether it is set', async () => {
      const r = await run('providers', '--json');
      assert.equal(r.code, 0, said(r));
      assert.deepEqual(
        r.objects.map((p) => [p.id, p.envKey, p.run]),
        [
          ['seele', 'SEELE_API_KEY', 'prompt'],
          ['seedancee2', 'SEEDANCEE2_API_KEY', 'prompt'],
          ['seisoai', 'SEISOAI_API_KEY', 'tool'],
          ['seekapi', 'SEEKAPI_KEY', 'worker'],
          ['seeknetic', 'SEEKNETIC_API_KEY', null],
        ],
      );
      assert.ok(r.objects.every((p) => p.keySet === false && String(p.baseUrl).startsWith('http://127.0.0.1:')));
    });
    it('models seedancee2, tools seisoai --category, one tool, workers seekapi --filter, one worker', async () => {
      const models = await run('models', 'seedancee2', '--json');
      assert.equal(models.code, 0, said(models));
      assert.deepEqual(models.objects.find((m) => m.id === 'mini')?.rates, { '480p': 5, '720p': 10 });
      const video = await run('tools', 'seisoai', '--category', 'video', '--json');
      assert.equal(video.code, 0, said(video));
      assert.ok(video.objects.length >= 2 && video.objects.every((t) => t.category === 'video'), video.stdout);
      const tool = await run('tools', 'seisoai', 'image.generate.flux-2', '--json');
      assert.equal(tool.code, 0, said(tool));
      assert.deepEqual((tool.objects[0].inputSchema as { required: string[] }).required, ['prompt']);
      const workers = await run('workers', 'seekapi', '--filter', 'sentiment', '--json');
      assert.equal(workers.code, 0, said(workers));
      assert.deepEqual(
        workers.objects.map((w) => w.id),
        ['sentiment-analysis'],
      );
      const worker = await run('workers', 'seekapi', 'sentiment-analysis');
      assert.equal(worker.code, 0, said(worker));
      assert.match(worker.stdout, /"texts"/);
      const human = await run('tools', 'seisoai');
      assert.match(human.stdout, /^video$/m);
      assert.match(human.stdout, /image\.generate\.flux-2 +FLUX\.2 text to image +\$0\.03/);
    });
    it('bad listing arguments: exit 2', async () => {
      assert.equal((await run('tools', 'seisoai', '--category', 'nope')).code, 2);
      const unknownTool = await run('tools', 'seisoai', 'no.such.tool');
      assert.equal(unknownTool.code, 2, said(unknownTool));
    });
  });

  describe('run, one per launcher, with --wait --out --json (sandbox)', inOrder, () => {
    const g = group();
    const run = sandboxCli(g);
    it('seedancee2 with a reference image: succeeded, files and gendeck.json in --out', async () => {
      const out = join(g.cwd, 'out-seedancee2');
      const r = await run(
        'run',
        'seedancee2',
        '--prompt',
        'a red paper boat',
        '--duration',
        '4',
        '--image',
        join(MEDIA_DIR, 'sample.png'),
        '--out',
        out,
        '--json',
      );
      assert.equal(r.code, 0, said(r));
      const job = oneJob(r);
      assert.equal(job.status, 'succeeded');
      assert.deepEqual(job.estimate, { amount: 40, unit: 'credits', estimated: true });
      assert.deepEqual(job.cost, { amount: 40, unit: 'credits', estimated: false });
      assert.match(r.stderr, /Seedancee2 · mini · 4 s · 720p: ~40 credits \(estimate\)/);
      assertDownloaded(job, out);
    });
    it('seele with an uploaded file: the game and its artifacts', async () => {
      const out = join(g.cwd, 'out-seele');
      const r = await run(
        'run',
        'seele',
        '--prompt',
        'a tiny maze',
        '--file',
        join(MEDIA_DIR, 'sample.png'),
        '--out',
        out,
        '--json',
      );
      assert.equal(r.code, 0, said(r));
      const job = oneJob(r);
      assert.equal(job.status, 'succeeded');
      assert.equal(job.estimate, null, 'Seele states no cost before a game finishes');
      assert.deepEqual(job.outputs.map((o) => o.kind).sort(), ['archive', 'html']);
      assertDownloaded(job, out);
    });
    it('seisoai: a sync tool from --input, a queue tool from --input-file', async () => {
      const out = join(g.cwd, 'out-seisoai');
      const sync = await run(
        'run',
        'seisoai',
        'image.generate.flux-2',
        '--input',
        '{"prompt":"a red boat"}',
        '--out',
        out,
        '--json',
      );
      assert.equal(sync.code, 0, said(sync));
      const job = oneJob(sync);
      assert.equal(job.status, 'succeeded');
      assertDownloaded(job, out);
      const file = join(g.cwd, 'veo.json');
      writeFileSync(file, JSON.stringify({ prompt: 'waves' }));
      const queued = await run('run', 'seisoai', 'video.generate.veo3', '--input-file', file, '--wait', '--json');
      assert.equal(queued.code, 0, said(queued));
      assert.equal(oneJob(queued).status, 'succeeded');
      assert.equal(oneJob(queued).outputs[0].kind, 'video');
    });
    it('seekapi: a worker to completed, its result downloaded', async () => {
      const out = join(g.cwd, 'out-seekapi');
      const r = await run(
        'run',
        'seekapi',
        'sentiment-analysis',
        '--input',
        '{"texts":["good","bad"]}',
        '--out',
        out,
        '--json',
      );
      assert.equal(r.code, 0, said(r));
      const job = oneJob(r);
      assert.equal(job.status, 'succeeded');
      assert.deepEqual(job.estimate, { amount: 2, unit: 'credits', estimated: true });
      assertDownloaded(job, out);
      const result = JSON.parse(readFileSync(job.outputs[0].path as string, 'utf8'));
      assert.equal(result.results[0].label, 'positive');
    });
    it('a job that fails: exit 1, the error in the JSON', async () => {
      const r = await run('run', 'seedancee2', '--prompt', 'a boat [fail]', '--wait', '--json');
      assert.equal(r.code, 1, said(r));
      const job = oneJob(r);
      assert.equal(job.status, 'failed');
      assert.ok((job.error as { message?: string }).message);
    });
  });

  describe('refusals before anything is sent (sandbox)', inOrder, () => {
    const g = group();
    const run = sandboxCli(g);
    it('bad input exits 2: a resolution the model lacks, broken --input, a field the tool does not take', async () => {
      const res = await run('run', 'seedancee2', '--prompt', 'x', '--resolution', '1080p', '--model', 'mini', '--json');
      assert.equal(res.code, 2, said(res));
      assert.match(res.stderr, /1080p is not available on mini/);
      assert.equal((res.objects[0].error as { exit: number }).exit, 2);
      assert.equal((await run('run', 'seisoai', 'image.generate.flux-2', '--input', '{nope')).code, 2);
      assert.equal(
        (await run('run', 'seisoai', 'image.generate.flux-2', '--input', '{"prompt":"x","wings":3}')).code,
        2,
      );
      assert.equal((await run('run', 'seedancee2', '--prompt', 'x', '--engine', 'unity')).code, 2);
    });
    it('--max-cost: exit 4 when the estimate is higher or unknown', async () => {
      const high = await run('run', 'seedancee2', '--prompt', 'x', '--max-cost', '10', '--json');
      assert.equal(high.code, 4, said(high));
      assert.match(high.stderr, /Nothing sent: .* ~50 credits \(estimate\), above --max-cost 10/);
      const unknown = await run('run', 'seele', '--prompt', 'x', '--max-cost', '1000');
      assert.equal(unknown.code, 4, said(unknown));
      assert.match(unknown.stderr, /needs an estimate/);
    });
    it('x402 in the sandbox: paid within --max-usd (receipt written), refused above it', async () => {
      const input = ['--input', '{"prompt":"a red boat"}'];
      const receipts = join(g.state, 'x402-receipts-sandbox.jsonl');
      const over = await run('run', 'seisoai', 'image.generate.flux-2', ...input, '--pay-x402', '--max-usd', '0.01');
      assert.equal(over.code, 4, said(over));
      assert.ok(!existsSync(receipts), 'nothing paid');
      assert.equal((await run('run', 'seisoai', 'image.generate.flux-2', ...input, '--pay-x402')).code, 2);
      const paid = await run(
        'run',
        'seisoai',
        'image.generate.flux-2',
        ...input,
        '--pay-x402',
        '--max-usd',
        '0.05',
        '--json',
      );
      assert.equal(paid.code, 0, said(paid));
      assert.deepEqual(oneJob(paid).cost, { amount: 0.03, unit: 'USDC' });
      assert.match(paid.stderr, /x402: paying 0\.03 USDC to 0x[0-9a-fA-F]{40} on Base Sepolia/);
      const lines = readFileSync(receipts, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      assert.deepEqual(
        lines.map((l) => [l.status, l.amountUsdc, l.toolId]),
        [['settled', '0.03', 'image.generate.flux-2']],
      );
    });
    it('none of the refused runs became a job', async () => {
      const jobs = await run('jobs', '--json');
      assert.equal(jobs.code, 0, said(jobs));
      assert.deepEqual(
        jobs.objects.map((j) => j.kind),
        ['tool:image.generate.flux-2'],
        'only the paid x402 run',
      );
    });
  });

  describe('jobs across invocations: jobs, status, wait, download, cancel (sandbox state kept)', inOrder, () => {
    const g = group();
    const run = sandboxCli(g);
    it('a job started in one process is listed, read, waited for and downloaded by later ones', async () => {
      const started = await run('run', 'seedancee2', '--prompt', 'a blue sky', '--json');
      assert.equal(started.code, 0, said(started));
      const { key, id } = oneJob(started);
      const listed = await run('jobs', '--json');
      assert.deepEqual(
        listed.objects.map((j) => j.key),
        [key],
      );
      const status = await run('status', id.slice(0, 10), '--json');
      assert.equal(status.code, 0, said(status));
      assert.equal(oneJob(status).key, key);
      const out = join(g.cwd, 'later');
      const waited = await run('wait', key, '--out', out, '--json');
      assert.equal(waited.code, 0, said(waited));
      assert.equal(oneJob(waited).status, 'succeeded');
      assertDownloaded(oneJob(waited), out);
      const again = await run('download', key, '--out', out);
      assert.equal(again.code, 0, said(again));
      assert.match(again.stderr, /already in .*: 2 file\(s\), unchanged/);
      assert.match(again.stdout, new RegExp(`^${key} +succeeded +50 credits`, 'm'));
      const real = await cli(['status', key], { GENDECK_STATE_DIR: g.state }, g.cwd);
      assert.equal(real.code, 2, said(real));
      assert.match(real.stderr, /It is a sandbox job: add --sandbox/);
      const noCancel = await run('cancel', key);
      assert.equal(noCancel.code, 2, said(noCancel));
      assert.match(noCancel.stderr, /Seedancee2 has no cancel/);
    });
    it('waiting for a job that fails in another process: exit 1', async () => {
      const started = await run('run', 'seedancee2', '--prompt', 'rain [fail]', '--json');
      const waited = await run('wait', oneJob(started).key, '--json');
      assert.equal(waited.code, 1, said(waited));
      assert.equal(oneJob(waited).status, 'failed');
    });
  });

  describe('cancel a queued Seek API job from another process (sandbox at real speed)', inOrder, () => {
    // At scale 1 a [hold] job stays queued for a minute, far longer than two CLI runs take.
    const run = sandboxCli(group(), '1');
    it('cancels it, and the list says so', async () => {
      const started = await run(
        'run',
        'seekapi',
        'sentiment-analysis',
        '--input',
        '{"texts":["[hold] fine"]}',
        '--json',
      );
      assert.equal(started.code, 0, said(started));
      const { key, status } = oneJob(started);
      assert.equal(status, 'queued');
      const waited = await run('wait', key, '--timeout', '1', '--json');
      assert.equal(waited.code, 6, said(waited));
      assert.equal(oneJob(waited).status, 'queued');
      assert.match(waited.stderr, new RegExp(`${key} is still queued after 1 s; it goes on \\(gendeck wait ${key}\\)`));
      assert.equal((await run('wait', key, '--timeout', '0')).code, 2, '--timeout takes at least 1 s');
      const cancelled = await run('cancel', key, '--json');
      assert.equal(cancelled.code, 0, said(cancelled));
      assert.equal(oneJob(cancelled).status, 'canceled');
      const listed = await run('jobs', '--json');
      assert.equal(listed.objects[0].status, 'canceled');
      assert.equal((await run('cancel', key)).code, 2, 'an ended job cannot be cancelled');
    });
    it('run --timeout waits that long, then prints the job still queued: exit 6', async () => {
      const r = await run(
        'run',
        'seekapi',
        'sentiment-analysis',
        '--input',
        '{"texts":["[hold] later"]}',
        '--timeout',
        '1',
        '--json',
      );
      assert.equal(r.code, 6, said(r));
      const { key, status } = oneJob(r);
      assert.equal(status, 'queued');
      assert.equal((await run('cancel', key)).code, 0);
    });
  });

  describe('real mode: keys from the environment only, against a standalone emulator', inOrder, () => {
    let sandbox: Sandbox;
    const g = group();
    const key = `sk_test_${randomBytes(16).toString('hex')}`;
    let base: Record<string, string>;
    let closedPort: number;
    const posts = () =>
      [...sandbox.requests].filter(([k]) => k.startsWith('POST /seedancee2')).reduce((n, [, v]) => n + v, 0);
    const real = (env: Record<string, string | undefined>, ...args: string[]) =>
      cli(args, { GENDECK_STATE_DIR: g.state, ...base, ...env }, g.cwd);
    before(async () => {
      sandbox = createTestSandbox({ mediaDir: MEDIA_DIR, timeScale: 0.02, acceptTestKeys: true }).sandbox;
      await sandbox.start();
      base = Object.fromEntries(
        ['seele', 'seedancee2', 'seisoai', 'seekapi', 'seeknetic'].map((id) => [
          `GENDECK_${id.toUpperCase()}_BASE_URL`,
          sandbox.baseUrl(id),
        ]),
      );
      const server = createServer();
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      closedPort = (server.address() as { port: number }).port;
      await new Promise((r) => server.close(r));
    });
    after(() => sandbox.stop());

    it('runs with the key from the environment; the key is in no argument, output or stored job', async () => {
      const r = await real(
        { SEEDANCEE2_API_KEY: key },
        'run',
        'seedancee2',
        '--prompt',
        'a kite',
        '--max-cost',
        '50',
        '--wait',
        '--json',
        '--verbose',
      );
      assert.equal(r.code, 0, said(r));
      assert.equal(oneJob(r).status, 'succeeded');
      assert.equal(oneJob(r).sandbox, false);
      assert.ok(!r.argv.some((a) => a.includes(key)), 'not in argv');
      assert.ok(!r.stdout.includes(key) && !r.stderr.includes(key), 'not in the output');
      assert.ok(!readFileSync(join(g.state, 'jobs.json'), 'utf8').includes(key), 'not in the job store');
      const listed = await real({ SEEDANCEE2_API_KEY: key }, 'jobs', '--json');
      assert.equal(listed.objects.length, 1, 'real jobs are listed without --sandbox');
    });
    it('no consent, an estimate over --max-cost or over the daily budget: exit 4, no POST sent', async () => {
      const sent = posts();
      const noConsent = await real({ SEEDANCEE2_API_KEY: key }, 'run', 'seedancee2', '--prompt', 'x');
      assert.equal(noConsent.code, 4, said(noConsent));
      assert.match(noConsent.stderr, /--max-cost N .* or --yes/);
      assert.equal(
        (await real({ SEEDANCEE2_API_KEY: key }, 'run', 'seedancee2', '--prompt', 'x', '--max-cost', '49')).code,
        4,
      );
      const budget = await real(
        { SEEDANCEE2_API_KEY: key, GENDECK_SEEDANCEE2_DAILY_BUDGET: '60' },
        'run',
        'seedancee2',
        '--prompt',
        'x',
        '--yes',
      );
      assert.equal(budget.code, 4, said(budget));
      assert.match(budget.stderr, /daily budget.*GENDECK_SEEDANCEE2_DAILY_BUDGET/);
      assert.equal(posts(), sent, 'nothing was created');
    });
    it('no key: exit 3 naming the variable; a refused key: exit 3, not echoed', async () => {
      const none = await real({}, 'run', 'seedancee2', '--prompt', 'x', '--max-cost', '100');
      assert.equal(none.code, 3, said(none));
      assert.match(none.stderr, /set SEEDANCEE2_API_KEY in the environment/);
      assert.equal((await real({}, 'models', 'seedancee2')).code, 3);
      const wrong = `refused-${randomBytes(8).toString('hex')}`;
      const refused = await real({ SEEDANCEE2_API_KEY: wrong }, 'models', 'seedancee2');
      assert.equal(refused.code, 3, said(refused));
      assert.match(refused.stderr, /401.*Check SEEDANCEE2_API_KEY/);
      assert.ok(!refused.stderr.includes(wrong) && !refused.stdout.includes(wrong));
    });
    it('an unreachable provider: exit 5', async () => {
      const r = await real(
        { SEEDANCEE2_API_KEY: key, GENDECK_SEEDANCEE2_BASE_URL: `http://127.0.0.1:${closedPort}` },
        'run',
        'seedancee2',
        '--prompt',
        'x',
        '--max-cost',
        '100',
      );
      assert.equal(r.code, 5, said(r));
      assert.match(r.stderr, /Could not reach Seedancee2/);
    });
    it('x402 outside the sandbox needs SEISOAI_WALLET_KEY: exit 3', async () => {
      const r = await real(
        {},
        'run',
        'seisoai',
        'image.generate.flux-2',
        '--input',
        '{"prompt":"x"}',
        '--pay-x402',
        '--max-usd',
        '1',
      );
      assert.equal(r.code, 3, said(r));
      assert.match(r.stderr, /SEISOAI_WALLET_KEY/);
    });
  });

  describe('index and search a folder of videos (sandbox, ffmpeg as the CLI finds it)', inOrder, () => {
    const g = group();
    const run = sandboxCli(g);
    const videos = join(g.cwd, 'videos');
    const ffmpegEnv = process.env.GENDECK_FFMPEG_PATH;
    const index = (...args: string[]) =>
      cli(
        ['index', ...args],
        { GENDECK_STATE_DIR: g.state, GENDECK_SANDBOX_TIME_SCALE: SCALE, GENDECK_FFMPEG: ffmpegEnv },
        g.cwd,
      );
    before(async () => {
      const tools = await testTools(); // no ffmpeg anywhere → this group fails
      mkdirSync(join(videos, 'sub'), { recursive: true });
      mkdirSync(join(videos, 'node_modules'));
      copyFileSync(join(MEDIA_DIR, 'sample.mp4'), join(videos, 'sample.mp4'));
      copyFileSync(join(MEDIA_DIR, 'sample.mp4'), join(videos, 'node_modules', 'skipped.mp4'));
      await Promise.all([
        makeVideo(tools, join(videos, 'red.mp4'), { colours: ['0xE01010', '0xD02020'], segment: 1 }),
        makeVideo(tools, join(videos, 'sub', 'blue.mp4'), { colours: ['0x1010E0', '0x2020C0'], segment: 1 }),
      ]);
    });
    it('indexes the videos (not node_modules), then finds the red one first; a second run skips them', async () => {
      const first = await index(videos, '--sandbox', '--json');
      assert.equal(first.code, 0, said(first));
      assert.equal(first.objects[0].embedded, 3);
      assert.equal(first.objects[0].videos, 3);
      assert.ok(String(first.objects[0].index).startsWith(join(g.state, 'search', 'sandbox')));
      assert.ok(!readdirSync(videos).includes('manifest.json'), 'nothing written into the folder');
      const again = await index(videos, '--sandbox', '--json');
      assert.equal(again.objects[0].unchanged, 3, said(again));
      const hits = await run('search', 'a red clip', videos, '--json');
      assert.equal(hits.code, 0, said(hits));
      assert.deepEqual(hits.objects.map((h) => h.rel).sort(), ['red.mp4', 'sample.mp4', 'sub/blue.mp4']);
      assert.equal(hits.objects[0].rel, 'red.mp4');
      assert.ok(existsSync(String(hits.objects[0].thumbnail)));
      const one = await run('search', 'a red clip', videos, '--limit', '1');
      assert.match(one.stdout.trim(), /^\d\.\d{3} +videos\/red\.mp4 +2\.0 s/);
    });
    it('a folder with no index, no key outside the sandbox, or a wrong GENDECK_FFMPEG: exit 2 or 3', async () => {
      const empty = await run('search', 'x', g.cwd);
      assert.equal(empty.code, 2, said(empty));
      assert.match(empty.stderr, /no sandbox index yet: run gendeck index/);
      const noKey = await cli(['index', videos], { GENDECK_STATE_DIR: g.state }, g.cwd);
      assert.equal(noKey.code, 3, said(noKey));
      const wrong = await cli(
        ['index', videos, '--sandbox'],
        { GENDECK_STATE_DIR: g.state, GENDECK_FFMPEG: join(g.cwd, 'no-ffmpeg-here') },
        g.cwd,
      );
      assert.equal(wrong.code, 2, said(wrong));
      assert.match(wrong.stderr, /"GENDECK_FFMPEG" is set to/);
    });
  });
});
