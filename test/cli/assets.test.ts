// `gendeck plan` and `gendeck apply` as users run them: `node dist/cli.js` child processes on the in-process sandbox
// (its clock fifty times faster), one state folder, a project folder with gendeck.assets.json.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
});
