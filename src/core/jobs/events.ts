import type { Logger } from '../log';
import { oneLine } from '../text';
import { formatCost, type Job, type JobStatus } from './job';
import type { JobStore } from './store';

/** The cost part of a log line, or nothing. */
const cost = (job: Job) => (job.cost ? ` · ${formatCost(job)}` : '');

/**
 * One log line per job event — submitted, each status change (finished, failed, cancelled, timed out), removed —
 * with the job's key (provider and id), its title and cost, so the log tells a job's story without the tree.
 */
export class JobEventLog {
  private readonly last = new Map<string, JobStatus>();
  private readonly sub: { dispose(): void };

  constructor(
    private readonly store: JobStore,
    private readonly log: Logger,
  ) {
    for (const j of store.all()) this.last.set(j.key, j.status);
    this.sub = store.onDidChange((keys) => keys.forEach((k) => this.note(k)));
  }

  private note(key: string): void {
    const job = this.store.get(key);
    const before = this.last.get(key);
    if (!job) {
      if (before !== undefined) this.log.info(`Job ${key} removed from the list.`);
      this.last.delete(key);
      return;
    }
    this.last.set(key, job.status);
    if (before === job.status) return;
    const title = oneLine(job.title, 80);
    if (before === undefined) return this.log.info(`Job ${key} submitted (${job.status}): “${title}”${cost(job)}`);
    const why = job.error?.message ? `: ${oneLine(job.error.message, 200)}` : '';
    const line = `Job ${key} ${before} → ${job.status}${why} · “${title}”${cost(job)}`;
    if (job.status === 'failed' || job.status === 'timeout') this.log.warn(line);
    else this.log.info(line);
  }

  dispose(): void {
    this.sub.dispose();
  }
}
