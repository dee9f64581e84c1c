import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ProviderId } from '../core/providerIds';
import { PROVIDER_IDS, PROVIDERS } from '../core/providers/index';

// GenDeck's MCP server for any MCP-capable agent in the editor (package.json `contributes.mcpServerDefinitionProviders`):
// the same stdio server the CLI ships, `node <extension>/dist/cli.js mcp [--sandbox]`. Keys go from SecretStorage to
// the child's environment, under each descriptor's `envKey`, and only when the editor starts it
// (resolveMcpServerDefinition): never in its arguments, the definition the editor lists, the settings or the log.

export { MCP_PROVIDER_ID } from '../shell/views';
export const MCP_SERVER_LABEL = 'GenDeck';

/** `GENDECK_SEEDANCEE2_BASE_URL` for seedancee2: where the server reads a provider's base URL. */
export function baseUrlEnvVar(id: ProviderId): string {
  return `GENDECK_${id.toUpperCase()}_BASE_URL`;
}

export interface McpServerState {
  sandbox: boolean;
  /** The base URL each provider uses (the settings), for the real services. */
  baseUrls: Record<ProviderId, string>;
  /** The editor runs on Electron: its binary is node only with ELECTRON_RUN_AS_NODE. */
  electron: boolean;
  /** What one server may spend in its lifetime, per provider in its unit (the chat-session caps). */
  spendCaps: Partial<Record<ProviderId, number>>;
}

/**
 * The child's environment without any key: base URLs, and each key variable removed (null), so the server uses
 * exactly the keys GenDeck holds, not ones the editor happened to inherit from a shell. In the sandbox no key and
 * no base URL goes at all: `--sandbox` points every provider at the user's sandbox with its own key.
 */
export function serverEnv(s: McpServerState): Record<string, string | null> {
  const env: Record<string, string | null> = {};
  if (s.electron) env.ELECTRON_RUN_AS_NODE = '1';
  for (const id of PROVIDER_IDS) {
    env[PROVIDERS[id].envKey] = null;
    env[baseUrlEnvVar(id)] = s.sandbox ? null : s.baseUrls[id];
  }
  // The server spends nothing outside the sandbox without a cap: the same per-provider caps as the chat tools.
  const caps = Object.entries(s.spendCaps).map(([id, amount]) => `${id}=${amount}`);
  env.GENDECK_MCP_MAX_SPEND = caps.length ? caps.join(',') : null;
  return env;
}

/** The keys, each under its provider's `envKey`; none in the sandbox. */
export async function keyEnv(
  sandbox: boolean,
  key: (id: ProviderId) => Promise<string | undefined>,
): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  if (sandbox) return env;
  for (const id of PROVIDER_IDS) {
    const k = await key(id);
    if (k) env[PROVIDERS[id].envKey] = k;
  }
  return env;
}

export interface McpProviderOptions {
  extensionPath: string;
  version: string;
  sandbox(): boolean;
  baseUrl(id: ProviderId): string;
  /** The stored key (SecretStorage), never the sandbox's. */
  storedKey(id: ProviderId): Promise<string | undefined>;
  /** Where the server starts (the first workspace folder), so its relative paths are the workspace's. */
  cwd(): vscode.Uri | undefined;
  /** The per-provider spend caps handed to the server (GENDECK_MCP_MAX_SPEND). */
  spendCaps(): Partial<Record<ProviderId, number>>;
  /** The events after which the definition is different: keys, the sandbox, base URL and cap settings. */
  changes: vscode.Event<unknown>[];
  /** Node's binary (the editor's own; tests give one). */
  execPath?: string;
  electron?: boolean;
  /** A line for GenDeck's log (never a key: only how many went into the environment). */
  log?: (line: string) => void;
}

/** One stdio server, "GenDeck"; a change of keys, sandbox or base URLs gives it a new version, so the editor restarts it. */
export class GenDeckMcpServers
  implements vscode.McpServerDefinitionProvider<vscode.McpStdioServerDefinition>, vscode.Disposable
{
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeMcpServerDefinitions = this.changed.event;
  private generation = 0;
  private readonly subs: vscode.Disposable[];

  constructor(private readonly o: McpProviderOptions) {
    this.subs = o.changes.map((e) =>
      e(() => {
        this.generation++;
        this.changed.fire();
      }),
    );
  }

  definition(): vscode.McpStdioServerDefinition {
    const sandbox = this.o.sandbox();
    const baseUrls = Object.fromEntries(PROVIDER_IDS.map((id) => [id, this.o.baseUrl(id)])) as Record<
      ProviderId,
      string
    >;
    const electron = this.o.electron ?? !!process.versions.electron;
    const def = new vscode.McpStdioServerDefinition(
      MCP_SERVER_LABEL,
      this.o.execPath ?? process.execPath,
      [join(this.o.extensionPath, 'dist', 'cli.js'), 'mcp', ...(sandbox ? ['--sandbox'] : [])],
      serverEnv({ sandbox, baseUrls, electron, spendCaps: this.o.spendCaps() }),
      `${this.o.version}+${sandbox ? 'sandbox' : 'live'}.${this.generation}`,
    );
    const cwd = this.o.cwd();
    if (cwd) def.cwd = cwd;
    return def;
  }

  provideMcpServerDefinitions(): vscode.McpStdioServerDefinition[] {
    const def = this.definition();
    this.o.log?.(`MCP server "${def.label}" ${def.version} listed for the editor.`);
    return [def];
  }

  /** Called when the editor starts the server: only now are the keys read and put into its environment. */
  async resolveMcpServerDefinition(server: vscode.McpStdioServerDefinition): Promise<vscode.McpStdioServerDefinition> {
    const sandbox = server.args.includes('--sandbox');
    const keys = await keyEnv(sandbox, (id) => this.o.storedKey(id));
    server.env = { ...server.env, ...keys };
    this.o.log?.(
      `MCP server "${server.label}" starting${sandbox ? ' on the sandbox' : ''} with ${Object.keys(keys).length} key(s) in its environment.`,
    );
    return server;
  }

  dispose(): void {
    this.subs.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}
