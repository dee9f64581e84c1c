import * as l10n from '@vscode/l10n';
// One way to start a job with any provider, for every face that is not a wizard: the CLI, the MCP server and the
// editor's language-model tools. Each provider's launcher is beside it (`<id>/launch.ts`) and reached through its
// descriptor; the checks, estimates and sends are the provider's own, so every face refuses what the editor refuses.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { ValidationError } from '../errors';
import { formFromSchema } from '../forms/schemaForm';
import { planFiles, planValues } from '../forms/mediaFit';
import type { Job } from '../jobs/job';
import { fileToDataUri } from '../media/dataUri';
import type { ProviderId } from '../providerIds';

export type JsonSchemaObject = Record<string, unknown>;

/** An amount in the provider's own unit (credits, USDC); `estimated` until the provider reports what it charged. */
export interface LaunchCost {
  amount: number;
  unit: string;
  estimated: boolean;
}

/** What to start, as a script or an agent states it. */
export interface LaunchInput {
  /** The tool (Seisoai) or worker (Seek API) to run; providers with one kind of job take none. */
  target?: string;
  /** The provider's own request fields (Seedancee2: `model` and its input fields; a tool's or worker's input). */
  input: Record<string, unknown>;
  /** Local files sent with it: Seedancee2 reference images (inline), Seele reference files (uploaded). */
  files?: string[];
}

export interface LaunchOptions {
  signal?: AbortSignal;
  /** Seisoai only: pay with x402 instead of the API key. */
  auth?: 'apiKey' | 'x402';
  /** Largest local file sent inline, in bytes. */
  maxInlineBytes?: number;
}

/** A checked request, with its cost known before anything is sent. */
export interface PreparedLaunch {
  readonly provider: ProviderId;
  /** What a confirmation names: the provider, the model, tool or worker, and the main parameters. */
  readonly summary: string;
  /** The estimate; undefined when the provider states none before the job ends (said as unknown). */
  readonly cost?: LaunchCost;
  /** Why the cost is unknown, or how it is counted, when that needs saying. */
  readonly costNote?: string;
  /** Sends it once; the job as the provider accepted it (a sync tool's may already be finished). */
  send(signal?: AbortSignal): Promise<Job>;
}

export interface Launcher {
  readonly provider: ProviderId;
  /** What `target` names, when the provider needs one. */
  readonly target?: 'tool' | 'worker';
  /** The exact JSON schema of `input` (a tool's or worker's own, read live). */
  inputSchema(target: string | undefined, signal?: AbortSignal): Promise<JsonSchemaObject>;
  /** Validates locally (throws ValidationError, nothing sent) and estimates the cost. */
  prepare(req: LaunchInput, o?: LaunchOptions): Promise<PreparedLaunch>;
}

/** A string field of the input, trimmed; undefined when absent or not a string. */
export function stringField(input: Record<string, unknown>, name: string): string | undefined {
  const v = input[name];
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/**
 * Local files put into the media fields of a tool's or worker's schema, as data: URIs, the way the editor's
 * "Run on Selection" fills its form: each file to the field that takes its kind. A file with no field, or more files
 * than fields, is an input error naming the field to set by hand; fields the input sets already keep their value.
 */
export async function filesIntoSchema(
  schema: JsonSchemaObject,
  input: Record<string, unknown>,
  files: readonly string[],
  maxBytes?: number,
): Promise<Record<string, unknown>> {
  if (!files.length) return input;
  const read: { uri: string; kind: 'image' | 'video' | 'audio' }[] = [];
  for (const f of files) read.push(await fileToDataUri(f, { kinds: ['image', 'video', 'audio'], maxBytes }));
  const form = formFromSchema(schema);
  const open = { ...form, fields: form.fields.filter((f) => input[f.name] === undefined) };
  const plan = planFiles(
    open,
    read.map((r) => r.kind),
  );
  if ('ask' in plan)
    throw new ValidationError(
      l10n.t(
        'Several {0} files and no list field for them: set "{1}" in the input instead.',
        plan.ask.kind,
        plan.ask.field.name,
      ),
    );
  if (plan.unused.length)
    throw new ValidationError(plan.unused.map((u) => `${basename(files[u.file])}: ${u.reason}`).join('; ') + '.');
  return { ...input, ...planValues(plan.fill, (i) => read[i].uri) };
}

/** Each local file exists and is a file, before anything is sent. */
export async function checkFiles(files: readonly string[] = []): Promise<void> {
  for (const f of files) {
    const s = await stat(f).catch(() => undefined);
    if (!s?.isFile()) throw new ValidationError(l10n.t('{0} is not a file.', f));
  }
}
