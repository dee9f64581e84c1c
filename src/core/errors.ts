import * as l10n from '@vscode/l10n';
import { redactor } from './redact';
import type { ProviderId } from './providerIds';

/** A failure talking to a provider, normalised so the editor can show one clear sentence. */
export class ProviderError extends Error {
  readonly provider: ProviderId;
  readonly status: number | undefined;
  readonly code: string;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  /** Set when a create request may have reached the server before the connection failed. */
  readonly maybeAccepted: boolean;
  /** Field-level problems (422 / schema validation), path → message. */
  readonly fields: Record<string, string> | undefined;

  constructor(init: {
    provider: ProviderId;
    status?: number;
    code: string;
    message: string;
    retryable?: boolean;
    retryAfterMs?: number;
    maybeAccepted?: boolean;
    fields?: Record<string, string>;
  }) {
    super(init.message);
    this.name = 'ProviderError';
    this.provider = init.provider;
    this.status = init.status;
    this.code = init.code;
    this.retryable = init.retryable ?? false;
    this.retryAfterMs = init.retryAfterMs;
    this.maybeAccepted = init.maybeAccepted ?? false;
    this.fields = init.fields;
  }
}

/** Input rejected locally before any request was sent. */
export class ValidationError extends Error {
  readonly fields: Record<string, string>;
  constructor(message: string, fields: Record<string, string> = {}) {
    super(message);
    this.name = 'ValidationError';
    this.fields = fields;
  }
}

/** Not a failure: something the user must set up first (a key, a wallet, a tool). Shown as a warning. */
export class SetupNeeded extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SetupNeeded';
  }
}

/** Something the user can do about an error; the editor's reportError offers it as a button. */
export interface ErrorAction {
  readonly title: string;
  readonly command: string;
  readonly args?: readonly unknown[];
}

const ACTIONS = Symbol('gendeck.errorActions');

/** Attaches ways forward to an error and returns it, for `throw withActions(err, …)`. */
export function withActions<E extends Error>(err: E, ...actions: ErrorAction[]): E {
  (err as E & { [ACTIONS]?: ErrorAction[] })[ACTIONS] = [...actionsOf(err), ...actions];
  return err;
}

export function actionsOf(err: unknown): readonly ErrorAction[] {
  return (err instanceof Error && (err as Error & { [ACTIONS]?: ErrorAction[] })[ACTIONS]) || [];
}

export function isAbortError(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || (err as { code?: string }).code === 'ABORT_ERR');
}

/** The one sentence a user sees for any error. */
export function describeError(err: unknown): string {
  if (isAbortError(err)) return l10n.t('Cancelled.');
  // Whatever produced it, a registered secret never reaches a pop-up.
  return redactor.redactKnown(err instanceof Error ? err.message : String(err));
}
