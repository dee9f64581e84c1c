// The Jobs view's three orders: grouped by provider (newest first in each), all newest first, or by status.
import '../support/vscodeStub';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { newJob, type JobStatus } from '../../src/core/jobs/job';
import { JobStore } from '../../src/core/jobs/store';
import type { ProviderId } from '../../src/core/providerIds';
import { JobsTreeProvider, type JobsNode } from '../../src/views/jobsTree';

describe('Jobs view order', () => {
  const store = new JobStore(join(mkdtempSync(join(tmpdir(), 'gendeck-sort-')), 'jobs.json'));
  const add = (provider: ProviderId, id: string, status: JobStatus, minute: number) => {
    const job = newJob({ provider, id, title: id, kind: 'video', status });
    store.upsert({ ...job, createdAt: new Date(Date.UTC(2026, 11, 1, 8, minute)).toISOString() });
  };
  add('seedancee2', 'old-done', 'succeeded', 1);
  add('seele', 'running', 'running', 2);
  add('seedancee2', 'failed', 'failed', 3);
  add('seele', 'new-done', 'succeeded', 4);
  const tree = new JobsTreeProvider(store, () => undefined);
  const keys = (nodes: JobsNode[]) => nodes.map((n) => (n.type === 'job' ? n.key.split(':')[1] : n.type));

  it('groups by provider by default, newest first in each', () => {
    const groups = tree.getChildren();
    assert.deepEqual(
      groups.map((n) => n.type === 'provider' && n.provider),
      ['seele', 'seedancee2'],
    );
    assert.deepEqual(keys(tree.getChildren(groups[1])), ['failed', 'old-done']);
    assert.equal(tree.getParent(tree.getChildren(groups[1])[0])?.type, 'provider');
  });

  it('lists all newest first, or by status, with no groups; rows name their provider', () => {
    tree.setSort('newest');
    assert.deepEqual(keys(tree.getChildren()), ['new-done', 'failed', 'running', 'old-done']);
    const first = tree.getChildren()[0];
    assert.equal(tree.getParent(first), undefined);
    assert.match(String(tree.getTreeItem(first).description), /Seele/);
    tree.setSort('status');
    assert.deepEqual(keys(tree.getChildren()), ['running', 'failed', 'new-done', 'old-done']);
  });

  it('by status, a job whose status changes redraws the list (it moves)', () => {
    tree.setSort('status');
    tree.getChildren();
    let whole = 0;
    const sub = tree.onDidChangeTreeData((n) => void (n === undefined && whole++));
    store.patch('seele:running', { progress: 'half way' });
    assert.equal(whole, 0, 'a change that moves nothing redraws only its row');
    store.patch('seele:running', { status: 'succeeded' });
    assert.equal(whole, 1);
    assert.deepEqual(keys(tree.getChildren()), ['failed', 'new-done', 'running', 'old-done']);
    sub.dispose();
  });
});
