import * as vscode from 'vscode';
import { action } from '../../commandIds';
import type { GenDeck } from '../../context';
import { describeError, SetupNeeded, withActions } from '../../core/errors';
import { formFromSchema, initialValues, validateValues } from '../../core/forms/schemaForm';
import { hasElidedData } from '../../core/jobs/job';
import type { AgentSession } from '../../core/providers/seisoai/agents';
import { categoryLabel } from '../../core/providers/seisoai/contract';
import { SeisoaiPolicyError, type AuthMode, type InvokeResult } from '../../core/providers/seisoai/provider';
import type { ToolDetail, ToolSummary } from '../../core/providers/seisoai/schemas';
import { X402Error } from '../../core/x402/payer';
import { settings } from '../../settings';
import { formatPrice, formatUsd } from '../../views/format';
import type { ToolsNode } from './toolsTree';
import { openSchemaFormPanel, type HeldFile } from '../../webview/formPanel';
import type { SeisoaiContext } from './context';

export interface RunToolPreset {
  /** Values to start the form with (retry, or a fallback tool after a failure). */
  values?: Record<string, unknown>;
  /** Run through this agent (POST /agent/{id}/invoke/{toolId}) instead of the normal invoke. */
  agent?: AgentSession;
  reason?: string;
  /** Local files already read (Explorer selection), named in `values` by their refs. */
  files?: HeldFile[];
  /** Lines the form shows above its notes (which file went where). */
  notes?: string[];
}

function toolIdFrom(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  const n = arg as ToolsNode | undefined;
  return n?.type === 'tool' ? n.tool.id : undefined;
}

/** A tool from the live registry, grouped by category. */
export async function pickTool(
  g: GenDeck,
  title = vscode.l10n.t('Run a Seisoai tool'),
  only?: string[],
): Promise<ToolSummary | undefined> {
  let tools: ToolSummary[];
  try {
    tools = (await g.providers.seisoai.registry.grouped()).flatMap((grp) => grp.tools);
  } catch (err) {
    await g.reportError(err, vscode.l10n.t('Seisoai tools could not be loaded'));
    return undefined;
  }
  if (only) tools = tools.filter((t) => only.includes(t.id));
  type Item = vscode.QuickPickItem & { tool?: ToolSummary };
  const items: Item[] = [];
  let last: string | undefined;
  for (const t of tools) {
    if (t.category !== last) items.push({ label: categoryLabel(t.category), kind: vscode.QuickPickItemKind.Separator });
    last = t.category;
    items.push({
      label: t.name,
      description: [t.id, t.enabled ? formatUsd(t.price?.usd) : vscode.l10n.t('disabled')].filter(Boolean).join(' · '),
      detail: t.description,
      tool: t,
    });
  }
  const pick = await vscode.window.showQuickPick(items, {
    title,
    placeHolder: vscode.l10n.t('Choose a tool (live list from Seisoai)'),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (pick?.tool && !pick.tool.enabled) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        '{0} is disabled by Seisoai right now; choose another {1} tool.',
        pick.tool.name,
        categoryLabel(pick.tool.category),
      ),
    );
    return undefined;
  }
  return pick?.tool;
}

/** API key when there is one (or the setting says so), else x402; undefined when neither can work. */
async function chooseAuth(g: GenDeck, agent: boolean): Promise<AuthMode | undefined> {
  const hasKey = !!(await g.keyFor('seisoai'));
  const mode = agent ? 'apiKey' : settings.seisoai.payWith();
  if (mode === 'apiKey' || (mode === 'auto' && hasKey)) {
    if (hasKey) return 'apiKey';
  } else if (g.sandbox.active || (await g.secrets.has('x402-wallet'))) {
    return 'x402';
  }
  const what = agent
    ? vscode.l10n.t('Agent routes run only with your own Seisoai API key.')
    : mode === 'apiKey'
      ? vscode.l10n.t('No Seisoai API key is set (setting gendeck.seisoai.payWith is "apiKey").')
      : vscode.l10n.t('No Seisoai API key and no x402 wallet key are set.');
  const wallet =
    agent || mode === 'apiKey' ? [] : [action(vscode.l10n.t('Set Wallet Key (x402)'), 'gendeck.seisoai.setWalletKey')];
  await g.reportError(
    withActions(
      new SetupNeeded(what),
      action(vscode.l10n.t('Set API Key'), 'gendeck.setApiKey', 'seisoai'),
      ...wallet,
      action(vscode.l10n.t('Try the Sandbox'), 'gendeck.trySandbox'),
    ),
  );
  return undefined;
}

function describeOutputs(r: InvokeResult): string {
  const kinds = r.job.outputs.map((o) => o.kind);
  const counts = [...new Set(kinds)].map((k) => `${kinds.filter((x) => x === k).length} ${k}`).join(', ');
  return counts || vscode.l10n.t('no outputs');
}

/** "Run Tool…": the tool's exact schema as a form, the price before submit, then one invoke. */
export async function runTool(c: SeisoaiContext, arg?: unknown, preset: RunToolPreset = {}): Promise<void> {
  const { g } = c;
  const provider = g.providers.seisoai;
  const toolId =
    toolIdFrom(arg) ??
    (
      await pickTool(
        g,
        preset.agent ? vscode.l10n.t('Run a tool through {0}', preset.agent.agent.name) : undefined,
        preset.agent?.agent.tools,
      )
    )?.id;
  if (!toolId) return;
  const auth = await chooseAuth(g, !!preset.agent);
  if (!auth) return;
  let tool: ToolDetail;
  try {
    tool = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Loading {0}…', toolId) },
      () => provider.registry.detail(toolId),
    );
  } catch (err) {
    if (err instanceof SeisoaiPolicyError || (err as { status?: number }).status === 404) c.feature.tools.refresh();
    return g.reportError(err, vscode.l10n.t('Seisoai tool {0} could not be loaded', toolId));
  }
  const form = formFromSchema(tool.inputSchema);
  // Values from a retry or another tool: keep only what this schema has room for.
  // Inline files are not carried (the page never holds file bytes); pick them again.
  // Files the host already holds are carried by their refs.
  const inline = (v: unknown) => JSON.stringify(v ?? null).includes('"data:') || hasElidedData(v);
  const refs = new Set((preset.files ?? []).map((f) => f.info.ref));
  const held = (v: unknown) =>
    Array.isArray(v) ? v.length > 0 && v.every((x) => refs.has(x as string)) : refs.has(v as string);
  const carried = Object.fromEntries(
    Object.entries(preset.values ?? {}).filter(
      ([k, v]) =>
        form.fields.some((f) => f.name === k) &&
        (held(v) || (!inline(v) && !validateValues(tool.inputSchema, { [k]: v })[k])),
    ),
  );
  const maxInlineBytes = Math.round(settings.maxInlineMediaMB() * 1024 * 1024);
  const limits = settings.seisoai.x402Limits();
  const agent = preset.agent;
  let lastInput: Record<string, unknown> = {};
  openSchemaFormPanel(g.context.extensionUri, {
    log: g.log,
    title: vscode.l10n.t('Seisoai: {0}', tool.name),
    init: {
      title: tool.name,
      subtitle: `${tool.id} · ${categoryLabel(tool.category)}`,
      description: tool.description,
      form,
      values: { ...initialValues(form), ...carried },
      submitLabel: tool.executionMode === 'queue' ? vscode.l10n.t('Start Job') : vscode.l10n.t('Run'),
      sandbox: g.sandbox.active,
      badges: [
        categoryLabel(tool.category),
        tool.executionMode === 'queue'
          ? vscode.l10n.t('queued job')
          : tool.executionMode === 'sync'
            ? vscode.l10n.t('instant result')
            : undefined,
        auth === 'x402' ? vscode.l10n.t('x402 (USDC)') : vscode.l10n.t('API key'),
        agent ? vscode.l10n.t('agent: {0}', agent.agent.name) : undefined,
      ].filter((b): b is string => !!b),
      notes: [
        ...(preset.notes ?? []),
        tool.executionMode === 'queue'
          ? vscode.l10n.t('Runs as a job in the Jobs view; GenDeck polls it until it is done.')
          : vscode.l10n.t('The result opens in a preview as soon as it arrives.'),
        auth === 'x402'
          ? vscode.l10n.t(
              'You confirm the USDC payment (amount, recipient, network) before anything is signed; limits: ${0} per payment, ${1} per 24 hours.',
              limits.maxPerPaymentUsd,
              limits.maxPerDayUsd,
            )
          : undefined,
        agent
          ? vscode.l10n.t(
              'Sent through agent {0} (POST /agent/{0}/invoke/{1}); the call is written to the agent audit log.',
              agent.agent.id,
              tool.id,
            )
          : undefined,
        tool.enabled
          ? undefined
          : vscode.l10n.t('Seisoai lists this tool as disabled right now; the call will likely be refused.'),
      ].filter((n): n is string => !!n),
    },
    maxInlineBytes,
    files: preset.files,
    price: async (input, signal) => formatPrice(await provider.price(tool.id, input, signal), auth),
    submit: async (input) => {
      lastInput = input;
      const r = agent
        ? await agent.invoke(tool.id, input, preset.reason ?? 'Run Agent… on user request', {
            maxDataUriBytes: maxInlineBytes,
          })
        : await provider.invoke(tool.id, input, { auth, maxDataUriBytes: maxInlineBytes });
      g.addJob(r.job);
      const paid = !r.payment
        ? undefined
        : r.payment.transaction
          ? vscode.l10n.t(
              'Paid {0} USDC on {1} (transaction {2}…).',
              r.payment.amountUsdc,
              r.payment.network,
              r.payment.transaction.slice(0, 12),
            )
          : vscode.l10n.t('Paid {0} USDC on {1}.', r.payment.amountUsdc, r.payment.network);
      const withPaid = (text: string) => (paid ? `${text} ${paid}` : text);
      if (r.mode === 'sync') {
        c.ui.previews.open(r.job.key);
        return { message: withPaid(vscode.l10n.t('Done: {0}; opened in a preview.', describeOutputs(r))) };
      }
      await c.ui.revealJob(r.job.key);
      return { message: withPaid(vscode.l10n.t('Started job {0}; follow it in the Jobs view.', r.job.id)) };
    },
    onError: async (err) => {
      g.log.warn(`Seisoai ${tool.id}: ${describeError(err)}`);
      if (err instanceof SeisoaiPolicyError) {
        if (err.policy === 'not_found') c.feature.tools.refresh();
        if (err.alternatives.length && !agent) {
          // The other tool's form opens with the values that fit it.
          const options = err.alternatives
            .slice(0, 3)
            .map((t) =>
              action(vscode.l10n.t('Use {0}', t.name), 'gendeck.seisoai.runTool', t.id, { values: lastInput }),
            );
          await g.reportError(withActions(new SetupNeeded(err.message), ...options));
        }
        return;
      }
      if (err instanceof X402Error && err.code === 'no_wallet') {
        await g.reportError(
          withActions(
            new SetupNeeded(err.message),
            action(vscode.l10n.t('Set Wallet Key (x402)'), 'gendeck.seisoai.setWalletKey'),
            action(vscode.l10n.t('Set API Key'), 'gendeck.setApiKey', 'seisoai'),
          ),
        );
      }
    },
  });
}
