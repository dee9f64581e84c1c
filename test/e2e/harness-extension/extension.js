'use strict';
const vscode = require('vscode');
exports.activate = async function activate() {
  const file = vscode.workspace.getConfiguration('gendeckE2e').get('resultsFile') || process.env.GENDECK_E2E_RESULTS;
  if (!file) return;
  require('fs').writeFileSync(file, JSON.stringify({ done: true, results: [{ name: 'harness activated', ok: true }] }));
};
exports.deactivate = function deactivate() {};
