import * as vscode from 'vscode';
import type { CommandContext } from '../commands/command';
import { fetchOutputs } from '../commands/downloadOutputs';
import { PROVIDER_IDS, PROVIDER_LABELS, createLaunchers } from '../core/providers/index';
import { settings } from '../settings';
import { AgentActions, capUnit } from './actions';
import { ChatBudget } from './chatBudget';
import type { AgentHost } from './host';
import { GenDeckMcpServers } from './mcpProvider';
import { toolsOf } from './tools';

// GenDeck for agents inside the editor: the language-model tools over GenDeck's own services (jobs they start are in
// the Jobs tree and polled like any other), and the MCP server definition. extension.ts calls registerAgents once.

/** The workspace video search as the Seeknetic feature offers it (extension.ts hands it over). */
export interface WorkspaceVideoSearch {
  state(): Promise<{ indexed: number }>;
  search(
    query: string,
    tags?: Record<string, string[]>,
    signal?: AbortSignal,
  ): Promise<{
    groups: {
      moments: {
        hit: {
          path: string;
          score: number;
          entry: { duration?: number; start: number; end: number; tags: Record<string, string[]> };
        };
      }[];
    }[];
  }>;
}

/** The tools' view of GenDeck's services. */
export function editorHost(c: CommandContext, search?: WorkspaceVideoSearch): AgentHost {
  const { g } = c;
  const chat = new ChatBudget({
    caps: () => ({ spend: settings.agents.maxSpendPerChatSession(), jobs: settings.agents.maxJobsPerChatSession() }),
    unit: capUnit,
    label: (id) => PROVIDER_LABELS[id],
    job: (key) => g.store.get(key),
  });
  const folders = () => (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  return {
    providers: g.providers,
    launchers: createLaunchers(g.providers),
    jobs: g.store,
    addJob: (job) => g.addJob(job),
    kick: (keys) => g.scheduler.kick(keys),
    sandbox: () => g.sandbox.active,
    hasKey: async (id) => !!(await g.keyFor(id)),
    budget: g.budget,
    chat,
    workspaceFolders: () => folders().map((f) => f.uri.fsPath),
    relativePath: (p) => vscode.workspace.asRelativePath(p, false),
    maxInlineBytes: () => settings.maxInlineMediaMB() * 1024 * 1024,
    async download(job, outputs) {
      const done = await fetchOutputs(g, job, outputs);
      if (!done) throw new Error(vscode.l10n.t('No folder to download into.'));
      return done.files;
    },
    searchVideos: search
      ? async (query, signal) => {
          const { indexed } = await search.state();
          const groups = indexed ? (await search.search(query, {}, signal)).groups : [];
          const hits = groups
            .flatMap((g) => g.moments.map((m) => m.hit))
            .sort((a, b) => b.score - a.score)
            .map((h) => ({
              path: h.path,
              score: h.score,
              duration: h.entry.duration,
              start: h.entry.start,
              end: h.entry.end,
              tags: h.entry.tags,
            }));
          return { indexed, hits };
        }
      : undefined,
    log: g.log,
  };
}

/** The language-model tools and the MCP server definition provider, onto the shell's stand-ins. */
export function registerAgents(c: CommandContext, o: { search?: WorkspaceVideoSearch } = {}): vscode.Disposable[] {
  const { g } = c;
  const out: vscode.Disposable[] = [];
  // Older editors lack these APIs (the engine says 1.101, but a fork may not have them): GenDeck runs without them.
  if (typeof vscode.lm?.registerTool === 'function') {
    const actions = new AgentActions(editorHost(c, o.search));
    out.push(g.shell.lmTools.attach(toolsOf(actions, (line) => g.log.info(line))));
  }
  if (typeof vscode.lm?.registerMcpServerDefinitionProvider === 'function') {
    const servers = new GenDeckMcpServers({
      extensionPath: g.context.extensionUri.fsPath,
      version: String((g.context.extension.packageJSON as { version?: unknown }).version ?? '0'),
      sandbox: () => g.sandbox.active,
      baseUrl: (id) => settings.baseUrl(id),
      storedKey: (id) => g.secrets.get(id),
      spendCaps: () => settings.agents.maxSpendPerChatSession(),
      cwd: () => vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri,
      changes: [
        g.secrets.onDidChange,
        g.sandbox.onDidChange,
        (listener) =>
          settings.onChange([...PROVIDER_IDS.map((id) => `${id}.baseUrl`), 'agents.maxSpendPerChatSession'], listener),
      ],
      log: (line) => g.log.info(line),
    });
    out.push(servers, g.shell.mcp.attach(servers));
  }
  return out;
}
