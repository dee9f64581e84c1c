import * as vscode from 'vscode';
import type { GenDeck } from '../context';

/** Starts the built-in emulator and points every provider at it; no key needed. */
export async function trySandbox(g: GenDeck): Promise<void> {
  try {
    const origin = await g.sandbox.start();
    g.log.info(`Sandbox running at ${origin}`);
    const choice = await vscode.window.showInformationMessage(
      `GenDeck sandbox is on (${origin}). Every provider now talks to a local emulator: no key, no cost, nothing leaves this machine. Add "[fail]" to a prompt to see a failure.`,
      'New Video',
      'Stop Sandbox',
    );
    if (choice === 'New Video') await vscode.commands.executeCommand('gendeck.seedance.newFromPrompt');
    if (choice === 'Stop Sandbox') await stopSandbox(g);
  } catch (err) {
    await g.reportError(err, 'The sandbox did not start');
  }
}

export async function stopSandbox(g: GenDeck): Promise<void> {
  await g.sandbox.stop();
  void vscode.window.showInformationMessage(
    'GenDeck sandbox stopped; providers use their configured URLs and your keys again.',
  );
}
