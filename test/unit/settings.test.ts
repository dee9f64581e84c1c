// The typed settings, read through a stand-in for VS Code's configuration: numbers held to their declared ranges
// whatever the settings file says, and the settings a cloned repository must not control read from the user only.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { installVscodeStub } from '../support/vscodeStub';

const stub = installVscodeStub();
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the stub, so `vscode` is the stub
const { settings } = require('../../src/settings') as typeof import('../../src/settings');

describe('settings', () => {
  beforeEach(() => {
    stub.configuration.global = {};
    stub.configuration.workspace = {};
  });

  it('holds numbers to their declared ranges: 0 never means "no timeout", -1 never fails every request', () => {
    for (const [v, want] of [
      [0, 5],
      [-1, 5],
      [1e9, 300],
      [Number.NaN, 30],
      ['20', 30],
      [45, 45],
    ] as const) {
      stub.configuration.global = { 'gendeck.requestTimeoutSeconds': v };
      assert.equal(settings.requestTimeoutSec(), want, `requestTimeoutSeconds ${v}`);
    }
    stub.configuration.global = { 'gendeck.maxInlineMediaMB': 500, 'gendeck.polling.intervalScale': 0 };
    assert.equal(settings.maxInlineMediaMB(), 50);
    assert.equal(settings.pollingScale(), 1);
  });

  it('a workspace cannot switch the sandbox on at launch; the user can', () => {
    stub.configuration.workspace = { 'gendeck.sandbox.startOnLaunch': true };
    assert.equal(settings.sandboxOnLaunch(), false);
    stub.configuration.global = { 'gendeck.sandbox.startOnLaunch': true };
    assert.equal(settings.sandboxOnLaunch(), true);
  });
});
