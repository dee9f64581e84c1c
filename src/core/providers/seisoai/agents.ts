import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as l10n from '@vscode/l10n';
import { ProviderError, ValidationError, describeError } from '../../errors';
import { AGENT_ID_RE, API_PREFIX, TOOL_ID_RE } from './contract';
import { toolPath } from './client';
import { toInvokeResult, type InvokeResult, type SeisoaiProvider } from './provider';
import {
  agentDetailSchema,
  agentListSchema,
  invokeResponseSchema,
  readAgentDetail,
  readAgentSummary,
  type AgentDetail,
  type AgentSummary,
} from './schemas';

// Agent-scoped routes (/agents, /agent/{id}, /agent/{id}/invoke/{toolId}, /agent/{id}/orchestrate) are
// privileged. Following the doc's mandatory safety controls, GenDeck reaches them only from here:
// deny by default (the normal invoke path never builds an /agent URL), an exact agent id from
// GET /agents or the user (never inferred), the caller's own API key only, one agent per session,
// only tools the agent declares (checked before any request), no recursion or fan-out to other
// agents, and an audit line for every call (agentId, route, tool id, reason, time, outcome).

export interface AuditEntry {
  time: string;
  agentId: string;
  route: string;
  toolId?: string;
  reason: string;
  outcome: 'ok' | 'refused' | 'error';
  detail?: string;
}

/** Agent run notes: JSON lines in a file the editor chooses (and in memory for the session). */
export class AuditLog {
  readonly entries: AuditEntry[] = [];
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly file: string | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  async append(e: Omit<AuditEntry, 'time'>): Promise<AuditEntry> {
    const entry: AuditEntry = { time: new Date(this.now()).toISOString(), ...e };
    this.entries.push(entry);
    if (this.file) {
      const file = this.file;
      this.writing = this.writing.then(async () => {
        await mkdir(dirname(file), { recursive: true });
        await appendFile(file, `${JSON.stringify(entry)}\n`, 'utf8');
      });
      await this.writing;
    }
    return entry;
  }
}

/** Keys that would point an orchestration at other agents: refused (no recursion, no fan-out). */
const AGENT_KEYS =
  /^(agent|agents|agentid|agent_id|agentids|agent_ids|subagents?|sub_agents?|delegates?|orchestrat\w*)$/i;

function findAgentReference(v: unknown, depth = 0): string | undefined {
  if (depth > 8 || v === null || typeof v !== 'object')
    return typeof v === 'string' && /\/agent\//i.test(v) ? v : undefined;
  if (Array.isArray(v)) {
    for (const x of v) {
      const hit = findAgentReference(x, depth + 1);
      if (hit) return hit;
    }
    return undefined;
  }
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (AGENT_KEYS.test(k)) return k;
    const hit = findAgentReference(x, depth + 1);
    if (hit) return hit;
  }
  return undefined;
}

function refuse(message: string): ValidationError {
  return new ValidationError(message);
}

/** The only way into /agent/* routes. */
export class AgentRoutes {
  constructor(
    private readonly provider: SeisoaiProvider,
    readonly audit: AuditLog,
  ) {}

  private get http() {
    return this.provider.client.http;
  }

  private async requireKey(): Promise<void> {
    if (!(await this.provider.client.hasKey())) {
      throw new ProviderError({
        provider: 'seisoai',
        code: 'no_key',
        message: l10n.t(
          'Agent routes run only with your own Seisoai API key (never x402 or another owner\'s credentials). Run "GenDeck: Set API Key…".',
        ),
      });
    }
  }

  private async call<T>(entry: Omit<AuditEntry, 'time' | 'outcome'>, fn: () => Promise<T>): Promise<T> {
    try {
      const v = await fn();
      await this.audit.append({ ...entry, outcome: 'ok' });
      return v;
    } catch (err) {
      await this.audit.append({ ...entry, outcome: 'error', detail: describeError(err).slice(0, 300) });
      throw err;
    }
  }

  /** GET /agents: only when the user asks to pick an agent (no broad enumeration otherwise). */
  async listAgents(reason: string, signal?: AbortSignal): Promise<AgentSummary[]> {
    await this.requireKey();
    return this.call({ agentId: '*', route: `GET ${API_PREFIX}/agents`, reason }, async () => {
      const r = await this.http.request({
        method: 'GET',
        path: `${API_PREFIX}/agents`,
        schema: agentListSchema,
        signal,
      });
      const list = Array.isArray(r.data) ? r.data : 'agents' in r.data ? r.data.agents : r.data.data;
      return list.map(readAgentSummary).filter((a): a is AgentSummary => !!a);
    });
  }

  /**
   * Binds a session to one exact agent id and loads the tools it declares (GET /agent/{id}).
   * The id is used exactly as given: never trimmed into something else, never matched by name.
   */
  async open(agentId: string, reason: string, signal?: AbortSignal): Promise<AgentSession> {
    if (!AGENT_ID_RE.test(agentId)) {
      await this.audit.append({
        agentId: agentId.slice(0, 128),
        route: `GET ${API_PREFIX}/agent/{id}`,
        reason,
        outcome: 'refused',
        detail: 'not an exact agent id',
      });
      throw refuse(
        l10n.t('"{0}" is not an exact agent id. Pick one from the list or paste its exact id.', agentId.slice(0, 60)),
      );
    }
    await this.requireKey();
    const route = `GET ${API_PREFIX}/agent/${agentId}`;
    const agent = await this.call({ agentId, route, reason }, async () => {
      const r = await this.http.request({
        method: 'GET',
        path: `${API_PREFIX}/agent/${encodeURIComponent(agentId)}`,
        schema: agentDetailSchema,
        signal,
      });
      const detail = readAgentDetail(r.data);
      if (!detail)
        throw new ProviderError({
          provider: 'seisoai',
          status: r.status,
          code: 'bad_response',
          message: l10n.t('Seisoai sent an agent definition without an id for {0}.', agentId),
        });
      if (detail.id !== agentId)
        throw new ProviderError({
          provider: 'seisoai',
          status: r.status,
          code: 'agent_mismatch',
          message: l10n.t('Seisoai answered for agent {0}, not {1}; stopping (ambiguous scope).', detail.id, agentId),
        });
      return detail;
    });
    return new AgentSession(this, agent);
  }

  /** @internal */
  async invokeVia(
    agent: AgentDetail,
    toolId: string,
    input: Record<string, unknown>,
    reason: string,
    o: { signal?: AbortSignal; maxDataUriBytes?: number },
  ): Promise<InvokeResult> {
    const route = `POST ${API_PREFIX}/agent/${agent.id}/invoke/${toolId}`;
    const why = !TOOL_ID_RE.test(toolId)
      ? 'id'
      : !agent.tools.includes(toolId)
        ? 'undeclared'
        : findAgentReference(input)
          ? 'agent'
          : undefined;
    if (why) {
      // The audit log keeps English; the user reads the same words through l10n.
      const problem =
        why === 'id'
          ? 'not a tool id'
          : why === 'undeclared'
            ? `not declared by agent ${agent.id}`
            : 'the input refers to another agent';
      await this.audit.append({ agentId: agent.id, route, toolId, reason, outcome: 'refused', detail: problem });
      const tool = toolId.slice(0, 80);
      const declared = agent.tools.join(', ');
      throw refuse(
        [
          why === 'id'
            ? l10n.t('Tool {0} is not a tool id; it was not invoked.', tool)
            : why === 'undeclared'
              ? l10n.t('Tool {0} is not declared by agent {1}; it was not invoked.', tool, agent.id)
              : l10n.t('Tool {0} is the input refers to another agent; it was not invoked.', tool),
          declared
            ? l10n.t('Agent {0} declares: {1}.', agent.name, declared)
            : l10n.t('Agent {0} declares: no tools.', agent.name),
        ].join(' '),
      );
    }
    const tool = await this.provider.registry.detail(toolId, { signal: o.signal });
    this.provider.validateInput(tool, input, o.maxDataUriBytes);
    await this.requireKey();
    return this.call({ agentId: agent.id, route, toolId, reason }, async () => {
      const r = await this.http.request({
        method: 'POST',
        path: `${API_PREFIX}/agent/${encodeURIComponent(agent.id)}/invoke/${toolPath(toolId)}`,
        body: input,
        schema: invokeResponseSchema,
        signal: o.signal,
      });
      return toInvokeResult(tool, input, r.data, r.raw, 'apiKey', {
        agentId: agent.id,
        title: `${agent.name} → ${tool.name}`,
      });
    });
  }

  /** @internal */
  async orchestrateVia(
    agent: AgentDetail,
    plan: { tools: string[]; prompt: string; input?: Record<string, unknown> },
    reason: string,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const route = `POST ${API_PREFIX}/agent/${agent.id}/orchestrate`;
    const undeclared = plan.tools.filter((t) => !agent.tools.includes(t));
    const agentRef = findAgentReference(plan.input ?? {});
    // The audit log keeps English; the user reads the same words through l10n.
    const problem = !plan.tools.length
      ? 'names no tools'
      : undeclared.length
        ? `uses tools the agent does not declare (${undeclared.join(', ')})`
        : agentRef
          ? `refers to other agents (${agentRef}); recursion and fan-out are not allowed`
          : undefined;
    if (problem) {
      await this.audit.append({
        agentId: agent.id,
        route,
        toolId: plan.tools.join(','),
        reason,
        outcome: 'refused',
        detail: problem,
      });
      throw refuse(
        !plan.tools.length
          ? l10n.t('The orchestration names no tools; nothing was sent.')
          : undeclared.length
            ? l10n.t(
                'The orchestration uses tools the agent does not declare ({0}); nothing was sent.',
                undeclared.join(', '),
              )
            : l10n.t(
                'The orchestration refers to other agents ({0}); recursion and fan-out are not allowed; nothing was sent.',
                agentRef ?? '',
              ),
      );
    }
    await this.requireKey();
    return this.call({ agentId: agent.id, route, toolId: plan.tools.join(','), reason }, async () => {
      const r = await this.http.request({
        method: 'POST',
        path: `${API_PREFIX}/agent/${encodeURIComponent(agent.id)}/orchestrate`,
        body: { prompt: plan.prompt, tools: plan.tools, input: plan.input ?? {} },
        schema: invokeResponseSchema,
        signal,
      });
      return r.raw;
    });
  }
}

/** One approved agent for one task. */
export class AgentSession {
  constructor(
    private readonly routes: AgentRoutes,
    readonly agent: AgentDetail,
  ) {}

  /** POST /agent/{id}/invoke/{toolId}; refused before any request unless the agent declares the tool. */
  invoke(
    toolId: string,
    input: Record<string, unknown>,
    reason: string,
    o: { signal?: AbortSignal; maxDataUriBytes?: number } = {},
  ): Promise<InvokeResult> {
    return this.routes.invokeVia(this.agent, toolId, input, reason, o);
  }

  /** POST /agent/{id}/orchestrate with declared tools only and no reference to other agents. */
  orchestrate(
    plan: { tools: string[]; prompt: string; input?: Record<string, unknown> },
    reason: string,
    signal?: AbortSignal,
  ): Promise<unknown> {
    return this.routes.orchestrateVia(this.agent, plan, reason, signal);
  }
}
