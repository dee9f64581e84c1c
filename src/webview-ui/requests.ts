// The page's end of request/reply (the host's is webview/messages.ts `answers`): a request goes out with a fresh
// id, and the host's Reply with that id settles it. Types only from the protocol, so no zod in the bundle.
import type { Reply, RequestOf } from '../webview/protocol';

/** Why the host could not answer: its description, and the field errors a provider named. */
export class HostError extends Error {
  constructor(
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface HostRequests<M extends { type: string }, A> {
  /** Sends request `type` with `body` and the next id; resolves with the host's answer, rejects with a HostError. */
  ask<T extends RequestOf<M>['type'] & keyof A>(
    type: T,
    body: Omit<Extract<RequestOf<M>, { type: T }>, 'type' | 'id'>,
  ): Promise<A[T]>;
  /** Settles the request `reply` answers; a reply to no pending request is ignored. */
  settle(reply: Reply): void;
}

/**
 * Request/reply over `post` (the page's messages to the host, `M`); `A` maps each request type to its answer.
 * Every host message of type 'reply' must go to `settle`.
 */
export function hostRequests<M extends { type: string }, A extends Record<RequestOf<M>['type'], unknown>>(
  post: (msg: M) => void,
): HostRequests<M, A> {
  let last = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: HostError) => void }>();
  return {
    ask(type, body) {
      const id = ++last;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        post({ ...body, type, id } as unknown as M);
      });
    },
    settle(reply) {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.value);
      else p.reject(new HostError(reply.message, reply.fields));
    },
  };
}
