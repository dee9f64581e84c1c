// The Jobs tree redraws only what a change touches (the job's row, or its provider's group), and its lists stay in
// the order of the sort setting as jobs come, change and go.
import '../support/vscodeStub';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { newJob, type Job, type JobStatus } from '../../src/core/jobs/job';
import { JobStore } from '../../src/core/jobs/store';
import type { ProviderId } from '../../src/core/providerIds';
import { PROVIDER_IDS } from '../../src/core/providers/index';
import { JOBS_SORTS, JobsTreeProvider, sortJobs, type JobsNode } from '../../src/views/jobsTree';

const STATUSES: JobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'canceled', 'timeout'];
const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 8) + minute * 60_000).toISOString();
const job = (provider: ProviderId, id: string, status: JobStatus, minute: number): Job => ({
  ...newJob({ provider, id, title: id, kind: 'video', status }),
  createdAt: at(minute),
});

function setup() {
  // The store's own save delay: a longer one would keep the test process alive on its timer.
  const store = new JobStore(join(mkdtempSync(join(tmpdir(), 'gendeck-tree-')), 'jobs.json'));
  store.upsert(job('seele', 'a', 'running', 1));
  store.upsert(job('seele', 'b', 'succeeded', 2));
  store.upsert(job('seedancee2', 'c', 'failed', 3));
  const tree = new JobsTreeProvider(store, () => undefined);
  const fired: (JobsNode | undefined)[] = [];
  tree.onDidChangeTreeData((n) => void fired.push(n));
  const group = (p: ProviderId) => tree.getChildren().find((n) => n.type === 'provider' && n.provider === p);
  const ids = (nodes: JobsNode[]) => nodes.map((n) => (n.type === 'job' ? n.key.split(':')[1] : n.type));
  return { store, tree, fired, group, ids };
}

describe('Jobs tree refresh', () => {
  it('a change that moves nothing fires only that job, the same element getChildren gave', () => {
    const { store, tree, fired, group } = setup();
    const row = tree.getChildren(group('seele')).find((n) => n.type === 'job' && n.key === 'seele:a');
    assert.ok(row);
    const before = tree.getTreeItem(row);
    assert.equal(tree.getTreeItem(row), before, 'the item is built once while the job does not change');
    store.patch('seele:a', { progress: 'half way' });
    assert.equal(fired.length, 1);
    assert.equal(fired[0], row, 'the very element VS Code holds');
    assert.match(String(tree.getTreeItem(row).description), /half way/);
    tree.dispose();
  });

  it('a job that stops running fires its row and its provider (the "N running" count)', () => {
    const { store, tree, fired, group } = setup();
    assert.match(String(tree.getTreeItem(group('seele')!).description), /1 running · 2/);
    store.patch('seele:a', { status: 'succeeded' });
    assert.deepEqual(fired, [tree.jobNode('seele:a'), group('seele')]);
    assert.equal(fired[1], group('seele'), 'the provider element is the one the root gave');
    assert.equal(tree.getTreeItem(group('seele')!).description, '2');
    tree.dispose();
  });

  it('a job added or removed fires its provider only, and the group stays newest first', () => {
    const { store, tree, fired, group, ids } = setup();
    store.upsert(job('seele', 'mid', 'queued', 1.5));
    assert.deepEqual(fired, [group('seele')]);
    assert.deepEqual(ids(tree.getChildren(group('seele'))), ['b', 'mid', 'a']);
    fired.length = 0;
    store.remove('seele:b');
    assert.deepEqual(fired, [group('seele')]);
    assert.deepEqual(ids(tree.getChildren(group('seele'))), ['mid', 'a']);
    tree.dispose();
  });

  it('a provider group that appears or goes fires the whole tree', () => {
    const { store, tree, fired, ids } = setup();
    store.upsert(job('seekapi', 'd', 'queued', 4));
    assert.deepEqual(fired, [undefined]);
    assert.deepEqual(
      tree.getChildren().map((n) => n.type === 'provider' && n.provider),
      PROVIDER_IDS.filter((p) => ['seele', 'seedancee2', 'seekapi'].includes(p)),
    );
    fired.length = 0;
    store.remove('seedancee2:c');
    assert.deepEqual(fired, [undefined]);
    assert.ok(!tree.getChildren().some((n) => n.type === 'provider' && n.provider === 'seedancee2'));
    assert.deepEqual(ids(tree.getChildren()), ['provider', 'provider']);
    tree.dispose();
  });

  it('without groups: a row that keeps its place fires only itself; one that comes, goes or moves, the list', () => {
    const { store, tree, fired, ids } = setup();
    tree.setSort('status');
    fired.length = 0;
    store.patch('seele:b', { progress: 'x' });
    assert.deepEqual(fired, [tree.jobNode('seele:b')]);
    fired.length = 0;
    store.patch('seele:a', { status: 'canceled' });
    assert.deepEqual(fired, [undefined]);
    assert.deepEqual(ids(tree.getChildren()), ['c', 'a', 'b']);
    fired.length = 0;
    store.remove('seele:b');
    assert.deepEqual(fired, [undefined]);
    tree.dispose();
  });

  it('the tooltip is built on hover (resolveTreeItem), from the job as it is', () => {
    const { store, tree } = setup();
    const node = tree.jobNode('seedancee2:c');
    const item = tree.getTreeItem(node);
    assert.equal(item.tooltip, undefined);
    store.patch('seedancee2:c', { error: { code: 'x', message: 'It broke.' } });
    const fresh = tree.getTreeItem(node);
    assert.notEqual(fresh, item, 'a changed job gets a new item');
    const tip = tree.resolveTreeItem(fresh, node).tooltip;
    assert.ok(tip && typeof tip !== 'string');
    assert.match(tip.value, /It broke/);
    tree.dispose();
  });

  it('the load of a whole new list (which names only the jobs it has) drops the others', async () => {
    const { store, tree, fired, ids, group } = setup();
    // Saved first, so no save of this store's is still due (on a busy machine it could land between the two below).
    await store.flush();
    writeFileSync(store.file, JSON.stringify({ version: 1, jobs: [job('seele', 'z', 'queued', 9)] }));
    await store.load();
    assert.deepEqual(fired, [undefined]);
    assert.deepEqual(ids(tree.getChildren()), ['provider']);
    assert.deepEqual(ids(tree.getChildren(group('seele'))), ['z']);
    tree.dispose();
  });

  for (const sort of JOBS_SORTS) {
    it(`stays in order (${sort}) through 600 random adds, changes and removes`, () => {
      const { store, tree } = setup();
      tree.setSort(sort);
      let seed = 7;
      const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n) as number;
      let next = 0;
      for (let step = 0; step < 600; step++) {
        const keys = store.all().map((j) => j.key);
        const op = rand(4);
        if (op === 0 || keys.length < 3) {
          // Minutes from a small range, so some jobs share a creation time.
          store.upsert(job(PROVIDER_IDS[rand(PROVIDER_IDS.length)], `n${next++}`, STATUSES[rand(6)], rand(40)));
        } else if (op === 1) store.remove(keys[rand(keys.length)]);
        else if (op === 2) store.patch(keys[rand(keys.length)], { status: STATUSES[rand(6)] });
        else {
          const j = store.get(keys[rand(keys.length)])!;
          store.upsert({ ...j, createdAt: at(rand(40)) });
        }
        const shown = (nodes: JobsNode[]) => nodes.map((n) => (n.type === 'job' ? n.key : n.type));
        if (sort === 'provider') {
          for (const g of tree.getChildren()) {
            assert.equal(g.type, 'provider');
            if (g.type !== 'provider') continue;
            const want = sortJobs(
              store.all().filter((j) => j.provider === g.provider),
              'newest',
            ).map((j) => j.key);
            assert.deepEqual(shown(tree.getChildren(g)), want, `step ${step}, ${g.provider}`);
          }
          const present = new Set(store.all().map((j) => j.provider));
          assert.equal(tree.getChildren().length, present.size, `step ${step}: one group per provider with jobs`);
        } else {
          const want = sortJobs(store.all(), sort).map((j) => j.key);
          assert.deepEqual(shown(tree.getChildren()), want, `step ${step}`);
        }
      }
      tree.dispose();
    });
  }
});
