// The Seek API view's model (no editor): what each level of the view holds, read from the sandbox through the real
// provider — sections only once there is something to talk to, the marketplace page by page without duplicates, a
// filter that pulls in further pages, the account, and an error node with a retry instead of an empty list.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SeekWorkersModel, type SeekNode } from '../../src/features/seekapi/workersModel';
import { startHarness, type Harness } from '../support/sandbox';

const infoIds = (nodes: SeekNode[]) => nodes.flatMap((n) => (n.type === 'info' ? [n.id] : []));
const workerIds = (nodes: SeekNode[]) => nodes.flatMap((n) => (n.type === 'worker' ? [n.worker.id] : []));

describe('Seek API view model', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.stop());

  it('offers a key or the sandbox until one is there, then Account and Workers', async () => {
    const none = new SeekWorkersModel(h.providers.seekapi, async () => false);
    const offer = await none.getChildren();
    assert.deepEqual(infoIds(offer), ['nokey', 'sandbox']);
    assert.deepEqual(
      offer.map((n) => (n.type === 'info' ? n.command?.command : undefined)),
      ['gendeck.setApiKey', 'gendeck.trySandbox'],
    );
    const some = new SeekWorkersModel(h.providers.seekapi, async () => true);
    assert.deepEqual(
      (await some.getChildren()).map((n) => (n.type === 'section' ? n.section : n.type)),
      ['account', 'workers'],
    );
  });

  it('reads the marketplace page by page, each worker once, until the last page; changes are announced', async () => {
    const m = new SeekWorkersModel(h.providers.seekapi, async () => true);
    const changed: (SeekNode | undefined)[] = [];
    m.onChange((n) => changed.push(n));
    const first = await m.getChildren(m.sections.workers);
    assert.ok(workerIds(first).length > 0);
    assert.equal(first.at(-1)?.type, 'loadMore', 'more pages are offered');
    assert.ok(changed.includes(m.sections.workers));
    while (m.hasMore) await m.loadMore();
    const all = await m.getChildren(m.sections.workers);
    const ids = workerIds(all);
    assert.equal(new Set(ids).size, ids.length, 'no worker twice');
    assert.equal(ids.length, m.totalWorkers, 'every worker the server counts');
    assert.notEqual(all.at(-1)?.type, 'loadMore');
  });

  it('a filter matches name, id or category and pulls in further pages to find them', async () => {
    const m = new SeekWorkersModel(h.providers.seekapi, async () => true);
    await m.setFilter('email');
    const nodes = await m.getChildren(m.sections.workers);
    assert.equal(nodes[0].type === 'info' && nodes[0].id, 'filter:email');
    assert.ok(workerIds(nodes).includes('email-finder'));
    for (const n of nodes)
      if (n.type === 'worker')
        assert.match(`${n.worker.name} ${n.worker.id} ${n.worker.category ?? ''}`.toLowerCase(), /email/);
  });

  it('shows the plan and balance, and a worker opens into its pricing, fields and Run', async () => {
    const m = new SeekWorkersModel(h.providers.seekapi, async () => true);
    const account = await m.getChildren(m.sections.account);
    assert.deepEqual(infoIds(account), ['plan', 'balance']);
    const worker = (await m.getChildren(m.sections.workers)).find((n) => n.type === 'worker');
    assert.ok(worker);
    const detail = await m.getChildren(worker);
    assert.ok(infoIds(detail).some((id) => id.endsWith(':price')));
    const run = detail.at(-1);
    assert.equal(run?.type === 'info' && run.command?.command, 'gendeck.seekapi.runWorker');
  });

  it('a failed page is an error node with a retry, and the retry reads it', async () => {
    const m = new SeekWorkersModel(h.providers.seekapi, async () => true);
    h.sandbox.faults.add({
      provider: 'seekapi',
      method: 'GET',
      path: '/workers',
      kind: 'status',
      status: 403,
      times: 1,
    });
    const failed = await m.getChildren(m.sections.workers);
    const err = failed.find((n) => n.type === 'info' && n.id === 'workers-error');
    assert.ok(err && err.type === 'info' && err.error);
    assert.equal(err.command?.command, 'gendeck.seekapi.loadMoreWorkers');
    await m.loadMore();
    assert.ok(workerIds(await m.getChildren(m.sections.workers)).length > 0);
  });
});
