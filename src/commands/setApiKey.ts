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
  const id: ProviderId | undefined = isProviderId(arg)
    ? arg
    : await pickProvider(vscode.l10n.t('Set the API key for…'));
  if (!id) return;
  const label = PROVIDER_LABELS[id];
  const key = await vscode.window.showInputBox({
    title: vscode.l10n.t('{0} API key', label),
    prompt: vscode.l10n.t("Stored in VS Code's secret storage only; sent only to {0}.", settings.baseUrl(id)),
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) =>
      v.trim().length < 8
        ? vscode.l10n.t('That is too short to be an API key.')
        : /\s/.test(v.trim())
          ? vscode.l10n.t('An API key has no spaces.')
          : undefined,
  });
  if (key === undefined) return;
  const value = key.trim();
  const provider = g.provider(id);
  const check = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the {0} key…', label) },
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
      return g.reportError(err, vscode.l10n.t('The {0} key was not saved', label));
    }
    const saveAnyway = vscode.l10n.t('Save Without Checking');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('{0} The key could not be checked.', describeError(err)),
      { modal: true },
      saveAnyway,
    );
    if (choice !== saveAnyway) return;
  }
  await g.secrets.set(id, value);
  g.log.info(`${label} key saved${check.ok ? ' after it was accepted' : ' without a check'}.`);
  void vscode.window.showInformationMessage(
    g.sandbox.active
      ? vscode.l10n.t('{0} key saved. The sandbox is on, so it is used once you stop the sandbox.', label)
      : vscode.l10n.t('{0} key saved.', label),
  );
}

export async function clearApiKey(c: CommandContext, arg?: unknown): Promise<void> {
  const { g } = c;
  const id: ProviderId | undefined = isProviderId(arg)
    ? arg
    : await pickProvider(vscode.l10n.t('Clear the API key for…'));
  if (!id) return;
  const label = PROVIDER_LABELS[id];
  const remove = vscode.l10n.t('Remove');
  const ok = await vscode.window.showWarningMessage(
    vscode.l10n.t('Remove the {0} API key from this machine?', label),
    { modal: true },
    remove,
  );
  if (ok !== remove) return;
  await g.secrets.delete(id);
  void vscode.window.showInformationMessage(vscode.l10n.t('{0} key removed.', label));
}
