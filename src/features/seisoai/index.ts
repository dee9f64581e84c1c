import * as vscode from 'vscode';
import { AgentRoutes, AuditLog } from '../../core/providers/seisoai/agents';
import { defineFeature } from '../feature';
import type { SeisoaiState } from './context';
import { runAgent } from './runAgent';
import { runTool } from './runTool';
import { runToolOnSelection } from './runToolOnSelection';
import { ToolsTreeProvider, type ToolsNode } from './toolsTree';
import { refreshTools, showAgentAudit, showManifest, showReceipts } from './views';
import { choosePayment, clearWalletKey, setWalletKey } from './wallet';

function presetValues(preset: unknown): Record<string, unknown> | undefined {
  const values = (preset as { values?: unknown } | undefined)?.values;
  return values && typeof values === 'object' && !Array.isArray(values)
    ? (values as Record<string, unknown>)
    : undefined;
}

/** Seisoai: the Tools view, tool forms, x402 payments (GenDeck.payments), agents. */
export const seisoaiFeature = defineFeature<SeisoaiState, 'seisoai'>({
  id: 'seisoai',
  activate({ g }) {
    const provider = g.providers.seisoai;
    const tools = new ToolsTreeProvider(() => provider.registry);
    const view = g.shell.tools.view as vscode.TreeView<ToolsNode>;
    const audit = new AuditLog(vscode.Uri.joinPath(g.context.globalStorageUri, 'seisoai-agent-audit.jsonl').fsPath);
    const agents = new AgentRoutes(provider, audit);
    g.log.debug(`Seisoai receipts and agent audit log live in ${g.context.globalStorageUri.fsPath}.`);
    const disposables = [
      tools,
      g.shell.tools.tree.attach(tools as vscode.TreeDataProvider<unknown>),
      g.sandbox.onDidChange(() => {
        // Another base URL: the cached registry belongs to the other one.
        provider.registry.invalidate();
        tools.refresh();
      }),
      g.secrets.onDidChange((name) => {
        if (name === 'seisoai') tools.refresh();
      }),
    ];
    return { state: { tools, view, audit, agents }, disposables };
  },
  // Getters: the labels are read when the features activate (activateFeatures), not when this module loads.
  starts: [
    {
      get label() {
        return vscode.l10n.t('Run a Tool…');
      },
      get detail() {
        return vscode.l10n.t('Image, video, audio and 3D tools');
      },
      command: 'gendeck.seisoai.runTool',
    },
    {
      get label() {
        return vscode.l10n.t('Run an Agent…');
      },
      get detail() {
        return vscode.l10n.t('A task in plain words, tools chosen for it');
      },
      command: 'gendeck.seisoai.runAgent',
    },
  ],
  commands: {
    // A second argument { values } opens the form filled in (an alternative tool offered after a refusal).
    'gendeck.seisoai.runTool': (c, arg, preset) => runTool(c, arg, { values: presetValues(preset) }),
    // From the Explorer: (clicked file, selected files); from the palette: none, the files are asked for.
    'gendeck.seisoai.runToolOnSelection': runToolOnSelection,
    'gendeck.seisoai.refreshTools': refreshTools,
    'gendeck.seisoai.showManifest': showManifest,
    'gendeck.seisoai.setWalletKey': setWalletKey,
    'gendeck.seisoai.clearWalletKey': clearWalletKey,
    'gendeck.seisoai.choosePayment': choosePayment,
    'gendeck.seisoai.showReceipts': showReceipts,
    'gendeck.seisoai.runAgent': runAgent,
    'gendeck.seisoai.showAgentAudit': showAgentAudit,
  },
  async rerun(c, job) {
    const meta = job.meta as { toolId?: string; agentId?: string };
    if (!meta.toolId || meta.agentId)
      return void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'Agent runs are started again with "GenDeck: Run Agent…", so the agent and its tools are checked anew.',
        ),
      );
    // The form opens with the same values; the price is shown again before anything is sent.
    await runTool(c, meta.toolId, { values: job.request });
  },
});

declare module '../../commandIds' {
  interface FeatureCommandIds {
    'gendeck.seisoai.runTool': 'seisoai';
    'gendeck.seisoai.runToolOnSelection': 'seisoai';
    'gendeck.seisoai.refreshTools': 'seisoai';
    'gendeck.seisoai.showManifest': 'seisoai';
    'gendeck.seisoai.setWalletKey': 'seisoai';
    'gendeck.seisoai.clearWalletKey': 'seisoai';
    'gendeck.seisoai.choosePayment': 'seisoai';
    'gendeck.seisoai.showReceipts': 'seisoai';
    'gendeck.seisoai.runAgent': 'seisoai';
    'gendeck.seisoai.showAgentAudit': 'seisoai';
  }
}
