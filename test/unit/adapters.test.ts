// The fault suites and benchmarks cover a provider only through its adapter (test/support/adapters/<id>.ts): a
// provider id without one would drop out of all of them, so this fails first.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createProviders, PROVIDER_IDS } from '../../src/core/providers/index';
import { adapterFiles, adaptersFor } from '../support/adapters';
import { createTestSandbox } from '../support/sandbox';

describe('test adapters', () => {
  it('has exactly one adapter per id in PROVIDER_IDS, and nothing else', () => {
    assert.deepEqual(adapterFiles(), [...PROVIDER_IDS].sort(), 'one file per provider id, and none for other ids');
  });

  it('builds each adapter for its own provider, with a create request to fault', () => {
    // Nothing is started: the adapters only hold the providers and emulators until a suite calls them.
    const { sandbox, emulators } = createTestSandbox({ mediaDir: '/nonexistent' });
    const providers = createProviders({
      baseUrl: (id) => sandbox.baseUrl(id),
      getKey: async () => undefined,
      isSandbox: () => true,
    });
    const list = adaptersFor({ providers, emulators });
    assert.deepEqual(
      list.map((a) => a.id),
      [...PROVIDER_IDS],
    );
    for (const a of list) {
      assert.ok(a.createRequests.length > 0, `${a.id}: create requests`);
      assert.equal(a.creates(), 0, `${a.id}: a fresh emulator has seen no create`);
      assert.equal(a.neverFinish('no-such-job'), false, `${a.id}: an unknown job cannot be stalled`);
    }
  });
});
