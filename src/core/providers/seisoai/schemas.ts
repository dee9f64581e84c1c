import { z } from 'zod';
import { normalizeCategory, type ToolCategory } from './contract';

// Response schemas. Only what GenDeck reads is checked; every extra field is tolerated
// (`raw` keeps the full body). Alternatives in field names are ones the doc leaves open.

const looseRecord = z.record(z.string(), z.unknown());

/** `error` as a string, or `{ message, code }`; the code may also sit beside it. */
export const errorBodySchema = z.object({
  success: z.boolean().optional(),
  error: z
    .union([
      z.string(),
      z.object({ message: z.string().optional(), code: z.string().optional(), fields: looseRecord.optional() }),
    ])
    .optional(),
  message: z.string().optional(),
  code: z.string().optional(),
  fields: looseRecord.optional(),
  details: z.unknown().optional(),
  alternatives: z.array(z.unknown()).optional(),
});

const priceValue = z.union([
  z.number(),
  z.string(),
  z.object({
    usd: z.union([z.number(), z.string()]).optional(),
    amount: z.union([z.number(), z.string()]).optional(),
    credits: z.number().optional(),
    usdc: z.union([z.number(), z.string()]).optional(),
    currency: z.string().optional(),
  }),
]);

export const toolSummarySchema = z
  .object({
    id: z.string().optional(),
    toolId: z.string().optional(),
    name: z.string().optional(),
    category: z.string().optional(),
    description: z.string().optional(),
    executionMode: z.string().optional(),
    enabled: z.boolean().optional(),
    disabled: z.boolean().optional(),
    price: priceValue.optional(),
    pricing: priceValue.optional(),
  })
  .refine((t) => !!(t.id ?? t.toolId), { message: 'a tool needs an id' });

export const toolListSchema = z.union([
  z.object({ tools: z.array(z.unknown()) }),
  z.object({ data: z.array(z.unknown()) }),
  z.array(z.unknown()),
]);

export const toolDetailSchema = z.union([z.object({ tool: looseRecord }), looseRecord]);

export const priceResponseSchema = z.object({
  price: priceValue.optional(),
  pricing: priceValue.optional(),
  credits: z.number().optional(),
  currency: z.string().optional(),
});

export interface Price {
  /** USD (USDC) the call costs, when known. */
  usd?: number;
  credits?: number;
  /** As the provider stated it, for the record. */
  raw: unknown;
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() && Number.isFinite(Number(v.replace(/^\$/, ''))))
    return Number(v.replace(/^\$/, ''));
  return undefined;
}

/** Reads a price in any of the tolerated shapes. */
export function readPrice(v: z.infer<typeof priceValue> | undefined, credits?: number): Omit<Price, 'raw'> {
  if (v === undefined) return credits !== undefined ? { credits } : {};
  if (typeof v !== 'object') return { usd: toNumber(v), credits };
  const usdc = toNumber(v.usdc);
  const usd = toNumber(v.usd) ?? toNumber(v.amount) ?? (usdc !== undefined ? usdc / 1e6 : undefined);
  return { usd, credits: v.credits ?? credits };
}

export type ExecutionMode = 'sync' | 'queue';

export interface ToolSummary {
  id: string;
  name: string;
  category: ToolCategory;
  /** The provider's own category word. */
  rawCategory?: string;
  description?: string;
  executionMode?: ExecutionMode;
  enabled: boolean;
  price?: Omit<Price, 'raw'>;
}

export function readToolSummary(raw: unknown): ToolSummary | undefined {
  const r = toolSummarySchema.safeParse(raw);
  if (!r.success) return undefined;
  const t = r.data;
  const id = (t.id ?? t.toolId)!;
  const mode = t.executionMode?.toLowerCase();
  const price = readPrice(t.price ?? t.pricing);
  return {
    id,
    name: t.name?.trim() || id,
    category: normalizeCategory(t.category, id),
    rawCategory: t.category,
    description: t.description,
    executionMode: mode === 'queue' || mode === 'async' ? 'queue' : mode === 'sync' ? 'sync' : undefined,
    enabled: t.enabled !== false && t.disabled !== true,
    price: price.usd !== undefined || price.credits !== undefined ? price : undefined,
  };
}

export interface ToolDetail extends ToolSummary {
  /** The exact input JSON schema. */
  inputSchema: Record<string, unknown>;
  outputType?: string;
  raw: unknown;
}

export function readToolDetail(body: z.infer<typeof toolDetailSchema>): ToolDetail | undefined {
  const t = ('tool' in body && body.tool && typeof body.tool === 'object' ? body.tool : body) as Record<
    string,
    unknown
  >;
  const summary = readToolSummary(t);
  if (!summary) return undefined;
  const schema = [t.inputSchema, t.input_schema, t.schema, t.parameters].find(
    (s) => s && typeof s === 'object' && !Array.isArray(s),
  ) as Record<string, unknown> | undefined;
  const outputType =
    typeof t.outputType === 'string' ? t.outputType : typeof t.output_type === 'string' ? t.output_type : undefined;
  return { ...summary, inputSchema: schema ?? { type: 'object', properties: {} }, outputType, raw: body };
}

/** What POST /invoke answers: sync results at once, or queue job metadata. */
export const invokeResponseSchema = z.object({
  success: z.boolean().optional(),
  executionMode: z.string().optional(),
  requestId: z.string().optional(),
  id: z.string().optional(),
  toolId: z.string().optional(),
  job: z
    .object({
      id: z.string().optional(),
      jobId: z.string().optional(),
      requestId: z.string().optional(),
      model: z.string().optional(),
      status: z.string().optional(),
      statusUrl: z.string().optional(),
      resultUrl: z.string().optional(),
    })
    .optional(),
  jobId: z.string().optional(),
  model: z.string().optional(),
  status: z.string().optional(),
  statusUrl: z.string().optional(),
  resultUrl: z.string().optional(),
  result: z.unknown().optional(),
  outputs: z.unknown().optional(),
  data: z.unknown().optional(),
  price: priceValue.optional(),
  pricing: priceValue.optional(),
  cost: priceValue.optional(),
});
export type InvokeResponse = z.infer<typeof invokeResponseSchema>;

export const jobStatusSchema = z.object({
  status: z.string().optional(),
  progress: z.union([z.number(), z.string()]).optional(),
  message: z.string().optional(),
  error: z.union([z.string(), z.object({ message: z.string().optional(), code: z.string().optional() })]).nullish(),
  job: z
    .object({
      status: z.string().optional(),
      progress: z.union([z.number(), z.string()]).optional(),
      message: z.string().optional(),
      error: z.union([z.string(), z.object({ message: z.string().optional(), code: z.string().optional() })]).nullish(),
      resultUrl: z.string().optional(),
    })
    .optional(),
  resultUrl: z.string().optional(),
  result: z.unknown().optional(),
});
export type JobStatusBody = z.infer<typeof jobStatusSchema>;

export const jobResultSchema = z.object({
  result: z.unknown().optional(),
  outputs: z.unknown().optional(),
  data: z.unknown().optional(),
  status: z.string().optional(),
});

export const agentSummarySchema = z
  .object({
    id: z.string().optional(),
    agentId: z.string().optional(),
    name: z.string().optional(),
    description: z.string().optional(),
  })
  .refine((a) => !!(a.id ?? a.agentId), { message: 'an agent needs an id' });
export const agentListSchema = z.union([
  z.object({ agents: z.array(z.unknown()) }),
  z.object({ data: z.array(z.unknown()) }),
  z.array(z.unknown()),
]);
export const agentDetailSchema = z.union([z.object({ agent: looseRecord }), looseRecord]);

export interface AgentSummary {
  id: string;
  name: string;
  description?: string;
}

export interface AgentDetail extends AgentSummary {
  /** Tool ids the agent declares; nothing else may be invoked through it. */
  tools: string[];
  raw: unknown;
}

export function readAgentSummary(raw: unknown): AgentSummary | undefined {
  const r = agentSummarySchema.safeParse(raw);
  if (!r.success) return undefined;
  const id = (r.data.id ?? r.data.agentId)!;
  return { id, name: r.data.name?.trim() || id, description: r.data.description };
}

export function readAgentDetail(body: z.infer<typeof agentDetailSchema>): AgentDetail | undefined {
  const a = ('agent' in body && body.agent && typeof body.agent === 'object' ? body.agent : body) as Record<
    string,
    unknown
  >;
  const summary = readAgentSummary(a);
  if (!summary) return undefined;
  const list = [a.tools, a.toolIds, a.allowedTools].find(Array.isArray) as unknown[] | undefined;
  const tools = (list ?? [])
    .map((t) =>
      typeof t === 'string'
        ? t
        : t && typeof t === 'object'
          ? ((t as Record<string, unknown>).id ?? (t as Record<string, unknown>).toolId)
          : undefined,
    )
    .filter((t): t is string => typeof t === 'string' && t.length > 0);
  return { ...summary, tools, raw: body };
}

export const manifestSchema = looseRecord;
