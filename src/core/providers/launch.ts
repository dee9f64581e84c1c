import * as l10n from '@vscode/l10n';
// One way to start a job with any provider, for every face that is not a wizard: the CLI, the MCP server and the
// editor's language-model tools. Each provider's launcher is beside it (`<id>/launch.ts`) and reached through its
// descriptor; the checks, estimates and sends are the provider's own, so every face refuses what the editor refuses.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { ValidationError } from '../errors';
import { formFromSchema } from '../forms/schemaForm';
import { planFiles, planValues } from '../forms/mediaFit';
import { fileToDataUri } from '../media/dataUri';

// The shapes are the engine's (core/jobs/launch.ts), so engine modules such as core/assets can take launchers.
export type {
  JsonSchemaObject,
  LaunchCost,
  LaunchInput,
  LaunchOptions,
  Launcher,
  PreparedLaunch,
} from '../jobs/launch';
import type { JsonSchemaObject } from '../jobs/launch';
import { newJob, titleFromPrompt, type Job } from '../jobs/job';
import type { Poller } from '../jobs/scheduler';
import type { ProviderId } from '../providerIds';

/**
 * A launcher's `lookup`: job `id` of `p` as one poll finds it, with what `init` says the job is (its kind, title, what
 * polling it needs). Nothing is created; the provider's error (404: no such job) is thrown as it comes.
 */
export async function lookupByPoll(
  p: Poller & { readonly id: ProviderId; isSandbox(): boolean },
  id: string,
  init: { kind: string; prompt?: unknown; meta?: Record<string, unknown> },
  signal?: AbortSignal,
): Promise<Job> {
  const job = newJob({
    provider: p.id,
    id,
    title: typeof init.prompt === 'string' ? titleFromPrompt(init.prompt) : id,
    kind: init.kind,
    status: 'queued',
    meta: init.meta ?? {},
    sandbox: p.isSandbox() || undefined,
  });
  return { ...job, ...(await p.poll(job, signal ?? new AbortController().signal)) };
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
