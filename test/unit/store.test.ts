import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { newJob } from '../../src/core/jobs/job';
import { JobStore } from '../../src/core/jobs/store';

const dir = () => mkdtempSync(join(tmpdir(), 'gendeck-store-'));
const sample = (i: number) =>
  newJob({
    provider: 'seedancee2',
    id: `vid_${i}`,
    title: `Job ${i} “ünïcode”`,
    kind: 'video',
    status: i % 2 ? 'running' : 'succeeded',
  });

describe('JobStore', () => {
  it('saves atomically and loads what it saved', async () => {
    const file = join(dir(), 'jobs.json');
    const a = new JobStore(file);
    await a.load();
    for (let i = 0; i < 5; i++) a.upsert(sample(i));
    a.patch('seedancee2:vid_1', { progress: 'Generating' });
    await a.flush();
    const b = new JobStore(file);
    const report = await b.load();
    assert.equal(report.jobs, 5);
    assert.equal(b.get('seedancee2:vid_1')?.progress, 'Generating');
    assert.deepEqual(
      readdirSync(join(file, '..')).filter((n) => n.includes('.tmp-')),
      [],
      'no temp files left behind',
    );
  });

  it('told which providers exist, it leaves out jobs of any other on load', async () => {
    const file = join(dir(), 'jobs.json');
    const a = new JobStore(file);
    await a.load();
    a.upsert(sample(1));
    a.upsert({ ...sample(2), provider: 'gone' as never, key: 'gone:vid_2' });
    await a.flush();
    const b = new JobStore(file, undefined, { providers: ['seedancee2', 'seele'] });
    const report = await b.load();
    assert.deepEqual(
      b.all().map((j) => j.key),
      ['seedancee2:vid_1'],
    );
    assert.equal(report.dropped, 1);
  });

  it('a corrupt file is kept aside, the previous copy is used, and the store still starts', async () => {
    const d = dir();
    const file = join(d, 'jobs.json');
    const a = new JobStore(file);
    await a.load();
    a.upsert(sample(1));
    await a.flush();
    a.upsert(sample(2));
    await a.flush(); // jobs.json.bak now holds the one-job version
    writeFileSync(file, '{"version":1,"jobs":[{"key":');
    const b = new JobStore(file);
    const report = await b.load();
    assert.ok(report.corruptBackup && existsSync(report.corruptBackup), 'corrupt copy kept');
    assert.equal(report.fromBackup, true);
    assert.equal(b.all().length, 1);
    await b.flush();
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).jobs.length, 1, 'main file rewritten from the good copy');
  });

  it('a store truncated at every byte offset still loads, from its backup', async () => {
    const d = dir();
    const file = join(d, 'jobs.json');
    const a = new JobStore(file);
    await a.load();
    for (let i = 0; i < 3; i++) a.upsert(sample(i));
    await a.flush();
    const full = readFileSync(file);
    for (let cut = 0; cut < full.length; cut++) {
      const f = join(d, `cut-${cut}.json`);
      writeFileSync(f, full.subarray(0, cut));
      writeFileSync(`${f}.bak`, full);
      const s = new JobStore(f);
      const report = await s.load(); // must not throw
      assert.ok(report.corruptBackup && existsSync(report.corruptBackup), `offset ${cut}: damaged file kept aside`);
      assert.equal(s.all().length, 3, `offset ${cut}: jobs restored from the previous copy`);
    }
    // Without any backup the store starts empty instead of failing.
    writeFileSync(join(d, 'lonely.json'), full.subarray(0, full.length >> 1));
    const lonely = new JobStore(join(d, 'lonely.json'));
    assert.equal((await lonely.load()).jobs, 0);
  });

  it('drops single unreadable entries but keeps the rest', async () => {
    const file = join(dir(), 'jobs.json');
    writeFileSync(file, JSON.stringify({ version: 1, jobs: [sample(1), { key: 'x' }, sample(2)] }));
    const s = new JobStore(file);
    const report = await s.load();
    assert.equal(report.jobs, 2);
    assert.equal(report.dropped, 1);
  });
});
