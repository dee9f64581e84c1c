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
        new SetupNeeded(vscode.l10n.t('Agent routes run only with your own Seisoai API key.')),
        errorAction(vscode.l10n.t('Set API Key'), 'gendeck.setApiKey', 'seisoai'),
        errorAction(vscode.l10n.t('Try the Sandbox'), 'gendeck.trySandbox'),
      ),
    );
  }
  const how = await vscode.window.showQuickPick(
    [
      {
        label: `$(list-unordered) ${vscode.l10n.t('Choose from my agents')}`,
        detail: vscode.l10n.t('Lists your agents (GET /api/gateway/agents).'),
        list: true,
      },
      {
        label: `$(edit) ${vscode.l10n.t('Enter the exact agent id…')}`,
        detail: vscode.l10n.t('No lookup by name: the id is used exactly as typed.'),
        list: false,
      },
    ],
    {
      title: vscode.l10n.t('Run a Seisoai agent'),
      placeHolder: vscode.l10n.t('Agent-scoped calls are audited and limited to the tools the agent declares'),
    },
  );
  if (!how) return;
  let agentId: string | undefined;
  if (how.list) {
    const list = await withProgress(g, vscode.l10n.t('Loading Seisoai agents…'), () =>
      agents.listAgents('user chose "Run Agent…" and asked for the list'),
    );
    if (!list) return;
    if (!list.length)
      return void vscode.window.showInformationMessage(vscode.l10n.t('Seisoai lists no agents for this key.'));
    const pick = await vscode.window.showQuickPick(
      list.map((a) => ({ label: a.name, description: a.id, detail: a.description, id: a.id })),
      { title: vscode.l10n.t('Choose the agent'), matchOnDescription: true },
    );
    agentId = pick?.id;
  } else {
    agentId = await vscode.window.showInputBox({
      title: vscode.l10n.t('Exact Seisoai agent id'),
      prompt: vscode.l10n.t('Paste the id exactly; GenDeck never guesses it from a name.'),
      ignoreFocusOut: true,
      validateInput: (v) =>
        AGENT_ID_RE.test(v) ? undefined : vscode.l10n.t('An agent id is letters, digits, and . _ : - (no spaces).'),
    });
  }
  if (!agentId) return;
  const reason = await vscode.window.showInputBox({
    title: vscode.l10n.t('Why run this agent? (kept in the agent audit log)'),
    value: `User asked to run agent ${agentId}`,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Give a short reason.')),
  });
  if (!reason) return;
  const session = await withProgress(g, vscode.l10n.t('Loading agent {0}…', agentId), () =>
    agents.open(agentId!, reason.trim()),
  );
  if (!session) return;
  const a = session.agent;
  if (!a.tools.length)
    return void vscode.window.showWarningMessage(
      vscode.l10n.t('Agent {0} declares no tools, so nothing can be run through it.', a.name),
    );
  const action = await vscode.window.showQuickPick(
    [
      ...a.tools.map((id) => ({ label: id, description: vscode.l10n.t('run this declared tool'), tool: id })),
      {
        label: `$(run-all) ${vscode.l10n.t('Orchestrate…')}`,
        description: vscode.l10n.t('one prompt across declared tools (POST /agent/{0}/orchestrate)', a.id),
        tool: undefined,
      },
    ],
    {
      title:
        a.tools.length === 1
          ? vscode.l10n.t('{0} ({1}) declares 1 tool', a.name, a.id)
          : vscode.l10n.t('{0} ({1}) declares {2} tools', a.name, a.id, a.tools.length),
      placeHolder: vscode.l10n.t('Only declared tools can be used'),
    },
  );
  if (!action) return;
  if (action.tool) return runTool(c, action.tool, { agent: session, reason: reason.trim() });
  const tools = await vscode.window.showQuickPick(
    a.tools.map((id) => ({ label: id, picked: true })),
    { title: vscode.l10n.t('Tools the orchestration may use (declared by the agent)'), canPickMany: true },
  );
  if (!tools?.length) return;
  const prompt = await vscode.window.showInputBox({
    title: vscode.l10n.t('Prompt for {0}', a.name),
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('The prompt is empty.')),
  });
  if (!prompt) return;
  const run = vscode.l10n.t('Run');
  const ok = await vscode.window.showWarningMessage(
    vscode.l10n.t('Let {0} run {1}?', a.name, tools.map((t) => t.label).join(', ')),
    {
      modal: true,
      detail: vscode.l10n.t('Charged to your Seisoai API key credits. The call is written to the agent audit log.'),
    },
    run,
  );
  if (ok !== run) return;
  const raw = await withProgress(g, vscode.l10n.t('{0} is working…', a.name), () =>
    session.orchestrate({ tools: tools.map((t) => t.label), prompt: prompt.trim() }, reason.trim()),
  );
  if (raw === undefined) return;
  const parsed = invokeResponseSchema.safeParse(raw);
  if (!parsed.success)
    throw new ValidationError(vscode.l10n.t('Seisoai sent an orchestration answer GenDeck cannot read.'));
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
