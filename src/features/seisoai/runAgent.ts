import * as vscode from 'vscode';
import { action as errorAction } from '../../commandIds';
import { SetupNeeded, ValidationError, withActions } from '../../core/errors';
import { AGENT_ID_RE } from '../../core/providers/seisoai/contract';
import { invokeResponseSchema } from '../../core/providers/seisoai/schemas';
import { toInvokeResult } from '../../core/providers/seisoai/provider';
import { withProgress } from '../../commands/util';
import { runTool } from './runTool';
import type { SeisoaiContext } from './context';

/**
 * "Run Agent…": the only way GenDeck reaches Seisoai's agent-scoped routes. The agent id comes from
 * GET /agents or is typed exactly; its declared tools are loaded; only those can be run; every call
 * goes to the audit log with the reason given here.
 */
export async function runAgent(c: SeisoaiContext): Promise<void> {
  const { g } = c;
  const { agents } = c.feature;
  if (!(await g.keyFor('seisoai'))) {
    return g.reportError(
      withActions(
        new SetupNeeded('Agent routes run only with your own Seisoai API key.'),
        errorAction('Set API Key', 'gendeck.setApiKey', 'seisoai'),
        errorAction('Try the Sandbox', 'gendeck.trySandbox'),
      ),
    );
  }
  const how = await vscode.window.showQuickPick(
    [
      {
        label: '$(list-unordered) Choose from my agents',
        detail: 'Lists your agents (GET /api/gateway/agents).',
        list: true,
      },
      {
        label: '$(edit) Enter the exact agent id…',
        detail: 'No lookup by name: the id is used exactly as typed.',
        list: false,
      },
    ],
    {
      title: 'Run a Seisoai agent',
      placeHolder: 'Agent-scoped calls are audited and limited to the tools the agent declares',
    },
  );
  if (!how) return;
  let agentId: string | undefined;
  if (how.list) {
    const list = await withProgress(g, 'Loading Seisoai agents…', () =>
      agents.listAgents('user chose "Run Agent…" and asked for the list'),
    );
    if (!list) return;
    if (!list.length) return void vscode.window.showInformationMessage('Seisoai lists no agents for this key.');
    const pick = await vscode.window.showQuickPick(
      list.map((a) => ({ label: a.name, description: a.id, detail: a.description, id: a.id })),
      { title: 'Choose the agent', matchOnDescription: true },
    );
    agentId = pick?.id;
  } else {
    agentId = await vscode.window.showInputBox({
      title: 'Exact Seisoai agent id',
      prompt: 'Paste the id exactly; GenDeck never guesses it from a name.',
      ignoreFocusOut: true,
      validateInput: (v) =>
        AGENT_ID_RE.test(v) ? undefined : 'An agent id is letters, digits, and . _ : - (no spaces).',
    });
  }
  if (!agentId) return;
  const reason = await vscode.window.showInputBox({
    title: 'Why run this agent? (kept in the agent audit log)',
    value: `User asked to run agent ${agentId}`,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'Give a short reason.'),
  });
  if (!reason) return;
  const session = await withProgress(g, `Loading agent ${agentId}…`, () => agents.open(agentId!, reason.trim()));
  if (!session) return;
  const a = session.agent;
  if (!a.tools.length)
    return void vscode.window.showWarningMessage(
      `Agent ${a.name} declares no tools, so nothing can be run through it.`,
    );
  const action = await vscode.window.showQuickPick(
    [
      ...a.tools.map((id) => ({ label: id, description: 'run this declared tool', tool: id })),
      {
        label: '$(run-all) Orchestrate…',
        description: `one prompt across declared tools (POST /agent/${a.id}/orchestrate)`,
        tool: undefined,
      },
    ],
    {
      title: `${a.name} (${a.id}) declares ${a.tools.length} tool${a.tools.length === 1 ? '' : 's'}`,
      placeHolder: 'Only declared tools can be used',
    },
  );
  if (!action) return;
  if (action.tool) return runTool(c, action.tool, { agent: session, reason: reason.trim() });
  const tools = await vscode.window.showQuickPick(
    a.tools.map((id) => ({ label: id, picked: true })),
    { title: 'Tools the orchestration may use (declared by the agent)', canPickMany: true },
  );
  if (!tools?.length) return;
  const prompt = await vscode.window.showInputBox({
    title: `Prompt for ${a.name}`,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'The prompt is empty.'),
  });
  if (!prompt) return;
  const ok = await vscode.window.showWarningMessage(
    `Let ${a.name} run ${tools.map((t) => t.label).join(', ')}?`,
    { modal: true, detail: 'Charged to your Seisoai API key credits. The call is written to the agent audit log.' },
    'Run',
  );
  if (ok !== 'Run') return;
  const raw = await withProgress(g, `${a.name} is working…`, () =>
    session.orchestrate({ tools: tools.map((t) => t.label), prompt: prompt.trim() }, reason.trim()),
  );
  if (raw === undefined) return;
  const parsed = invokeResponseSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError('Seisoai sent an orchestration answer GenDeck cannot read.');
  const r = toInvokeResult(
    { id: `agent:${a.id}`, name: a.name, category: 'other' },
    { prompt: prompt.trim(), tools: tools.map((t) => t.label) },
    parsed.data,
    raw,
    'apiKey',
    { agentId: a.id, sandbox: g.sandbox.active, title: `${a.name}: ${prompt.trim().slice(0, 50)}` },
  );
  g.addJob(r.job);
  if (r.mode === 'sync') c.ui.previews.open(r.job.key);
}
