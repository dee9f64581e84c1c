// What the CLI writes: results on stdout (lines for people, one JSON object per line with --json), everything else
// on stderr, with one live progress line when stderr is a terminal. Every byte passes the redactor, and text that
// came from a provider is flattened to one line (no escape sequences reach the terminal).
import { formatCharge, formatCost, type Job, type JobOutput } from '../core/jobs/job';
import type { LaunchCost } from '../core/providers/launch';
import { redactor } from '../core/redact';
import { oneLine } from '../core/text';

type Stream = Pick<NodeJS.WriteStream, 'write'> & { isTTY?: boolean; columns?: number };

export class Output {
  private shown = false;

  constructor(
    readonly json: boolean,
    private readonly stdout: Stream = process.stdout,
    private readonly stderr: Stream = process.stderr,
  ) {}

  /** A progress line is drawn only on a terminal; on a pipe there is none. */
  get live(): boolean {
    return this.stderr.isTTY === true;
  }

  /** A result line for people (stdout); nothing in --json mode, where `object` carries the result. */
  line(text = ''): void {
    if (this.json) return;
    this.clear();
    this.stdout.write(`${redactor.redactKnown(text)}\n`);
  }

  /** One JSON object on one line of stdout. */
  object(value: unknown): void {
    this.clear();
    this.stdout.write(`${redactor.redactKnown(JSON.stringify(value))}\n`);
  }

  /** A message for the person running it (stderr). */
  note(text: string): void {
    this.clear();
    this.stderr.write(`${redactor.redact(text)}\n`);
  }

  error(text: string): void {
    this.note(`gendeck: ${text}`);
  }

  /** Replaces the progress line (terminal only). */
  progress(text: string): void {
    if (!this.live) return;
    const width = Math.max(20, (this.stderr.columns || 80) - 1);
    this.stderr.write(`\r\x1b[2K${oneLine(redactor.redact(text), width)}`);
    this.shown = true;
  }

  /** Removes the progress line, if one is drawn. */
  clear(): void {
    if (!this.shown) return;
    this.stderr.write('\r\x1b[2K');
    this.shown = false;
  }
}

/** A cost as the editor writes it: the amount in the provider's unit, `~` and "(estimate)" until it is charged. */
export function costText(cost: LaunchCost | Job['cost'] | undefined): string {
  if (!cost) return 'cost unknown';
  return cost.estimated ? `${formatCharge(cost)} (estimate)` : formatCharge(cost);
}

/** An output with where its local copy is, for --json. */
function outputJson(o: JobOutput): Record<string, unknown> {
  return {
    kind: o.kind,
    label: o.label,
    name: o.name,
    url: o.url?.startsWith('data:') ? undefined : o.url,
    value: o.value,
    path: o.localPath,
  };
}

/** A job as --json writes it: one object, the same fields for every provider. */
export function jobJson(job: Job, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    key: job.key,
    provider: job.provider,
    id: job.id,
    title: job.title,
    kind: job.kind,
    status: job.status,
    remoteStatus: job.remoteStatus,
    progress: job.progress,
    sandbox: job.sandbox === true,
    cost: job.cost ?? null,
    costText: job.cost ? formatCost(job) : undefined,
    createdAt: job.createdAt,
    finishedAt: job.finishedAt,
    webUrl: job.webUrl,
    outputs: job.outputs.map(outputJson),
    error: job.error ?? null,
    ...extra,
  };
}

/** A job for people: a headline, then one line per output and the error, if any. */
export function jobLines(job: Job): string[] {
  const cost = formatCost(job);
  const head = [job.key, job.status, job.progress && job.status !== 'succeeded' ? oneLine(job.progress, 60) : '']
    .filter(Boolean)
    .join('  ');
  const lines = [`${head}${cost ? `  ${cost}` : ''}  “${oneLine(job.title, 80)}”`];
  for (const o of job.outputs) {
    const where = o.localPath ?? (o.url?.startsWith('data:') ? '(inline)' : o.url);
    const what = where ?? (o.value !== undefined ? oneLine(JSON.stringify(o.value), 100) : '');
    lines.push(`  ${o.kind.padEnd(7)} ${o.label ? `${oneLine(o.label, 30)}: ` : ''}${what}`);
  }
  if (job.webUrl) lines.push(`  web     ${job.webUrl}`);
  if (job.error) lines.push(`  error   ${oneLine(job.error.message, 300)}`);
  return lines;
}

/** Rows of one length as aligned columns (the last one runs free), each cell one line. */
export function table(rows: string[][]): string[] {
  const cells = rows.map((r) => r.map((c) => oneLine(c, 120)));
  const widths = cells.reduce<number[]>((w, r) => r.map((c, i) => Math.max(w[i] ?? 0, c.length)), []);
  return cells.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd(),
  );
}
