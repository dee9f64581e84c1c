// The MCP server definition GenDeck gives the editor (agents/mcpProvider.ts): `node <extension>/dist/cli.js mcp`,
// `--sandbox` when the sandbox is on; keys come from the secret store into the child's environment only when the
// editor starts it, each under its provider's envKey, never in the arguments or the listed definition; inherited key
// variables are removed; a change of keys or sandbox gives a new version.
import '../support/vscodeStub';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { baseUrlEnvVar, GenDeckMcpServers, MCP_SERVER_LABEL, serverEnv } from '../../src/agents/mcpProvider';
import type { ProviderId } from '../../src/core/providerIds';
import { DEFAULT_BASE_URLS, PROVIDER_IDS, PROVIDERS } from '../../src/core/providers/index';
import { EventEmitter, McpStdioServerDefinition, Uri } from '../support/vscodeStub';

const KEYS: Partial<Record<ProviderId, string>> = {
  seedancee2: 'sk-seedance-secret-1',
  seisoai: 'sk-seisoai-secret-2',
};

function servers(o: { sandbox?: boolean; electron?: boolean } = {}) {
  const state = { sandbox: o.sandbox ?? false };
  const secrets = new EventEmitter<string>();
  const sandbox = new EventEmitter<void>();
  const reads: ProviderId[] = [];
  const log: string[] = [];
  const p = new GenDeckMcpServers({
    extensionPath: '/ext/gendeck',
    version: '0.1.0',
    sandbox: () => state.sandbox,
    baseUrl: (id) => (id === 'seele' ? 'https://eu.seele.example/v1' : DEFAULT_BASE_URLS[id]),
    storedKey: async (id) => {
      reads.push(id);
      return KEYS[id];
    },
    spendCaps: () => ({ seedancee2: 200, seisoai: 2 }),
    cwd: () => Uri.file('/work/project') as never,
    changes: [secrets.event, sandbox.event],
    execPath: '/usr/bin/node',
    electron: o.electron ?? false,
    log: (line) => log.push(line),
  });
  return { p, state, secrets, sandbox, reads, log };
}

const everyKeyIn = (text: string) => Object.values(KEYS).filter((k) => text.includes(k!));

describe('GenDeck MCP server definition', () => {
  it('runs dist/cli.js mcp with the editor’s node, from the workspace, without reading a key', () => {
    const { p, reads } = servers();
    const [def] = p.provideMcpServerDefinitions() as unknown as McpStdioServerDefinition[];
    assert.ok(def instanceof McpStdioServerDefinition);
    assert.equal(def.label, MCP_SERVER_LABEL);
    assert.equal(def.command, '/usr/bin/node');
    assert.deepEqual(def.args, ['/ext/gendeck/dist/cli.js', 'mcp']);
    assert.equal((def.cwd as unknown as Uri).fsPath, '/work/project');
    assert.deepEqual(reads, [], 'listing the server reads no key');
    assert.deepEqual(everyKeyIn(JSON.stringify(def)), []);
    // Key variables the editor inherited are removed, so the server uses GenDeck's keys only.
    for (const id of PROVIDER_IDS) assert.equal(def.env[PROVIDERS[id].envKey], null, id);
    assert.equal(def.env[baseUrlEnvVar('seele')], 'https://eu.seele.example/v1');
    assert.equal(def.env.GENDECK_SEEDANCEE2_BASE_URL, DEFAULT_BASE_URLS.seedancee2);
    assert.equal(def.env.ELECTRON_RUN_AS_NODE, undefined);
  });

  it('hands the stored keys over in the environment when the editor starts it, never in the arguments', async () => {
    const { p, log } = servers();
    const def = (await p.resolveMcpServerDefinition(
      p.provideMcpServerDefinitions()[0] as never,
    )) as unknown as McpStdioServerDefinition;
    assert.equal(def.env.SEEDANCEE2_API_KEY, KEYS.seedancee2);
    assert.equal(def.env.SEISOAI_API_KEY, KEYS.seisoai);
    assert.equal(def.env.SEELE_API_KEY, null, 'no key set: removed, not inherited');
    assert.deepEqual(everyKeyIn(def.args.join(' ')), []);
    assert.deepEqual(everyKeyIn(String(def.version)), []);
    assert.match(log.join('\n'), /MCP server "GenDeck" starting with 2 key\(s\) in its environment/);
    assert.deepEqual(everyKeyIn(log.join('\n')), [], 'no key in the log');
  });

  it('in the sandbox: --sandbox, no key and no base URL at all', async () => {
    const { p, reads } = servers({ sandbox: true });
    const def = (await p.resolveMcpServerDefinition(
      p.provideMcpServerDefinitions()[0] as never,
    )) as unknown as McpStdioServerDefinition;
    assert.deepEqual(def.args, ['/ext/gendeck/dist/cli.js', 'mcp', '--sandbox']);
    assert.deepEqual(reads, []);
    assert.deepEqual(everyKeyIn(JSON.stringify(def)), []);
    for (const id of PROVIDER_IDS) assert.equal(def.env[baseUrlEnvVar(id)], null);
  });

  it('a key or sandbox change fires the change event with a new version', () => {
    const { p, state, secrets, sandbox } = servers();
    let fired = 0;
    p.onDidChangeMcpServerDefinitions(() => fired++);
    const v0 = (p.provideMcpServerDefinitions()[0] as unknown as McpStdioServerDefinition).version;
    secrets.fire('seele');
    const v1 = (p.provideMcpServerDefinitions()[0] as unknown as McpStdioServerDefinition).version;
    state.sandbox = true;
    sandbox.fire();
    const v2 = (p.provideMcpServerDefinitions()[0] as unknown as McpStdioServerDefinition).version;
    assert.equal(fired, 2);
    assert.equal(new Set([v0, v1, v2]).size, 3, `${v0} ${v1} ${v2}`);
    p.dispose();
    secrets.fire('seele');
    assert.equal(fired, 2, 'nothing after dispose');
  });

  it('hands the chat-session caps to the server as its lifetime cap, per provider', () => {
    const { p } = servers();
    const env = (p.provideMcpServerDefinitions()[0] as unknown as McpStdioServerDefinition).env;
    assert.equal(env.GENDECK_MCP_MAX_SPEND, 'seedancee2=200,seisoai=2');
  });

  it('on Electron the editor’s binary runs as node', () => {
    const env = serverEnv({ sandbox: false, baseUrls: DEFAULT_BASE_URLS, electron: true, spendCaps: {} });
    assert.equal(env.ELECTRON_RUN_AS_NODE, '1');
    assert.equal(env.GENDECK_MCP_MAX_SPEND, null, 'no cap: the inherited variable removed, so nothing is paid');
    const { p } = servers({ electron: true });
    assert.equal(
      (p.provideMcpServerDefinitions()[0] as unknown as McpStdioServerDefinition).env.ELECTRON_RUN_AS_NODE,
      '1',
    );
  });
});
