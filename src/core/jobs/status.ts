import { readFile } from 'node:fs/promises';

// Job statuses and what "active" means, without the job schema: the editor reads them before GenDeck is loaded.

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'canceled', 'timeout'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const TERMINAL: ReadonlySet<string> = new Set<JobStatus>(['succeeded', 'failed', 'canceled', 'timeout']);

/** Still to follow: not finished, or a step still to send or being sent. */
export function isActive(job: { status: string; steps?: readonly { state: string }[] }): boolean {
  return !TERMINAL.has(job.status) || (job.steps ?? []).some((s) => s.state === 'queued' || s.state === 'sending');
}

/**
 * Whether the job list file holds a job still to follow, read without validating it (the store does that when it
 * loads); a missing or unreadable file holds none.
 */
export async function listHasActiveJobs(file: string): Promise<boolean> {
  try {
    const jobs = (JSON.parse(await readFile(file, 'utf8')) as { jobs?: unknown }).jobs;
    return (
      Array.isArray(jobs) &&
      jobs.some((j) => {
        const job = j as { status?: unknown; steps?: unknown } | null;
        return (
          typeof job?.status === 'string' &&
          isActive({ status: job.status, steps: Array.isArray(job.steps) ? (job.steps as { state: string }[]) : [] })
        );
      })
    );
  } catch {
    return false;
  }
}
