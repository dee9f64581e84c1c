// The CLI's exit codes and which error ends in which.
import { isAbortError, ProviderError, SetupNeeded, ValidationError } from '../core/errors';
import { UnsafePathError } from '../core/fs/safeWrite';
import { BudgetExceeded } from '../core/jobs/spend';
import { FfmpegMissingError } from '../core/search/ffmpeg';
import { X402Error } from '../core/x402/payer';
import { UsageError } from './args';

export const EXIT = {
  ok: 0,
  /** The job failed, was canceled or timed out. */
  jobFailed: 1,
  badInput: 2,
  auth: 3,
  overCost: 4,
  provider: 5,
  /** `--timeout` passed with the job still running (it goes on; `gendeck wait JOB` follows it again). */
  stillRunning: 6,
  /** Interrupted (Ctrl-C), as shells count SIGINT. */
  interrupted: 130,
} as const;

/** Nothing was sent: the cost is above the cap given, unknown under a cap, or not agreed to. */
export class CostRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CostRefused';
  }
}

/** No key for a provider outside the sandbox (nothing was sent). */
export class KeyMissing extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyMissing';
  }
}

/** The exit code an error ends the command with. */
export function exitCodeOf(err: unknown): number {
  if (isAbortError(err)) return EXIT.interrupted;
  if (err instanceof CostRefused || err instanceof BudgetExceeded) return EXIT.overCost;
  if (err instanceof KeyMissing) return EXIT.auth;
  if (err instanceof X402Error) {
    if (err.code === 'over_payment_cap' || err.code === 'over_daily_cap' || err.code === 'declined')
      return EXIT.overCost;
    if (err.code === 'no_wallet' || err.code === 'bad_wallet_key') return EXIT.auth;
    return EXIT.provider;
  }
  if (err instanceof ProviderError) {
    if (err.code === 'no_key' || err.status === 401 || err.status === 403) return EXIT.auth;
    // The provider refused what was asked (a field, an unknown tool, worker or job, a cancel too late).
    if ([400, 404, 409, 422].includes(err.status ?? 0) || err.code === 'bad_tool_id') return EXIT.badInput;
    return EXIT.provider;
  }
  if (
    err instanceof UsageError ||
    err instanceof ValidationError ||
    err instanceof SetupNeeded ||
    err instanceof UnsafePathError ||
    err instanceof FfmpegMissingError
  )
    return EXIT.badInput;
  return EXIT.provider;
}
