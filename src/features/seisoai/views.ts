import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { formatUsdc } from '../../core/x402/protocol';
import type { SeisoaiContext } from './context';

/** Refresh: drop the cached registry and read the live tool list again. */
export function refreshTools(c: SeisoaiContext): void {
  const { g } = c;
  g.providers.seisoai.registry.invalidate();
  c.feature.tools.refresh();
}

/** GET /mcp-manifest, shown as a JSON document. */
export async function showManifest(c: SeisoaiContext): Promise<void> {
  const { g } = c;
  const manifest = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Loading the Seisoai MCP manifest…') },
    () => g.providers.seisoai.manifest(),
  );
  await c.ui.docs.show('/Seisoai MCP manifest.json', JSON.stringify(manifest, null, 2));
}

/** The x402 receipts log as a readable table, plus the file it lives in. */
export async function showReceipts(c: SeisoaiContext): Promise<void> {
  const { g } = c;
  const log = g.payments.receipts();
  const all = await log.all();
  if (!all.length)
    return void vscode.window.showInformationMessage(
      g.sandbox.active ? vscode.l10n.t('No x402 payments yet in the sandbox.') : vscode.l10n.t('No x402 payments yet.'),
    );
  const spent = await log.spentInLastDay(Date.now());
  const cell = (s: string | undefined) => (s ?? '').replace(/\|/g, '\\|').replace(/\s+/g, ' ');
  const lines = [
    g.sandbox.active ? vscode.l10n.t('# x402 receipts (sandbox)') : vscode.l10n.t('# x402 receipts'),
    '',
    log.file !== undefined
      ? vscode.l10n.t('Spent in the last 24 hours: {0} USDC. File: {1}', formatUsdc(spent), log.file)
      : vscode.l10n.t('Spent in the last 24 hours: {0} USDC. File: (memory)', formatUsdc(spent)),
    '',
    '| time | amount (USDC) | status | pay to | network | resource | transaction |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...all
      .slice()
      .reverse()
      .map(
        (r) =>
          `| ${cell(r.time)} | ${cell(r.amountUsdc)} | ${cell(r.status)}${r.error ? ` (${cell(r.error)})` : ''} | ${cell(r.payTo)} | ${cell(r.network)} | ${cell(r.resource)} | ${cell(r.transaction)} |`,
      ),
  ];
  await c.ui.docs.show(`/x402 receipts${g.sandbox.active ? ' (sandbox)' : ''}.md`, lines.join('\n'));
}

/** The agent audit log (agentId, route, tool id, reason, time, outcome), one JSON line per call. */
export async function showAgentAudit(c: SeisoaiContext): Promise<void> {
  const file = c.feature.audit.file;
  if (!file || !existsSync(file))
    return void vscode.window.showInformationMessage(vscode.l10n.t('No agent-scoped calls have been made yet.'));
  await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
}
