import * as l10n from '@vscode/l10n';
// Seisoai gateway, as documented in api-docs/seisoai.txt, plus the parts the doc leaves open and
// GenDeck (and its sandbox) settle on. The client tolerates any extra field everywhere.
//
// Documented: base https://seisoai.com, every route below /api/gateway; auth X-API-Key or x402
// (USDC on Base); discovery GET /tools, GET /tools/{toolId}, GET /price/{toolId}, GET /mcp-manifest;
// POST /invoke/{toolId}; queue tools answer executionMode "queue" with job metadata, statusUrl and
// resultUrl; GET /jobs/{jobId}?model=… and GET /jobs/{jobId}/result?model=…; agent routes
// /agents, /agent/{id}, /agent/{id}/invoke/{toolId}, /agent/{id}/orchestrate; error policy
// 400 schema mismatch, 402 payment/credits, 404 not found, 503 tool disabled, 500 retry then switch.
//
// Not documented, chosen here (the sandbox implements exactly this):
// - Price: GET /price/{toolId}?input=<URL-encoded JSON of the tool input>. Inline data: URIs are
//   replaced by the placeholder "data:" (price never depends on file bytes, and URLs stay short).
//   Answer: { price | pricing: number (USD) | { usd?, amount?, credits?, usdc? (6-decimal atomic string) } }.
// - Tool list items: { id | toolId, name?, category?, description?, executionMode?, enabled?, price? }.
// - Tool detail: { tool: {…, inputSchema | input_schema | schema | parameters } } or the same at top level.
// - Errors: { success: false, error: string | { message, code }, code?, fields? (path → message) }.
// - Job status: { status | job.status, progress?, error? }; result: { result | outputs | data }.

export const API_PREFIX = '/api/gateway';

export const CATEGORIES = ['images', 'video', 'audio', 'music', '3D', 'training', 'other'] as const;
export type ToolCategory = (typeof CATEGORIES)[number];

/** A category's name as the views show it. */
export function categoryLabel(c: ToolCategory): string {
  const labels: Record<ToolCategory, () => string> = {
    images: () => l10n.t('Images'),
    video: () => l10n.t('Video'),
    audio: () => l10n.t('Audio'),
    music: () => l10n.t('Music'),
    '3D': () => l10n.t('3D'),
    training: () => l10n.t('Training'),
    other: () => l10n.t('Other'),
  };
  return labels[c]();
}

/** The provider's category word (or the tool id's first segment) → one of ours. */
export function normalizeCategory(category: string | undefined, toolId: string): ToolCategory {
  const pick = (word: string): ToolCategory | undefined => {
    const w = word.trim().toLowerCase();
    if (/^(image|images|img|photo|picture)s?$/.test(w)) return 'images';
    if (/^videos?$/.test(w)) return 'video';
    if (/^(audio|speech|voice|tts|sound|sfx)$/.test(w)) return 'audio';
    if (/^(music|song|songs)$/.test(w)) return 'music';
    if (/^(3d|3-d|mesh|model|models|three-d)$/.test(w)) return '3D';
    if (/^(training|train|lora|fine-?tune|finetune)$/.test(w)) return 'training';
    return undefined;
  };
  return (category && pick(category)) || pick(toolId.split('.')[0] ?? '') || 'other';
}

/** Tool ids are dotted words; anything else never reaches a URL path. */
export const TOOL_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** Agent ids: exact strings from GET /agents or the user, never guessed. */
export const AGENT_ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

/** Job status words → ours. */
export const JOB_STATUS_WORDS: Record<string, 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled'> = {
  queued: 'queued',
  pending: 'queued',
  in_queue: 'queued',
  submitted: 'queued',
  waiting: 'queued',
  processing: 'running',
  running: 'running',
  in_progress: 'running',
  started: 'running',
  completed: 'succeeded',
  complete: 'succeeded',
  succeeded: 'succeeded',
  success: 'succeeded',
  done: 'succeeded',
  failed: 'failed',
  error: 'failed',
  errored: 'failed',
  cancelled: 'canceled',
  canceled: 'canceled',
};

/** How long the live tool list is trusted before it is read again. */
export const REGISTRY_TTL_MS = 60_000;
/** How long a tool's exact schema is trusted (a 400 always refetches it). */
export const SCHEMA_TTL_MS = 60_000;
/** How often a 500 on invoke is retried (the server answered, so it did not take the request). */
export const INVOKE_500_RETRIES = 2;
