import * as vscode from 'vscode';
import { runCommand } from '../commandIds';
import type { CommandContext } from './command';

/** Starts the built-in emulator and points every provider at it; no key needed. */
export async function trySandbox(c: CommandContext): Promise<void> {
  const { g } = c;
  try {
    const origin = await g.sandbox.start();
    g.log.info(`Sandbox running at ${origin}`);
    const choice = await vscode.window.showInformationMessage(
      `GenDeck sandbox is on (${origin}). Every provider now talks to a local emulator: no key, no cost, nothing leaves this machine. Add "[fail]" to a prompt to see a failure.`,
      'New Video',
      'Stop Sandbox',
    );
    if (choice === 'New Video') await runCommand('gendeck.seedancee2.newFromPrompt');
    if (choice === 'Stop Sandbox') await stopSandbox(c);
  } catch (err) {
    await g.reportError(err, 'The sandbox did not start');
  }
}

export async function stopSandbox(c: CommandContext): Promise<void> {
  const { g } = c;
  await g.sandbox.stop();
  void vscode.window.showInformationMessage(
    'GenDeck sandbox stopped; providers use their configured URLs and your keys again.',
  );
}
