// A small tool table over the SDK's low-level Server: each tool states its input as a zod schema or as an exact JSON
// schema read live from the provider (a launcher's own, which zod would only approximate), its output as a zod schema,
// and a handler. Every answer is structuredContent plus text; every failure is a tool result with isError (a
// ValidationError, ProviderError or refused spend never ends the server); nothing leaves with a registered key in it.
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type CallToolResult,
  type ResourceLink,
  type Tool,
  type ToolAnnotations,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { isAbortError, ProviderError, ValidationError } from '../../core/errors';
import type { Logger } from '../../core/log';
import { redactor } from '../../core/redact';
import { X402Error } from '../../core/x402/payer';
import { SpendCapError } from './spend';

export type JsonSchema = Record<string, unknown>;

/** What a handler may do besides answering: report progress, ask the user, notice cancellation. */
export interface ToolContext {
  signal: AbortSignal;
  /** A progress notification, when the client gave a progressToken; a no-op otherwise. */
  progress(message: string, progress?: number, total?: number): Promise<void>;
  /** Whether the client answers elicitation (form) requests. */
  readonly canElicit: boolean;
  /** Asks the user to accept or decline (MCP elicitation); false when declined, cancelled or unanswered. */
  confirm(message: string): Promise<boolean>;
}

export interface ToolAnswer {
  structured: Record<string, unknown>;
  text: string;
  links?: ResourceLink[];
}

/** A refusal the user or the agent can act on (not a bug): returned as an error result naming why. */
export class Refused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Refused';
  }
}

export interface ToolDef<I = Record<string, unknown>> {
  name: string;
  title: string;
  description: string;
  /** A zod schema, or the exact JSON schema (read when the tools are listed) with the parse that goes with it. */
  input: z.ZodType<I> | { json: (signal?: AbortSignal) => Promise<JsonSchema>; parse: (args: unknown) => I };
  output: z.ZodType;
  annotations?: ToolAnnotations;
  run(args: I, ctx: ToolContext): Promise<ToolAnswer>;
}

/** Draft 7, as the SDK's own McpServer writes zod schemas for clients. */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const out = z.toJSONSchema(schema, { target: 'draft-7', io, unrepresentable: 'any' }) as JsonSchema;
  delete out.$schema;
  return out;
}

/** "prompt: Required; duration: Too big" from zod's issues. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 6)
    .map((i) => `${i.path.map(String).join('.') || '(arguments)'}: ${i.message}`)
    .join('; ');
}

/** The kind of failure, for the agent to tell a fix-the-input error from a provider outage or a refusal. */
function kindOf(err: unknown): string {
  if (err instanceof ValidationError) return 'invalid input';
  if (err instanceof SpendCapError) return 'spend cap';
  if (err instanceof Refused) return 'refused';
  if (err instanceof X402Error) return 'x402 payment';
  if (err instanceof ProviderError) return `${err.provider} error${err.status ? ` ${err.status}` : ''}`;
  if (isAbortError(err)) return 'cancelled';
  return 'error';
}

/** A failure as a tool result: one clear line, the fields when there are some, no key. */
export function errorResult(err: unknown): CallToolResult {
  const message = isAbortError(err) ? 'Cancelled.' : err instanceof Error ? err.message : String(err);
  const fields = err instanceof ValidationError || err instanceof ProviderError ? Object.entries(err.fields ?? {}) : [];
  const lines = [`${kindOf(err)}: ${message}`, ...fields.map(([k, v]) => `- ${k}: ${v}`)];
  if (err instanceof ProviderError && err.retryable) lines.push('This may succeed if tried again later.');
  if (err instanceof ProviderError && err.maybeAccepted)
    lines.push('The request may have reached the provider: check list_jobs before sending it again.');
  return { isError: true, content: [{ type: 'text', text: redactor.redact(lines.join('\n')) }] };
}

/** Installs tools/list and tools/call for `tools` (read each time: the table may depend on the session). */
export function serveTools(server: Server, tools: () => ToolDef<unknown>[], log: Logger): void {
  server.setRequestHandler(ListToolsRequestSchema, async (_req, extra) => {
    const list: Tool[] = [];
    for (const t of tools()) {
      let inputSchema: JsonSchema;
      if (t.input instanceof z.ZodType) inputSchema = jsonSchemaOf(t.input, 'input');
      else inputSchema = await t.input.json(extra.signal);
      list.push({
        name: t.name,
        title: t.title,
        description: t.description,
        inputSchema: inputSchema as Tool['inputSchema'],
        outputSchema: jsonSchemaOf(t.output, 'output') as Tool['outputSchema'],
        annotations: t.annotations,
      });
    }
    return { tools: redactor.redactDeep(list) };
  });

  server.setRequestHandler(CallToolRequestSchema, async (req, extra): Promise<CallToolResult> => {
    const tool = tools().find((t) => t.name === req.params.name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `Tool ${req.params.name} not found`);
    const token = req.params._meta?.progressToken;
    let step = 0;
    const ctx: ToolContext = {
      signal: extra.signal,
      progress: async (message, progress, total) => {
        if (token === undefined) return;
        step = Math.max(step + 1, progress ?? 0);
        await extra
          .sendNotification({
            method: 'notifications/progress',
            params: { progressToken: token, progress: step, total, message: redactor.redact(message) },
          })
          .catch(() => undefined);
      },
      canElicit: !!server.getClientCapabilities()?.elicitation?.form,
      confirm: async (message) => {
        if (!server.getClientCapabilities()?.elicitation?.form) return false;
        try {
          const r = await server.elicitInput(
            { mode: 'form', message: redactor.redact(message), requestedSchema: { type: 'object', properties: {} } },
            { signal: extra.signal, timeout: 10 * 60_000, relatedRequestId: extra.requestId },
          );
          return r.action === 'accept';
        } catch (err) {
          log.warn(`The confirmation for ${tool.name} got no answer: ${err instanceof Error ? err.message : err}`);
          return false;
        }
      },
    };
    try {
      let args: unknown = req.params.arguments ?? {};
      if (tool.input instanceof z.ZodType) {
        const parsed = tool.input.safeParse(args);
        if (!parsed.success) throw new ValidationError(`The arguments do not fit: ${describeIssues(parsed.error)}.`);
        args = parsed.data;
      } else {
        args = tool.input.parse(args);
      }
      const answer = await tool.run(args as never, ctx);
      const structured = redactor.redactDeep(answer.structured);
      const checked = tool.output.safeParse(structured);
      if (!checked.success) {
        log.error(`${tool.name} answered outside its output schema: ${describeIssues(checked.error)}`);
        throw new Error(`GenDeck's answer for ${tool.name} did not fit its own schema; this is a bug.`);
      }
      return {
        content: [{ type: 'text', text: redactor.redact(answer.text) }, ...redactor.redactDeep(answer.links ?? [])],
        structuredContent: structured,
      };
    } catch (err) {
      if (!(err instanceof ValidationError || err instanceof Refused || err instanceof SpendCapError))
        log.warn(`${tool.name}: ${err instanceof Error ? err.message : String(err)}`);
      return errorResult(err);
    }
  });
}
