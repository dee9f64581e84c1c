import { createHash, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import {
  API_PREFIX,
  ENGINES,
  JOB_ALREADY_PROCESSING,
  MODELS,
  SUBSCRIPTION_ENGINES,
  SUBSCRIPTION_MODELS,
} from './contract';
import type { Router, RouteContext } from '../../emulation/router';
import { bearerOrHeader, json, type Emulator, type EmulatorContext } from '../../emulation/emulator';

interface FileRecord {
  id: string;
  owner: string;
  token: string;
  filename: string;
  contentType: string;
  size: number;
  /** Absolute time the presigned PUT URL stops working. */
  urlExpiresAt: number;
  uploadedAt?: number;
  sha256?: string;
}

interface Turn {
  stepId: string;
  prompt: string;
  model: string;
  engine: string;
  fileIds: string[];
  startedAt: number;
  /** Generation time in ms at scale 1. */
  workMs: number;
}

interface JobRecord {
  id: string;
  owner: string;
  createdAt: number;
  turns: Turn[];
}

/** What current_operation says, in order, as a turn advances. */
export const SEELE_OPERATIONS = [
  'Planning game design',
  'Generating assets',
  'Writing code',
  'Testing gameplay',
  'Packaging',
] as const;

const KOIN: Record<string, number> = { 'Seele02-flash': 25, 'Seele02-pro': 60, 'Seele01-flash': 15, 'Seele01-pro': 40 };

/**
 * Seele as documented, on the sandbox (basePath `/seele`):
 * - POST /v2/api/files opens an upload session whose presigned PUT URL (on the sandbox, below
 *   `/seele/__upload/`) expires after `uploadUrlTtlMs`; a PUT after that gets 403. The PUT must carry
 *   the session's Content-Type and exactly `size` bytes; the body is streamed and counted (hashed,
 *   never kept), so a large upload costs no memory. A file_id is usable in jobs once its bytes
 *   arrived, for `fileTtlMs`.
 * - Jobs move through SEELE_OPERATIONS as time passes (× timing.scale), then finish with a summary,
 *   total_koin and two artifacts: a browser-playable three.js page (`/media/seele/<job>/index.html`)
 *   and a project zip (`/media/seele/<job>/project.zip`). A turn whose prompt holds `[noartifacts]`
 *   finishes without an artifacts field; `[slow]` takes five times longer.
 * - Steps while processing → 409 JOB_ALREADY_PROCESSING.
 * - Seele02-pro and the unreal engine → 403 unless the key contains `_sub_` (a "subscription" key,
 *   e.g. `sk_test_sub_…`).
 * - Responses carry non-contract fields (request_id, progress_percent, created_at, turn_count,
 *   artifact `kind`, meta.workspace_title) as the document warns real ones may; clients must ignore them.
 * - `meta.platform_url` points at a small sandbox workspace page, `/seele/workspace/<job>`.
 */
export class SeeleEmulator implements Emulator {
  readonly id = 'seele';
  readonly basePath = '/seele';
  readonly jobs = new Map<string, JobRecord>();
  readonly files = new Map<string, FileRecord>();
  /** How long a presigned upload URL works (real ms, not scaled). */
  uploadUrlTtlMs = 15 * 60 * 1000;
  /** How long an uploaded file_id can be used in jobs (real ms). */
  fileTtlMs = 24 * 60 * 60 * 1000;
  maxFileBytes = 2 * 1024 * 1024 * 1024;
  /** The next N upload PUTs are treated as arriving after their URL expired (403), whatever the clock says: a slow link, made deterministic for tests. */
  lateUploads = 0;
  readonly stats = { sessions: 0, puts: 0, putBytes: 0, jobs: 0, steps: 0, gets: 0 };
  private ctx!: EmulatorContext;

  errorBody(_status: number, code: string, message: string): unknown {
    return { ok: false, error: { code, message }, request_id: `req_${randomBytes(6).toString('hex')}` };
  }

  snapshot(): unknown {
    return { jobs: [...this.jobs.values()], files: [...this.files.values()] };
  }

  restore(state: unknown): void {
    const s = state as { jobs?: JobRecord[]; files?: FileRecord[] };
    for (const j of s.jobs ?? []) this.jobs.set(j.id, j);
    for (const f of s.files ?? []) this.files.set(f.id, f);
  }

  /** Makes the server forget a file_id (as if it expired early), for tests of a stale cache. */
  forgetFile(id: string): void {
    this.files.delete(id);
  }

  register(router: Router, ctx: EmulatorContext): void {
    this.ctx = ctx;
    const p = `${this.basePath}${API_PREFIX}`;
    router.add('POST', `${p}/files`, (c) => this.withKey(c, (key) => this.createFile(c, key)));
    router.add('POST', `${p}/jobs`, (c) => this.withKey(c, (key) => this.createJob(c, key)));
    router.add('POST', `${p}/jobs/:id/steps`, (c) => this.withKey(c, (key) => this.createStep(c, key)));
    router.add('GET', `${p}/jobs/:id`, (c) => this.withKey(c, (key) => this.getJob(c, key)));
    router.add('PUT', `${this.basePath}/__upload/:token`, (c) => this.put(c), { raw: true });
    router.add('GET', `${this.basePath}/workspace/:id`, (c) => this.workspace(c));
  }

  private fail(c: RouteContext, status: number, code: string, message: string): void {
    json(c.res, status, this.errorBody(status, code, message));
  }

  private withKey(c: RouteContext, fn: (key: string) => void): void {
    const key = bearerOrHeader(c.req, 'authorization');
    if (!c.req.headers.authorization?.toLowerCase().startsWith('bearer ') || !this.ctx.acceptsKey(key)) {
      return this.fail(c, 401, 'unauthorized', 'Invalid or missing API key');
    }
    fn(key!);
  }

  // ---- files -------------------------------------------------------------------------------

  private createFile(c: RouteContext, key: string): void {
    const b = c.body as { filename?: unknown; content_type?: unknown; size?: unknown } | undefined;
    if (!b || typeof b !== 'object') return this.fail(c, 400, 'invalid_request', 'Request body must be a JSON object');
    if (typeof b.filename !== 'string' || !b.filename.trim())
      return this.fail(c, 400, 'invalid_request', 'filename is required');
    if (typeof b.content_type !== 'string' || !/^[\w.+-]+\/[\w.+-]+$/.test(b.content_type))
      return this.fail(c, 400, 'invalid_request', 'content_type must be a MIME type');
    if (typeof b.size !== 'number' || !Number.isInteger(b.size) || b.size < 0)
      return this.fail(c, 400, 'invalid_request', 'size must be a non-negative integer');
    if (b.size > this.maxFileBytes)
      return this.fail(c, 400, 'file_too_large', `size must be at most ${this.maxFileBytes} bytes`);
    this.stats.sessions++;
    const rec: FileRecord = {
      id: randomBytes(16).toString('hex'),
      owner: key,
      token: randomBytes(18).toString('hex'),
      filename: b.filename,
      contentType: b.content_type,
      size: b.size,
      urlExpiresAt: this.ctx.now() + this.uploadUrlTtlMs,
    };
    this.files.set(rec.id, rec);
    json(c.res, 200, {
      ok: true,
      data: {
        file_id: rec.id,
        upload_url: this.ctx.url(`${this.basePath}/__upload/${rec.token}?X-Sandbox-Expires=${rec.urlExpiresAt}`),
        upload_url_expires_at: new Date(rec.urlExpiresAt).toISOString(),
        upload_headers: { 'Content-Type': rec.contentType },
        filename: rec.filename,
        content_type: rec.contentType,
        size: rec.size,
        storage_class: 'sandbox',
      },
      request_id: `req_${randomBytes(6).toString('hex')}`,
    });
  }

  /** The presigned PUT: no key, checked against its session, streamed and counted, never buffered. */
  private put(c: RouteContext): void {
    const { req, res } = c;
    const rec = [...this.files.values()].find((f) => f.token === c.params.token);
    const refuse = (status: number, code: string, message: string) => {
      req.resume();
      s3Error(res, status, code, message);
    };
    if (!rec) return refuse(404, 'NoSuchUpload', 'The upload URL is not known.');
    if (this.ctx.now() > rec.urlExpiresAt || (this.lateUploads > 0 && this.lateUploads-- > 0))
      return refuse(403, 'AccessDenied', 'Request has expired');
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== rec.contentType.toLowerCase())
      return refuse(400, 'InvalidContentType', `Content-Type must be ${rec.contentType} as signed`);
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) !== rec.size)
      return refuse(400, 'InvalidContentLength', `Content-Length must be ${rec.size} as signed`);
    this.stats.puts++;
    const hash = createHash('sha256');
    let count = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      count += chunk.length;
      this.stats.putBytes += chunk.length;
      if (count > rec.size) over = true;
      else hash.update(chunk);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      if (over || count !== rec.size)
        return s3Error(res, 400, 'IncompleteBody', `Expected ${rec.size} bytes, got ${count}`);
      rec.uploadedAt = this.ctx.now();
      rec.sha256 = hash.digest('hex');
      res.writeHead(200, { etag: `"${rec.sha256.slice(0, 32)}"`, 'content-length': 0 });
      res.end();
    });
  }

  // ---- jobs --------------------------------------------------------------------------------

  /** The request problem as (status, code, message), or undefined when it is fine. */
  private check(body: unknown, key: string): [number, string, string] | undefined {
    const b = body as Record<string, unknown> | undefined;
    if (!b || typeof b !== 'object' || Array.isArray(b))
      return [400, 'invalid_request', 'Request body must be a JSON object'];
    if (typeof b.prompt !== 'string' || !b.prompt.trim()) return [400, 'invalid_request', 'prompt is required'];
    if (b.model !== undefined && !(MODELS as readonly unknown[]).includes(b.model))
      return [400, 'invalid_request', `model must be one of ${MODELS.join(', ')}`];
    if (b.engine !== undefined && !(ENGINES as readonly unknown[]).includes(b.engine))
      return [400, 'invalid_request', `engine must be one of ${ENGINES.join(', ')}`];
    if (b.generation_model !== undefined && typeof b.generation_model !== 'string')
      return [400, 'invalid_request', 'generation_model must be a string'];
    if (b.file_ids !== undefined && (!Array.isArray(b.file_ids) || b.file_ids.some((x) => typeof x !== 'string')))
      return [400, 'invalid_request', 'file_ids must be an array of strings'];
    for (const id of (b.file_ids as string[] | undefined) ?? []) {
      const f = this.files.get(id);
      if (!f || f.owner !== key || f.uploadedAt === undefined || this.ctx.now() > f.uploadedAt + this.fileTtlMs) {
        return [400, 'file_not_found', `file_id ${id} is unknown, was never uploaded, or has expired`];
      }
    }
    const subscribed = key.includes('_sub_');
    if (!subscribed && (SUBSCRIPTION_MODELS as readonly unknown[]).includes(b.model))
      return [403, 'subscription_required', `${String(b.model)} is available to subscription users only`];
    if (!subscribed && (SUBSCRIPTION_ENGINES as readonly unknown[]).includes(b.engine))
      return [403, 'subscription_required', `The ${String(b.engine)} engine is available to subscription users only`];
    return undefined;
  }

  private turn(body: Record<string, unknown>, prev?: Turn): Turn {
    const prompt = String(body.prompt);
    const first = !prev;
    return {
      stepId: `step_${randomBytes(8).toString('hex')}`,
      prompt,
      model: (body.model as string | undefined) ?? prev?.model ?? 'Seele02-flash',
      engine: (body.engine as string | undefined) ?? prev?.engine ?? 'threejs',
      fileIds: (body.file_ids as string[] | undefined) ?? [],
      startedAt: this.ctx.now(),
      workMs: (prompt.includes('[slow]') ? 5 : 1) * (first ? 35_000 : 12_000),
    };
  }

  private accepted(job: JobRecord, turn: Turn): Record<string, unknown> {
    return {
      ok: true,
      data: {
        job_id: job.id,
        step_id: turn.stepId,
        meta: { platform_url: this.platformUrl(job.id), workspace_title: 'Sandbox workspace' },
        queued_at: new Date(turn.startedAt).toISOString(),
      },
      request_id: `req_${randomBytes(6).toString('hex')}`,
    };
  }

  private createJob(c: RouteContext, key: string): void {
    const problem = this.check(c.body, key);
    if (problem) return this.fail(c, ...problem);
    this.stats.jobs++;
    const job: JobRecord = {
      id: `job_${randomBytes(10).toString('hex')}`,
      owner: key,
      createdAt: this.ctx.now(),
      turns: [],
    };
    job.turns.push(this.turn(c.body as Record<string, unknown>));
    this.jobs.set(job.id, job);
    json(c.res, 201, this.accepted(job, job.turns[0]));
  }

  private createStep(c: RouteContext, key: string): void {
    const job = this.jobs.get(c.params.id);
    if (!job || job.owner !== key) return this.fail(c, 404, 'job_not_found', `Job ${c.params.id} does not exist`);
    if (this.state(job).processing)
      return this.fail(c, 409, JOB_ALREADY_PROCESSING, 'job is still generating, new steps are not allowed yet');
    const problem = this.check(c.body, key);
    if (problem) return this.fail(c, ...problem);
    this.stats.steps++;
    const turn = this.turn(c.body as Record<string, unknown>, job.turns[job.turns.length - 1]);
    job.turns.push(turn);
    json(c.res, 200, this.accepted(job, turn));
  }

  /** Where the latest turn is; a pure function of elapsed time. */
  private state(job: JobRecord): { processing: boolean; operation: string; percent: number } {
    const turn = job.turns[job.turns.length - 1];
    const elapsed = (this.ctx.now() - turn.startedAt) / this.ctx.timing.scale;
    if (elapsed >= turn.workMs) return { processing: false, operation: 'Done', percent: 100 };
    const i = Math.min(SEELE_OPERATIONS.length - 1, Math.floor((elapsed / turn.workMs) * SEELE_OPERATIONS.length));
    return { processing: true, operation: SEELE_OPERATIONS[i], percent: Math.floor((elapsed / turn.workMs) * 100) };
  }

  private getJob(c: RouteContext, key: string): void {
    const job = this.jobs.get(c.params.id);
    if (!job || job.owner !== key) return this.fail(c, 404, 'job_not_found', `Job ${c.params.id} does not exist`);
    this.stats.gets++;
    json(c.res, 200, { ok: true, data: this.view(job), request_id: `req_${randomBytes(6).toString('hex')}` });
  }

  private view(job: JobRecord): Record<string, unknown> {
    const s = this.state(job);
    const turn = job.turns[job.turns.length - 1];
    const extra = {
      created_at: new Date(job.createdAt).toISOString(),
      turn_count: job.turns.length,
      progress_percent: s.percent,
    };
    const meta = { platform_url: this.platformUrl(job.id), workspace_title: 'Sandbox workspace' };
    if (s.processing) return { job_id: job.id, status: 'processing', current_operation: s.operation, meta, ...extra };
    const koin = job.turns.reduce((sum, t) => sum + (KOIN[t.model] ?? 25) + 5 * t.fileIds.length, 0);
    const engineName = { threejs: 'three.js', unity: 'Unity', unreal: 'Unreal' }[turn.engine] ?? turn.engine;
    const data: Record<string, unknown> = {
      job_id: job.id,
      status: 'finished',
      summary: `A ${engineName} game from "${oneLine(job.turns[0].prompt)}"${job.turns.length > 1 ? `, refined in ${job.turns.length - 1} step(s); latest: "${oneLine(turn.prompt)}"` : ''}.`,
      total_koin: koin,
      meta,
      ...extra,
    };
    if (!turn.prompt.includes('[noartifacts]')) {
      const n = job.turns.length;
      data.artifacts = [
        {
          id: `artifact_${job.id}_${n}_project`,
          name: 'Game Project',
          description: `Generated ${engineName} project package`,
          urls: [this.ctx.url(`/media/seele/${job.id}/project.zip`)],
          kind: 'package',
        },
        {
          id: `artifact_${job.id}_${n}_preview`,
          name: 'Preview',
          description: 'Browser playable preview',
          urls: [this.ctx.url(`/media/seele/${job.id}/index.html`)],
          kind: 'preview',
        },
      ];
    }
    return data;
  }

  private platformUrl(jobId: string): string {
    return this.ctx.url(`${this.basePath}/workspace/${encodeURIComponent(jobId)}`);
  }

  /** A plain page standing in for the hosted Seele workspace. */
  private workspace(c: RouteContext): void {
    const job = this.jobs.get(c.params.id);
    const s = job ? this.state(job) : undefined;
    const rows = job
      ? job.turns
          .map(
            (t, i) =>
              `<li>${i === 0 ? 'Prompt' : `Step ${i}`}: ${escapeHtml(t.prompt)} <small>(${escapeHtml(t.model)}, ${escapeHtml(t.engine)})</small></li>`,
          )
          .join('')
      : '<li>No such job in this sandbox.</li>';
    const status = s ? (s.processing ? `Processing: ${s.operation}` : 'Finished') : 'Unknown';
    const play =
      job && s && !s.processing
        ? `<p><a href="/media/seele/${encodeURIComponent(job.id)}/index.html">Play the preview</a> · <a href="/media/seele/${encodeURIComponent(job.id)}/project.zip">Download the project</a></p>`
        : '';
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>Seele sandbox workspace</title></head><body style="font-family:sans-serif;max-width:40em;margin:2em auto"><h1>Seele sandbox workspace</h1><p>Job <code>${escapeHtml(c.params.id)}</code>: ${escapeHtml(status)}</p><ol>${rows}</ol>${play}<p><small>This page stands in for the hosted Seele workspace while GenDeck runs against its local sandbox.</small></p></body></html>`;
    c.res.writeHead(job ? 200 : 404, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': Buffer.byteLength(html),
      'cache-control': 'no-store',
    });
    c.res.end(html);
  }
}

function s3Error(res: ServerResponse, status: number, code: string, message: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${escapeHtml(message)}</Message></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function oneLine(s: string): string {
  const t = s
    .replace(/\[(noartifacts|slow)\]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return t.length > 60 ? `${t.slice(0, 59)}…` : t;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}
