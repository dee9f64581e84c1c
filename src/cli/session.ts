// A command's services: the headless core opened for the mode asked (sandbox or real), its key checks, and the
// waits and downloads that draw a progress line.
import { TERMINAL, type Job } from '../core/jobs/job';
import type { DownloadedOutput } from '../core/jobs/download';
import type { Logger } from '../core/log';
import type { ProviderId } from '../core/providerIds';
import { PROVIDER_LABELS, PROVIDERS } from '../core/providers/index';
import { UsageError } from './args';
import type { Context, Env } from './command';
import { KeyMissing } from './exit';
import { Headless, type HeadlessOptions } from './services';

/** GENDECK_SANDBOX_TIME_SCALE: the in-process sandbox's clock speed, for tests (0.02 = fifty times faster). */
export const TIME_SCALE_VAR = 'GENDECK_SANDBOX_TIME_SCALE';

function timeScale(env: Env): number | undefined {
  const raw = env[TIME_SCALE_VAR]?.trim();
  if (!raw) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`${TIME_SCALE_VAR} is "${raw}": a positive number, or unset.`);
  return n;
}

/** Provider warnings and errors on stderr; their info and debug lines too with --verbose. */
function stderrLogger(c: Context): Logger {
  const note = (level: string) => (m: string) => c.out.note(`gendeck: ${level}${m}`);
  const quiet = () => undefined;
  return {
    trace: quiet,
    debug: c.global.verbose ? note('') : quiet,
    info: c.global.verbose ? note('') : quiet,
    warn: note('warning: '),
    error: note(''),
  };
}

/** Opens the services for this command (the user's sandbox with --sandbox), runs `fn`, and always closes them. */
export async function withHeadless<T>(
  c: Context,
  fn: (h: Headless) => Promise<T>,
  o: Pick<HeadlessOptions, 'x402'> = {},
): Promise<T> {
  const h = await Headless.open({
    sandbox: c.global.sandbox,
    env: c.env,
    log: stderrLogger(c),
    x402: o.x402,
    timeScale: c.global.sandbox ? timeScale(c.env) : undefined,
  });
  if (h.sandbox && (c.out.live || c.global.verbose))
    c.out.note(`gendeck: sandbox at ${h.sandbox.origin} (the built-in emulator: no key, nothing is paid)`);
  try {
    return await fn(h);
  } finally {
    await h.close();
  }
}

/** Nothing is sent to a provider without its key: outside the sandbox it comes from its environment variable. */
export function requireKey(h: Headless, id: ProviderId): void {
  if (h.hasKey(id)) return;
  throw new KeyMissing(
    `No ${PROVIDER_LABELS[id]} key: set ${PROVIDERS[id].envKey} in the environment (keys are read from there only), or add --sandbox to try the built-in emulator.`,
  );
}

/** The job a user names (key, provider id, or a unique prefix), in this mode; says why none was taken. */
export function findJob(h: Headless, ref: string): Job {
  const job = h.find(ref);
  if (job) return job;
  const matches = (j: Job) => j.key.startsWith(ref) || j.id.startsWith(ref);
  const here = h.jobs().filter(matches).length;
  const elsewhere = h.store.all().some((j) => matches(j) && (j.sandbox === true) !== !!h.sandbox);
  const hint = here
    ? ` It matches ${here} jobs: give more of the key.`
    : elsewhere
      ? h.sandbox
        ? ' It is a job of the real services: run without --sandbox.'
        : ' It is a sandbox job: add --sandbox.'
      : ' `gendeck jobs` lists them.';
  throw new UsageError(`No single job matches "${ref}".${hint}`);
}

function elapsed(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/**
 * Polls the job until it ends, or until `timeoutSec` passed (then the job as it stands, still running: `timedOut`);
 * a live line on a terminal, each change as a line with --verbose elsewhere.
 */
export async function follow(
  c: Context,
  h: Headless,
  key: string,
  timeoutSec?: number,
): Promise<{ job: Job; timedOut: boolean }> {
  const start = Date.now();
  const deadline = timeoutSec === undefined ? undefined : AbortSignal.timeout(timeoutSec * 1000);
  let last: Job | undefined;
  let said = '';
  const draw = () => {
    if (!last) return;
    const line = [last.key, last.status, last.progress].filter(Boolean).join(' · ');
    if (c.out.live) c.out.progress(`${line} · ${elapsed(Date.now() - start)}`);
    else if (c.global.verbose && line !== said) c.out.note(`gendeck: ${line}`);
    said = line;
  };
  const timer = c.out.live ? setInterval(draw, 1000) : undefined;
  try {
    const job = await h.wait(key, {
      signal: deadline ? AbortSignal.any([c.signal, deadline]) : c.signal,
      onChange: (job) => {
        last = job;
        draw();
      },
    });
    return { job, timedOut: false };
  } catch (err) {
    const now = h.store.get(key);
    if (!deadline?.aborted || c.signal.aborted || !now) throw err;
    c.out.note(`gendeck: ${key} is still ${now.status} after ${timeoutSec} s; it goes on (gendeck wait ${key}).`);
    return { job: now, timedOut: true };
  } finally {
    if (timer) clearInterval(timer);
    c.out.clear();
  }
}

/** Downloads a finished job's outputs into `folder` (a folder per job, with gendeck.json), drawing the bytes. */
export async function fetchOutputs(
  c: Context,
  h: Headless,
  job: Job,
  folder: string,
): Promise<{ job: Job; files: DownloadedOutput[] }> {
  if (!TERMINAL.has(job.status)) throw new UsageError(`${job.key} is ${job.status}: wait for it first (gendeck wait).`);
  try {
    return await h.download(job.key, folder, {
      signal: c.signal,
      onProgress: (name, p) =>
        c.out.progress(
          `${name}: ${(p.bytes / 1048576).toFixed(1)}${p.total ? ` of ${(p.total / 1048576).toFixed(1)}` : ''} MB`,
        ),
    });
  } finally {
    c.out.clear();
  }
}
