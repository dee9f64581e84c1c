// What an emulator is: one provider played on the sandbox's port, below its own path. The emulators live beside
// their providers (core/providers/<id>/emulator.ts, named by the descriptor); the server that hosts them is
// src/sandbox. Plain Node, like the rest of the core.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Router } from './router';

export interface SandboxTiming {
  /** Multiplies every simulated duration; 1 is the pace a person watches, tests use less. */
  scale: number;
}

/** What an emulator gets from the sandbox it is plugged into. */
export interface EmulatorContext {
  readonly timing: SandboxTiming;
  readonly mediaDir: string;
  now(): number;
  /** True for any key the sandbox accepts. */
  acceptsKey(key: string | undefined): boolean;
  /** Absolute URL of a path on this sandbox, e.g. mediaUrl('/media/sample.mp4'). */
  url(path: string): string;
  random(): number;
}

/** One provider's emulator: routes below `/<id>` and its state. */
export interface Emulator {
  readonly id: string;
  /** Path below the sandbox origin that plays the provider's base URL. */
  readonly basePath: string;
  /** Path below basePath where the provider's documented base URL points (e.g. `/v1` for Seek API). */
  readonly apiPrefix?: string;
  register(router: Router, ctx: EmulatorContext): void;
  /** Errors in the provider's own shape (used for injected status faults and unknown routes). */
  errorBody(status: number, code: string, message: string): unknown;
  /** JSON-safe state, so an in-editor sandbox keeps its jobs across a window reload. */
  snapshot?(): unknown;
  restore?(state: unknown): void;
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** The first value of header `name` (lower case). */
export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function bearerOrHeader(req: IncomingMessage, name: string): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.toLowerCase().startsWith('bearer ')) return auth.slice(7).trim();
  return header(req, name.toLowerCase());
}
