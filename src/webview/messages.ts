// The host's end of the one message path: every inbound page message is parsed with its page's schema from
// ./protocol.ts.
import type * as vscode from 'vscode';
import type { z } from 'zod';
import type { Logger } from '../core/log';

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
