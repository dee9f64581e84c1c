// The read-only tools: what providers there are (and which have a key), their models, tools and workers, the exact
// input schema of any of them, and what a call would cost under this server's cap. None of them sends a job.
import { z } from 'zod';
import { ValidationError } from '../../core/errors';
import { mapLimit } from '../../core/search/concurrency';
import { CREDIT_RATES } from '../../core/providers/seedancee2/contract';
import { COST_UNITS, PROVIDER_IDS, PROVIDER_LABELS, PROVIDERS } from '../../core/providers/index';
import type { ProviderId } from '../../core/providerIds';
import { describePricing } from '../../core/providers/seekapi/provider';
import type { WorkerSummary } from '../../core/providers/seekapi/schemas';
import type { WorkersPageToken } from '../../core/providers/seekapi/client';
import { baseUrlVar } from '../services';
import type { McpSession } from './session';
import type { ToolDef } from './toolkit';
import { costText, costView, spendText, spendView } from './views';

/** Most tools or workers whose schemas one list call reads (one request each). */
const SCHEMA_LIMIT = 25;

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true } as const;

/** The generation tool of each provider (the ones that have a launcher), for list_providers. */
const TOOLS_OF: Partial<Record<ProviderId, string[]>> = {
  seedancee2: ['list_seedancee2_models', 'generate_seedancee2_video'],
  seele: ['generate_seele_game'],
  seisoai: ['list_seisoai_tools', 'get_input_schema', 'run_seisoai_tool'],
  seekapi: ['list_seekapi_workers', 'get_input_schema', 'run_seekapi_worker'],
  seeknetic: ['index_videos', 'search_videos'],
};

const launchable = z.enum(['seedancee2', 'seele', 'seisoai', 'seekapi']);

export function discoveryTools(s: McpSession): ToolDef<unknown>[] {
  const listProvidersOut = z.object({
    sandbox: z.boolean(),
    providers: z.array(
      z.object({
        id: z.string(),
        label: z.string(),
        key: z.enum(['set', 'missing', 'sandbox']),
        env_key: z.string(),
        base_url_env: z.string(),
        cost_unit: z.string().optional(),
        tools: z.array(z.string()),
      }),
    ),
    spend: spendView,
    spend_cap: z.string().optional(),
    x402: z.object({ enabled: z.boolean(), max_usd: z.number().optional() }),
    agent: z.object({ id: z.string(), name: z.string(), tools: z.array(z.string()) }).optional(),
    folder: z.string(),
  });
  const listProviders: ToolDef<Record<string, never>> = {
    name: 'list_providers',
    title: 'List GenDeck providers',
    description:
      'The five providers GenDeck reaches (Seele games, Seedancee2 video, Seisoai media tools, Seek API workers, Seeknetic video search), whether each has a key, the unit each charges in, the tools that use it, and what this server has spent against its cap. Start here.',
    input: z.strictObject({}),
    output: listProvidersOut,
    annotations: { ...READ_ONLY, openWorldHint: false },
    run: async () => {
      const providers = PROVIDER_IDS.map((id) => ({
        id,
        label: PROVIDER_LABELS[id],
        key: s.sandbox ? ('sandbox' as const) : s.h.env[PROVIDERS[id].envKey] ? ('set' as const) : ('missing' as const),
        env_key: PROVIDERS[id].envKey,
        base_url_env: baseUrlVar(id),
        cost_unit: COST_UNITS[id],
        tools: TOOLS_OF[id] ?? [],
      }));
      const agent = s.o.agent?.agent;
      const spend = s.ledger.summary();
      return {
        structured: {
          sandbox: s.sandbox,
          providers,
          spend,
          spend_cap: s.ledger.cap?.source,
          x402: { enabled: !!s.o.x402, max_usd: s.o.x402?.maxUsd },
          agent: agent && { id: agent.id, name: agent.name, tools: agent.tools },
          folder: s.o.root,
        },
        text: [
          s.sandbox ? 'GenDeck sandbox (local emulators; nothing real is charged).' : 'GenDeck (real providers).',
          ...providers.map(
            (p) =>
              `- ${p.id} (${p.label}): key ${p.key}${p.cost_unit ? `, charges ${p.cost_unit}` : ''}; tools ${p.tools.join(', ')}`,
          ),
          `Spend: ${spendText(spend)}${s.ledger.cap ? ` (cap GENDECK_MCP_MAX_SPEND=${s.ledger.cap.source})` : ''}.`,
          agent
            ? `Seisoai agent ${agent.name} (${agent.id}): run_seisoai_agent_tool with ${agent.tools.join(', ')}.`
            : '',
        ]
          .filter(Boolean)
          .join('\n'),
      };
    },
  };

  const modelsOut = z.object({
    live: z.boolean(),
    models: z.array(
      z.object({
        id: z.string(),
        status: z.string().optional(),
        resolutions: z.array(z.string()),
        duration: z.object({ min: z.number(), max: z.number() }).optional(),
        credits_per_second: z.record(z.string(), z.number()),
      }),
    ),
  });
  const listModels: ToolDef<Record<string, never>> = {
    name: 'list_seedancee2_models',
    title: 'List Seedancee2 models',
    description:
      'The Seedancee2 video models (live from /v1/models), each with its resolutions, duration range and credits per second of video by resolution.',
    input: z.strictObject({}),
    output: modelsOut,
    annotations: READ_ONLY,
    run: async (_a, ctx) => {
      const { models, live } = await s.h.providers.seedancee2.listModels(ctx.signal);
      const list = models.map((m) => ({
        id: m.id,
        status: m.status,
        resolutions: m.resolutions ?? Object.keys(CREDIT_RATES[m.id] ?? {}),
        duration: m.duration,
        credits_per_second: Object.fromEntries(
          Object.entries(CREDIT_RATES[m.id] ?? {}).filter((e): e is [string, number] => typeof e[1] === 'number'),
        ),
      }));
      return {
        structured: { live, models: list },
        text: list
          .map(
            (m) =>
              `- ${m.id}${m.status && m.status !== 'active' ? ` (${m.status})` : ''}: ${m.resolutions.join('/')}, ${m.duration ? `${m.duration.min}–${m.duration.max} s` : ''}; ${Object.entries(
                m.credits_per_second,
              )
                .map(([r, c]) => `${r} ${c} credits/s`)
                .join(', ')}`,
          )
          .join('\n'),
      };
    },
  };

  const toolsIn = z.strictObject({
    category: z.string().optional().describe('Only this category (images, video, audio, music, 3D, training, other).'),
    include_disabled: z.boolean().optional(),
    with_schemas: z
      .boolean()
      .optional()
      .describe(
        `Also each tool's exact input schema (read live, one request per tool; at most ${SCHEMA_LIMIT} tools).`,
      ),
  });
  const toolsOut = z.object({
    tools: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        category: z.string(),
        description: z.string().optional(),
        execution_mode: z.string().optional(),
        enabled: z.boolean(),
        price_usd: z.number().optional(),
        price_credits: z.number().optional(),
        input_schema: z.record(z.string(), z.unknown()).optional(),
      }),
    ),
  });
  const listTools: ToolDef<z.infer<typeof toolsIn>> = {
    name: 'list_seisoai_tools',
    title: 'List Seisoai tools',
    description:
      "Seisoai's live tool registry: id, name, category, sync or queue, the list price (the exact price of an input comes from estimate_cost), and with with_schemas each tool's exact input schema (else get_input_schema for the tool you choose).",
    input: toolsIn,
    output: toolsOut,
    annotations: READ_ONLY,
    run: async (a, ctx) => {
      const registry = s.h.providers.seisoai.registry;
      const all = await registry.tools({ signal: ctx.signal });
      const chosen = all
        .filter((t) => a.include_disabled || t.enabled)
        .filter((t) => !a.category || t.category.toLowerCase() === a.category.toLowerCase());
      if (a.with_schemas && chosen.length > SCHEMA_LIMIT)
        throw new ValidationError(
          `${chosen.length} tools match; with_schemas reads at most ${SCHEMA_LIMIT}: name a category, or use get_input_schema.`,
        );
      const schemas = a.with_schemas
        ? await mapLimit(chosen, 4, async (t) => (await registry.detail(t.id, { signal: ctx.signal })).inputSchema)
        : [];
      const tools = chosen.map((t, i) => ({
        id: t.id,
        name: t.name,
        category: t.category,
        description: t.description,
        execution_mode: t.executionMode,
        enabled: t.enabled,
        price_usd: t.price?.usd,
        price_credits: t.price?.credits,
        input_schema: schemas[i],
      }));
      return {
        structured: { tools },
        text: tools
          .map(
            (t) =>
              `- ${t.id} (${t.name}, ${t.category}${t.execution_mode ? `, ${t.execution_mode}` : ''})${t.price_usd !== undefined ? ` $${t.price_usd}` : ''}${t.enabled ? '' : ' [disabled]'}`,
          )
          .join('\n'),
      };
    },
  };

  const workersIn = z.strictObject({
    filter: z.string().optional().describe('Only workers whose id, name or category contains this.'),
    max: z.number().int().min(1).max(200).optional().describe('At most this many workers (default 50).'),
    with_schemas: z
      .boolean()
      .optional()
      .describe(`Also each worker's exact input schema (one request per worker; at most ${SCHEMA_LIMIT} workers).`),
  });
  const workersOut = z.object({
    workers: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        description: z.string().optional(),
        category: z.string().optional(),
        pricing: z.string(),
        input_schema: z.record(z.string(), z.unknown()).optional(),
      }),
    ),
    more: z.boolean(),
  });
  const listWorkers: ToolDef<z.infer<typeof workersIn>> = {
    name: 'list_seekapi_workers',
    title: 'List Seek API workers',
    description:
      "Workers of the Seek API marketplace: id, name, category and pricing in credits, and with with_schemas each one's exact input schema (else get_input_schema for the worker you choose).",
    input: workersIn,
    output: workersOut,
    annotations: READ_ONLY,
    run: async (a, ctx) => {
      const max = a.with_schemas ? Math.min(a.max ?? SCHEMA_LIMIT, SCHEMA_LIMIT) : (a.max ?? 50);
      const needle = a.filter?.toLowerCase();
      const found: WorkerSummary[] = [];
      const seen = new Set<string>();
      let next: WorkersPageToken | undefined;
      let more = false;
      for (let page = 0; page < 20; page++) {
        const r = await s.h.providers.seekapi.listWorkers(next, ctx.signal);
        let fresh = 0;
        for (const w of r.workers) {
          if (seen.has(w.id)) continue;
          seen.add(w.id);
          fresh++;
          if (needle && ![w.id, w.name, w.category ?? ''].some((v) => v.toLowerCase().includes(needle))) continue;
          found.push(w);
        }
        next = r.next;
        if (found.length >= max) {
          more = found.length > max || !!next;
          break;
        }
        if (!next || !fresh) break;
      }
      const picked = found.slice(0, max);
      const schemas = a.with_schemas
        ? await mapLimit(
            picked,
            4,
            async (w) => (await s.h.providers.seekapi.getWorker(w.id, { signal: ctx.signal })).inputSchema,
          )
        : [];
      const workers = picked.map((w, i) => ({
        id: w.id,
        name: w.name,
        description: w.description,
        category: w.category,
        pricing: describePricing(w.pricing),
        input_schema: schemas[i],
      }));
      return {
        structured: { workers, more },
        text: workers
          .map((w) => `- ${w.id} (${w.name}${w.category ? `, ${w.category}` : ''}): ${w.pricing}`)
          .join('\n'),
      };
    },
  };

  const schemaIn = z.strictObject({
    provider: launchable,
    target: z
      .string()
      .optional()
      .describe('The Seisoai tool id or the Seek API worker id (none for seedancee2, seele).'),
  });
  const schemaOut = z.object({
    provider: z.string(),
    target: z.string().optional(),
    cost_unit: z.string().optional(),
    pricing: z.string().optional(),
    input_schema: z.record(z.string(), z.unknown()),
  });
  const getSchema: ToolDef<z.infer<typeof schemaIn>> = {
    name: 'get_input_schema',
    title: 'Get the exact input schema',
    description:
      "The exact JSON schema of a provider's input, read live: a Seisoai tool's own (run_seisoai_tool `input`), a Seek API worker's own (run_seekapi_worker `input`), or Seedancee2's and Seele's fields (the generate tools take them directly). Use these fields exactly.",
    input: schemaIn,
    output: schemaOut,
    annotations: READ_ONLY,
    run: async (a, ctx) => {
      const launcher = s.h.launcher(a.provider)!;
      const schema = await launcher.inputSchema(a.target, ctx.signal);
      let pricing: string | undefined;
      if (a.provider === 'seekapi' && a.target)
        pricing = describePricing((await s.h.providers.seekapi.getWorker(a.target, { signal: ctx.signal })).pricing);
      return {
        structured: {
          provider: a.provider,
          target: a.target,
          cost_unit: COST_UNITS[a.provider],
          pricing,
          input_schema: schema,
        },
        text: `Input schema of ${a.provider}${a.target ? ` ${a.target}` : ''}${pricing ? ` (pricing: ${pricing})` : ''}:\n${JSON.stringify(schema, null, 2)}`,
      };
    },
  };

  const estimateIn = z.strictObject({
    provider: launchable,
    target: z.string().optional().describe('The Seisoai tool or Seek API worker.'),
    input: z.record(z.string(), z.unknown()).describe("The provider's input, as the generation tool takes it."),
    files: z.array(z.string()).optional(),
    pay_with: z.enum(['api_key', 'x402']).optional(),
  });
  const estimateOut = z.object({
    summary: z.string(),
    estimate: costView.optional(),
    note: z.string().optional(),
    within_cap: z.boolean(),
    cap_note: z.string().optional(),
    spend: spendView,
  });
  const estimate: ToolDef<z.infer<typeof estimateIn>> = {
    name: 'estimate_cost',
    title: 'Estimate the cost of a generation',
    description:
      'Checks an input exactly as the generation tool would (nothing is sent) and estimates its cost in the provider unit: Seedancee2 by its credit formula, Seisoai by its price endpoint, Seek API by the worker pricing. Says whether it fits the spend cap left. Use the estimate as max_cost.',
    input: estimateIn,
    output: estimateOut,
    annotations: READ_ONLY,
    run: async (a, ctx) => {
      const launcher = s.h.launcher(a.provider)!;
      const prepared = await launcher.prepare(
        { target: a.target, input: a.input, files: a.files?.map((f) => s.inside(f, '.')) },
        { signal: ctx.signal, auth: a.pay_with === 'x402' ? 'x402' : 'apiKey' },
      );
      const unit = prepared.cost?.unit ?? COST_UNITS[a.provider] ?? 'credits';
      const capNote = s.ledger.refusal(a.provider, unit, prepared.cost?.amount ?? 0);
      return {
        structured: {
          summary: prepared.summary,
          estimate: prepared.cost && {
            amount: prepared.cost.amount,
            unit: prepared.cost.unit,
            estimated: prepared.cost.estimated,
          },
          note: prepared.costNote,
          within_cap: !capNote,
          cap_note: capNote?.replace(/ Nothing was sent\.$/, ''),
          spend: s.ledger.summary(),
        },
        text: `${prepared.summary}: ${costText(prepared.cost)}${prepared.costNote ? ` (${prepared.costNote})` : ''}. ${capNote ? capNote.replace(/ Nothing was sent\.$/, '') : 'Within the spend cap.'}`,
      };
    },
  };

  return [listProviders, listModels, listTools, listWorkers, getSchema, estimate];
}
