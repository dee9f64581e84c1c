// The job list several processes share (the editor's windows, the CLI, the MCP server): real files, real child
// processes writing at once, the lock, the merge, reload and watch.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { newJob, type Job } from '../../src/core/jobs/job';
import { JobStore } from '../../src/core/jobs/store';
import { startWriter } from '../support/storeProcess';

const dir = () => mkdtempSync(join(tmpdir(), 'gendeck-shared-'));
const job = (id: string, at = new Date()) =>
  newJob({ provider: 'seedancee2', id, title: `Job ${id}`, kind: 'video', status: 'running' }, at);
/** A store on `file`; `saveDelayMs` long when a test orders the writes itself with flush(). */
const open = async (file: string, saveDelayMs = 1) => {
  const s = new JobStore(file, undefined, { saveDelayMs });
  await s.load();
  return s;
};
const onFile = (file: string): Job[] => (JSON.parse(readFileSync(file, 'utf8')) as { jobs: Job[] }).jobs;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const leftovers = (file: string) =>
  readdirSync(join(file, '..')).filter((n) => n.includes('.tmp-') || n.endsWith('.lock') || n.includes('.stale-'));

/** The shared job both writers patch, on disk before they start. */
async function withShared(file: string): Promise<void> {
  const s = await open(file);
  s.upsert(job('shared', new Date(0)));
  await s.flush();
}

describe('JobStore shared by several processes', () => {
  it('two stores on one file in one process, writing at once: every job kept, the file whole', async () => {
    const file = join(dir(), 'jobs.json');
    const a = await open(file);
    const b = await open(file);
    const run = async (s: JobStore, name: string) => {
      for (let i = 0; i < 50; i++) {
        s.upsert(job(`${name}-${i}`));
        if (i % 3 === 0) s.patch(`seedancee2:${name}-${Math.floor(i / 2)}`, { progress: `step ${i}` });
        await s.flush();
      }
    };
    await Promise.all([run(a, 'a'), run(b, 'b')]);
    await a.reload();
    await b.reload();
    for (const s of [a, b, await open(file)]) assert.equal(s.all().length, 100);
    assert.equal(onFile(file).length, 100);
    assert.equal(b.get('seedancee2:a-24')?.progress, 'step 48', "one store's patch is the other's");
    assert.deepEqual(leftovers(file), [], 'no temp file or lock left');
  });

  it('two child processes writing 2 × 50 jobs at once, both patching one job: all kept, that job converges on the last updatedAt', async () => {
    const file = join(dir(), 'jobs.json');
    await withShared(file);
    const writers = [startWriter(file, 'p', 50), startWriter(file, 'q', 50)];
    await Promise.all(writers.map((w) => w.until((l) => !!l.done)));
    for (const w of writers) w.proc.stdin!.write('reload\n');
    const finals = await Promise.all(writers.map((w) => w.until((l) => 'final' in l)));
    await Promise.all(writers.map((w) => w.exited));

    const fresh = await open(file);
    const report = await new JobStore(file).load();
    assert.equal(report.corruptBackup, undefined);
    assert.equal(fresh.all().length, 101);
    for (const w of writers) {
      assert.equal(w.saved().length, 50);
      for (const key of w.saved()) assert.ok(fresh.get(key), `${key} kept`);
    }
    const patches = writers.flatMap((w) => w.lines.filter((l) => l.patched));
    assert.equal(patches.length, 50);
    const last = patches
      .map((p) => p.patched!)
      .sort()
      .at(-1)!;
    const shared = fresh.get('seedancee2:shared')!;
    assert.equal(shared.updatedAt, last, 'the newest patch won');
    assert.ok(
      patches.some((p) => p.patched === last && p.progress === shared.progress),
      'and it is that patch',
    );
    for (const f of finals) assert.deepEqual(f.final, JSON.parse(JSON.stringify(shared)), 'both processes agree');
    assert.deepEqual(leftovers(file), []);
  });

  it("reload() and watch() bring in another process's jobs and name them on onDidChange", async () => {
    const file = join(dir(), 'jobs.json');
    const a = await open(file);
    const b = await open(file);
    const seen = new Set<string>();
    a.onDidChange((keys) => keys.forEach((k) => seen.add(k)));
    b.upsert(job('from-b'));
    await b.flush();
    assert.deepEqual(await a.reload(), ['seedancee2:from-b']);
    assert.ok(a.get('seedancee2:from-b') && seen.has('seedancee2:from-b'));
    assert.deepEqual(await a.reload(), [], 'nothing new: nothing emitted');

    const watching = a.watch({ debounceMs: 20 });
    try {
      const w = startWriter(file, 'w', 3);
      await w.until((l) => !!l.done);
      w.proc.stdin!.end('\n');
      await w.exited;
      const deadline = Date.now() + 5000;
      while (!['w-0', 'w-1', 'w-2'].every((id) => a.get(`seedancee2:${id}`)) && Date.now() < deadline) await sleep(20);
      for (const id of ['w-0', 'w-1', 'w-2']) assert.ok(seen.has(`seedancee2:${id}`), `watch brought in ${id}`);
      // A removal elsewhere goes here too.
      b.remove('seedancee2:from-b');
      await b.flush();
      const until = Date.now() + 5000;
      while (a.get('seedancee2:from-b') && Date.now() < until) await sleep(20);
      assert.equal(a.get('seedancee2:from-b'), undefined, 'removed elsewhere, gone here');
    } finally {
      watching.dispose();
    }
  });

  it('a removed job stays removed, whichever process writes next', async () => {
    const file = join(dir(), 'jobs.json');
    const first = await open(file);
    first.upsert(job('x'));
    first.upsert(job('y'));
    await first.flush();
    // The writes go in the order of the flushes below, never on their own timers.
    const a = await open(file, 600_000);
    const b = await open(file, 600_000);
    // Removed in a, patched by b's poller meanwhile, b writes first: a's write still removes it.
    a.remove('seedancee2:x');
    b.patch('seedancee2:x', { progress: 'polled' });
    await b.flush();
    assert.ok(onFile(file).some((j) => j.key === 'seedancee2:x'));
    await a.flush();
    assert.ok(!onFile(file).some((j) => j.key === 'seedancee2:x'), 'gone from the file');
    const gone: string[] = [];
    b.onDidChange((keys) => gone.push(...keys));
    await b.reload();
    assert.equal(b.get('seedancee2:x'), undefined);
    assert.deepEqual(gone, ['seedancee2:x']);
    // Removed and written in a; b, not reloaded, patches it and writes: it does not come back.
    a.remove('seedancee2:y');
    await a.flush();
    b.patch('seedancee2:y', { progress: 'polled again' });
    await b.flush();
    assert.equal(b.get('seedancee2:y'), undefined);
    assert.deepEqual(
      (await open(file)).all().map((j) => j.key),
      [],
    );
    // Added again later (a provider's list, "Refresh"): it is a new job and stays.
    b.upsert(job('y'));
    await b.flush();
    await a.reload();
    assert.ok(a.get('seedancee2:y'));
  });

  it('a job changed here wins over the file only when the file did not change too or is older', async () => {
    const file = join(dir(), 'jobs.json');
    const first = await open(file);
    first.upsert(job('x', new Date(1000)));
    await first.flush();
    const a = await open(file);
    const b = await open(file);
    b.patch('seedancee2:x', { progress: 'b, older' }, new Date(2000));
    a.patch('seedancee2:x', { progress: 'a, newer' }, new Date(3000));
    await a.flush();
    await b.flush(); // b's copy is older than the file's: the file's wins, in b too
    assert.equal(onFile(file)[0].progress, 'a, newer');
    assert.equal(b.get('seedancee2:x')?.progress, 'a, newer');
    a.patch('seedancee2:x', { progress: 'a, older' }, new Date(4000));
    b.patch('seedancee2:x', { progress: 'b, newer' }, new Date(5000));
    await a.flush();
    await b.flush(); // b's copy is newer than a's on the file
    assert.equal(onFile(file)[0].progress, 'b, newer');
    await a.reload();
    assert.equal(a.get('seedancee2:x')?.progress, 'b, newer', 'converged');
    // A change with the same updatedAt (an upsert of a copy) wins while the file's copy is the one it came from.
    a.upsert({ ...a.get('seedancee2:x')!, title: 'renamed' });
    await a.flush();
    await b.reload();
    assert.equal(b.get('seedancee2:x')?.title, 'renamed');
  });

  it('a lock left by a dead process or long ago is broken; a live one is waited for', async () => {
    const file = join(dir(), 'jobs.json');
    const lock = `${file}.lock`;
    const a = await open(file);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(lock, JSON.stringify({ pid: Number(dead.stdout), host: hostname(), id: 'dead' }));
    a.upsert(job('after-dead'));
    let t0 = Date.now();
    await a.flush();
    assert.ok(Date.now() - t0 < 2000, 'not waited for');
    assert.ok(onFile(file).some((j) => j.id === 'after-dead'));
    assert.ok(!existsSync(lock));

    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), id: 'old' }));
    utimesSync(lock, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    a.upsert(job('after-old'));
    t0 = Date.now();
    await a.flush();
    assert.ok(Date.now() - t0 < 2000, 'not waited for');
    assert.ok(onFile(file).some((j) => j.id === 'after-old'));

    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), id: 'live' }));
    a.upsert(job('after-live'));
    const writing = a.flush();
    await sleep(300);
    assert.ok(!onFile(file).some((j) => j.id === 'after-live'), 'waits while the lock is held');
    rmSync(lock);
    await writing;
    assert.ok(onFile(file).some((j) => j.id === 'after-live'));
    assert.deepEqual(leftovers(file), []);
  });
});
