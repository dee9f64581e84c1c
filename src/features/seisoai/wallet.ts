import * as vscode from 'vscode';
import { redactor } from '../../core/redact';
import { walletAddress } from '../../core/x402/payer';
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
    title: vscode.l10n.t('x402 wallet private key (Seisoai pay-per-request)'),
    prompt: vscode.l10n.t(
      "Stored in VS Code's secret storage only. Use a wallet with a small USDC balance on Base: every payment needs your confirmation and stays within ${0} per payment and ${1} per 24 hours.",
      limits.maxPerPaymentUsd,
      limits.maxPerDayUsd,
    ),
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) =>
      KEY_RE.test(v.trim())
        ? undefined
        : vscode.l10n.t('A private key is 64 hex characters (optionally starting with 0x).'),
  });
  if (value === undefined) return;
  const bare = value.trim().replace(/^0x/, '');
  const key = `0x${bare}` as `0x${string}`;
  redactor.add(key);
  redactor.add(bare);
  let address: string;
  try {
    address = walletAddress(key);
  } catch {
    void vscode.window.showErrorMessage(vscode.l10n.t('That is not a valid private key; nothing was saved.'));
    return;
  }
  const store = vscode.l10n.t('Store Key');
  const ok = await vscode.window.showInformationMessage(
    vscode.l10n.t('Store the x402 wallet key for {0}?', address),
    {
      modal: true,
      detail: vscode.l10n.t(
        'Seisoai calls without an API key will offer to pay from this wallet, each time with your confirmation.',
      ),
    },
    store,
  );
  if (ok !== store) return;
  await g.secrets.set('x402-wallet', key);
  g.log.info(`x402 wallet key stored for ${address}.`);
  void vscode.window.showInformationMessage(
    g.sandbox.active
      ? vscode.l10n.t(
          'x402 wallet {0} is ready. The sandbox uses a throwaway wallet; this one is used once you stop the sandbox.',
          address,
        )
      : vscode.l10n.t('x402 wallet {0} is ready.', address),
  );
}

export async function clearWalletKey(c: SeisoaiContext): Promise<void> {
  const { g } = c;
  if (!(await g.secrets.has('x402-wallet')))
    return void vscode.window.showInformationMessage(vscode.l10n.t('No x402 wallet key is stored.'));
  const remove = vscode.l10n.t('Remove');
  const ok = await vscode.window.showWarningMessage(
    vscode.l10n.t('Remove the x402 wallet key from this machine?'),
    { modal: true },
    remove,
  );
  if (ok !== remove) return;
  await g.secrets.delete('x402-wallet');
  void vscode.window.showInformationMessage(vscode.l10n.t('x402 wallet key removed.'));
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
      label: vscode.l10n.t('Automatic'),
      description: current === 'auto' ? vscode.l10n.t('current') : undefined,
      detail: vscode.l10n.t('The API key when one is set, otherwise x402.'),
    },
    {
      value: 'apiKey',
      label: vscode.l10n.t('API key credits'),
      description:
        [current === 'apiKey' ? vscode.l10n.t('current') : undefined, hasKey ? undefined : vscode.l10n.t('no key set')]
          .filter(Boolean)
          .join(' · ') || undefined,
      detail: vscode.l10n.t('Calls are charged to the Seisoai API key.'),
    },
    {
      value: 'x402',
      label: vscode.l10n.t('x402 pay per request (USDC on Base)'),
      description:
        [
          current === 'x402' ? vscode.l10n.t('current') : undefined,
          hasWallet ? undefined : vscode.l10n.t('no wallet key set'),
        ]
          .filter(Boolean)
          .join(' · ') || undefined,
      detail: g.sandbox.active
        ? vscode.l10n.t(
            'Each call asks for confirmation; at most ${0} per payment and ${1} per 24 hours. The sandbox pays with a throwaway wallet.',
            limits.maxPerPaymentUsd,
            limits.maxPerDayUsd,
          )
        : vscode.l10n.t(
            'Each call asks for confirmation; at most ${0} per payment and ${1} per 24 hours.',
            limits.maxPerPaymentUsd,
            limits.maxPerDayUsd,
          ),
    },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('How should Seisoai calls be paid?') });
  if (!pick) return;
  await settings.seisoai.setPayWith(pick.value);
  if (pick.value === 'x402' && !hasWallet) {
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('x402 needs a wallet key.'),
      vscode.l10n.t('Set Wallet Key (x402)'),
    );
    if (choice) await runCommand('gendeck.seisoai.setWalletKey');
  } else {
    void vscode.window.showInformationMessage(vscode.l10n.t('Seisoai calls are now paid with: {0}.', pick.label));
  }
}
