// `gendeck plan` and `gendeck apply` as users run them: `node dist/cli.js` child processes on the in-process sandbox
// (its clock fifty times faster), one state folder, a project folder with gendeck.assets.json.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { specHash } from '../../src/core/assets/manifest';
import { REPO_ROOT } from '../support/ffmpeg';

const CLI = join(REPO_ROOT, 'dist', 'cli.js');

function cli(args: string[], env: Record<string, string>, cwd: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string; objects: Record<string, unknown>[] }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], {
        cwd,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const guard = setTimeout(() => child.kill('SIGKILL'), 90_000); // a hung child, not a timing assertion
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(guard);
        const objects = stdout
          .split('\n')
          .filter((l) => l.trim().startsWith('{'))
          .map((l) => JSON.parse(l) as Record<string, unknown>);
        resolve({ code, stdout, stderr, objects });
      });
    },
  );
}

describe('gendeck plan / apply (assets as code)', () => {
  const base = mkdtempSync(join(tmpdir(), 'gendeck-cli-assets-'));
  const cwd = join(base, 'project');
  mkdirSync(cwd);
  const env = { GENDECK_STATE_DIR: join(base, 'state'), GENDECK_SANDBOX_TIME_SCALE: '0.02' };
  writeFileSync(
    join(cwd, 'gendeck.assets.json'),
    `{
  // two clips and a profile
  "assets": [
    { "id": "intro", "out": "assets/intro.mp4", "provider": "seedancee2", "model": "mini", "prompt": "an intro", "params": { "duration": 4, "resolution": "480p" } },
    { "id": "outro", "out": "assets/outro.mp4", "provider": "seedancee2", "model": "mini", "prompt": "an outro", "params": { "duration": 4, "resolution": "480p" } },
    { "id": "profile", "out": "data/profile.json", "provider": "seekapi", "worker": "linkedin-profile", "input": { "profile_url": "https://linkedin.com/in/someone" } },
  ],
}`,
  );

  it('plans, refuses over --max-cost with nothing sent, applies, and then has nothing to do', async () => {
    const p1 = await cli(['plan', '--sandbox', '--json'], env, cwd);
    assert.equal(p1.code, 0, p1.stderr);
    assert.deepEqual(
      p1.objects.filter((o) => o.asset).map((o) => [o.asset, o.status]),
      [
        ['intro', 'missing'],
        ['outro', 'missing'],
        ['profile', 'missing'],
      ],
    );
    const refused = await cli(['apply', '--sandbox', '--max-cost', '1'], env, cwd);
    assert.equal(refused.code, 4, refused.stderr);
    assert.match(refused.stderr, /above the limit of 1.*Nothing was sent/);
    assert.ok(!existsSync(join(cwd, 'gendeck.lock.json')), 'no intent written');

    const a = await cli(['apply', '--sandbox', '--only', 'intro', '--only', 'profile'], env, cwd);
    assert.equal(a.code, 0, a.stderr);
    assert.match(a.stdout, /intro {2}made/);
    assert.ok(existsSync(join(cwd, 'assets/intro.mp4')) && !existsSync(join(cwd, 'assets/outro.mp4')));
    const lock1 = JSON.parse(readFileSync(join(cwd, 'gendeck.lock.json'), 'utf8')) as {
      assets: Record<string, { variants: { jobKey: string }[] }>;
    };
    assert.deepEqual(Object.keys(lock1.assets), ['intro', 'profile']);

    const b = await cli(['apply', '--sandbox', '--json'], env, cwd);
    assert.equal(b.code, 0, b.stderr);
    assert.deepEqual(b.objects.map((o) => [o.asset, o.outcome]).sort(), [
      ['intro', 'upToDate'],
      ['outro', 'made'],
      ['profile', 'upToDate'],
    ]);
    const lock2 = JSON.parse(readFileSync(join(cwd, 'gendeck.lock.json'), 'utf8')) as typeof lock1;
    assert.equal(lock2.assets.intro.variants[0].jobKey, lock1.assets.intro.variants[0].jobKey, 'the same job');
    const p2 = await cli(['plan', '--sandbox'], env, cwd);
    assert.equal(p2.code, 0);
    assert.match(p2.stdout, /Nothing to send/);
  });

  it('an invalid entry is exit 2 with its reason, before any request', async () => {
    const bad = join(base, 'bad');
    mkdirSync(bad);
    writeFileSync(
      join(bad, 'gendeck.assets.json'),
      '{ "assets": [{ "id": "x", "out": "x.mp4", "provider": "seedancee2", "model": "mini", "prompt": "x", "params": { "resolution": "1080p" } }] }',
    );
    const r = await cli(['plan', '--sandbox'], env, bad);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /x: 1080p is not available on mini/);
  });
  it('a request that needs attention is never sent again, until --forget says so', async () => {
    const dir = join(base, 'forget');
    mkdirSync(dir);
    const entry = {
      id: 'cut',
      out: 'data/cut.json',
      provider: 'seekapi',
      worker: 'linkedin-profile',
      input: { profile_url: 'https://linkedin.com/in/cut-off' },
    };
    writeFileSync(join(dir, 'gendeck.assets.json'), JSON.stringify({ assets: [entry] }));
    // What a crash mid-send leaves: the intent, no job.
    const lock = {
      version: 1,
      assets: {
        cut: {
          specHash: await specHash(entry, dir),
          provider: 'seekapi',
          out: entry.out,
          variants: [{ ref: 'r-1', state: 'sending' }],
          time: new Date().toISOString(),
        },
      },
    };
    writeFileSync(join(dir, 'gendeck.lock.json'), JSON.stringify(lock));
    const p = await cli(['plan', '--sandbox', '--json'], env, dir);
    assert.deepEqual(
      p.objects.filter((o) => o.asset).map((o) => [o.asset, o.status, o.toSend]),
      [['cut', 'needsAttention', 0]],
    );
    const a = await cli(['apply', '--sandbox'], env, dir);
    assert.equal(a.code, 1, a.stderr);
    assert.match(a.stdout, /cut {2}needsAttention.*not sent again/);
    assert.ok(!existsSync(join(dir, entry.out)));
    const f = await cli(['apply', '--sandbox', '--forget', 'cut'], env, dir);
    assert.equal(f.code, 0, f.stderr);
    assert.match(f.stderr, /cut: forgot 1 request/);
    assert.match(f.stdout, /cut {2}made/);
    assert.ok(JSON.parse(readFileSync(join(dir, entry.out), 'utf8')));
  });

  it('--adopt id=JOB: the asset follows the job the user found, with no new request; bad ones change nothing', async () => {
    const dir = join(base, 'adopt');
    mkdirSync(dir);
    const state = join(base, 'adopt-state');
    const env2 = { ...env, GENDECK_STATE_DIR: state };
    const entry = {
      id: 'cut',
      out: 'data/cut.json',
      provider: 'seekapi',
      worker: 'linkedin-profile',
      input: { profile_url: 'https://linkedin.com/in/adopt-me' },
    };
    writeFileSync(join(dir, 'gendeck.assets.json'), JSON.stringify({ assets: [entry] }));
    const lockFile = join(dir, 'gendeck.lock.json');
    writeFileSync(
      lockFile,
      JSON.stringify({
        version: 1,
        assets: {
          cut: {
            specHash: await specHash(entry, dir),
            provider: 'seekapi',
            out: entry.out,
            variants: [{ ref: 'r-cut', state: 'sending' }],
            time: new Date().toISOString(),
          },
        },
      }),
    );
    // The request that did reach Seek API, as its dashboard shows it; then the job list is lost (another machine).
    const run = await cli(
      ['run', 'seekapi', 'linkedin-profile', '--sandbox', '--json', '--input', JSON.stringify(entry.input)],
      env2,
      dir,
    );
    assert.equal(run.code, 0, run.stderr);
    const made = run.objects[0] as { id: string; key: string };
    rmSync(join(state, 'jobs.json'));
    const lockBefore = readFileSync(lockFile, 'utf8');
    // What the sandbox was asked to create, from its state on disk (each CLI process saves it).
    const creates = () =>
      (JSON.parse(readFileSync(join(state, 'sandbox', 'state.json'), 'utf8')) as { seekapi: { jobs: unknown[] } })
        .seekapi.jobs.length;
    assert.equal(creates(), 1);
    for (const [args, re] of [
      [['--adopt', 'cut'], /--adopt takes ASSET=JOB/],
      [['--adopt', '=job_1'], /--adopt takes ASSET=JOB/],
      [['--adopt', 'cut='], /--adopt takes ASSET=JOB/],
      [['--adopt', 'nope=job_1'], /No asset nope in the manifest/],
      [['--adopt', 'cut=seedancee2:vid_1'], /is a job of seedancee2, not of seekapi/],
      [['--adopt', 'cut=job/../1'], /not a seekapi job id/],
      [['--adopt', 'cut=job_000000000000'], /seekapi has no job job_000000000000\. Nothing was changed/],
    ] as const) {
      const r = await cli(['apply', '--sandbox', ...args], env2, dir);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re, args.join(' '));
      assert.equal(readFileSync(lockFile, 'utf8'), lockBefore, `${args.join(' ')}: the lock is unchanged`);
      assert.ok(!existsSync(join(dir, entry.out)));
    }
    assert.equal(creates(), 1, 'the refused ones created nothing');

    const a = await cli(['apply', '--sandbox', '--adopt', `cut=${made.id}`], env2, dir);
    assert.equal(a.code, 0, a.stderr);
    assert.match(a.stderr, new RegExp(`cut: follows job ${made.key}`));
    assert.match(a.stdout, /cut {2}made/);
    assert.ok(JSON.parse(readFileSync(join(dir, entry.out), 'utf8')));
    const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as {
      assets: Record<string, { outputHash?: string; variants: { ref: string; state: string; jobId?: string }[] }>;
    };
    assert.deepEqual(
      lock.assets.cut.variants.map((v) => [v.ref, v.state, v.jobId]),
      [['r-cut', 'sent', made.id]],
    );
    assert.ok(lock.assets.cut.outputHash);
    assert.equal(creates(), 1, 'the one job: adopted, none sent');
  });
});
