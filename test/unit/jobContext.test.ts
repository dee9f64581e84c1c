// The words the Jobs view's menus test (jobContextValue): Run Again only on a job that has ended; Unpack Project only
// on a finished job's project package.
import '../support/vscodeStub';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { newJob } from '../../src/core/jobs/job';
import { JobStore } from '../../src/core/jobs/store';
import { JobsTreeProvider, jobContextValue } from '../../src/views/jobsTree';

const job = (status: 'running' | 'queued' | 'succeeded' | 'failed') =>
  newJob({ provider: 'seedancee2', id: 'v', title: 't', kind: 'video', status, request: { model: 'mini' } });

describe('Jobs view context words', () => {
  it('offers Run Again on ended jobs only, never on a queued or running one', () => {
    for (const s of ['queued', 'running'] as const) assert.doesNotMatch(jobContextValue(job(s), undefined), /canRetry/);
    for (const s of ['succeeded', 'failed'] as const) assert.match(jobContextValue(job(s), undefined), /\bcanRetry\b/);
  });
});

describe('Unpack Project is offered on a finished job with a project package, and on that package', () => {
  const game = (status: 'running' | 'succeeded', url = 'https://cdn.seeles.ai/p/project.zip') =>
    newJob({
      provider: 'seele',
      id: 'g',
      title: 'game',
      kind: 'game',
      status,
      outputs: [
        { kind: 'archive', label: 'Game Project', url },
        { kind: 'html', label: 'Preview', url: 'https://cdn.seeles.ai/p/index.html' },
      ],
    });

  it('marks the job and the archive node unpackable once finished, never while it runs', async () => {
    const store = new JobStore(join(mkdtempSync(join(tmpdir(), 'gendeck-ctx-')), 'jobs.json'));
    await store.load();
    const tree = new JobsTreeProvider(store, () => undefined);
    for (const [status, yes] of [
      ['succeeded', true],
      ['running', false],
    ] as const) {
      const job = game(status);
      store.upsert(job);
      assert.equal(/\bunpackable\b/.test(jobContextValue(job, undefined)), yes, status);
      const [archive, html] = tree.getChildren(tree.jobNode(job.key)).map((n) => tree.getTreeItem(n).contextValue);
      assert.equal(/\bunpackable\b/.test(archive ?? ''), yes, `archive node, ${status}`);
      assert.doesNotMatch(html ?? '', /\bunpackable\b/);
    }
    assert.doesNotMatch(
      jobContextValue(game('succeeded', 'data:application/zip;base64,AA=='), undefined),
      /unpackable/,
    );
    tree.dispose();
  });
});
