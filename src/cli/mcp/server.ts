// GenDeck's MCP server: the SDK's low-level Server with GenDeck's tools (discovery, estimate, generation, jobs,
// downloads, video search, and the bound Seisoai agent's tools when there is one) and the saved outputs as resources.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { discoveryTools } from './discovery';
import { generationTools } from './generate';
import { jobTools } from './jobs';
import { serveResources } from './resources';
import { HeadlessVideoSearch, searchTools } from './search';
import type { McpSession } from './session';
import { serveTools, type ToolDef } from './toolkit';

export const SERVER_NAME = 'gendeck';

const INSTRUCTIONS = `GenDeck: one client for Seele (games), Seedancee2 (video), Seisoai (media tools), Seek API (workers) and Seeknetic (video search).
Workflow: list_providers → list_seedancee2_models / list_seisoai_tools / list_seekapi_workers → get_input_schema (exact fields) → estimate_cost → a generate/run tool with max_cost → wait_for_job (call again while timed_out) → download_outputs.
Every paid call takes max_cost in the provider's unit and counts against this server's lifetime cap (GENDECK_MCP_MAX_SPEND); a call above either, or of unknown cost without the user's confirmation, is refused with nothing sent.`;

export interface BuiltServer {
  server: Server;
  tools: ToolDef<unknown>[];
  close(): Promise<void>;
}

export function createMcpServer(s: McpSession, o: { version: string; timeScale?: number }): BuiltServer {
  const server = new Server(
    { name: SERVER_NAME, title: 'GenDeck', version: o.version },
    { capabilities: { tools: {}, resources: {} }, instructions: INSTRUCTIONS },
  );
  const search = new HeadlessVideoSearch(s, o.timeScale);
  const tools = [...discoveryTools(s), ...generationTools(s), ...jobTools(s), ...searchTools(s, search)];
  serveTools(server, () => tools, s.log);
  serveResources(server, s);
  return {
    server,
    tools,
    close: async () => {
      await search.dispose();
      await server.close();
    },
  };
}
