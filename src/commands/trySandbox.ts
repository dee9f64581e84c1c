import * as vscode from 'vscode';
import { runCommand } from '../commandIds';
import type { CommandContext } from './command';

/** Starts the built-in emulator and points every provider at it; no key needed. */
export async function trySandbox(c: CommandContext): Promise<void> {
  const { g } = c;
  try {
    const origin = await g.sandbox.start();
    g.log.info(`Sandbox running at ${origin}`);
    const newVideo = vscode.l10n.t('New Video');
    const stop = vscode.l10n.t('Stop Sandbox');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t(
        'GenDeck sandbox is on ({0}). Every provider now talks to a local emulator: no key, no cost, nothing leaves this machine. Add "[fail]" to a prompt to see a failure.',
        origin,
      ),
      newVideo,
      stop,
    );
    if (choice === newVideo) await runCommand('gendeck.seedancee2.newFromPrompt');
    if (choice === stop) await stopSandbox(c);
  } catch (err) {
    await g.reportError(err, vscode.l10n.t('The sandbox did not start'));
  }
}

export async function stopSandbox(c: CommandContext): Promise<void> {
  const { g } = c;
  // Another process's sandbox (the CLI, the MCP server, another window) keeps running for it; this window lets go.
  const elsewhere = g.sandbox.owned === false;
  await g.sandbox.stop();
  void vscode.window.showInformationMessage(
    elsewhere
      ? vscode.l10n.t(
          'GenDeck no longer uses the sandbox here (another process serves it and keeps it running); providers use their configured URLs and your keys again.',
        )
      : vscode.l10n.t('GenDeck sandbox stopped; providers use their configured URLs and your keys again.'),
  );
}
