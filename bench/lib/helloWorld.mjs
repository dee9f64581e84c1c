// The activation benchmark's reference: a minimal hello-world extension (one output channel, one command, started
// on onStartupFinished like GenDeck), packaged with vsce into `dir`, so both activate in the same code-server run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const HELLO_CHANNEL = 'HelloBench';

/** Returns the VSIX path, or throws with vsce's output. */
export function buildHelloWorld(dir, repo) {
  const src = join(dir, 'hello-world');
  mkdirSync(src, { recursive: true });
  writeFileSync(
    join(src, 'package.json'),
    JSON.stringify(
      {
        name: 'hello-world-bench',
        displayName: 'Hello World (bench reference)',
        publisher: 'gendeck-bench',
        version: '0.0.1',
        license: 'MIT',
        engines: { vscode: '^1.101.0' },
        activationEvents: ['onStartupFinished'],
        main: './extension.js',
        contributes: { commands: [{ command: 'helloBench.hello', title: 'Hello World' }] },
      },
      null,
      2,
    ),
  );
  writeFileSync(
    join(src, 'extension.js'),
    `const vscode = require('vscode');
exports.activate = function (context) {
  const started = performance.now();
  const out = vscode.window.createOutputChannel('${HELLO_CHANNEL}', { log: true });
  context.subscriptions.push(out, vscode.commands.registerCommand('helloBench.hello', () => vscode.window.showInformationMessage('Hello World')));
  out.info('Activated in ' + (performance.now() - started).toFixed(1) + ' ms.');
};
exports.deactivate = function () {};
`,
  );
  writeFileSync(join(src, 'README.md'), "# Hello World\n\nThe activation benchmark's reference.\n");
  writeFileSync(join(src, 'LICENSE'), 'MIT\n');
  const vsix = join(dir, 'hello-world.vsix');
  const r = spawnSync(
    join(repo, 'node_modules', '.bin', 'vsce'),
    ['package', '--allow-missing-repository', '-o', vsix],
    {
      cwd: src,
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  if (r.status !== 0)
    throw new Error(`vsce package (hello world) failed: ${(r.stderr || r.stdout).trim().slice(-500)}`);
  return vsix;
}
