import * as vscode from 'vscode';
import type { GenDeck } from '../context';
import { hasElidedData, type Job } from '../core/jobs/job';
import type { ProviderId } from '../core/providers/ids';
import type { CreateVideoRequest } from '../core/providers/seedancee2/schemas';
import { newGame } from './seele/newGame';
import { newVideo } from './seedancee2/newVideo';
import { runWorker } from './seekapi/runWorker';
import { runTool } from './seisoai/runTool';
import { resolveJob } from './util';

type Rerun = (g: GenDeck, job: Job) => Promise<void>;

/** How each provider runs a job's request again (as a new job; the old one stays). Providers add theirs here. */
export const RERUN: Partial<Record<ProviderId, Rerun>> = {
  seedancee2: async (g, job) => {
    const req = job.request as unknown as CreateVideoRequest;
    await newVideo(g, { model: req.model, input: req.input, quick: true });
  },
  seekapi: async (g, job) => {
    const req = job.request as {
      worker?: string;
      input?: Record<string, unknown>;
      priority?: string;
      webhook?: string;
    };
    if (!req.worker)
      return void vscode.window.showInformationMessage(
        'This Seek API job was listed from the server; its input is not known here. Start it again with "Run Worker…".',
      );
    // The worker's form opens with the same values; the estimate is shown again before anything is sent.
    await runWorker(g, { workerId: req.worker, input: req.input, priority: req.priority, webhook: req.webhook });
  },
  seisoai: async (g, job) => {
    const meta = job.meta as { toolId?: string; agentId?: string };
    if (!meta.toolId || meta.agentId)
      return void vscode.window.showInformationMessage(
        'Agent runs are started again with "GenDeck: Run Agent…", so the agent and its tools are checked anew.',
      );
    // The form opens with the same values; the price is shown again before anything is sent.
    await runTool(g, meta.toolId, { values: job.request });
  },
  seele: async (g, job) => {
    const req = job.request as {
      prompt?: string;
      model?: string;
      engine?: string;
      generation_model?: string;
      files?: string[];
    };
    // Local files are uploaded again only if their content changed (the file_id cache is by content).
    await newGame(g, {
      prompt: req.prompt,
      model: req.model,
      engine: req.engine,
      generation_model: req.generation_model,
      files: req.files ?? [],
      quick: true,
    });
  },
};

/** Retry (failed) or duplicate (any): the same request again as a new job, after the usual cost confirmation. */
export async function retryJob(g: GenDeck, arg?: unknown): Promise<void> {
  const job = await resolveJob(
    g,
    arg,
    (j) => Object.keys(j.request).length > 0 && !!RERUN[j.provider],
    'Run which job again?',
  );
  if (!job) return;
  if (hasElidedData(job.request)) {
    return void vscode.window.showInformationMessage(
      `“${job.title}” used local files that were sent inline; select them in the Explorer and start a new job from them.`,
    );
  }
  const rerun = RERUN[job.provider];
  if (!rerun) return void vscode.window.showInformationMessage('This job cannot be run again from GenDeck.');
  await rerun(g, job);
}
