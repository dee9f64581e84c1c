import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { GenDeck } from '../../context';
import { redactor } from '../../core/redact';
import { AgentRoutes, AuditLog } from '../../core/providers/seisoai/agents';
import { X402Payer, type PaymentPrompt } from '../../core/x402/payer';
import { ReceiptLog } from '../../core/x402/receipts';
import { ToolsTreeProvider, type ToolsNode } from '../../views/toolsTree';
import { seisoaiSettings } from './settings';
import { DOC_SCHEME, SeisoaiDocs } from './views';

/** Seisoai's editor-side pieces, one set per GenDeck. */
export interface SeisoaiEditor {
  tools: ToolsTreeProvider;
  view: vscode.TreeView<ToolsNode>;
  /** The receipts of the mode in use (the sandbox keeps its own, so trying it costs no real budget). */
  receipts(): ReceiptLog;
  audit: AuditLog;
  agents: AgentRoutes;
  docs: SeisoaiDocs;
}

const editors = new WeakMap<GenDeck, SeisoaiEditor>();

export function seisoaiEditor(g: GenDeck): SeisoaiEditor {
  const s = editors.get(g);
  if (!s) throw new Error('Seisoai is not set up yet.');
  return s;
}

/** The modal that shows what an x402 payment is for; only "Pay" approves it. */
export async function confirmPayment(p: PaymentPrompt, sandbox: boolean): Promise<boolean> {
  const pay = `Pay ${p.amountUsdc} USDC`;
  const detail = [
    `Amount: ${p.amountUsdc} USDC (${p.amountAtomic} units, 6 decimals)`,
    `Recipient: ${p.payTo}`,
    `Network: ${p.networkLabel} (${p.network})`,
    `Asset: USDC ${p.asset}`,
    `Resource: ${p.resource}`,
    p.description ? `Seisoai describes it as: “${p.description}”` : undefined,
    `Last 24 hours: ${p.spentTodayUsdc} of ${p.maxPerDayUsdc} USDC; limit per payment ${p.maxPerPaymentUsdc} USDC.`,
    'GenDeck signs one transfer authorization, valid for about two minutes, and sends it once.',
    sandbox ? 'Sandbox: a throwaway wallet pays the local emulator; no real funds move.' : undefined,
  ]
    .filter(Boolean)
    .join('\n');
  const choice = await vscode.window.showWarningMessage(
    `Pay ${p.amountUsdc} USDC to Seisoai${p.toolId ? ` for ${p.toolId}` : ''}?`,
    { modal: true, detail },
    pay,
  );
  return choice === pay;
}

/**
 * Wires Seisoai into the editor: the Tools view, the x402 payer (limits from settings, the wallet
 * key from SecretStorage, a receipts log in global storage) and the agent audit log. In sandbox
 * mode a throwaway wallet pays the emulator, so a real wallet key never signs for the sandbox.
 */
export function setupSeisoai(g: GenDeck): vscode.Disposable {
  const provider = g.providers.seisoai;
  const storage = g.context.globalStorageUri.fsPath;
  const realReceipts = new ReceiptLog(vscode.Uri.joinPath(g.context.globalStorageUri, 'x402-receipts.jsonl').fsPath);
  const sandboxReceipts = new ReceiptLog(
    vscode.Uri.joinPath(g.context.globalStorageUri, 'x402-receipts-sandbox.jsonl').fsPath,
  );
  let sandboxWallet: string | undefined;
  const limits = () => seisoaiSettings.x402Limits();
  const realPayer = new X402Payer({
    limits,
    confirm: (p) => confirmPayment(p, false),
    getWalletKey: () => g.secrets.get('x402-wallet'),
    receipts: realReceipts,
    logger: g.log,
  });
  const sandboxPayer = new X402Payer({
    limits,
    confirm: (p) => confirmPayment(p, true),
    getWalletKey: async () => {
      if (!sandboxWallet) {
        sandboxWallet = `0x${randomBytes(32).toString('hex')}`;
        redactor.add(sandboxWallet);
      }
      return sandboxWallet;
    },
    receipts: sandboxReceipts,
    logger: g.log,
  });
  const tools = new ToolsTreeProvider(() => provider.registry);
  const view = vscode.window.createTreeView<ToolsNode>('gendeck.tools', {
    treeDataProvider: tools,
    showCollapseAll: true,
  });
  const audit = new AuditLog(vscode.Uri.joinPath(g.context.globalStorageUri, 'seisoai-agent-audit.jsonl').fsPath);
  const agents = new AgentRoutes(provider, audit);
  const docs = new SeisoaiDocs();
  const choosePayer = () => {
    provider.payer = g.sandbox.active ? sandboxPayer : realPayer;
  };
  choosePayer();
  editors.set(g, {
    tools,
    view,
    receipts: () => (g.sandbox.active ? sandboxReceipts : realReceipts),
    audit,
    agents,
    docs,
  });
  g.log.debug(`Seisoai receipts and agent audit log live in ${storage}.`);
  const subs = [
    tools,
    view,
    docs,
    vscode.workspace.registerTextDocumentContentProvider(DOC_SCHEME, docs),
    g.sandbox.onDidChange(() => {
      // Another base URL: the cached registry belongs to the other one.
      choosePayer();
      provider.registry.invalidate();
      tools.refresh();
    }),
    g.secrets.onDidChange((name) => {
      if (name === 'seisoai') tools.refresh();
    }),
  ];
  return { dispose: () => subs.forEach((s) => s.dispose()) };
}
