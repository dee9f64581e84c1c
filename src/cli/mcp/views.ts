// How jobs, costs and spend read in the MCP server's answers: one structured shape (with its zod schema, which is also
// the tools' declared outputSchema) and one line of text for each.
import { z } from 'zod';
import { formatCharge, isActive, type Job } from '../../core/jobs/job';
import type { LaunchCost } from '../../core/providers/launch';
import type { SpendLine } from './spend';

export const costView = z.object({ amount: z.number(), unit: z.string(), estimated: z.boolean() });

export const outputView = z.object({
  index: z.number().int(),
  kind: z.string(),
  url: z.string().optional(),
  name: z.string().optional(),
  label: z.string().optional(),
  /** The local copy, once downloaded. */
  local_path: z.string().optional(),
  /** A small JSON or text output, inline. */
  value: z.unknown().optional(),
});

export const jobView = z.object({
  job: z.string().describe('The job reference to pass to get_job, wait_for_job and download_outputs.'),
  provider: z.string(),
  id: z.string(),
  title: z.string(),
  kind: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'canceled', 'timeout']),
  done: z.boolean(),
  progress: z.string().optional(),
  cost: costView.optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  outputs: z.array(outputView),
  created_at: z.string(),
  finished_at: z.string().optional(),
  web_url: z.string().optional(),
  sandbox: z.boolean(),
});
export type JobView = z.infer<typeof jobView>;

export const spendView = z.array(
  z.object({
    unit: z.string(),
    provider: z.string().optional(),
    spent: z.number(),
    cap: z.number().optional(),
    remaining: z.number().optional(),
  }),
);

const INLINE_LIMIT = 4000;

function inlineValue(v: unknown): unknown {
  if (v === undefined) return undefined;
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text !== undefined && text.length <= INLINE_LIMIT ? v : undefined;
}

export function viewJob(job: Job): JobView {
  return {
    job: job.key,
    provider: job.provider,
    id: job.id,
    title: job.title,
    kind: job.kind,
    status: job.status,
    done: !isActive(job),
    progress: job.progress,
    cost: job.cost && { amount: job.cost.amount, unit: job.cost.unit, estimated: !!job.cost.estimated },
    error: job.error,
    outputs: job.outputs.map((o, index) => ({
      index,
      kind: o.kind,
      // An inline data: URI is the output itself: far too long for a message, and download_outputs writes it out.
      url: o.url && !o.url.startsWith('data:') ? o.url : undefined,
      name: o.name,
      label: o.label,
      local_path: o.localPath,
      value: inlineValue(o.value),
    })),
    created_at: job.createdAt,
    finished_at: job.finishedAt,
    web_url: job.webUrl,
    sandbox: job.sandbox === true,
  };
}

export function jobLine(job: Job): string {
  const cost = job.cost ? ` · ${formatCharge(job.cost)}` : '';
  const progress = job.progress && isActive(job) ? ` · ${job.progress}` : '';
  const outputs = job.outputs.length ? ` · ${job.outputs.length} output(s)` : '';
  const error = job.error ? ` · ${job.error.message}` : '';
  return `${job.key} "${job.title}": ${job.status}${progress}${cost}${outputs}${error}`;
}

export function costText(cost: LaunchCost | undefined): string {
  return cost ? formatCharge(cost) : 'unknown before it runs';
}

export function spendText(lines: SpendLine[]): string {
  if (!lines.length) return 'Nothing spent by this server yet; no cap set.';
  return lines
    .map((l) => {
      const who = l.provider ? `${l.provider} ` : '';
      return l.cap === undefined
        ? `${who}${l.unit}: ${l.spent} spent (no cap)`
        : `${who}${l.unit}: ${l.spent} of ${l.cap} spent, ${l.remaining} left`;
    })
    .join('; ');
}
