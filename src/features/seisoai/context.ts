import type * as vscode from 'vscode';
import type { AgentRoutes, AuditLog } from '../../core/providers/seisoai/agents';
import type { FeatureContext } from '../feature';
import type { ToolsNode, ToolsTreeProvider } from './toolsTree';

/** Seisoai's editor state: the Tools view, the agent routes and their audit log, read-only documents. */
export interface SeisoaiState {
  tools: ToolsTreeProvider;
  view: vscode.TreeView<ToolsNode>;
  audit: AuditLog;
  agents: AgentRoutes;
}
export type SeisoaiContext = FeatureContext<SeisoaiState>;
