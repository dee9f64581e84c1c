'use strict';
// extensionTestsPath for @vscode/test-electron (npm run test:electron): runs the harness suite in the development
// extension host. No UI runner is attached, so tests that need prompts answered are skipped; no window reload.
const harness = require('./extension.js');

exports.run = async function run() {
  process.env.GENDECK_E2E_NO_ASSIST = '1';
  process.env.GENDECK_E2E_NO_RELOAD = '1';
  await harness.run({ secrets: { get: async () => undefined }, subscriptions: [] });
};
