import { redactor } from './redact';

export interface Logger {
  trace(msg: string): void;
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

/** Wraps any sink so nothing it writes can carry a known key. */
export function redactingLogger(sink: Logger): Logger {
  const r = (m: string) => redactor.redact(m);
  return {
    trace: (m) => sink.trace(r(m)),
    debug: (m) => sink.debug(r(m)),
    info: (m) => sink.info(r(m)),
    warn: (m) => sink.warn(r(m)),
    error: (m) => sink.error(r(m)),
  };
}

export const silentLogger: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
