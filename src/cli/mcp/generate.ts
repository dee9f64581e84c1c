// The tools that spend: one per launcher (Seedancee2 videos, Seele games, Seisoai tools, Seek API workers) and, only
// for an agent bound with --seisoai-agent, that agent's declared tools. Each checks the input locally, estimates the
// cost, refuses what is above max_cost, unknown (unless the user confirms it) or past the lifetime cap, asks the user
// through elicitation when the client can, and only then sends, once.
import { z } from 'zod';
import { ProviderError, ValidationError } from '../../core/errors';
import { formatCharge, type Job } from '../../core/jobs/job';
import type { ProviderId } from '../../core/providerIds';
import { COST_UNITS, PROVIDERS } from '../../core/providers/index';
import type { LaunchCost, Launcher, PreparedLaunch } from '../../core/providers/launch';
import { priceCost } from '../../core/providers/seisoai/launch';
import type { SeisoaiProvider } from '../../core/providers/seisoai/provider';
import { X402Error } from '../../core/x402/payer';
import type { McpSession } from './session';
import type { SpendEntry } from './spend';
import {
  describeIssues,
  jsonSchemaOf,
  Refused,
  type JsonSchema,
  type ToolAnswer,
  type ToolContext,
  type ToolDef,
} from './toolkit';
import { costText, costView, jobLine, jobView, spendText, spendView, viewJob } from './views';

export const sentView = z.object({
  sent: z.literal(true),
  summary: z.string(),
  estimate: costView.optional(),
  job: jobView,
  spend: spendView,
});

const maxCostField = (unit: string) =>
  z
    .number()
    .nonnegative()
    .describe(
      `The most this call may cost, in the provider's unit (${unit}). Refused, with nothing sent, when the estimate is higher, or unknown and not confirmed by the user.`,
    );

const filesField = (what: string) =>
  z.array(z.string()).optional().describe(`Local files (paths inside the server's folder) sent as ${what}.`);

/** What the spending step needs from a tool's arguments. */
export interface SpendRequest {
  provider: ProviderId;
  prepare: () => Promise<PreparedLaunch>;
  maxCost: number;
  /** Paid with x402: the payment is approved within max_cost and the cap. */
  x402?: boolean;
  /** Sends it through another route than the prepared one (the agent's). */
  send?: (prepared: PreparedLaunch, signal: AbortSignal) => Promise<Job>;
}

function confirmText(s: McpSession, p: PreparedLaunch, maxCost: number): string {
  const unit = p.cost?.unit ?? COST_UNITS[p.provider] ?? '';
  return [
    `An agent asks GenDeck to start a paid job${s.sandbox ? ' in the sandbox (nothing real is charged)' : ''}:`,
    p.summary,
    `Estimated cost: ${costText(p.cost)}${p.costNote ? ` (${p.costNote})` : ''}; the agent allows up to ${maxCost} ${unit}.`,
    `Spent by this server so far: ${spendText(s.ledger.summary())}.`,
    'Accept to send it, decline to send nothing.',
  ].join('\n');
}

/** The one way a tool of this server spends: check, reserve, ask, send once, keep the job. */
export async function spendAndSend(s: McpSession, ctx: ToolContext, req: SpendRequest): Promise<ToolAnswer> {
  const prepared = await req.prepare();
  const cost: LaunchCost | undefined = prepared.cost;
  const unit = cost?.unit ?? COST_UNITS[prepared.provider] ?? 'credits';
  if (cost && cost.amount > req.maxCost + 1e-9)
    throw new Refused(
      `${prepared.summary}: the estimate ${formatCharge(cost)} is above max_cost ${req.maxCost} ${cost.unit}. Nothing was sent.`,
    );
  if (!cost && !ctx.canElicit)
    throw new Refused(
      `${prepared.summary}: the cost is unknown before it runs${prepared.costNote ? ` (${prepared.costNote})` : ''}, so max_cost cannot cover it. GenDeck sends such a call only after the user confirms it, in a client that supports MCP elicitation. Nothing was sent.`,
    );
  // Checked and reserved in one step: calls running at once cannot both fit under a cap meant for one.
  const entry: SpendEntry = s.ledger.reserve(prepared.provider, unit, cost?.amount ?? 0);
  let job: Job;
  try {
    if (ctx.canElicit && !(await ctx.confirm(confirmText(s, prepared, req.maxCost))))
      throw new Refused(`The user declined ${prepared.summary}. Nothing was sent.`);
    const send = () => (req.send ? req.send(prepared, ctx.signal) : prepared.send(ctx.signal));
    job = req.x402 ? await s.withPayment({ maxCost: req.maxCost, entry }, send) : await send();
  } catch (err) {
    // Kept only when the money may have moved: a create that may have arrived, a payment that may have been used.
    const mayHaveSpent =
      (err instanceof ProviderError && err.maybeAccepted) ||
      (err instanceof X402Error && err.code === 'payment_unconfirmed');
    if (!mayHaveSpent) s.ledger.release(entry);
    throw err;
  }
  const kept = await s.h.addJob(job);
  entry.key = kept.key;
  s.ledger.settle(kept.key, kept.cost);
  s.log.info(`Sent ${prepared.summary} (${costText(cost)}): ${kept.key}`);
  const next =
    kept.status === 'succeeded'
      ? 'Finished: download_outputs fetches its outputs.'
      : `Next: wait_for_job with job "${kept.key}".`;
  return {
    structured: {
      sent: true,
      summary: prepared.summary,
      estimate: cost && { amount: cost.amount, unit: cost.unit, estimated: cost.estimated },
      job: viewJob(kept),
      spend: s.ledger.summary(),
    },
    text: `Sent ${prepared.summary}; estimated ${costText(cost)}.\n${jobLine(kept)}\n${next}\nSpend: ${spendText(s.ledger.summary())}.`,
  };
}

/** Splits `max_cost` and `files` from a flat argument object; the rest is the provider's input. */
export function splitSpendArgs(
  s: McpSession,
  args: unknown,
): { input: Record<string, unknown>; maxCost: number; files?: string[] } {
  if (!args || typeof args !== 'object' || Array.isArray(args))
    throw new ValidationError('The arguments are an object.');
  const { max_cost, files, ...input } = args as Record<string, unknown>;
  if (typeof max_cost !== 'number' || !Number.isFinite(max_cost) || max_cost < 0)
    throw new ValidationError('max_cost is required: the most this call may cost, a number ≥ 0.', {
      max_cost: 'required',
    });
  if (files !== undefined && !(Array.isArray(files) && files.every((f) => typeof f === 'string')))
    throw new ValidationError('files is a list of local file paths.', { files: 'a list of paths' });
  return { input, maxCost: max_cost, files: localFiles(s, files as string[] | undefined) };
}

/** The agent's file paths, each inside the server's folder: nothing else on the machine is read and sent. */
function localFiles(s: McpSession, files: string[] | undefined): string[] | undefined {
  return files?.map((f) => s.inside(f, '.'));
}

/** The provider's own schema with max_cost (required) and files beside its fields. */
function withSpendFields(schema: JsonSchema, unit: string, files: string): JsonSchema {
  const properties = { ...((schema.properties as Record<string, unknown> | undefined) ?? {}) };
  properties.max_cost = z.toJSONSchema(maxCostField(unit), { target: 'draft-7' });
  properties.files = z.toJSONSchema(filesField(files), { target: 'draft-7' });
  for (const k of ['max_cost', 'files']) delete (properties[k] as JsonSchema).$schema;
  const required = [...((schema.required as string[] | undefined) ?? []), 'max_cost'];
  return { ...schema, type: 'object', properties, required };
}

/** A launcher whose input is its own fields (Seedancee2, Seele): the tool's schema is the launcher's, read live. */
function flatLauncherTool(
  s: McpSession,
  launcher: Launcher,
  o: { name: string; title: string; description: string; files: string },
): ToolDef<{ input: Record<string, unknown>; maxCost: number; files?: string[] }> {
  const unit = COST_UNITS[launcher.provider] ?? 'credits';
  let last: JsonSchema | undefined;
  return {
    name: o.name,
    title: o.title,
    description: o.description,
    input: {
      json: async (signal) => {
        try {
          last = withSpendFields(await launcher.inputSchema(undefined, signal), unit, o.files);
        } catch (err) {
          s.log.warn(`${o.name}: the input schema could not be read (${err instanceof Error ? err.message : err}).`);
          // Still listed: the launcher checks every field before anything is sent.
          last ??= withSpendFields(
            { type: 'object', required: ['prompt'], properties: { prompt: { type: 'string', minLength: 1 } } },
            unit,
            o.files,
          );
        }
        return last;
      },
      parse: (args: unknown) => splitSpendArgs(s, args),
    },
    output: sentView,
    annotations: {
      title: o.title,
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
      openWorldHint: true,
    },
    run: (a, ctx) =>
      spendAndSend(s, ctx, {
        provider: launcher.provider,
        maxCost: a.maxCost,
        prepare: () => launcher.prepare({ input: a.input, files: a.files }, { signal: ctx.signal }),
      }),
  };
}

export function generationTools(s: McpSession): ToolDef<unknown>[] {
  const tools: ToolDef<unknown>[] = [];
  const seedance = s.h.launcher('seedancee2');
  if (seedance)
    tools.push(
      flatLauncherTool(s, seedance, {
        name: 'generate_seedancee2_video',
        title: 'Generate a Seedancee2 video',
        description:
          "Starts a Seedancee2 text/image-to-video task with the API's own fields (model, prompt, duration, resolution, …; models from list_seedancee2_models). Costs credits: max_cost is required (see estimate_cost). Returns the job at once; follow with wait_for_job, then download_outputs.",
        files: 'reference images (inline)',
      }),
    );
  const seele = s.h.launcher('seele');
  if (seele)
    tools.push(
      flatLauncherTool(s, seele, {
        name: 'generate_seele_game',
        title: 'Generate a Seele game',
        description:
          'Starts a Seele game generation (threejs, unity or unreal). Seele reports the koin used only when the game is done, so the cost is unknown before: the call is sent only after the user confirms it (MCP elicitation). Follow with wait_for_job (games take minutes), then download_outputs.',
        files: 'reference files (uploaded to Seele)',
      }),
    );
  const seisoai = s.h.launcher('seisoai');
  if (seisoai) tools.push(seisoaiTool(s, seisoai));
  const seekapi = s.h.launcher('seekapi');
  if (seekapi) tools.push(seekapiTool(s, seekapi));
  if (s.o.agent) tools.push(agentTool(s));
  return tools;
}

function seisoaiTool(s: McpSession, launcher: Launcher) {
  const payWith = s.o.x402
    ? {
        pay_with: z
          .enum(['api_key', 'x402'])
          .optional()
          .describe(
            `api_key (the default when a Seisoai key is set) or x402 (USDC per request, at most ${s.o.x402.maxUsd} USD a payment).`,
          ),
      }
    : {};
  const input = z.strictObject({
    tool: z.string().min(1).describe('The Seisoai tool id, from list_seisoai_tools.'),
    input: z
      .record(z.string(), z.unknown())
      .describe("The tool's own input: exactly the fields of get_input_schema {provider: 'seisoai', target: tool}."),
    max_cost: maxCostField('USD with an API key, USDC with x402'),
    files: filesField("the tool's media fields (data: URIs, each to the field of its kind)"),
    ...payWith,
  });
  return {
    name: 'run_seisoai_tool',
    title: 'Run a Seisoai tool',
    description:
      'Invokes one Seisoai media tool (image, video, audio, music, 3D) with its exact input. First list_seisoai_tools, then get_input_schema for the tool. Priced per call (USD): max_cost is required. A sync tool answers finished; a queue tool returns a job for wait_for_job. Never an agent route.',
    input,
    output: sentView,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    run: async (a: z.infer<typeof input> & { pay_with?: 'api_key' | 'x402' }, ctx: ToolContext) => {
      const keyed = s.sandbox || !!s.h.env[PROVIDERS.seisoai.envKey];
      const auth = a.pay_with === 'x402' || (!a.pay_with && !keyed && s.o.x402) ? 'x402' : 'apiKey';
      return spendAndSend(s, ctx, {
        provider: 'seisoai',
        maxCost: a.max_cost,
        x402: auth === 'x402',
        prepare: () =>
          launcher.prepare(
            { target: a.tool, input: a.input, files: localFiles(s, a.files) },
            { auth, signal: ctx.signal },
          ),
      });
    },
  };
}

function seekapiTool(s: McpSession, launcher: Launcher) {
  const input = z.strictObject({
    worker: z.string().min(1).describe('The Seek API worker id, from list_seekapi_workers.'),
    input: z
      .record(z.string(), z.unknown())
      .describe(
        "The worker's own input: exactly the fields of get_input_schema {provider: 'seekapi', target: worker}.",
      ),
    max_cost: maxCostField('credits'),
    files: filesField("the worker's media fields (data: URIs)"),
  });
  return {
    name: 'run_seekapi_worker',
    title: 'Run a Seek API worker',
    description:
      "Starts a job on one Seek API worker with its exact input (list_seekapi_workers, then get_input_schema for the worker). Priced in credits by the worker's pricing: max_cost is required. Follow with wait_for_job, then download_outputs.",
    input,
    output: sentView,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    run: (a: z.infer<typeof input>, ctx: ToolContext) =>
      spendAndSend(s, ctx, {
        provider: 'seekapi',
        maxCost: a.max_cost,
        prepare: () =>
          launcher.prepare({ target: a.worker, input: a.input, files: localFiles(s, a.files) }, { signal: ctx.signal }),
      }),
  };
}

/** The bound agent's declared tools, through /agent/{id}/invoke only; every call lands in the audit log. */
function agentTool(s: McpSession) {
  const session = s.o.agent!;
  const agent = session.agent;
  const provider = s.h.providers.seisoai as SeisoaiProvider;
  const input = z.strictObject({
    tool: z
      .string()
      .min(1)
      .describe(`One of the tools agent ${agent.id} declares: ${agent.tools.join(', ')}.`),
    input: z.record(z.string(), z.unknown()).describe("The tool's own input (get_input_schema for the tool)."),
    reason: z.string().min(1).max(300).describe('Why this call is made; written to the agent audit log.'),
    max_cost: maxCostField('USD or credits, as Seisoai prices the tool'),
  });
  return {
    name: 'run_seisoai_agent_tool',
    title: `Run a tool of Seisoai agent ${agent.name}`,
    description: `Runs one tool declared by the Seisoai agent ${agent.name} (${agent.id}) through its agent-scoped route, with your own Seisoai API key. Only these tools: ${agent.tools.join(', ') || 'none'}. Every call, refused ones included, is written to the agent audit log with the reason given. max_cost is required.`,
    // Listed with the declared tools as an enum; parsed as any string, so an undeclared one reaches the session,
    // which refuses it and writes the refusal to the audit log.
    input: {
      json: async () =>
        jsonSchemaOf(
          input.extend({
            tool: (agent.tools.length ? z.enum(agent.tools as [string, ...string[]]) : z.string()).describe(
              `One of the tools agent ${agent.id} declares.`,
            ),
          }),
          'input',
        ),
      parse: (args: unknown) => {
        const r = input.safeParse(args);
        if (!r.success) throw new ValidationError(`The arguments do not fit: ${describeIssues(r.error)}.`);
        return r.data;
      },
    },
    output: sentView,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    run: async (a: z.infer<typeof input>, ctx: ToolContext) => {
      const reason = `MCP: ${a.reason.trim()}`;
      // An undeclared tool goes to the session, which refuses it before any request and writes the refusal down.
      if (!agent.tools.includes(a.tool)) await session.invoke(a.tool, a.input, reason, { signal: ctx.signal });
      return spendAndSend(s, ctx, {
        provider: 'seisoai',
        maxCost: a.max_cost,
        prepare: async () => {
          const tool = await provider.registry.detail(a.tool, { signal: ctx.signal });
          provider.validateInput(tool, a.input);
          const cost = priceCost(await provider.price(tool.id, a.input, ctx.signal), 'apiKey');
          return {
            provider: 'seisoai',
            summary: `Seisoai agent ${agent.name} (${agent.id}) → ${tool.name} (${tool.id})`,
            cost,
            costNote: cost ? undefined : 'Seisoai states no price for this input.',
            send: async () => {
              throw new Error('unreachable');
            },
          };
        },
        send: async (_p, signal) => (await session.invoke(a.tool, a.input, reason, { signal })).job,
      });
    },
  };
}
