// The language-model tools as the editor sees them: package.json's `languageModelTools` are exactly the tools
// agents/ registers, each declaring the JSON Schema of the zod input it parses on arrival; every provider that starts
// jobs has its generate tool; the settings the caps read are declared with the same defaults; a spending tool's
// confirmation is text (a provider's words never become Markdown), and its errors reach the model as one sentence.
import '../support/vscodeStub';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as vscode from 'vscode';
import { GENERATE_TOOL, SPENDING_TOOLS, type AgentActions } from '../../src/agents/actions';
import { INPUTS, jsonSchemaOf, parseInput, TOOL_NAMES } from '../../src/agents/inputs';
import { MCP_PROVIDER_ID } from '../../src/agents/mcpProvider';
import { toolsOf } from '../../src/agents/tools';
import { ValidationError } from '../../src/core/errors';
import { PROVIDER_IDS, PROVIDERS } from '../../src/core/providers/index';
import { AGENT_JOBS_PER_SESSION_DEFAULT, AGENT_SESSION_CAP_DEFAULTS } from '../../src/settings';
import { MarkdownString } from '../support/vscodeStub';

interface ManifestTool {
  name: string;
  displayName: string;
  userDescription?: string;
  modelDescription: string;
  toolReferenceName?: string;
  canBeReferencedInPrompt?: boolean;
  tags?: string[];
  inputSchema: unknown;
}
const root = join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  engines: { vscode: string };
  devDependencies: Record<string, string>;
  contributes: {
    languageModelTools: ManifestTool[];
    mcpServerDefinitionProviders: { id: string; label: string }[];
    configuration: { properties: Record<string, { default?: unknown; scope?: string }> }[];
  };
};
const tools = manifest.contributes.languageModelTools;

describe('languageModelTools in package.json', () => {
  it('are exactly the tools GenDeck registers, each declaring the JSON Schema of the input it parses', () => {
    assert.deepEqual(
      tools.map((t) => t.name),
      TOOL_NAMES,
    );
    for (const t of tools) {
      assert.deepEqual(t.inputSchema, jsonSchemaOf(t.name as keyof typeof INPUTS), `${t.name}: inputSchema`);
      assert.match(t.displayName, /^%languageModelTool\.[\w.]+\.displayName%$/, `${t.name}: displayName`);
      assert.ok(t.modelDescription.length > 60, `${t.name}: modelDescription`);
      assert.equal(t.canBeReferencedInPrompt, true);
      assert.ok(t.tags?.includes('gendeck'), `${t.name}: tags`);
    }
    const refs = tools.map((t) => t.toolReferenceName);
    assert.equal(new Set(refs).size, refs.length, 'a toolReferenceName twice');
  });

  it('every provider that starts jobs has its generate tool, which asks before it spends', () => {
    for (const id of PROVIDER_IDS) {
      if (!PROVIDERS[id].launcher) continue;
      const name = GENERATE_TOOL[id];
      assert.ok(name, `${id} has no generate tool`);
      assert.ok(SPENDING_TOOLS.includes(name));
      assert.match(tools.find((t) => t.name === name)!.modelDescription, /the user confirms first/);
    }
  });

  it('the MCP server definition provider is contributed under the id it is registered with', () => {
    assert.deepEqual(
      manifest.contributes.mcpServerDefinitionProviders.map((p) => p.id),
      [MCP_PROVIDER_ID],
    );
  });

  it('the engine is one with both APIs (languageModelTools 1.95, MCP server definitions 1.101), and the types match it', () => {
    const [major, minor] = manifest.engines.vscode
      .replace(/^[\^~]/, '')
      .split('.')
      .map(Number);
    assert.ok(major > 1 || minor >= 101, manifest.engines.vscode);
    assert.equal(manifest.devDependencies['@types/vscode'].replace(/^[\^~]/, ''), '1.101.0');
  });

  it('the cap settings are declared with the defaults the code falls back to, for the user only', () => {
    const props = Object.assign({}, ...manifest.contributes.configuration.map((c) => c.properties));
    assert.deepEqual(props['gendeck.agents.maxSpendPerChatSession'].default, AGENT_SESSION_CAP_DEFAULTS);
    assert.equal(props['gendeck.agents.maxJobsPerChatSession'].default, AGENT_JOBS_PER_SESSION_DEFAULT);
    assert.equal(props['gendeck.agents.maxSpendPerChatSession'].scope, 'application');
    assert.equal(props['gendeck.agents.maxJobsPerChatSession'].scope, 'application');
  });
});

describe('tool input', () => {
  it('is parsed with zod on arrival: unknown fields, wrong types and bad ids are refused with the field named', () => {
    assert.deepEqual(parseInput('gendeck_generate_video', { prompt: 'a kite', duration: 4 }), {
      prompt: 'a kite',
      duration: 4,
    });
    const refuse = (name: keyof typeof INPUTS, input: unknown, re: RegExp) =>
      assert.throws(
        () => parseInput(name, input),
        (e: unknown) => e instanceof ValidationError && re.test(e.message),
      );
    refuse('gendeck_generate_video', { prompt: 'x', webhook: 'https://evil' }, /Unrecognized key.*webhook/);
    refuse('gendeck_generate_video', { prompt: 'x', duration: 4.5 }, /duration/);
    refuse('gendeck_generate_video', { prompt: '' }, /prompt/);
    refuse('gendeck_run_seisoai_tool', { tool: '../agent/x', input: {} }, /tool/);
    refuse('gendeck_run_seisoai_tool', { tool: 'flux', input: 'a string' }, /input/);
    refuse('gendeck_list_models', { provider: 'openai' }, /provider/);
    refuse('gendeck_wait_for_job', { job: 'x', timeoutSeconds: 3600 }, /timeoutSeconds/);
    refuse('gendeck_generate_game', null, /prompt/);
  });
});

describe('registered tools', () => {
  const calls: { what: string; name: string; session: string }[] = [];
  const actions = {
    async prepare(name: string, _input: unknown, ctx: { session: string }) {
      calls.push({ what: 'prepare', name, session: ctx.session });
      if (name === 'gendeck_generate_game') throw new ValidationError('Seele takes no field colour.');
      return {
        invocation: 'Starting…',
        confirmation: {
          title: 'Start a Seedancee2 job?',
          lines: ['Seedancee2 · [mini](https://evil)', 'Estimate: ~20 credits.'],
        },
      };
    },
    async invoke(name: string, _input: unknown, ctx: { session: string }) {
      calls.push({ what: 'invoke', name, session: ctx.session });
      return { started: { job: 'seedancee2:t1' } };
    },
  } as unknown as AgentActions;
  const tools = toolsOf(actions, () => undefined);
  const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) };
  type Tool = vscode.LanguageModelTool<unknown>;

  it('one per contributed tool', () => {
    assert.deepEqual([...tools.keys()], TOOL_NAMES);
  });

  it('a confirmation whose lines are text, never Markdown; the result is the JSON answer', async () => {
    const t = tools.get('gendeck_generate_video') as Tool;
    const prepared = await t.prepareInvocation!(
      { input: { prompt: 'x' }, chatSessionId: 'c1' } as vscode.LanguageModelToolInvocationPrepareOptions<unknown>,
      token as unknown as vscode.CancellationToken,
    );
    const message = prepared!.confirmationMessages!.message as unknown as MarkdownString;
    assert.ok(message instanceof MarkdownString);
    assert.ok(!message.value.includes('[mini](https://evil)'), message.value);
    assert.match(message.value, /Estimate: \\~20 credits/);
    const result = await t.invoke(
      { input: { prompt: 'x' }, toolInvocationToken: undefined },
      token as unknown as vscode.CancellationToken,
    );
    const part = (result as vscode.LanguageModelToolResult).content[0] as vscode.LanguageModelTextPart;
    assert.deepEqual(JSON.parse(part.value), { started: { job: 'seedancee2:t1' } });
    assert.deepEqual(
      calls.map((c) => `${c.what} ${c.session}`),
      ['prepare chat:c1', 'invoke window'],
    );
  });

  it('a refusal reaches the model as one sentence, before any confirmation', async () => {
    const t = tools.get('gendeck_generate_game') as Tool;
    await assert.rejects(
      Promise.resolve(t.prepareInvocation!({ input: {} }, token as unknown as vscode.CancellationToken)),
      /^Error: Seele takes no field colour\.$/,
    );
  });
});
