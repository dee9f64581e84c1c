import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import * as l10n from '@vscode/l10n';
import { oneLine } from '../../text';
import { ProviderError, ValidationError, describeError, isAbortError } from '../../errors';
import type { TransferProgress } from '../../http/transfer';
import { newJob, titleFromPrompt, type Job, type JobPatch, type JobStep } from '../../jobs/job';
import type { Logger } from '../../log';
import { silentLogger } from '../../log';
import type { SpendGate } from '../../jobs/spend';
import {
  clientOptions,
  gated,
  type JobAccess,
  type JobSource,
  type KeyedService,
  type ProviderContext,
} from '../types';
import { artifactsToOutputs } from './artifacts';
import { SeeleClient } from './client';
import { COST_UNIT, JOB_ALREADY_PROCESSING, UPLOAD_URL_MARGIN_MS } from './contract';
import { FileIdCache, contentTypeOf, hashFile } from './files';
import type { CreateJobRequest, JobStatusBody } from './schemas';
import { validateSeeleRequest } from './validate';

/** A new game, or a follow-up step: the documented fields, with local files instead of file_ids. */
export interface SeeleInput {
  prompt: string;
  model?: string;
  engine?: string;
  generation_model?: string;
  /** Local reference files; uploaded (or reused by content) and sent as file_ids. */
  files?: string[];
  /** Extra file_ids already known to be valid. */
  file_ids?: string[];
}

export interface UploadedFile {
  path: string;
  fileId: string;
  /** True when an earlier upload of the same content was reused. */
  reused: boolean;
  size: number;
}

export interface UploadHooks {
  /** Progress of one file's PUT (not called for reused files). */
  onProgress?: (file: string, p: TransferProgress) => void;
  signal?: AbortSignal;
}

/** The request fields of a job or step, as stored on the job (local paths kept for re-upload). */
function requestOf(input: SeeleInput, fileIds: string[]): CreateJobRequest {
  const body: CreateJobRequest = { prompt: input.prompt };
  if (input.model) body.model = input.model;
  if (input.engine) body.engine = input.engine;
  if (input.generation_model) body.generation_model = input.generation_model;
  if (fileIds.length) body.file_ids = fileIds;
  return body;
}

/** A rejection that is about file_ids (unknown or expired): the only case a create is repeated, with fresh uploads. */
export function isFileRejection(err: unknown): boolean {
  return (
    err instanceof ProviderError &&
    (err.status === 400 || err.status === 404 || err.status === 410) &&
    /file/i.test(`${err.code} ${err.message}`)
  );
}

/** Maps GET /jobs/{id} onto the Job model. `prev` is the job as last known. */
export function statusToPatch(
  body: JobStatusBody,
  raw: unknown,
  prev: Pick<Job, 'meta' | 'cost' | 'finishedAt' | 'webUrl'>,
  now = new Date(),
): JobPatch {
  const patch: JobPatch = { remoteStatus: body.status, raw, webUrl: body.meta?.platform_url ?? prev.webUrl };
  if (body.status === 'finished') {
    const { outputs, withoutUrls } = artifactsToOutputs(body.artifacts ?? []);
    patch.status = 'succeeded';
    patch.progress = undefined;
    patch.outputs = outputs;
    patch.error = undefined;
    patch.finishedAt = prev.finishedAt ?? now.toISOString();
    if (body.total_koin !== undefined && body.total_koin !== null)
      patch.cost = { amount: body.total_koin, unit: COST_UNIT };
    patch.meta = {
      ...prev.meta,
      summary: body.summary ?? undefined,
      artifactsWithoutUrls: withoutUrls.length ? withoutUrls : undefined,
    };
  } else if (FAILED_WORDS.test(body.status)) {
    // Not in the document, but a real server may end a job this way: it must stop being polled.
    const word = body.status.toLowerCase();
    patch.status = /cancel|abort/.test(word) ? 'canceled' : /time/.test(word) ? 'timeout' : 'failed';
    patch.progress = undefined;
    patch.finishedAt = prev.finishedAt ?? now.toISOString();
    const said = typeof body.error === 'string' ? body.error : (body.error?.message ?? body.error?.code ?? undefined);
    const code = (typeof body.error === 'object' && body.error?.code) || word;
    patch.error = {
      code,
      message: said?.trim() ? oneLine(said, 300) : `Seele reported the job as “${oneLine(body.status, 40)}”.`,
    };
  } else {
    // processing, or a word the document does not list: still running; an unknown word is shown as it is.
    patch.status = 'running';
    const op = body.current_operation?.trim();
    patch.progress = RUNNING_WORDS.test(body.status)
      ? op || 'Processing'
      : `${op ? `${op} · ` : ''}Seele says “${oneLine(body.status, 40)}”`;
    patch.finishedAt = undefined;
  }
  return patch;
}

/** Status words that end a job without success (a real server may send them though the document lists none). */
const FAILED_WORDS =
  /^(fail|failed|failure|error|errored|cancel|cancelled|canceled|aborted|timeout|timed_out|expired|rejected)$/i;
/** Words that mean "still working". */
const RUNNING_WORDS = /^(processing|queued|pending|running|in_progress|created|started)$/i;

export class SeeleProvider implements KeyedService, JobSource {
  readonly id = 'seele' as const;
  readonly client: SeeleClient;
  readonly pollPolicy;
  readonly followUp = true;
  /** file_ids by content; the editor persists it. */
  readonly files: FileIdCache;
  /** Steps live on jobs in the store; the provider reads and writes them there, so no change is lost to a poll in flight. */
  private readonly jobs: JobAccess | undefined;
  /** Whether it runs against the sandbox now (its jobs are marked so). */
  readonly isSandbox: () => boolean;
  private readonly budget: SpendGate | undefined;
  /** Steps whose POST is under way in this process. */
  private sending = new Set<string>();
  private readonly log: Logger;

  constructor(ctx: ProviderContext, files?: FileIdCache) {
    this.client = new SeeleClient(clientOptions(ctx));
    this.pollPolicy = ctx.facts.pollPolicy;
    this.jobs = ctx.jobs;
    this.isSandbox = ctx.isSandbox ?? (() => false);
    this.budget = ctx.budget;
    this.files = files ?? new FileIdCache();
    this.log = ctx.logger ?? silentLogger;
  }

  get http() {
    return this.client.http;
  }

  /**
   * Proves a key with the cheapest call there is: GET of a job id that cannot exist. Seele checks
   * the key before it looks the job up, so 404 (or 400) = key accepted; 401 = rejected; anything else
   * (5xx, network) is reported as is, the key neither accepted nor rejected.
   */
  async validateKey(key: string, o: { signal?: AbortSignal; baseUrl?: string } = {}): Promise<void> {
    try {
      await this.client.getJob(`gendeck-key-check-${randomUUID()}`, { key, ...o });
    } catch (err) {
      if (err instanceof ProviderError && (err.status === 404 || err.status === 400)) return;
      throw err;
    }
  }

  /** Seele has no cancel endpoint; only a queued step can be cancelled (cancelQueuedStep). */
  canCancel(): boolean {
    return false;
  }

  // ---- uploads ---------------------------------------------------------------------------

  /** Uploads each file (streamed, constant memory), reusing a known file_id for the same content. */
  async uploadFiles(paths: string[], hooks: UploadHooks = {}): Promise<UploadedFile[]> {
    const out: UploadedFile[] = [];
    for (const path of paths) out.push(await this.uploadOne(path, hooks));
    return out;
  }

  private async uploadOne(path: string, hooks: UploadHooks, force = false): Promise<UploadedFile> {
    const name = basename(path);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) throw new ValidationError(l10n.t('"{0}" is not a readable file.', name), { files: path });
    const { sha256, size } = await hashFile(path, hooks.signal);
    const scope = this.http.baseUrl;
    const known = force ? undefined : this.files.get(scope, sha256, size);
    if (known) {
      this.log.debug(`Seele: reusing file_id for ${name} (same content uploaded before)`);
      return { path, fileId: known.fileId, reused: true, size };
    }
    const contentType = await contentTypeOf(path);
    // One fresh upload session is asked for when the first link expires; a second expiry is reported.
    for (let attempt = 0; ; attempt++) {
      const session = await this.client.createUploadSession(
        { filename: name, content_type: contentType, size },
        hooks.signal,
      );
      const expiresAt = Date.parse(session.upload_url_expires_at);
      try {
        if (expiresAt - Date.now() < UPLOAD_URL_MARGIN_MS) {
          throw new ProviderError({
            provider: 'seele',
            code: 'upload_url_expired',
            message: l10n.t('Seele upload link expired before the file was sent.'),
          });
        }
        await this.client.putFile(session, path, {
          onProgress: (p) => hooks.onProgress?.(path, p),
          signal: hooks.signal,
        });
      } catch (err) {
        if (!(err instanceof ProviderError) || err.code !== 'upload_url_expired') throw err;
        if (attempt === 0) {
          this.log.info(`Seele: the upload link for ${name} expired; asking for a fresh one.`);
          continue;
        }
        throw new ProviderError({
          provider: 'seele',
          code: 'upload_url_expired',
          message: l10n.t(
            'Seele\'s upload link for "{0}" expired before the file ({1}) was sent, and so did the fresh link GenDeck asked for. Check your connection (or the computer clock), then try again.',
            name,
            formatBytes(size),
          ),
        });
      }
      this.files.set({ fileId: session.file_id, sha256, size, scope });
      return { path, fileId: session.file_id, reused: false, size };
    }
  }

  /**
   * Sends a request that carries file_ids. If Seele rejects it because of a file_id that came
   * from the cache, those ids are forgotten, the files uploaded afresh and the request sent once
   * more (a 4xx means nothing was created, so this is not a blind retry).
   */
  private async withFiles<T>(
    input: SeeleInput,
    hooks: UploadHooks,
    send: (fileIds: string[]) => Promise<T>,
    done?: UploadedFile[],
  ): Promise<{ result: T; uploads: UploadedFile[]; fileIds: string[] }> {
    let uploads = done ?? (await this.uploadFiles(input.files ?? [], hooks));
    let fileIds = [...(input.file_ids ?? []), ...uploads.map((u) => u.fileId)];
    try {
      return { result: await send(fileIds), uploads, fileIds };
    } catch (err) {
      if (!isFileRejection(err)) throw err;
      const stale = uploads.filter((u) => u.reused);
      this.files.invalidate(stale.length ? stale.map((u) => u.fileId) : uploads.map((u) => u.fileId));
      if (!stale.length) throw err;
      this.log.info(`Seele no longer accepts ${stale.length} reused file_id(s); uploading again.`);
      uploads = await Promise.all(uploads.map((u) => (u.reused ? this.uploadOne(u.path, hooks, true) : u)));
      fileIds = [...(input.file_ids ?? []), ...uploads.map((u) => u.fileId)];
      try {
        return { result: await send(fileIds), uploads, fileIds };
      } catch (again) {
        if (isFileRejection(again)) this.files.invalidate(uploads.map((u) => u.fileId));
        throw again;
      }
    }
  }

  // ---- jobs ------------------------------------------------------------------------------

  /** Uploads the reference files, then creates the job exactly once. */
  async createGame(input: SeeleInput, hooks: UploadHooks = {}): Promise<{ job: Job; uploads: UploadedFile[] }> {
    validateSeeleRequest(requestOf(input, input.file_ids ?? []));
    // Koin are known only when the game finishes; the budget is checked before anything, uploads included, is sent.
    const { result, uploads, fileIds } = await gated(this.budget, { provider: this.id, what: 'this game' }, () =>
      this.withFiles(input, hooks, (ids) => this.client.createJob(requestOf(input, ids), hooks.signal)),
    );
    const body = requestOf(input, fileIds);
    const job = newJob({
      provider: this.id,
      id: result.accepted.job_id,
      title: titleFromPrompt(input.prompt),
      kind: 'game',
      status: 'running',
      remoteStatus: 'processing',
      progress: l10n.t('Submitted'),
      request: { ...body, files: input.files ?? [] },
      webUrl: result.accepted.meta?.platform_url ?? undefined,
      steps: [],
      meta: { model: input.model, engine: input.engine, stepId: result.accepted.step_id ?? undefined },
      sandbox: this.isSandbox() || undefined,
      raw: result.raw,
    });
    return { job, uploads };
  }

  async poll(job: Job, signal?: AbortSignal): Promise<JobPatch> {
    const { job: body, raw } = await this.client.getJob(job.id, { signal });
    let patch = statusToPatch(body, raw, job);
    if (this.jobs) {
      this.recoverInterruptedSteps(job.key);
      if (body.status === 'finished') {
        const after = await this.sendNextQueued(job.key, signal);
        if (after) patch = { ...patch, ...after };
      } else if (patch.status !== 'running') {
        // The job ended without success: steps waiting for it will never be taken.
        for (const st of this.jobs.get(job.key)?.steps ?? []) {
          if (st.state === 'queued')
            this.setStep(job.key, st.localId, {
              state: 'failed',
              error: `Not sent: the job ended (${body.status}) first.`,
            });
        }
      } else if (this.hasWaitingStep(job.key)) {
        patch.progress = `${patch.progress} · a follow-up step waits`;
      }
    }
    return patch;
  }

  // ---- steps -----------------------------------------------------------------------------

  private needJobs(): JobAccess {
    if (!this.jobs) throw new Error('Seele steps need the job store: create the provider with `jobs`.');
    return this.jobs;
  }

  private setStep(key: string, localId: string, change: Partial<JobStep>, jobPatch: JobPatch = {}): Job | undefined {
    const jobs = this.needJobs();
    const latest = jobs.get(key);
    if (!latest) return undefined;
    const steps = (latest.steps ?? []).map((s) => (s.localId === localId ? { ...s, ...change } : s));
    return jobs.patch(key, { ...jobPatch, steps });
  }

  private hasWaitingStep(key: string): boolean {
    return (this.jobs?.get(key)?.steps ?? []).some((s) => s.state === 'queued' || s.state === 'sending');
  }

  /**
   * A follow-up step. Sent at once when the job can take it; while the job is generating (409
   * JOB_ALREADY_PROCESSING), or while earlier steps still wait, it is kept as a `queued` step and
   * sent by the poll once the job is seen finished. Files are uploaded now either way.
   */
  async addStep(
    jobKey: string,
    input: SeeleInput,
    hooks: UploadHooks = {},
  ): Promise<{ job: Job; step: JobStep; queued: boolean }> {
    const jobs = this.needJobs();
    validateSeeleRequest(requestOf(input, input.file_ids ?? []));
    if (!jobs.get(jobKey)) throw new ValidationError(l10n.t('That job is no longer in the list.'));
    // The budget is checked before the step's files are uploaded; a step queued now is not checked again when sent.
    const uploads = await gated(this.budget, { provider: this.id, what: 'this step' }, () =>
      this.uploadFiles(input.files ?? [], hooks),
    );
    const latest = jobs.get(jobKey);
    if (!latest) throw new ValidationError(l10n.t('That job is no longer in the list.'));
    const step: JobStep = {
      localId: randomUUID(),
      prompt: input.prompt,
      state: 'queued',
      request: stepRequest(input, [...(input.file_ids ?? []), ...uploads.map((u) => u.fileId)]),
      createdAt: new Date().toISOString(),
    };
    if ((latest.steps ?? []).some((s) => s.state === 'queued' || s.state === 'sending')) {
      // Earlier steps wait: this one goes behind them, in order.
      return { job: jobs.patch(jobKey, { steps: [...(latest.steps ?? []), step] })!, step, queued: true };
    }
    jobs.patch(jobKey, { steps: [...(latest.steps ?? []), { ...step, state: 'sending' }] });
    const after = await this.sendStep(jobKey, step.localId, hooks.signal, uploads);
    if (after) jobs.patch(jobKey, after);
    const final = jobs.get(jobKey)!;
    const saved = (final.steps ?? []).find((s) => s.localId === step.localId) ?? step;
    if (saved.state === 'failed')
      throw new ProviderError({
        provider: 'seele',
        code: 'step_failed',
        message: saved.error ?? l10n.t('Seele did not take the step.'),
      });
    return { job: final, step: saved, queued: saved.state === 'queued' };
  }

  /** Cancels a step that has not been sent; throws when it is being sent or already went. */
  cancelQueuedStep(jobKey: string, localId: string): Job {
    const jobs = this.needJobs();
    const latest = jobs.get(jobKey);
    const step = latest?.steps?.find((s) => s.localId === localId);
    if (!latest || !step) throw new ValidationError(l10n.t('That step is no longer on the job.'));
    if (step.state === 'sending' || this.sending.has(localId))
      throw new ValidationError(l10n.t('That step is being sent to Seele right now and can no longer be cancelled.'));
    if (step.state !== 'queued')
      throw new ValidationError(l10n.t('That step was already {0}; only a queued step can be cancelled.', step.state));
    return this.setStep(jobKey, localId, { state: 'canceled' })!;
  }

  /** A step left `sending` by an editor that closed mid-request: it may have reached Seele, so it is not sent again. */
  private recoverInterruptedSteps(key: string): void {
    const latest = this.jobs?.get(key);
    for (const s of latest?.steps ?? []) {
      if (s.state === 'sending' && !this.sending.has(s.localId)) {
        this.setStep(key, s.localId, {
          state: 'failed',
          error:
            'GenDeck stopped while this step was being sent; it may have reached Seele. Check the job (or the Seele workspace) before sending it again.',
        });
      }
    }
  }

  /** Sends the oldest queued step (the job was just seen finished). Returns what the job becomes. */
  private async sendNextQueued(key: string, signal?: AbortSignal): Promise<JobPatch | undefined> {
    const latest = this.jobs?.get(key);
    const steps = latest?.steps ?? [];
    if (steps.some((s) => s.state === 'sending')) return undefined;
    const next = steps.find((s) => s.state === 'queued');
    if (!next) return undefined;
    // Claimed synchronously: a cancel arriving from now on sees `sending`.
    this.setStep(key, next.localId, { state: 'sending' });
    return this.sendStep(key, next.localId, signal);
  }

  /**
   * POSTs a step already marked `sending` and records the outcome on the step; returns the job change.
   * `uploads` are the step's files when they were just uploaded; otherwise they are looked up again
   * (a cache hit unless their file_ids expired, then uploaded afresh).
   */
  private async sendStep(
    key: string,
    localId: string,
    signal: AbortSignal | undefined,
    uploads?: UploadedFile[],
  ): Promise<JobPatch | undefined> {
    const job = this.needJobs().get(key);
    const step = job?.steps?.find((s) => s.localId === localId);
    if (!job || !step) return undefined;
    this.sending.add(localId);
    try {
      const input = stepInput(step);
      const { result, fileIds } = await this.withFiles(
        input,
        { signal },
        (ids) => this.client.createStep(job.id, requestOf(input, ids), signal),
        uploads,
      );
      this.setStep(key, localId, {
        state: 'sent',
        id: result.accepted.step_id ?? undefined,
        error: undefined,
        request: stepRequest(input, fileIds),
      });
      this.log.info(`Seele: step sent on ${job.id}${uploads ? '' : ' (it had been queued)'}.`);
      return {
        status: 'running',
        remoteStatus: 'processing',
        progress: l10n.t('Step sent; waiting for Seele'),
        finishedAt: undefined,
        error: undefined,
        webUrl: result.accepted.meta?.platform_url ?? job.webUrl,
      };
    } catch (err) {
      if (err instanceof ProviderError && err.status === 409 && err.code === JOB_ALREADY_PROCESSING) {
        this.setStep(key, localId, { state: 'queued', error: undefined });
        return {
          status: 'running',
          remoteStatus: 'processing',
          finishedAt: undefined,
          progress: l10n.t('Generating · a follow-up step waits'),
        };
      }
      if (isAbortError(err) || (err instanceof ProviderError && err.code === 'unreachable')) {
        // Certainly not sent: it stays queued for the next chance.
        this.setStep(key, localId, { state: 'queued' });
        if (uploads && isAbortError(err)) throw err;
        return undefined;
      }
      this.setStep(key, localId, { state: 'failed', error: describeError(err) });
      this.log.warn(`Seele: step on ${job.id} failed: ${describeError(err)}`);
      return undefined;
    } finally {
      this.sending.delete(localId);
    }
  }
}

/** What a step keeps: the request as sent, plus the local files and the file_ids given apart from them. */
function stepRequest(input: SeeleInput, fileIds: string[]): Record<string, unknown> {
  return { ...requestOf(input, fileIds), files: input.files ?? [], given_file_ids: input.file_ids ?? [] };
}

function stepInput(step: JobStep): SeeleInput {
  const r = step.request as unknown as CreateJobRequest & { files?: string[]; given_file_ids?: string[] };
  return {
    prompt: step.prompt,
    model: r.model,
    engine: r.engine,
    generation_model: r.generation_model,
    files: r.files ?? [],
    file_ids: r.given_file_ids ?? [],
  };
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}
