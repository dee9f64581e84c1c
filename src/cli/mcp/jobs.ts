// Jobs over the headless job store (in the state folder, as the CLI keeps it): list, status, wait with a timeout and progress
// notifications, and download into a folder, the files coming back as resource links and readable resources.
import { existsSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ResourceLink } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { ValidationError } from '../../core/errors';
import { downloadJobOutputs } from '../../core/jobs/download';
import { isActive, type Job } from '../../core/jobs/job';
import { PROVIDER_IDS } from '../../core/providers/index';
import type { McpSession } from './session';
import type { ToolDef } from './toolkit';
import { jobLine, jobView, viewJob } from './views';

const MIME: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mov': 'video/quicktime',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.glb': 'model/gltf-binary',
  '.gltf': 'model/gltf+json',
  '.html': 'text/html',
  '.zip': 'application/zip',
  '.json': 'application/json',
  '.txt': 'text/plain',
};

export function mimeOf(path: string): string | undefined {
  return MIME[extname(path).toLowerCase()];
}

/** A local file as a resource link (and as a resource this server will read back). */
export function fileLink(s: McpSession, path: string, o: { job?: string; description?: string } = {}): ResourceLink {
  const uri = pathToFileURL(path).href;
  const mimeType = mimeOf(path);
  s.files.set(uri, { name: basename(path), mimeType, job: o.job });
  return { type: 'resource_link', uri, name: basename(path), mimeType, description: o.description };
}

function requireJob(s: McpSession, ref: string): Job {
  const job = s.h.find(ref);
  if (!job)
    throw new ValidationError(
      `No job "${ref}" in the ${s.sandbox ? 'sandbox' : 'job'} list (a job key, provider id or unique prefix; list_jobs shows them).`,
    );
  return job;
}

const jobRef = z
  .string()
  .min(1)
  .describe('The job: its key (provider:id) as the generate tools return it, or a unique prefix.');

export function jobTools(s: McpSession): ToolDef<unknown>[] {
  const listIn = z.strictObject({
    provider: z.enum(PROVIDER_IDS as [string, ...string[]]).optional(),
    active_only: z.boolean().optional(),
    limit: z.number().int().min(1).max(200).optional().describe('At most this many, newest first (default 20).'),
  });
  const listOut = z.object({ jobs: z.array(jobView), total: z.number().int() });
  const listJobs: ToolDef<z.infer<typeof listIn>> = {
    name: 'list_jobs',
    title: 'List jobs',
    description:
      'Jobs in the GenDeck job list of the state folder, newest first: the ones this server started and those the GenDeck CLI keeps there (in the same mode, sandbox or real).',
    input: listIn,
    output: listOut,
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    run: async (a) => {
      const all = s.h
        .jobs()
        .filter((j) => (!a.provider || j.provider === a.provider) && (!a.active_only || isActive(j)));
      const jobs = all.slice(0, a.limit ?? 20);
      return {
        structured: { jobs: jobs.map(viewJob), total: all.length },
        text: jobs.length ? jobs.map(jobLine).join('\n') : 'No jobs.',
      };
    },
  };

  const getIn = z.strictObject({ job: jobRef });
  const getJob: ToolDef<z.infer<typeof getIn>> = {
    name: 'get_job',
    title: 'Get a job',
    description: "A job's status, progress, cost, error and outputs as last polled.",
    input: getIn,
    output: jobView,
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    run: async (a) => {
      const job = requireJob(s, a.job);
      return { structured: viewJob(job), text: jobLine(job) };
    },
  };

  const waitIn = z.strictObject({
    job: jobRef,
    timeout_seconds: z
      .number()
      .min(0)
      .max(600)
      .optional()
      .describe('Wait at most this long (default 30); the current state comes back if the job is not done by then.'),
  });
  const waitOut = jobView.extend({ timed_out: z.boolean() });
  const waitJob: ToolDef<z.infer<typeof waitIn>> = {
    name: 'wait_for_job',
    title: 'Wait for a job',
    description:
      'Polls a job until it finishes or the timeout passes (then its current state, timed_out true: call again to keep waiting). Sends progress notifications when the request carries a progressToken.',
    input: waitIn,
    output: waitOut,
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    run: async (a, ctx) => {
      const start = requireJob(s, a.job);
      const timeout = AbortSignal.timeout((a.timeout_seconds ?? 30) * 1000);
      const signal = AbortSignal.any([timeout, ctx.signal]);
      let last = '';
      let job: Job;
      let timedOut = false;
      try {
        job = await s.h.wait(start.key, {
          signal,
          onChange: (j) => {
            const line = `${j.status}${j.progress ? `: ${j.progress}` : ''}`;
            if (line !== last) void ctx.progress(line);
            last = line;
          },
        });
      } catch (err) {
        // Only the timeout is an answer (the current state); a cancelled request or a vanished job is not.
        if (!timeout.aborted || ctx.signal.aborted) throw err;
        timedOut = true;
        job = s.h.store.get(start.key) ?? start;
      }
      const view = viewJob(job);
      return {
        structured: { ...view, timed_out: timedOut },
        text: `${jobLine(job)}${timedOut ? '\nNot finished yet: call wait_for_job again to keep waiting.' : job.status === 'succeeded' && job.outputs.length ? '\nNext: download_outputs.' : ''}`,
      };
    },
  };

  const downloadIn = z.strictObject({
    job: jobRef,
    folder: z
      .string()
      .optional()
      .describe("Where to save, inside the server's folder (default gendeck-outputs); each job gets its own folder."),
    outputs: z.array(z.number().int().min(0)).optional().describe('Only these outputs (their index); all by default.'),
  });
  const downloadOut = z.object({
    job: z.string(),
    folder: z.string(),
    files: z.array(
      z.object({
        index: z.number().int(),
        kind: z.string(),
        path: z.string(),
        uri: z.string(),
        bytes: z.number(),
        reused: z.boolean(),
      }),
    ),
  });
  const download: ToolDef<z.infer<typeof downloadIn>> = {
    name: 'download_outputs',
    title: 'Download job outputs',
    description:
      "Saves a finished job's outputs into a folder (streamed, one folder per job with a gendeck.json record of prompt, model, cost and job id), unchanged files reused. Returns the local paths and file:// resource links.",
    input: downloadIn,
    output: downloadOut,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    run: async (a, ctx) => {
      const job = requireJob(s, a.job);
      if (!job.outputs.length)
        throw new ValidationError(
          isActive(job)
            ? `${job.key} is ${job.status} and has no outputs yet: wait_for_job first.`
            : `${job.key} (${job.status}) has no outputs.`,
        );
      const bad = (a.outputs ?? []).filter((i) => i >= job.outputs.length);
      if (bad.length)
        throw new ValidationError(`${job.key} has outputs 0–${job.outputs.length - 1}; not ${bad.join(', ')}.`);
      const outputs = a.outputs ? job.outputs.filter((_, i) => a.outputs!.includes(i)) : job.outputs;
      const folder = s.inside(a.folder, 'gendeck-outputs');
      const files = await downloadJobOutputs(job, folder, s.h.providers[job.provider].http, {
        root: s.o.root,
        outputs,
        signal: ctx.signal,
        onProgress: (name, p) =>
          void ctx.progress(
            `${name}: ${(p.bytes / 1048576).toFixed(1)}${p.total ? ` of ${(p.total / 1048576).toFixed(1)}` : ''} MB`,
          ),
      });
      // Where each output landed, so the editor's preview and later calls find the local copy.
      const current = s.h.store.get(job.key);
      if (current)
        s.h.store.patch(job.key, {
          outputs: current.outputs.map((o) => {
            const hit = files.find((f) => f.output === o || (o.url && f.output.url === o.url));
            return hit && existsSync(hit.path) ? { ...o, localPath: hit.path } : o;
          }),
        });
      const list = files.map((f) => ({
        index: job.outputs.indexOf(f.output),
        kind: f.output.kind,
        path: f.path,
        uri: pathToFileURL(f.path).href,
        bytes: f.bytes,
        reused: !!f.reused,
      }));
      const links = files.map((f) =>
        fileLink(s, f.path, { job: job.key, description: `${f.output.kind} of ${job.title}` }),
      );
      const dir = files[0] ? dirname(files[0].path) : folder;
      return {
        structured: { job: job.key, folder: dir, files: list },
        text: `Saved ${list.length} file(s) of ${job.key} to ${dir}:\n${list.map((f) => `- ${f.path} (${f.kind}, ${f.bytes} bytes${f.reused ? ', already there' : ''})`).join('\n')}`,
        links,
      };
    },
  };

  return [listJobs, getJob, waitJob, download];
}
