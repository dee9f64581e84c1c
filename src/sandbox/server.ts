import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join } from 'node:path';
import { FaultInjector, type Fault } from './faults';
import { assembleGamePage } from './gamePage';
import { header, json, type Emulator, type EmulatorContext, type SandboxTiming } from '../core/emulation/emulator';
import { Router, type RouteContext } from '../core/emulation/router';
import { sampleWav } from './sampleWav';

export interface SandboxOptions {
  port?: number;
  mediaDir: string;
  /** Keys accepted besides this sandbox's own random key (`Sandbox.key`). */
  keys?: string[];
  /** Also accept any `sk_test_…` / `sk_sandbox_…` key (tests and benchmarks; never the editor's sandbox). */
  acceptTestKeys?: boolean;
  /** The sandbox's own key; random when absent (kept in `stateFile`, so jobs survive a reload). */
  key?: string;
  timeScale?: number;
  maxBodyBytes?: number;
  random?: () => number;
  now?: () => number;
  /** Where emulator state is kept between runs; in memory only when absent. */
  stateFile?: string;
}

/** A fresh sandbox key: random, so a web page in the user's browser cannot guess it. */
export function newSandboxKey(): string {
  return `sbx_${randomBytes(24).toString('hex')}`;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** True when a Host or Origin names this machine's loopback (any port: code-server's proxy forwards to it). */
function isLoopback(hostOrOrigin: string | undefined): boolean {
  if (!hostOrOrigin) return false;
  try {
    const u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(hostOrOrigin) ? hostOrOrigin : `http://${hostOrOrigin}`);
    return LOOPBACK_HOSTS.has(u.hostname);
  } catch {
    return false;
  }
}

const MIME: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.wav': 'audio/wav',
  '.glb': 'model/gltf-binary',
  '.html': 'text/html; charset=utf-8',
  '.zip': 'application/zip',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

/** Serves a file with Range support, so a <video> can seek. */
export function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  contentType?: string,
  extraHeaders: Record<string, string> = {},
): void {
  if (!existsSync(path)) {
    json(res, 404, { error: 'not_found' });
    return;
  }
  const type = contentType ?? MIME[extname(path).toLowerCase()] ?? 'application/octet-stream';
  sendRange(req, res, statSync(path).size, { 'content-type': type, ...extraHeaders }, (range) =>
    createReadStream(path, range).pipe(res),
  );
}

/** Serves bytes held in memory exactly as `sendFile` serves a file (same headers, same Range answers). */
function sendBytes(req: IncomingMessage, res: ServerResponse, bytes: Buffer, contentType: string): void {
  sendRange(req, res, bytes.length, { 'content-type': contentType }, (range) =>
    res.end(range ? bytes.subarray(range.start, range.end + 1) : bytes),
  );
}

/** Answers GET/HEAD for a body of `size` bytes with Range support; `send` writes the body, or its range (inclusive). */
function sendRange(
  req: IncomingMessage,
  res: ServerResponse,
  size: number,
  headers: Record<string, string>,
  send: (range?: { start: number; end: number }) => void,
): void {
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
  const all = {
    'accept-ranges': 'bytes',
    'access-control-allow-origin': '*',
    'cache-control': 'no-store',
    ...headers,
  };
  if (range && (range[1] || range[2])) {
    let start = range[1] ? Number(range[1]) : size - Number(range[2]);
    let end = range[1] && range[2] ? Number(range[2]) : size - 1;
    start = Math.max(0, start);
    end = Math.min(end, size - 1);
    if (start > end) {
      res.writeHead(416, { 'content-range': `bytes */${size}` });
      res.end();
      return;
    }
    res.writeHead(206, {
      ...all,
      'content-range': `bytes ${start}-${end}/${size}`,
      'content-length': end - start + 1,
    });
    if (req.method === 'HEAD') return void res.end();
    send({ start, end });
    return;
  }
  res.writeHead(200, { ...all, 'content-length': size });
  if (req.method === 'HEAD') return void res.end();
  send();
}

/**
 * A local emulator of every provider on one 127.0.0.1 port. Each provider lives below its own
 * path (`/seedancee2`, `/seele`, …), shared media below `/media`, and a control API below `/__sandbox`.
 */
export class Sandbox {
  readonly faults: FaultInjector;
  readonly requests = new Map<string, number>();
  private server: Server | undefined;
  private sockets = new Set<Socket>();
  private emulators: Emulator[] = [];
  private gamePage: Buffer | undefined;
  private router = new Router();
  private originValue = '';
  private readonly keys: Set<string>;
  /** This sandbox's key: what the editor sends in sandbox mode, and what the `/__sandbox` control routes need. */
  key: string;
  readonly timing: SandboxTiming;
  readonly ctx: EmulatorContext;

  constructor(
    private readonly opts: SandboxOptions,
    emulators: Emulator[],
  ) {
    this.faults = new FaultInjector(opts.random);
    this.key = opts.key ?? newSandboxKey();
    this.keys = new Set([this.key, ...(opts.keys ?? [])]);
    this.timing = { scale: opts.timeScale ?? 1 };
    const random = opts.random ?? Math.random;
    const now = opts.now ?? Date.now;
    this.ctx = {
      timing: this.timing,
      mediaDir: opts.mediaDir,
      now,
      random,
      acceptsKey: (key) =>
        !!key && (this.keys.has(key) || (!!opts.acceptTestKeys && /^sk_(test|sandbox)_[A-Za-z0-9_-]{6,}$/.test(key))),
      url: (path) => `${this.originValue}${path}`,
    };
    this.router.add('GET', '/media/*name', ({ req, res, params }) => this.serveMedia(req, res, params.name));
    this.router.add('HEAD', '/media/*name', ({ req, res, params }) => this.serveMedia(req, res, params.name));
    this.router.add('GET', '/__sandbox/health', ({ res }) =>
      json(res, 200, { ok: true, emulators: this.emulators.map((e) => e.id) }),
    );
    this.router.add('POST', '/__sandbox/faults', ({ req, res, body }) => {
      if (!this.controlAllowed(req)) return json(res, 401, { error: 'sandbox_key_required' });
      const list = Array.isArray(body) ? body : [body];
      for (const f of list) this.faults.add(f as Fault);
      json(res, 200, { ok: true });
    });
    this.router.add('DELETE', '/__sandbox/faults', ({ req, res }) => {
      if (!this.controlAllowed(req)) return json(res, 401, { error: 'sandbox_key_required' });
      this.faults.clear();
      json(res, 200, { ok: true });
    });
    for (const e of emulators) this.use(e);
  }

  /** The control routes need this sandbox's key, as `X-Sandbox-Key`. */
  private controlAllowed(req: IncomingMessage): boolean {
    return header(req, 'x-sandbox-key') === this.key;
  }

  /**
   * Why a request must not be served, or undefined. Any web page in the user's browser can reach 127.0.0.1: a Host
   * other than loopback is DNS rebinding, and an Origin other than loopback is another site (a cross-site
   * `text/plain` POST needs no preflight). Media stays loadable by webviews, whose Origin is their own.
   */
  private refusal(req: IncomingMessage, pathname: string, method: string): string | undefined {
    if (!isLoopback(header(req, 'host'))) return 'host_not_allowed';
    const origin = header(req, 'origin');
    const media = pathname.startsWith('/media/') && (method === 'GET' || method === 'HEAD');
    if (origin && !media && !isLoopback(origin)) return 'origin_not_allowed';
    return undefined;
  }

  use(emulator: Emulator): void {
    this.emulators.push(emulator);
    emulator.register(this.router, this.ctx);
  }

  /** The providers it plays, by id. */
  get ids(): string[] {
    return this.emulators.map((e) => e.id);
  }

  get origin(): string {
    return this.originValue;
  }

  /** The base URL a provider client should use to reach its emulator. */
  baseUrl(id: string): string {
    const e = this.emulators.find((x) => x.id === id);
    if (!e) throw new Error(`No emulator for ${id}`);
    return `${this.originValue}${e.basePath}${e.apiPrefix ?? ''}`;
  }

  countFor(prefix: string): number {
    let n = 0;
    for (const [k, v] of this.requests) if (k.includes(` /${prefix}`)) n += v;
    return n;
  }

  private restoreState(): void {
    if (!this.opts.stateFile || !existsSync(this.opts.stateFile)) return;
    try {
      const all = JSON.parse(readFileSync(this.opts.stateFile, 'utf8')) as Record<string, unknown>;
      // The state belongs to the key it was made with: keep using it unless a key was given.
      const saved = (all.__sandbox as { key?: unknown } | undefined)?.key;
      if (!this.opts.key && typeof saved === 'string' && /^sbx_[0-9a-f]{48}$/.test(saved)) {
        this.keys.delete(this.key);
        this.key = saved;
        this.keys.add(saved);
      }
      for (const e of this.emulators) if (all[e.id] !== undefined) e.restore?.(all[e.id]);
    } catch {
      /* a broken state file only costs the sandbox its history */
    }
  }

  private saveTimer: NodeJS.Timeout | undefined;
  private scheduleSave(): void {
    if (!this.opts.stateFile || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.saveState();
    }, 200);
  }

  private saveState(): void {
    if (!this.opts.stateFile) return;
    const all: Record<string, unknown> = { __sandbox: { key: this.key } };
    for (const e of this.emulators) if (e.snapshot) all[e.id] = e.snapshot();
    const tmp = `${this.opts.stateFile}.tmp`;
    try {
      writeFileSync(tmp, JSON.stringify(all));
      renameSync(tmp, this.opts.stateFile);
    } catch {
      /* state is a convenience: an unwritable file only costs the sandbox its history */
    }
  }

  async start(): Promise<string> {
    this.restoreState();
    // The key is written at once, so the jobs made with it stay reachable after any restart.
    this.saveState();
    const server = createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 5_000;
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.originValue = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.originValue;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
      this.saveState();
    }
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  }

  private serveMedia(req: IncomingMessage, res: ServerResponse, name: string): void {
    // Any name is served by its extension from the shipped samples (the WAV made in memory, the game page completed
    // with dist/three.js), so hostile names can be tested safely.
    const ext = extname(name).toLowerCase();
    if (ext === '.wav') return sendBytes(req, res, sampleWav(), MIME['.wav']);
    if (ext === '.html') return this.serveGamePage(req, res);
    const sample = {
      '.mp4': 'sample.mp4',
      '.webm': 'sample.webm',
      '.jpg': 'sample.jpg',
      '.jpeg': 'sample.jpg',
      '.png': 'sample.png',
      '.glb': 'sample.glb',
      '.zip': 'project.zip',
    }[ext];
    if (!sample) return json(res, 404, { error: 'not_found' });
    sendFile(req, res, join(this.opts.mediaDir, sample));
  }

  /** The sample game, with dist/three.js inlined (assembled on first use). */
  private serveGamePage(req: IncomingMessage, res: ServerResponse): void {
    if (!this.gamePage) {
      const assembled = assembleGamePage(this.opts.mediaDir);
      if ('error' in assembled) {
        return json(res, 500, { error: 'sandbox_media_missing', message: `The sample game: ${assembled.error}.` });
      }
      this.gamePage = assembled.page;
    }
    sendBytes(req, res, this.gamePage, MIME['.html']);
  }

  private emulatorFor(pathname: string): Emulator | undefined {
    return this.emulators.find((e) => pathname === e.basePath || pathname.startsWith(`${e.basePath}/`));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.originValue);
    const method = req.method ?? 'GET';
    const refused = this.refusal(req, url.pathname, method);
    if (refused) {
      req.resume();
      return json(res, 403, { error: refused, message: 'The GenDeck sandbox only answers GenDeck on this machine.' });
    }
    const key = `${method} ${url.pathname.split('/').slice(0, 3).join('/')}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    const emulator = this.emulatorFor(url.pathname);
    const subPath = emulator ? url.pathname.slice(emulator.basePath.length) : url.pathname;
    const fault = emulator ? this.faults.take(emulator.id, method, subPath) : undefined;
    try {
      if (fault?.kind === 'hang') return;
      if (fault?.kind === 'latency') await new Promise((r) => setTimeout(r, fault.ms ?? 1000));
      if (fault?.kind === 'reset-before') return void req.socket.destroy();
      if (fault?.kind === 'status' && emulator) {
        req.resume();
        const status = fault.status ?? 500;
        const headers: Record<string, string> = {
          ...fault.headers,
          ...(fault.retryAfterSec !== undefined ? { 'retry-after': String(fault.retryAfterSec) } : {}),
        };
        return json(
          res,
          status,
          emulator.errorBody(status, status === 429 ? 'rate_limited' : 'internal_error', `Injected ${status}`),
          headers,
        );
      }
      if (fault?.kind === 'malformed') {
        req.resume();
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end('{"data": {"id": "oops", "status": ');
      }
      const found = this.router.match(method, url.pathname);
      if (!found)
        return json(
          res,
          404,
          emulator ? emulator.errorBody(404, 'not_found', `No route ${method} ${subPath}`) : { error: 'not_found' },
        );
      if ('methodNotAllowed' in found)
        return json(
          res,
          405,
          emulator
            ? emulator.errorBody(405, 'method_not_allowed', `${method} is not allowed here`)
            : { error: 'method_not_allowed' },
        );
      let body: unknown;
      if (!found.route.raw) {
        const read = await readBody(req, this.opts.maxBodyBytes ?? 64 * 1024 * 1024);
        if (read === 'too-large')
          return json(
            res,
            413,
            emulator
              ? emulator.errorBody(413, 'payload_too_large', 'Request body too large')
              : { error: 'payload_too_large' },
          );
        if (read.length) {
          try {
            body = JSON.parse(read.toString('utf8'));
          } catch {
            return json(
              res,
              400,
              emulator
                ? emulator.errorBody(400, 'invalid_request', 'Body is not valid JSON')
                : { error: 'invalid_json' },
            );
          }
        }
      }
      if (fault?.kind === 'reset-after' || fault?.kind === 'truncate') interceptEnd(res, req.socket, fault.kind);
      if (fault?.kind === 'extra-fields' || fault?.kind === 'drop-field') rewriteJson(res, fault);
      const ctx: RouteContext = { req, res, url, params: found.params, body, origin: this.originValue };
      await found.route.handler(ctx);
      if (method !== 'GET' && method !== 'HEAD') this.scheduleSave();
    } catch (err) {
      if (!res.headersSent)
        json(
          res,
          500,
          emulator ? emulator.errorBody(500, 'internal_error', (err as Error).message) : { error: 'internal' },
        );
      else res.destroy();
    }
  }
}

/** After the handler has done its work, drop the connection instead of (or midway through) answering. */
function interceptEnd(res: ServerResponse, socket: Socket, kind: 'reset-after' | 'truncate'): void {
  const realEnd = res.end.bind(res);
  res.end = ((chunk?: unknown) => {
    if (kind === 'truncate' && typeof chunk === 'string') {
      const half = chunk.slice(0, Math.floor(chunk.length / 2));
      res.write(half, () => socket.destroy());
    } else {
      socket.destroy();
    }
    return res;
  }) as typeof res.end;
  void realEnd;
}

/** Rewrites the JSON an answer carries: unknown fields added everywhere, or one field removed. */
function rewriteJson(res: ServerResponse, fault: Fault): void {
  const realWriteHead = res.writeHead.bind(res) as (
    status: number,
    headers?: Record<string, unknown>,
  ) => ServerResponse;
  const realEnd = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
  let status = 200;
  let headers: Record<string, unknown> = {};
  res.writeHead = ((s: number, h?: Record<string, unknown>) => {
    status = s;
    headers = h ?? {};
    return res;
  }) as typeof res.writeHead;
  res.end = ((chunk?: unknown) => {
    let text = typeof chunk === 'string' ? chunk : '';
    try {
      const value = JSON.parse(text);
      if (fault.kind === 'extra-fields') addExtras(value, 0);
      else if (fault.field) dropPath(value, fault.field.split('.'));
      text = JSON.stringify(value);
    } catch {
      /* not JSON: leave it */
    }
    realWriteHead(status, { ...headers, 'content-length': Buffer.byteLength(text) });
    return realEnd(text);
  }) as typeof res.end;
}

function addExtras(v: unknown, depth: number): void {
  if (depth > 6 || v === null || typeof v !== 'object') return;
  if (Array.isArray(v)) return v.forEach((x) => addExtras(x, depth + 1));
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) addExtras(o[k], depth + 1);
  o.x_unexpected_field = { note: 'not in the contract', n: depth };
  o.x_debug_trace = [depth, 'extra'];
}

function dropPath(v: unknown, path: string[]): void {
  if (v === null || typeof v !== 'object' || !path.length) return;
  const o = v as Record<string, unknown>;
  if (path.length === 1) delete o[path[0]];
  else dropPath(o[path[0]], path.slice(1));
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
