import { randomUUID } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import { ProviderError } from '../../errors';
import {
  elideDataUris,
  newJob,
  titleFromPrompt,
  type Job,
  type JobOutput,
  type JobPatch,
  type JobStatus,
} from '../../jobs/job';
import type { Charge, SpendGate } from '../../jobs/spend';
import { clientOptions, gated, type JobSource, type KeyedService, type ProviderContext } from '../types';
import { DOCUMENTED_MODELS } from './contract';
import { Seedancee2Client } from './client';
import type { CreateVideoRequest, Model, Task } from './schemas';
import { estimateRequestCredits, validateVideoRequest } from './validate';

const STATUS: Record<string, JobStatus> = {
  pending: 'queued',
  processing: 'running',
  completed: 'succeeded',
  failed: 'failed',
};

/** Our reference for a task, echoed back by the API in metadata; how a lost create is found again. */
export const CLIENT_REF = 'gendeck_ref';

export function taskToPatch(task: Task, raw: unknown): JobPatch {
  const status = STATUS[task.status] ?? 'running';
  const outputs: JobOutput[] = [];
  if (task.output?.video_url) outputs.push({ kind: 'video', url: task.output.video_url, label: l10n.t('Video') });
  if (task.output?.thumbnail_url)
    outputs.push({ kind: 'image', url: task.output.thumbnail_url, label: l10n.t('Thumbnail') });
  if (task.output?.last_frame_url)
    outputs.push({ kind: 'image', url: task.output.last_frame_url, label: l10n.t('Last frame') });
  const charged = task.credits_charged;
  const patch: JobPatch = {
    status,
    remoteStatus: task.status,
    progress: status === 'queued' ? 'Waiting to start' : status === 'running' ? 'Generating' : undefined,
    outputs,
    raw,
  };
  if (charged !== undefined || task.credits_reserved !== undefined || task.credits_refunded !== undefined) {
    patch.cost = {
      amount: charged ?? task.credits_reserved ?? 0,
      unit: 'credits',
      estimated: charged === undefined,
      reserved: task.credits_reserved,
      refunded: task.credits_refunded,
    };
  }
  if (task.error) patch.error = { code: task.error.code, message: task.error.message };
  if (status === 'succeeded' || status === 'failed') patch.finishedAt = task.completed_at ?? new Date().toISOString();
  return patch;
}

export class Seedancee2Provider implements KeyedService, JobSource {
  readonly id = 'seedancee2' as const;
  readonly client: Seedancee2Client;
  readonly pollPolicy;
  private models: { at: number; list: Model[] } | undefined;
  /** Whether it runs against the sandbox now (its jobs are marked so). */
  readonly isSandbox: () => boolean;
  private readonly budget: SpendGate | undefined;

  constructor(ctx: ProviderContext) {
    this.client = new Seedancee2Client(clientOptions(ctx));
    this.pollPolicy = ctx.facts.pollPolicy;
    this.isSandbox = ctx.isSandbox ?? (() => false);
    this.budget = ctx.budget;
  }

  get http() {
    return this.client.http;
  }

  async validateKey(key: string, o: { signal?: AbortSignal; baseUrl?: string } = {}): Promise<void> {
    await this.client.listModels({ key, ...o });
  }

  canCancel(): boolean {
    return false;
  }

  /** Live models (cached a minute); the documented table when the list cannot be read. */
  async listModels(signal?: AbortSignal, fresh = false): Promise<{ models: Model[]; live: boolean }> {
    if (!fresh && this.models && Date.now() - this.models.at < 60_000) return { models: this.models.list, live: true };
    try {
      const list = await this.client.listModels({ signal });
      this.models = { at: Date.now(), list };
      return { models: list, live: true };
    } catch (err) {
      if (err instanceof ProviderError && (err.code === 'no_key' || err.status === 401)) throw err;
      return { models: DOCUMENTED_MODELS, live: false };
    }
  }

  estimate(req: CreateVideoRequest): number | undefined {
    return estimateRequestCredits(req);
  }

  /** What creating this video charges, as the daily budget sees it. */
  charge(req: CreateVideoRequest): Charge {
    const credits = estimateRequestCredits(req);
    return {
      provider: this.id,
      what: 'this video',
      cost: credits === undefined ? undefined : { amount: credits, unit: 'credits', estimated: true },
    };
  }

  /**
   * Validates, then creates the task exactly once. If the connection drops after the request
   * was sent, the task is looked up by our reference instead of being sent again.
   */
  async submit(
    req: CreateVideoRequest,
    models: Model[] | undefined,
    signal?: AbortSignal,
  ): Promise<{ job: Job; recovered: boolean }> {
    validateVideoRequest(req, models);
    const ref = randomUUID();
    const body: CreateVideoRequest = { ...req, metadata: { ...req.metadata, [CLIENT_REF]: ref } };
    const estimate = estimateRequestCredits(req);
    const base = {
      provider: this.id,
      title: titleFromPrompt(req.input.prompt),
      kind: 'video',
      request: elideDataUris(body) as unknown as Record<string, unknown>,
      sandbox: this.isSandbox() || undefined,
      meta: { model: req.model, ref },
    } as const;
    try {
      const { task, raw } = await gated(this.budget, this.charge(req), () => this.client.createVideo(body, signal));
      return { job: this.toJob(task, raw, base, estimate), recovered: false };
    } catch (err) {
      if (!(err instanceof ProviderError) || !err.maybeAccepted) throw err;
      const found = await this.findByRef(ref, signal);
      if (found) return { job: this.toJob(found, found, base, estimate), recovered: true };
      throw new ProviderError({
        provider: this.id,
        code: 'connection_lost',
        maybeAccepted: true,
        message: l10n.t(
          '{0} It is not in the task list yet; refresh the Jobs view in a moment before trying again.',
          err.message,
        ),
      });
    }
  }

  private toJob(
    task: Task,
    raw: unknown,
    base: Pick<Job, 'provider' | 'title' | 'kind' | 'request' | 'meta'> & { sandbox?: boolean },
    estimate: number | undefined,
  ): Job {
    const job = newJob({
      ...base,
      id: task.id,
      status: 'queued',
      createdAt: task.created_at ?? new Date().toISOString(),
    });
    const patch = taskToPatch(task, raw);
    if (!patch.cost && estimate !== undefined) patch.cost = { amount: estimate, unit: 'credits', estimated: true };
    return { ...job, ...patch };
  }

  private async findByRef(ref: string, signal?: AbortSignal): Promise<Task | undefined> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const tasks = await this.client.listVideos({ limit: 100 }, signal);
        const hit = tasks.find((t) => t.metadata?.[CLIENT_REF] === ref);
        if (hit) return hit;
      } catch {
        /* the list is best effort */
      }
      await new Promise((r) => setTimeout(r, 300 * (attempt + 1)));
    }
    return undefined;
  }

  async poll(job: Job, signal?: AbortSignal): Promise<JobPatch> {
    const { task, raw } = await this.client.getVideo(job.id, signal);
    return taskToPatch(task, raw);
  }

  async listRemote(signal?: AbortSignal): Promise<Job[]> {
    const tasks = await this.client.listVideos({ limit: 100 }, signal);
    return tasks.map((t) => {
      const job = newJob({
        provider: this.id,
        id: t.id,
        title: `Task ${t.id}`,
        kind: 'video',
        status: 'queued',
        createdAt: t.created_at ?? new Date().toISOString(),
        meta: { model: t.model },
      });
      return { ...job, ...taskToPatch(t, t) };
    });
  }
}
