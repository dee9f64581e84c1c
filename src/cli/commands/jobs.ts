// The CLI's own jobs (the JobStore in the state folder, sandbox and real jobs apart): list, status, wait, cancel,
// download. A job is named by its key, its provider's id, or a unique prefix of either.
import { dirname, resolve } from 'node:path';
import { formatCost, isActive, TERMINAL, type Job } from '../../core/jobs/job';
import { isProviderId, PROVIDER_IDS } from '../../core/providers/index';
import { describeError } from '../../core/errors';
import { num, positionals, str, UsageError } from '../args';
import type { Command, Context } from '../command';
import { EXIT } from '../exit';
import { jobJson, jobLines, table } from '../output';
import { fetchOutputs, findJob, follow, requireKey, withHeadless } from '../session';
import type { Headless } from '../services';

/** Where downloads go without --out, as the editor's gendeck.downloadFolder default (relative to the current folder). */
export const DEFAULT_DOWNLOADS = 'gendeck-outputs';

/** 0, or 1 when the job ended without succeeding. */
export function jobExit(job: Job): number {
  return TERMINAL.has(job.status) && job.status !== 'succeeded' ? EXIT.jobFailed : EXIT.ok;
}

/** The job on stdout: one JSON object with --json, else its lines. */
export function report(c: Context, job: Job, extra: Record<string, unknown> = {}): void {
  if (c.global.json) c.out.object(jobJson(job, extra));
  jobLines(job).forEach((l) => c.out.line(l));
}

/** The job as its provider has it now (polled once when it is still active). */
async function current(c: Context, h: Headless, job: Job): Promise<Job> {
  if (!isActive(job) || !h.jobSource(job.provider)) return job;
  requireKey(h, job.provider);
  return h.refresh(job.key, c.signal);
}

const local = (iso: string) => {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
};

export const jobs: Command = {
  name: 'jobs',
  summary: 'the jobs this CLI started (sandbox jobs with --sandbox), newest first',
  usage: 'gendeck jobs [--provider ID] [--refresh] [--limit N] [--sandbox] [--json]',
  help: `Lists the jobs in the CLI's job store (<state dir>/jobs.json; GENDECK_STATE_DIR moves it), as they were last
seen. Sandbox jobs are listed only with --sandbox, real ones only without.
  --provider ID   only that provider's jobs
  --refresh       read every active job from its provider first
  --limit N       at most N jobs`,
  options: { provider: { type: 'string' }, refresh: { type: 'boolean' }, limit: { type: 'string' } },
  async run(c) {
    positionals('jobs', c.args, []);
    const provider = str(c.values, 'provider');
    if (provider !== undefined && !isProviderId(provider))
      throw new UsageError(`No provider "${provider}"; the providers are ${PROVIDER_IDS.join(', ')}.`);
    const limit = num(c.values, 'limit', { integer: true, min: 1 });
    return withHeadless(c, async (h) => {
      let list = h.jobs().filter((j) => !provider || j.provider === provider);
      if (limit !== undefined) list = list.slice(0, limit);
      if (c.values.refresh === true) {
        for (const [i, job] of list.entries()) {
          try {
            list[i] = await current(c, h, job);
          } catch (err) {
            c.out.note(`gendeck: warning: ${job.key} was not refreshed: ${describeError(err)}`);
          }
        }
      }
      if (c.global.json) list.forEach((j) => c.out.object(jobJson(j)));
      if (!list.length) c.out.note(`gendeck: no ${h.sandbox ? 'sandbox ' : ''}jobs yet.`);
      else
        table([
          ['JOB', 'STATUS', 'COST', 'CREATED', 'TITLE'],
          ...list.map((j) => [j.key, j.status, formatCost(j) ?? '', local(j.createdAt), j.title]),
        ]).forEach((l) => c.out.line(l));
      return EXIT.ok;
    });
  },
};

export const status: Command = {
  name: 'status',
  summary: "a job's state, read from its provider now",
  usage: 'gendeck status JOB [--sandbox] [--json]',
  help: `Reads the job from its provider once (when it is still active) and prints it: status, progress, cost, outputs.
Exits 1 when the job failed, was canceled or timed out.`,
  options: {},
  async run(c) {
    const { JOB: ref } = positionals('status', c.args, ['JOB']);
    return withHeadless(c, async (h) => {
      const job = await current(c, h, findJob(h, ref!));
      report(c, job);
      return jobExit(job);
    });
  },
};

export const wait: Command = {
  name: 'wait',
  summary: 'poll a job until it ends (--out DIR: then download)',
  usage: 'gendeck wait JOB [--timeout SECONDS] [--out DIR] [--sandbox] [--json]',
  help: `Polls the job at its provider's pace until it ends: a progress line on a terminal, nothing on a pipe.
  --timeout SECONDS  stop waiting then: the job as it stands is printed, exit 6 (the job goes on)
  --out DIR          then download its outputs into DIR/<job folder>/ with a gendeck.json sidecar
Exits 1 when the job failed, was canceled or timed out at its provider.`,
  options: { out: { type: 'string' }, timeout: { type: 'string' } },
  async run(c) {
    const { JOB: ref } = positionals('wait', c.args, ['JOB']);
    const out = str(c.values, 'out');
    const timeout = num(c.values, 'timeout', { min: 1 });
    return withHeadless(c, async (h) => {
      // The first read is direct, so a missing key or an unreachable host ends here instead of being retried.
      let job = await current(c, h, findJob(h, ref!));
      let timedOut = false;
      if (isActive(job)) ({ job, timedOut } = await follow(c, h, job.key, timeout));
      if (out !== undefined && !timedOut && job.outputs.length) job = (await fetchOutputs(c, h, job, resolve(out))).job;
      report(c, job);
      return timedOut ? EXIT.stillRunning : jobExit(job);
    });
  },
};

export const cancel: Command = {
  name: 'cancel',
  summary: 'cancel a job where its provider allows it (Seek API, while queued)',
  usage: 'gendeck cancel JOB [--sandbox] [--json]',
  help: `Cancels the job at its provider, which only Seek API allows, and only while the job is queued. A job that
cannot be cancelled (another provider's, or already running) exits 2.`,
  options: {},
  async run(c) {
    const { JOB: ref } = positionals('cancel', c.args, ['JOB']);
    return withHeadless(c, async (h) => {
      const job = findJob(h, ref!);
      requireKey(h, job.provider);
      report(c, await h.cancel(job.key, c.signal));
      return EXIT.ok;
    });
  },
};

export const download: Command = {
  name: 'download',
  summary: "a finished job's outputs, streamed into a folder per job with a gendeck.json sidecar",
  usage: `gendeck download JOB [--out DIR] [--sandbox] [--json]`,
  help: `Streams the job's outputs into DIR/<day-and-prompt>/ (DIR: --out, else ./${DEFAULT_DOWNLOADS}) with gendeck.json
beside them (prompt, model, parameters, cost, job id, each file). Nothing is written outside DIR; files already
downloaded and unchanged are kept, not fetched again.`,
  options: { out: { type: 'string' } },
  async run(c) {
    const { JOB: ref } = positionals('download', c.args, ['JOB']);
    const folder = resolve(str(c.values, 'out') ?? DEFAULT_DOWNLOADS);
    return withHeadless(c, async (h) => {
      let job = await current(c, h, findJob(h, ref!));
      if (!job.outputs.length) {
        c.out.note(`gendeck: ${job.key} has no outputs${isActive(job) ? ' yet' : ''}.`);
        report(c, job);
        return jobExit(job);
      }
      const done = await fetchOutputs(c, h, job, folder);
      job = done.job;
      const reused = done.files.filter((f) => f.reused).length;
      const saved = done.files.length - reused;
      const where = done.files[0] ? dirname(done.files[0].path) : folder;
      c.out.note(
        saved
          ? `gendeck: saved ${saved} file(s) to ${where}${reused ? ` (${reused} already there)` : ''}.`
          : `gendeck: already in ${where}: ${reused} file(s), unchanged since the last download.`,
      );
      report(c, job, { folder: where });
      return jobExit(job);
    });
  },
};
