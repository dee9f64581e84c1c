import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  /** Parsed JSON body (undefined for raw routes or an empty body). */
  body: unknown;
  /** The origin clients reach this sandbox on, e.g. http://127.0.0.1:4321 */
  origin: string;
}

export type Handler = (ctx: RouteContext) => void | Promise<void>;

interface Route {
  method: string;
  parts: string[];
  handler: Handler;
  /** Leave the body unread (streamed uploads). */
  raw: boolean;
}

/** Minimal method + path router: `/v1/jobs/:id`, and a trailing `*rest` that takes the remainder. */
export class Router {
  private routes: Route[] = [];

  add(method: string, path: string, handler: Handler, opts: { raw?: boolean } = {}): void {
    this.routes.push({ method, parts: path.split('/').filter(Boolean), handler, raw: opts.raw ?? false });
  }

  match(
    method: string,
    pathname: string,
  ): { route: Route; params: Record<string, string> } | { methodNotAllowed: true } | undefined {
    const segs = pathname.split('/').filter(Boolean);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchParts(route.parts, segs);
      if (!params) continue;
      pathMatched = true;
      if (route.method === method) return { route, params };
    }
    return pathMatched ? { methodNotAllowed: true } : undefined;
  }
}

function matchParts(parts: string[], segs: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p.startsWith('*')) {
      params[p.slice(1)] = segs.slice(i).map(safeDecode).join('/');
      return params;
    }
    if (i >= segs.length) return undefined;
    if (p.startsWith(':')) params[p.slice(1)] = safeDecode(segs[i]);
    else if (p !== segs[i]) return undefined;
  }
  return parts.length === segs.length ? params : undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
