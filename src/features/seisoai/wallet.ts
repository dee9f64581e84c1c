import * as vscode from 'vscode';
import { privateKeyToAccount } from 'viem/accounts';
import { redactor } from '../../core/redact';
import { settings, type PayWith } from '../../settings';
import { runCommand } from '../../commandIds';
import type { SeisoaiContext } from './context';

const KEY_RE = /^(0x)?[0-9a-fA-F]{64}$/;

/**
 * "Set Wallet Key (x402)": the private key goes to SecretStorage only (never settings, logs or the
 * webview). GenDeck shows the address it belongs to before storing it.
 */
export async function setWalletKey(c: SeisoaiContext): Promise<void> {
  const { g } = c;
  const limits = settings.seisoai.x402Limits();
  const value = await vscode.window.showInputBox({
    title: 'x402 wallet private key (Seisoai pay-per-request)',
    prompt: `Stored in VS Code's secret storage only. Use a wallet with a small USDC balance on Base: every payment needs your confirmation and stays within $${limits.maxPerPaymentUsd} per payment and $${limits.maxPerDayUsd} per 24 hours.`,
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) =>
      KEY_RE.test(v.trim()) ? undefined : 'A private key is 64 hex characters (optionally starting with 0x).',
  });
  if (value === undefined) return;
  const bare = value.trim().replace(/^0x/, '');
  const key = `0x${bare}` as `0x${string}`;
  redactor.add(key);
  redactor.add(bare);
  let address: string;
  try {
    address = privateKeyToAccount(key).address;
  } catch {
    void vscode.window.showErrorMessage('That is not a valid private key; nothing was saved.');
    return;
  }
  const ok = await vscode.window.showInformationMessage(
    `Store the x402 wallet key for ${address}?`,
    {
      modal: true,
      detail: 'Seisoai calls without an API key will offer to pay from this wallet, each time with your confirmation.',
    },
    'Store Key',
  );
  if (ok !== 'Store Key') return;
  await g.secrets.set('x402-wallet', key);
  g.log.info(`x402 wallet key stored for ${address}.`);
  void vscode.window.showInformationMessage(
    `x402 wallet ${address} is ready. ${g.sandbox.active ? 'The sandbox uses a throwaway wallet; this one is used once you stop the sandbox.' : ''}`,
  );
}

export async function clearWalletKey(c: SeisoaiContext): Promise<void> {
  const { g } = c;
  if (!(await g.secrets.has('x402-wallet')))
    return void vscode.window.showInformationMessage('No x402 wallet key is stored.');
  const ok = await vscode.window.showWarningMessage(
    'Remove the x402 wallet key from this machine?',
    { modal: true },
    'Remove',
  );
  if (ok !== 'Remove') return;
  await g.secrets.delete('x402-wallet');
  void vscode.window.showInformationMessage('x402 wallet key removed.');
}

/** "Choose Seisoai Payment…": API key credits, x402 per request, or automatic (key when set). */
export async function choosePayment(c: SeisoaiContext): Promise<void> {
  const { g } = c;
  const current = settings.seisoai.payWith();
  const hasKey = !!(await g.keyFor('seisoai'));
  const hasWallet = g.sandbox.active || (await g.secrets.has('x402-wallet'));
  const limits = settings.seisoai.x402Limits();
  const items: (vscode.QuickPickItem & { value: PayWith })[] = [
    {
      value: 'auto',
      label: 'Automatic',
      description: current === 'auto' ? 'current' : undefined,
      detail: 'The API key when one is set, otherwise x402.',
    },
    {
      value: 'apiKey',
      label: 'API key credits',
      description:
        [current === 'apiKey' ? 'current' : undefined, hasKey ? undefined : 'no key set'].filter(Boolean).join(' · ') ||
        undefined,
      detail: 'Calls are charged to the Seisoai API key.',
    },
    {
      value: 'x402',
      label: 'x402 pay per request (USDC on Base)',
      description:
        [current === 'x402' ? 'current' : undefined, hasWallet ? undefined : 'no wallet key set']
          .filter(Boolean)
          .join(' · ') || undefined,
      detail: `Each call asks for confirmation; at most $${limits.maxPerPaymentUsd} per payment and $${limits.maxPerDayUsd} per 24 hours.${g.sandbox.active ? ' The sandbox pays with a throwaway wallet.' : ''}`,
    },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: 'How should Seisoai calls be paid?' });
  if (!pick) return;
  await settings.seisoai.setPayWith(pick.value);
  if (pick.value === 'x402' && !hasWallet) {
    const choice = await vscode.window.showInformationMessage('x402 needs a wallet key.', 'Set Wallet Key (x402)');
    if (choice) await runCommand('gendeck.seisoai.setWalletKey');
  } else {
    void vscode.window.showInformationMessage(`Seisoai calls are now paid with: ${pick.label}.`);
  }
}
