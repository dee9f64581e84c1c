import { z } from 'zod';
import { ValidationError } from '../core/errors';
import { PROVIDER_IDS } from '../core/providers/index';
import { ASPECT_RATIOS, GENERATION_TYPES, LIMITS } from '../core/providers/seedancee2/contract';
import { ENGINES, MODELS } from '../core/providers/seele/contract';

// The input of every language-model tool, as zod: each call's input is parsed with it on arrival (the model's JSON
// is never trusted), and package.json's `languageModelTools[].inputSchema` is exactly its JSON Schema
// (test/unit/agentTools.test.ts holds them together).

const providerId = z
  .enum(PROVIDER_IDS as [string, ...string[]])
  .describe('A provider id, as gendeck_list_providers lists.');
const jobRef = z
  .string()
  .min(1)
  .max(300)
  .describe('The job: its key (provider:id, as the generate tools return it), its provider id, or a unique prefix.');
/** Any JSON object; its fields are checked against the exact schema of the tool or worker. */
const anyObject = (what: string) => z.looseObject({}).describe(what);
const files = z
  .array(z.string().min(1).max(1000))
  .max(10)
  .optional()
  .describe('Workspace files sent with it (paths relative to the workspace folder, or absolute inside it).');
const prompt = (what: string) => z.string().min(1).max(8000).describe(what);

export const INPUTS = {
  gendeck_list_providers: z.strictObject({}),
  gendeck_list_models: z.strictObject({
    provider: providerId,
    filter: z.string().max(200).optional().describe('Only entries whose id, name or category contains this text.'),
  }),
  gendeck_get_input_schema: z.strictObject({
    provider: providerId,
    target: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('The Seisoai tool id or Seek API worker id; none for Seele and Seedancee2.'),
  }),
  gendeck_estimate_cost: z.strictObject({
    provider: providerId,
    target: z.string().min(1).max(200).optional().describe('The Seisoai tool id or Seek API worker id.'),
    input: anyObject("The job's input, as its generate tool takes it (without `files`)."),
    files,
  }),
  gendeck_generate_game: z.strictObject({
    prompt: prompt('The game to make.'),
    model: z.enum(MODELS).optional(),
    engine: z.enum(ENGINES).optional(),
    generation_model: z.string().min(1).max(200).optional().describe('A specific asset generation model.'),
    files,
  }),
  gendeck_generate_video: z.strictObject({
    prompt: prompt('What the video shows.'),
    model: z.string().min(1).max(100).optional().describe('A model id from gendeck_list_models (default: mini).'),
    duration: z
      .int()
      .min(LIMITS.durationMin)
      .max(LIMITS.durationMax)
      .optional()
      .describe('Seconds (the model may allow a narrower range).'),
    resolution: z.enum(['480p', '720p', '1080p']).optional(),
    aspect_ratio: z.enum(ASPECT_RATIOS).optional(),
    generation_type: z.enum(GENERATION_TYPES).optional(),
    image_urls: z.array(z.string().min(1)).max(LIMITS.maxImages).optional(),
    start_image_url: z.string().min(1).optional(),
    end_image_url: z.string().min(1).optional(),
    video_url: z.string().min(1).optional(),
    video_urls: z.array(z.string().min(1)).max(LIMITS.maxVideoUrls).optional(),
    audio_urls: z.array(z.string().min(1)).max(LIMITS.maxAudioUrls).optional(),
    seed: z.int().optional(),
    files: files.describe('Workspace images sent inline as reference images.'),
  }),
  gendeck_run_seisoai_tool: z.strictObject({
    tool: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/)
      .max(200)
      .describe('The tool id, as gendeck_list_models lists for seisoai.'),
    input: anyObject("The tool's input, exactly as gendeck_get_input_schema gives its schema."),
    files: files.describe("Workspace images, videos or audio put into the tool's media fields."),
  }),
  gendeck_run_seekapi_worker: z.strictObject({
    worker: z.string().min(1).max(200).describe('The worker id, as gendeck_list_models lists for seekapi.'),
    input: anyObject("The worker's input, exactly as gendeck_get_input_schema gives its schema."),
    files: files.describe("Workspace images, videos or audio put into the worker's media fields."),
  }),
  gendeck_job_status: z.strictObject({
    job: jobRef.optional().describe('The job; none lists the most recent jobs.'),
  }),
  gendeck_wait_for_job: z.strictObject({
    job: jobRef,
    timeoutSeconds: z.int().min(1).max(600).optional().describe('How long to wait at most (default 120).'),
  }),
  gendeck_download_outputs: z.strictObject({
    job: jobRef,
    output: z.int().min(0).optional().describe('Only this output (its index in the job status); default all.'),
  }),
  gendeck_search_videos: z.strictObject({
    query: z.string().min(1).max(500).describe('What happens in the video.'),
    maxResults: z.int().min(1).max(50).optional(),
  }),
} as const;

export type ToolName = keyof typeof INPUTS;
export type ToolInput<N extends ToolName> = z.infer<(typeof INPUTS)[N]>;
export const TOOL_NAMES = Object.keys(INPUTS) as ToolName[];

/** The JSON Schema a tool declares in package.json (without `$schema`). */
export function jsonSchemaOf(name: ToolName): Record<string, unknown> {
  const schema = z.toJSONSchema(INPUTS[name]) as Record<string, unknown>;
  delete schema.$schema;
  return schema;
}

/** The input, parsed; otherwise a ValidationError naming the fields. */
export function parseInput<N extends ToolName>(name: N, input: unknown): ToolInput<N> {
  const r = INPUTS[name].safeParse(input ?? {});
  if (r.success) return r.data as ToolInput<N>;
  const issues = r.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(input)'}: ${i.message}`)
    .join('; ');
  throw new ValidationError(`${name}: ${issues}.`);
}
