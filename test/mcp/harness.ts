// Drives `node dist/cli.js mcp` through the SDK's own Client over stdio, in a fresh state folder and working folder,
// with the sandbox's clock sped up; reads the sandbox it serves (its origin and key from the state folder) so a test
// can see what did or did not reach a provider.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  ElicitRequestSchema,
  type CallToolResult,
  type ElicitRequest,
  type ElicitResult,
} from '@modelcontextprotocol/sdk/types.js';
import { REPO_ROOT } from '../support/ffmpeg';

export const CLI = join(REPO_ROOT, 'dist', 'cli.js');

/** Fake keys of every provider: none may ever show in anything the server says or logs. */
export const FAKE_KEYS = {
  SEEDANCEE2_API_KEY: 'sk_live_seedance_0123456789abcdef',
  SEELE_API_KEY: 'sk_live_seele_0123456789abcdef',
  SEISOAI_API_KEY: 'sk_live_seisoai_0123456789abcdef',
  SEEKAPI_KEY: 'sk_live_seekapi_0123456789abcdef',
  SEEKNETIC_API_KEY: 'sk_live_seeknetic_0123456789abcdef',
};

export interface McpHarness {
  client: Client;
  stateDir: string;
  cwd: string;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  /** Every message the client received (responses and notifications), as JSON text. */
  received: string[];
  /** Elicitation requests the server sent. */
  elicitations: ElicitRequest['params'][];
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

export interface StartOptions {
  args?: string[];
  env?: Record<string, string>;
  /** Advertise elicitation and answer each request with this. */
  elicit?: (req: ElicitRequest['params']) => ElicitResult;
  stateDir?: string;
  cwd?: string;
  sandbox?: boolean;
}

export async function startMcp(o: StartOptions = {}): Promise<McpHarness> {
  const stateDir = o.stateDir ?? mkdtempSync(join(tmpdir(), 'gendeck-mcp-state-'));
  const cwd = o.cwd ?? mkdtempSync(join(tmpdir(), 'gendeck-mcp-work-'));
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', ...(o.sandbox === false ? [] : ['--sandbox']), ...(o.args ?? [])],
    cwd,
    env: { GENDECK_STATE_DIR: stateDir, GENDECK_SANDBOX_TIME_SCALE: '0.01', ...FAKE_KEYS, ...o.env },
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => (err += d.toString('utf8')));
  const received: string[] = [];
  const elicitations: ElicitRequest['params'][] = [];
  const client = new Client(
    { name: 'gendeck-test', version: '1.0.0' },
    { capabilities: o.elicit ? { elicitation: { form: {} } } : {} },
  );
  if (o.elicit) {
    const answer = o.elicit;
    client.setRequestHandler(ElicitRequestSchema, async (req) => {
      elicitations.push(req.params);
      return answer(req.params);
    });
  }
  await client.connect(transport);
  // Every message after the handshake, as it arrived (the transport's own handler stays in charge).
  const onmessage = transport.onmessage;
  transport.onmessage = (m) => {
    received.push(JSON.stringify(m));
    onmessage?.(m);
  };
  return {
    client,
    stateDir,
    cwd,
    stderr: () => err,
    received,
    elicitations,
    call: async (name, args = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    close: () => client.close(),
  };
}

/** The text of a tool result. */
export function textOf(r: CallToolResult): string {
  return r.content
    .filter((c) => c.type === 'text')
    .map((c) => (c as { text: string }).text)
    .join('\n');
}

/** The structured content, typed loosely for assertions. */
export function data<T = Record<string, unknown>>(r: CallToolResult): T {
  if (r.isError) throw new Error(`tool error: ${textOf(r)}`);
  return r.structuredContent as T;
}

/** The sandbox the server serves, as a provider would be seen from outside: its own list endpoints, with its key. */
export function sandboxOf(stateDir: string) {
  const running = JSON.parse(readFileSync(join(stateDir, 'sandbox', 'running.json'), 'utf8')) as {
    origin: string;
    basePaths: Record<string, string>;
  };
  const key = (
    JSON.parse(readFileSync(join(stateDir, 'sandbox', 'state.json'), 'utf8')) as { __sandbox: { key: string } }
  ).__sandbox.key;
  const get = async (path: string, headers: Record<string, string>) => {
    const r = await fetch(`${running.origin}${path}`, { headers });
    return (await r.json()) as Record<string, unknown>;
  };
  return {
    origin: running.origin,
    key,
    /** Tasks Seedancee2 has for this key. */
    seedanceTasks: async () =>
      ((await get('/seedancee2/v1/videos/generations', { authorization: `Bearer ${key}` })).data as unknown[]).length,
    /** Jobs the Seek API has for this key. */
    seekJobs: async () => {
      const body = await get(`${running.basePaths.seekapi}/jobs`, { 'x-api-key': key });
      const list = (Array.isArray(body) ? body : (body.data ?? body.jobs ?? [])) as unknown[];
      return list.length;
    },
    fault: async (fault: Record<string, unknown>) => {
      const r = await fetch(`${running.origin}/__sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-sandbox-key': key },
        body: JSON.stringify(fault),
      });
      if (!r.ok) throw new Error(`fault not set: ${r.status}`);
    },
  };
}
