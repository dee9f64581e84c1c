// The editor's earlier job list (globalStorage/jobs.json) brought into the shared one in the user's state folder.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { copyIfAbsent } from '../../src/core/fs/copyOnce';
import { newJob } from '../../src/core/jobs/job';
import { loadWithEarlierList } from '../../src/core/jobs/migrate';
import { JobStore } from '../../src/core/jobs/store';

const job = (id: string) => newJob({ provider: 'seele', id, title: `Game ${id}`, kind: 'game', status: 'succeeded' });
function layout() {
  const root = mkdtempSync(join(tmpdir(), 'gendeck-migrate-'));
  const earlier = join(root, 'globalStorage', 'jobs.json');
  mkdirSync(join(root, 'globalStorage'));
  writeFileSync(earlier, JSON.stringify({ version: 1, jobs: [job('old-1'), job('old-2')] }));
  return { root, earlier, shared: join(root, 'state', 'gendeck', 'jobs.json'), before: readFileSync(earlier) };
}

describe('moving the job list to the shared state folder', () => {
  it('copies the earlier list once when the shared one does not exist, and keeps the earlier file', async () => {
    const { earlier, shared, before } = layout();
    const store = new JobStore(shared);
    const r = await loadWithEarlierList(store, earlier);
    assert.equal(r.copied, true);
    assert.equal(r.jobs, 2);
    assert.ok(existsSync(shared));
    assert.deepEqual(readFileSync(earlier), before, 'the earlier file is kept as it was');
    // The shared list goes its own way; a second migration (another window at the same moment) adds nothing twice.
    store.remove('seele:old-1');
    store.upsert(job('new'));
    await store.flush();
    const again = await loadWithEarlierList(new JobStore(shared), earlier);
    assert.equal(again.copied, false);
    assert.deepEqual(
      (await reopen(shared)).sort(),
      ['seele:new', 'seele:old-1', 'seele:old-2'],
      'a second run only adds what the shared list lacks',
    );
    // Done once (the editor remembers it): without the earlier file nothing is brought in.
    await store.reload();
    assert.ok(store.remove('seele:old-1'));
    await store.flush();
    const third = await loadWithEarlierList(new JobStore(shared), undefined);
    assert.equal(third.jobs, 2);
    assert.deepEqual(readFileSync(earlier), before);
  });

  it('when another face made the shared list first, the earlier jobs are added to it', async () => {
    const { earlier, shared } = layout();
    const cli = new JobStore(shared);
    await cli.load();
    cli.upsert(job('from-cli'));
    await cli.flush();
    const r = await loadWithEarlierList(new JobStore(shared), earlier);
    assert.equal(r.copied, false);
    assert.equal(r.imported, 2);
    assert.equal(r.jobs, 3);
    assert.deepEqual((await reopen(shared)).sort(), ['seele:from-cli', 'seele:old-1', 'seele:old-2'], 'on disk');
  });

  it('with no earlier list there is nothing to bring', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gendeck-migrate-'));
    const r = await loadWithEarlierList(new JobStore(join(root, 'jobs.json')), join(root, 'none.json'));
    assert.equal(r.jobs, 0);
    assert.ok(!existsSync(join(root, 'jobs.json')));
  });

  it('copyIfAbsent never writes over a file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gendeck-copy-'));
    writeFileSync(join(root, 'a'), 'A');
    writeFileSync(join(root, 'b'), 'B');
    assert.equal(await copyIfAbsent(join(root, 'a'), join(root, 'b')), false);
    assert.equal(readFileSync(join(root, 'b'), 'utf8'), 'B');
    assert.equal(await copyIfAbsent(join(root, 'a'), join(root, 'sub', 'c')), true);
    assert.equal(readFileSync(join(root, 'sub', 'c'), 'utf8'), 'A');
    assert.equal(await copyIfAbsent(join(root, 'missing'), join(root, 'd')), false);
  });
});

async function reopen(file: string): Promise<string[]> {
  const s = new JobStore(file);
  await s.load();
  return s.all().map((j) => j.key);
}
