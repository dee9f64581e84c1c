import * as vscode from 'vscode';
import { describeError, ProviderError } from '../core/errors';
import type { ProviderId } from '../core/providerIds';
import { PROVIDER_LABELS, isProviderId } from '../core/providers/index';
import { settings } from '../settings';
import { pickProvider } from './util';
import type { CommandContext } from './command';

/**
 * Asks for a key (password box), checks it against the provider's configured URL, and only then
 * stores it in SecretStorage. The sandbox is never asked: a real key never goes to it.
 */
export async function setApiKey(c: CommandContext, arg?: unknown): Promise<void> {
  const { g } = c;
  const id: ProviderId | undefined = isProviderId(arg) ? arg : await pickProvider('Set the API key for…');
  if (!id) return;
  const label = PROVIDER_LABELS[id];
  const key = await vscode.window.showInputBox({
    title: `${label} API key`,
    prompt: `Stored in VS Code's secret storage only; sent only to ${settings.baseUrl(id)}.`,
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) =>
      v.trim().length < 8
        ? 'That is too short to be an API key.'
        : /\s/.test(v.trim())
          ? 'An API key has no spaces.'
          : undefined,
  });
  if (key === undefined) return;
  const value = key.trim();
  const provider = g.provider(id);
  const check = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Checking the ${label} key…` },
    async () => {
      try {
        // Always the configured URL, never the sandbox, whatever mode the editor is in.
        await provider.validateKey(value, { baseUrl: settings.baseUrl(id) });
        return { ok: true as const };
      } catch (err) {
        return { ok: false as const, err };
      }
    },
  );
  if (!check.ok) {
    const err = check.err;
    const offline =
      err instanceof ProviderError &&
      (err.code === 'unreachable' || err.code === 'timeout' || err.code === 'connection_lost');
    if (!offline) {
      return g.reportError(err, `The ${label} key was not saved`);
    }
    const choice = await vscode.window.showWarningMessage(
      `${describeError(err)} The key could not be checked.`,
      { modal: true },
      'Save Without Checking',
    );
    if (choice !== 'Save Without Checking') return;
  }
  await g.secrets.set(id, value);
  g.log.info(`${label} key saved${check.ok ? ' after it was accepted' : ' without a check'}.`);
  void vscode.window.showInformationMessage(
    `${label} key saved${g.sandbox.active ? '. The sandbox is on, so it is used once you stop the sandbox' : ''}.`,
  );
}

export async function clearApiKey(c: CommandContext, arg?: unknown): Promise<void> {
  const { g } = c;
  const id: ProviderId | undefined = isProviderId(arg) ? arg : await pickProvider('Clear the API key for…');
  if (!id) return;
  const label = PROVIDER_LABELS[id];
  const ok = await vscode.window.showWarningMessage(
    `Remove the ${label} API key from this machine?`,
    { modal: true },
    'Remove',
  );
  if (ok !== 'Remove') return;
  await g.secrets.delete(id);
  void vscode.window.showInformationMessage(`${label} key removed.`);
}
