import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { GenDeck } from '../../context';
import { formatUsdc } from '../../core/x402/protocol';
import { seisoaiEditor } from './setup';

/** Refresh: drop the cached registry and read the live tool list again. */
export function refreshTools(g: GenDeck): void {
  g.providers.seisoai.registry.invalidate();
  seisoaiEditor(g).tools.refresh();
}

export const DOC_SCHEME = 'gendeck-seisoai';

/** Read-only documents (manifest, receipts): nothing to save when they are closed. */
export class SeisoaiDocs implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.path) ?? '';
  }

  async show(path: string, text: string): Promise<void> {
    const uri = vscode.Uri.from({ scheme: DOC_SCHEME, path });
    this.texts.set(path, text);
    this.changed.fire(uri);
    await vscode.window.showTextDocument(uri, { preview: true });
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** GET /mcp-manifest, shown as a JSON document. */
export async function showManifest(g: GenDeck): Promise<void> {
  const manifest = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Loading the Seisoai MCP manifest…' },
    () => g.providers.seisoai.manifest(),
  );
  await seisoaiEditor(g).docs.show('/Seisoai MCP manifest.json', JSON.stringify(manifest, null, 2));
}

/** The x402 receipts log as a readable table, plus the file it lives in. */
export async function showReceipts(g: GenDeck): Promise<void> {
  const log = seisoaiEditor(g).receipts();
  const all = await log.all();
  if (!all.length)
    return void vscode.window.showInformationMessage(
      `No x402 payments yet${g.sandbox.active ? ' in the sandbox' : ''}.`,
    );
  const spent = await log.spentInLastDay(Date.now());
  const cell = (s: string | undefined) => (s ?? '').replace(/\|/g, '\\|').replace(/\s+/g, ' ');
  const lines = [
    `# x402 receipts${g.sandbox.active ? ' (sandbox)' : ''}`,
    '',
    `Spent in the last 24 hours: ${formatUsdc(spent)} USDC. File: ${log.file ?? '(memory)'}`,
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
  await seisoaiEditor(g).docs.show(`/x402 receipts${g.sandbox.active ? ' (sandbox)' : ''}.md`, lines.join('\n'));
}

/** The agent audit log (agentId, route, tool id, reason, time, outcome), one JSON line per call. */
export async function showAgentAudit(g: GenDeck): Promise<void> {
  const file = seisoaiEditor(g).audit.file;
  if (!file || !existsSync(file))
    return void vscode.window.showInformationMessage('No agent-scoped calls have been made yet.');
  await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
}
