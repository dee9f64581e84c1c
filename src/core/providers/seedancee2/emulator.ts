import { randomBytes } from 'node:crypto';
import {
  ASPECT_RATIOS,
  CREDIT_RATES,
  DOCUMENTED_MODELS,
  GENERATION_TYPES,
  LIMITS,
  TASK_STATUSES,
  estimateCredits,
} from './contract';
import type { Router, RouteContext } from '../../emulation/router';
import { bearerOrHeader, json, type Emulator, type EmulatorContext } from '../../emulation/emulator';

interface TaskRecord {
  id: string;
  refunded?: boolean;
  owner: string;
  model: string;
  input: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  createdAt: number;
  reserved: number;
  fails: boolean;
  /** Processing time in ms at scale 1. */
  workMs: number;
}

const TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  404: 'invalid_request_error',
  500: 'api_error',
};

/**
 * Seedancee2 as documented: tasks go pending → processing → completed | failed as time passes,
 * credits are reserved on create, charged on completion and refunded on failure.
 * A prompt containing `[fail]` fails; `[slow]` takes five times longer.
 */
export class Seedancee2Emulator implements Emulator {
  readonly id = 'seedancee2';
  readonly basePath = '/seedancee2';
  readonly tasks = new Map<string, TaskRecord>();
  /** Credits each key may reserve; an unknown key starts with `startingCredits`. */
  readonly balances = new Map<string, number>();
  startingCredits = 100_000;
  private ctx!: EmulatorContext;

  snapshot(): unknown {
    return { tasks: [...this.tasks.values()], balances: [...this.balances] };
  }

  restore(state: unknown): void {
    const s = state as { tasks?: TaskRecord[]; balances?: [string, number][] };
    for (const t of s.tasks ?? []) this.tasks.set(t.id, t);
    for (const [k, v] of s.balances ?? []) this.balances.set(k, v);
  }

  errorBody(status: number, code: string, message: string): unknown {
    return { error: { code, message, type: TYPES[status] ?? 'api_error' } };
  }

  register(router: Router, ctx: EmulatorContext): void {
    this.ctx = ctx;
    const p = this.basePath;
    router.add('POST', `${p}/v1/videos/generations`, (c) => this.withKey(c, (key) => this.create(c, key)));
    router.add('GET', `${p}/v1/videos/generations`, (c) => this.withKey(c, (key) => this.list(c, key)));
    router.add('GET', `${p}/v1/videos/generations/:id`, (c) => this.withKey(c, (key) => this.get(c, key)));
    router.add('GET', `${p}/v1/models`, (c) =>
      this.withKey(c, () =>
        json(c.res, 200, { data: DOCUMENTED_MODELS.map((m) => ({ ...m, rates: CREDIT_RATES[m.id] })) }),
      ),
    );
    router.add('GET', `${p}/v1/usage`, (c) => this.withKey(c, (key) => this.usage(c, key)));
  }

  private fail(c: RouteContext, status: number, code: string, message: string): void {
    json(c.res, status, this.errorBody(status, code, message));
  }

  private withKey(c: RouteContext, fn: (key: string) => void): void {
    const key = bearerOrHeader(c.req, 'x-api-key');
    if (!this.ctx.acceptsKey(key))
      return this.fail(c, 401, 'invalid_api_key', 'API key is missing, invalid, or disabled');
    fn(key!);
  }

  private create(c: RouteContext, key: string): void {
    const body = c.body as
      { model?: unknown; input?: Record<string, unknown>; callback_url?: unknown; metadata?: unknown } | undefined;
    if (!body || typeof body !== 'object')
      return this.fail(c, 400, 'invalid_request', 'Request body must be a JSON object');
    if (typeof body.model !== 'string' || !body.model) return this.fail(c, 400, 'invalid_request', 'model is required');
    const model = DOCUMENTED_MODELS.find((m) => m.id === body.model);
    if (!model) return this.fail(c, 404, 'model_not_found', `Model ${body.model} does not exist or is inactive`);
    const input = body.input;
    if (!input || typeof input !== 'object') return this.fail(c, 400, 'invalid_request', 'input is required');
    const problem = this.checkInput(input, model);
    if (problem) return this.fail(c, 400, 'invalid_request', problem);
    if (
      body.metadata !== undefined &&
      (typeof body.metadata !== 'object' || body.metadata === null || Array.isArray(body.metadata))
    )
      return this.fail(c, 400, 'invalid_request', 'metadata must be an object');
    const duration = (input.duration as number | undefined) ?? LIMITS.durationDefault;
    const reserved = estimateCredits(model.id, (input.resolution as string | undefined) ?? '720p', duration)!;
    const balance = this.balances.get(key) ?? this.startingCredits;
    if (reserved > balance)
      return this.fail(c, 402, 'insufficient_credits', 'Your credit balance is too low. Please top up.');
    this.balances.set(key, balance - reserved);
    const prompt = String(input.prompt);
    const id = `vid_${randomBytes(13).toString('hex')}`;
    const rec: TaskRecord = {
      id,
      owner: key,
      model: model.id,
      input,
      metadata: body.metadata as Record<string, unknown> | undefined,
      createdAt: this.ctx.now(),
      reserved,
      fails: prompt.includes('[fail]'),
      workMs: (prompt.includes('[slow]') ? 5 : 1) * (4000 + duration * 400),
    };
    this.tasks.set(id, rec);
    json(c.res, 200, {
      data: {
        id,
        status: 'pending',
        model: rec.model,
        credits_reserved: reserved,
        created_at: new Date(rec.createdAt).toISOString(),
      },
    });
  }

  private checkInput(input: Record<string, unknown>, model: (typeof DOCUMENTED_MODELS)[number]): string | undefined {
    if (typeof input.prompt !== 'string' || !input.prompt.trim()) return 'input.prompt is required';
    if (
      input.duration !== undefined &&
      (!Number.isInteger(input.duration) ||
        (input.duration as number) < model.duration.min ||
        (input.duration as number) > model.duration.max)
    )
      return `input.duration must be an integer from ${model.duration.min} to ${model.duration.max}`;
    if (input.resolution !== undefined && !model.resolutions.includes(input.resolution as string))
      return `input.resolution ${String(input.resolution)} is not available for ${model.id}`;
    if (
      input.aspect_ratio !== undefined &&
      !(ASPECT_RATIOS as readonly string[]).includes(input.aspect_ratio as string)
    )
      return 'input.aspect_ratio is not supported';
    if (
      input.generation_type !== undefined &&
      !(GENERATION_TYPES as readonly string[]).includes(input.generation_type as string)
    )
      return 'input.generation_type is not supported';
    const arr = (k: string) => (input[k] === undefined ? [] : Array.isArray(input[k]) ? (input[k] as unknown[]) : null);
    for (const k of ['image_urls', 'video_urls', 'audio_urls'])
      if (arr(k) === null) return `input.${k} must be an array`;
    if (arr('image_urls')!.length > LIMITS.maxImages)
      return `input.image_urls accepts up to ${LIMITS.maxImages} images`;
    if (input.video_url !== undefined && arr('video_urls')!.length)
      return 'input.video_url and input.video_urls cannot be sent together';
    if (arr('video_urls')!.length > LIMITS.maxVideoUrls)
      return `input.video_urls accepts up to ${LIMITS.maxVideoUrls} videos`;
    if (arr('audio_urls')!.length > LIMITS.maxAudioUrls)
      return `input.audio_urls accepts up to ${LIMITS.maxAudioUrls} audio files`;
    if (input.generation_type === 'first_and_last_frames' && (!input.start_image_url || !input.end_image_url))
      return 'first_and_last_frames requires exactly 2 images (start_image_url and end_image_url)';
    return undefined;
  }

  /** The task as the API shows it now; status is a pure function of elapsed time. */
  private view(rec: TaskRecord): Record<string, unknown> {
    const elapsed = (this.ctx.now() - rec.createdAt) / this.ctx.timing.scale;
    const pendingMs = 1500;
    const status =
      elapsed < pendingMs
        ? 'pending'
        : elapsed < pendingMs + rec.workMs
          ? 'processing'
          : rec.fails
            ? 'failed'
            : 'completed';
    const base: Record<string, unknown> = {
      id: rec.id,
      status,
      model: rec.model,
      created_at: new Date(rec.createdAt).toISOString(),
    };
    if (rec.metadata) base.metadata = rec.metadata;
    if (status === 'pending' || status === 'processing') return { ...base, credits_reserved: rec.reserved };
    const completedAt = new Date(rec.createdAt + (pendingMs + rec.workMs) * this.ctx.timing.scale).toISOString();
    if (status === 'failed') {
      return {
        ...base,
        credits_charged: 0,
        credits_refunded: rec.reserved,
        error: {
          code: 'generation_failed',
          message: 'The video could not be generated. Please try again with a different prompt.',
          type: 'generation_error',
        },
      };
    }
    const output: Record<string, string> = {
      video_url: this.ctx.url(`/media/seedancee2/videos/${rec.id}.mp4`),
      thumbnail_url: this.ctx.url(`/media/seedancee2/video-posters/${rec.id}.jpg`),
    };
    if (rec.input.return_last_frame)
      output.last_frame_url = this.ctx.url(`/media/seedancee2/video-posters/${rec.id}-last.jpg`);
    return { ...base, completed_at: completedAt, credits_charged: rec.reserved, output };
  }

  private settle(rec: TaskRecord): void {
    // Refund a failed task's reservation once, when it is first seen failed.
    const v = this.view(rec);
    if (v.status === 'failed' && !rec.refunded) {
      rec.refunded = true;
      this.balances.set(rec.owner, (this.balances.get(rec.owner) ?? this.startingCredits) + rec.reserved);
    }
  }

  private get(c: RouteContext, key: string): void {
    const rec = this.tasks.get(c.params.id);
    if (!rec || rec.owner !== key) return this.fail(c, 404, 'task_not_found', `Task ${c.params.id} does not exist`);
    this.settle(rec);
    json(c.res, 200, { data: this.view(rec) });
  }

  private list(c: RouteContext, key: string): void {
    const status = c.url.searchParams.get('status');
    const limitText = c.url.searchParams.get('limit');
    const limit = limitText === null ? LIMITS.listLimitDefault : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > LIMITS.listLimitMax)
      return this.fail(c, 400, 'invalid_request', `limit must be an integer from 1 to ${LIMITS.listLimitMax}`);
    if (status !== null && !(TASK_STATUSES as readonly string[]).includes(status))
      return this.fail(c, 400, 'invalid_request', 'status must be pending, processing, completed, or failed');
    const rows = [...this.tasks.values()]
      .filter((t) => t.owner === key)
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((t) => this.view(t))
      .filter((v) => !status || v.status === status)
      .slice(0, limit);
    json(c.res, 200, { data: rows });
  }

  private usage(c: RouteContext, key: string): void {
    const start = c.url.searchParams.get('start');
    const end = c.url.searchParams.get('end');
    const limitText = c.url.searchParams.get('limit');
    const limit = limitText === null ? LIMITS.usageLimitDefault : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > LIMITS.usageLimitMax)
      return this.fail(c, 400, 'invalid_request', `limit must be an integer from 1 to ${LIMITS.usageLimitMax}`);
    const from = start ? Date.parse(start) : -Infinity;
    const to = end ? Date.parse(end) : Infinity;
    if (Number.isNaN(from) || Number.isNaN(to))
      return this.fail(c, 400, 'invalid_request', 'start and end must be ISO 8601 datetimes');
    // Each row is a task's view plus what its create took from the balance: usage counts every reserve as charged
    // and a failure's refund against it (the document's example: 280 charged, 40 refunded, 240 net).
    const views = [...this.tasks.values()]
      .filter((t) => t.owner === key && t.createdAt >= from && t.createdAt <= to)
      .map((t) => ({ ...this.view(t), taken: t.reserved }));
    const count = (rows: Record<string, unknown>[]) => {
      const charged = rows.reduce((s, r) => s + (r.taken as number), 0);
      const refunded = rows.reduce((s, r) => s + ((r.credits_refunded as number) ?? 0), 0);
      return {
        total_jobs: rows.length,
        pending_jobs: rows.filter((r) => r.status === 'pending').length,
        processing_jobs: rows.filter((r) => r.status === 'processing').length,
        completed_jobs: rows.filter((r) => r.status === 'completed').length,
        failed_jobs: rows.filter((r) => r.status === 'failed').length,
        credits_charged: charged,
        credits_refunded: refunded,
        net_credits: charged - refunded,
      };
    };
    const group = (by: (r: Record<string, unknown>) => string) => {
      const m = new Map<string, Record<string, unknown>[]>();
      for (const r of views) m.set(by(r), [...(m.get(by(r)) ?? []), r]);
      return m;
    };
    const byModel = [...group((r) => String(r.model))].map(([model, rows]) => ({ model, ...count(rows) }));
    const timeline = [...group((r) => String(r.created_at).slice(0, 10))]
      .sort(([a], [b]) => a.localeCompare(b))
      .slice(-limit)
      .map(([date, rows]) => ({ date, ...count(rows) }));
    json(c.res, 200, { data: { range: { start, end }, summary: count(views), by_model: byModel, timeline } });
  }
}
