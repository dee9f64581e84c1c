import * as vscode from 'vscode';
import { isProviderId, PROVIDER_IDS } from '../core/providers/index';
import { BUDGET_SETTINGS } from '../settings';
import type { CommandContext } from './command';
import { pickProvider } from './util';

/** Opens the Settings editor at a provider's daily budget (Seisoai: its x402 daily cap); asks whose when not told. */
export async function openBudgetSettings(_c: CommandContext, arg?: unknown): Promise<void> {
  const given = isProviderId(arg) ? arg : (arg as { provider?: unknown } | undefined)?.provider;
  const id = isProviderId(given)
    ? given
    : await pickProvider(
        vscode.l10n.t('Open the daily budget of…'),
        PROVIDER_IDS.filter((p) => BUDGET_SETTINGS[p]),
      );
  const setting = id && BUDGET_SETTINGS[id];
  if (setting) await vscode.commands.executeCommand('workbench.action.openSettings', setting);
}
