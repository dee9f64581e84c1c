// The host's end of the one message path: every inbound page message is parsed with its page's schema from
// ./protocol.ts, and page requests are answered with a Reply of the same id (webview-ui/requests.ts asks).
import type * as vscode from 'vscode';
import type { z } from 'zod';
import { describeError, ProviderError, ValidationError } from '../core/errors';
import type { Logger } from '../core/log';
import type { Reply } from './protocol';

/**
 * Hands `handle` each message the `page` sends that `schema` accepts. Any other is dropped and logged at debug
 * level by its type alone: nothing else a page sends reaches the log.
 */
export function receive<T>(
  webview: Pick<vscode.Webview, 'onDidReceiveMessage'>,
  page: string,
  schema: z.ZodType<T>,
  log: Logger,
  handle: (msg: T) => unknown,
): vscode.Disposable {
  return webview.onDidReceiveMessage((msg: unknown) => {
    const r = schema.safeParse(msg);
    if (r.success) return void handle(r.data);
    log.debug(`Dropped an invalid message from the ${page} page (${typeName(msg)}).`);
  });
}

/** A message's type as a short word, else only what kind of thing it was. */
function typeName(msg: unknown): string {
  const t = msg && typeof msg === 'object' ? (msg as { type?: unknown }).type : undefined;
  return typeof t === 'string' && /^\w{1,40}$/.test(t) ? `type "${t}"` : `type: ${t === null ? 'null' : typeof t}`;
}

/** Answers the requests of a page; `A` maps each request type to the value it is answered with. */
export interface Answers<A> {
  /** Answers `req` with `value`. */
  ok<T extends keyof A>(req: { type: T; id: number }, value: A[T]): void;
  /** Answers `req` with `err`: its description, and its field errors when it names fields. */
  fail(req: { id: number }, err: unknown): void;
  /** Answers `req` with what `work` returns, or with the error it throws. */
  run<T extends keyof A>(req: { type: T; id: number }, work: () => A[T] | Promise<A[T]>): Promise<void>;
}

export function answers<A>(webview: Pick<vscode.Webview, 'postMessage'>): Answers<A> {
  const post = (m: Reply) => void webview.postMessage(m);
  const a: Answers<A> = {
    ok: (req, value) => post({ type: 'reply', id: req.id, ok: true, value }),
    fail: (req, err) =>
      post({
        type: 'reply',
        id: req.id,
        ok: false,
        message: describeError(err),
        fields: err instanceof ValidationError || err instanceof ProviderError ? err.fields : undefined,
      }),
    async run(req, work) {
      try {
        a.ok(req, await work());
      } catch (err) {
        a.fail(req, err);
      }
    },
  };
  return a;
}
