// The plan: for each asset of the manifest, whether it is missing, changed (spec hash differs), stale (the file at
// `out` was edited or removed), in progress (a job already made for this spec) or up to date, with the estimate of
// what making it costs; totals per provider and unit, the unknown said as unknown. Every entry is checked by its
// provider's own launcher (`prepare`: the live schema, the provider's rules), which sends nothing. A job the lock
// names that the job list lacks (another machine's list, or removed) is looked up on its provider where the provider
// lists jobs, and followed; one found nowhere needs attention, never a silent second send.
import * as l10n from '@vscode/l10n';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describeError, ValidationError } from '../errors';
import type { Job } from '../jobs/job';
import type { LaunchCost, Launcher, PreparedLaunch } from '../jobs/launch';
import type { ProviderId } from '../providerIds';
import type { CheckCache } from './checks';
import { readLock, type Lock, type LockEntry, type LockVariant } from './lock';
import {
  LOCK_NAME,
  launchInputOf,
  parseManifest,
  resolveInside,
  sha256File,
  spanOf,
  specHash,
  type AssetEntry,
  type Manifest,
  type ManifestProblem,
} from './manifest';

export type AssetStatus = 'missing' | 'changed' | 'stale' | 'inProgress' | 'needsAttention' | 'upToDate' | 'invalid';

/** What the plan reads jobs from: the job store (every face's). */
export interface JobLookup {
  get(key: string): Job | undefined;
  all(): Job[];
}

export interface AssetsContext {
  /** The manifest file, absolute. */
  manifestPath: string;
  /** The workspace folder: nothing is read or written outside it. */
  root: string;
  launchers: Partial<Record<ProviderId, Launcher>>;
  jobs?: JobLookup;
  signal?: AbortSignal;
  maxInlineBytes?: number;
  /** The manifest's text when the editor has it open (unsaved changes); else the file is read. */
  text?: string;
  /** Answers kept between plans (the editor's CodeLens plans on every pause in typing). */
  checks?: CheckCache;
  /** The jobs a provider lists (its latest), or undefined when it lists none. */
  remoteJobs?(provider: ProviderId, signal?: AbortSignal): Promise<Job[]> | undefined;
}

export interface PlanItem {
  id: string;
  index: number;
  provider: string;
  entry: AssetEntry;
  status: AssetStatus;
  /** Why, in words (which file changed, which job is still running …). */
  reason?: string;
  specHash?: string;
  /** Variants a run would send (0 when the asset is up to date, or restorable from its finished jobs). */
  toSend: number;
  /** The estimate for those sends; undefined when unknown (see costNote) or nothing is sent. */
  cost?: LaunchCost;
  costNote?: string;
  /** The checked request, ready to send (absent when the entry is invalid or could not be checked). */
  prepared?: PreparedLaunch;
  summary?: string;
  /** Jobs the lock names that the job list lacks, found on the provider: apply records them and follows them. */
  adopt?: Job[];
}

export interface PlanTotal {
  provider: string;
  unit: string;
  amount: number;
}

export interface Plan {
  manifestPath: string;
  lockPath: string;
  manifest: Manifest;
  lock: Lock;
  items: PlanItem[];
  /** The manifest's problems and every provider's refusals, placed in the text. */
  problems: ManifestProblem[];
  totals: PlanTotal[];
  /** Per provider, the assets to make whose cost is not known before they finish. */
  unknown: { provider: string; ids: string[] }[];
  warnings: string[];
}

export const lockPathFor = (manifestPath: string) => join(dirname(manifestPath), LOCK_NAME);

/** The file a variant is written to (relative to the manifest): `out` itself for one, `name.v2.ext` … for several. */
export function variantPath(out: string, variant: number, variants: number): string {
  if (variants <= 1) return out;
  const slash = out.lastIndexOf('/');
  const dot = out.lastIndexOf('.');
  return dot > slash + 1 ? `${out.slice(0, dot)}.v${variant}${out.slice(dot)}` : `${out}.v${variant}`;
}

/** The job of an asset's variant: by the key the lock names, else by our reference in the job's meta. */
export function jobOfVariant(jobs: JobLookup | undefined, v: { ref: string; jobKey?: string }): Job | undefined {
  if (!jobs) return undefined;
  if (v.jobKey) {
    const j = jobs.get(v.jobKey);
    if (j) return j;
  }
  return jobs.all().find((j) => (j.meta.asset as { ref?: unknown } | undefined)?.ref === v.ref);
}

async function fileHashOrUndefined(path: string): Promise<string | undefined> {
  return sha256File(path).catch(() => undefined);
}

/** Status of one valid entry against its lock entry and the file on disk; and how many variants would be sent. */
async function statusOf(
  entry: AssetEntry,
  hash: string,
  le: LockEntry | undefined,
  dir: string,
  jobs: JobLookup | undefined,
): Promise<Pick<PlanItem, 'status' | 'reason' | 'toSend'>> {
  const n = entry.variants ?? 1;
  // No entry, or one whose every send was refused (nothing made yet): missing.
  if (!le || (le.specHash === hash && !le.outputHash && !le.variants.length)) return { status: 'missing', toSend: n };
  if (le.specHash !== hash)
    return { status: 'changed', reason: l10n.t('The manifest entry or an input file changed.'), toSend: n };
  if (le.outputHash) {
    const now = await fileHashOrUndefined(resolveInside(dir, entry.out));
    if (now === le.outputHash) return { status: 'upToDate', toSend: 0 };
    // Restorable when every variant's job is still known with its output (fetched again, nothing paid).
    const restorable =
      le.variants.length === n && le.variants.every((v) => jobOfVariant(jobs, v)?.status === 'succeeded');
    return {
      status: 'stale',
      reason: now ? l10n.t('{0} was edited since it was made.', entry.out) : l10n.t('{0} is gone.', entry.out),
      toSend: restorable ? 0 : n,
    };
  }
  const unconfirmed = le.variants.filter((v) => v.state === 'sending' && !jobOfVariant(jobs, v));
  if (unconfirmed.length)
    return {
      status: 'needsAttention',
      reason: l10n.t(
        'A request for this asset was being sent when GenDeck stopped, and no job of it is recorded. It is not sent again: check the provider’s job list, then adopt the job it became (Adopt a job…, or gendeck apply --adopt <id>=<job>) or forget the request to send it anew.',
      ),
      toSend: 0,
    };
  const lost = orphans(le, jobs);
  if (lost.length) return { status: 'needsAttention', reason: lostJobMessage(le.provider, lost[0]), toSend: 0 };
  const failed = le.variants.filter((v) => v.state === 'failed').length;
  const absent = n - le.variants.length;
  return {
    status: 'inProgress',
    reason: l10n.t(
      '{0} of {1} job(s) already made for this spec; they are followed, not sent again.',
      le.variants.length - failed,
      n,
    ),
    toSend: failed + Math.max(0, absent),
  };
}

/** Variants whose job the lock records (sent) but the job list does not have. */
export function orphans(le: LockEntry, jobs: JobLookup | undefined): LockVariant[] {
  return le.variants.filter((v) => v.state === 'sent' && !jobOfVariant(jobs, v));
}

export function lostJobMessage(provider: string, v: LockVariant): string {
  return l10n.t(
    'The lock records job {0} on {1} for this asset, but neither this job list nor {1} has it. It is not sent again: adopt the job the provider does have for it (Adopt a job…, or gendeck apply --adopt <id>=<job>), or forget it (the Forget lens, or gendeck apply --forget <id>) to make the asset anew, paid again.',
    v.jobId ?? v.jobKey ?? v.ref,
    provider,
  );
}

/** The job list with `extra` (jobs found on a provider) in front. */
function withJobs(jobs: JobLookup | undefined, extra: readonly Job[]): JobLookup {
  return {
    get: (k) => extra.find((j) => j.key === k) ?? jobs?.get(k),
    all: () => [...extra, ...(jobs?.all() ?? [])],
  };
}

/** Where a provider's refusal belongs in the manifest: the fields it names, else the entry. */
function placeRefusal(
  m: Manifest,
  a: { index: number; entry: AssetEntry },
  err: Error & { fields?: Record<string, string> },
) {
  const e = a.entry;
  const base = ['assets', a.index];
  const keys = [
    ...Object.keys(e.params ?? {}).map((k) => ['params', k]),
    ...Object.keys(e.input ?? {}).map((k) => ['input', k]),
    ...(['model', 'engine', 'tool', 'worker', 'prompt', 'inputs'] as const)
      .filter((k) => e[k] !== undefined)
      .map((k) => [k]),
  ];
  const named = Object.keys(err.fields ?? {});
  const hit =
    keys.find((k) => named.includes(k[k.length - 1])) ??
    keys.find((k) => new RegExp(`\\b${escapeRe(k[k.length - 1])}\\b`).test(err.message) && k.length > 1) ??
    keys.find((k) => {
      const v = k.length > 1 ? (e[k[0] as 'params'] ?? {})[k[1]] : e[k[0] as 'model'];
      return typeof v === 'string' && v.length > 1 && err.message.includes(v);
    });
  return spanOf(m.tree, hit ? [...base, ...hit] : [...base, 'provider']);
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Reads the manifest, the lock and the files; checks and estimates every entry. Sends nothing. */
export async function planAssets(ctx: AssetsContext): Promise<Plan> {
  const dir = dirname(ctx.manifestPath);
  const text = ctx.text ?? (await readFile(ctx.manifestPath, 'utf8'));
  const manifest = parseManifest(text);
  const lockPath = lockPathFor(ctx.manifestPath);
  const { lock, warnings } = await readLock(lockPath);
  const problems = [...manifest.problems];
  const items: PlanItem[] = [];
  const check = async (a: Manifest['assets'][number]): Promise<PlanItem> => {
    const e = a.entry;
    const item: PlanItem = { id: e.id, index: a.index, provider: e.provider, entry: e, status: 'invalid', toSend: 0 };
    const refuse = (message: string, span = spanOf(manifest.tree, ['assets', a.index])) => {
      problems.push({ message, ...span, id: e.id, index: a.index, severity: 'error' });
      item.reason = message;
      return item;
    };
    const launcher = ctx.launchers[e.provider as ProviderId];
    if (!launcher)
      return refuse(
        l10n.t(
          '{0} is not a provider GenDeck starts jobs with here ({1}).',
          e.provider,
          Object.keys(ctx.launchers).join(', '),
        ),
        spanOf(manifest.tree, ['assets', a.index, 'provider']),
      );
    // "tool" and "worker" name what Seisoai and Seek API run; another provider would ignore them.
    for (const k of ['tool', 'worker'] as const)
      if (e[k] !== undefined && launcher.target !== k)
        return refuse(l10n.t('{0} takes no "{1}".', e.provider, k), spanOf(manifest.tree, ['assets', a.index, k]));
    if (launcher.target && !(launcher.target === 'tool' ? e.tool : e.worker))
      return refuse(
        launcher.target === 'tool'
          ? l10n.t('Name the Seisoai tool to run in "tool".')
          : l10n.t('Name the Seek API worker to run in "worker".'),
      );
    let hash: string;
    try {
      hash = await specHash(e, dir);
    } catch (err) {
      return refuse(
        l10n.t('An input file cannot be read: {0}', describeError(err)),
        spanOf(manifest.tree, ['assets', a.index, 'inputs']),
      );
    }
    item.specHash = hash;
    const le = lock.assets[e.id];
    Object.assign(item, await statusOf(e, hash, le, dir, ctx.jobs));
    // Jobs the lock names and the list lacks, when they are what stands between this asset and a free finish.
    const lost = le && le.specHash === hash ? orphans(le, ctx.jobs) : [];
    if (lost.length && item.status !== 'upToDate' && ctx.remoteJobs) {
      const listed = await remoteJobsOf(ctx, e.provider as ProviderId).catch((err: unknown) => {
        if (ctx.signal?.aborted) throw err;
        warnings.push(l10n.t('{0} could not list its jobs: {1}', e.provider, describeError(err)));
        return [];
      });
      const found = lost
        .map((v) => listed.find((j) => j.key === v.jobKey || j.id === v.jobId))
        .filter((j): j is Job => !!j);
      if (found.length) {
        item.adopt = found;
        Object.assign(item, await statusOf(e, hash, le, dir, withJobs(ctx.jobs, found)));
      }
    }
    try {
      const run = () =>
        launcher.prepare(launchInputOf(e, dir), { signal: ctx.signal, maxInlineBytes: ctx.maxInlineBytes });
      const p = await (ctx.checks
        ? ctx.checks.get(`prepare\u0000${hash}\u0000${ctx.maxInlineBytes ?? ''}`, run)
        : run());
      item.prepared = p;
      item.summary = p.summary;
      item.costNote = p.costNote;
      if (item.toSend > 0 && p.cost) item.cost = { ...p.cost, amount: p.cost.amount * item.toSend };
    } catch (err) {
      if (err instanceof ValidationError) {
        const keep = item.status;
        refuse(err.message, placeRefusal(manifest, a, err));
        // An up-to-date file stays up to date; it just could not be made again as written.
        if (keep !== 'upToDate') item.status = 'invalid';
        return item;
      }
      if (ctx.signal?.aborted) throw err;
      // Not the entry's fault (no key, the network): said, and its cost unknown.
      item.costNote = l10n.t('Not checked: {0}', describeError(err));
      problems.push({
        message: item.costNote,
        ...spanOf(manifest.tree, ['assets', a.index, 'provider']),
        id: e.id,
        index: a.index,
        severity: 'warning',
      });
    }
    return item;
  };
  // A few at a time: each check may read a live schema or price.
  const queue = [...manifest.assets];
  const workers = Array.from({ length: Math.min(4, queue.length) }, async () => {
    for (let a = queue.shift(); a; a = queue.shift()) items.push(await check(a));
  });
  await Promise.all(workers);
  items.sort((x, y) => x.index - y.index);
  problems.sort((x, y) => x.offset - y.offset);
  return { manifestPath: ctx.manifestPath, lockPath, manifest, lock, items, problems, ...totalsOf(items), warnings };
}

/** The provider's latest jobs (kept a while in `checks`); none when it lists none. */
async function remoteJobsOf(ctx: AssetsContext, provider: ProviderId): Promise<Job[]> {
  const run = () => ctx.remoteJobs?.(provider, ctx.signal) ?? Promise.resolve([]);
  return ctx.checks ? ctx.checks.get(`remote\u0000${provider}`, run) : run();
}

/** What sending the plan's items costs, per provider and unit; and the items whose cost is unknown. */
export function totalsOf(items: readonly PlanItem[]): Pick<Plan, 'totals' | 'unknown'> {
  const totals = new Map<string, PlanTotal>();
  const unknown = new Map<string, string[]>();
  for (const i of items) {
    if (i.toSend === 0 || i.status === 'invalid' || i.status === 'needsAttention') continue;
    if (!i.cost) {
      unknown.set(i.provider, [...(unknown.get(i.provider) ?? []), i.id]);
      continue;
    }
    const k = `${i.provider}\u0000${i.cost.unit}`;
    const t = totals.get(k) ?? { provider: i.provider, unit: i.cost.unit, amount: 0 };
    t.amount += i.cost.amount;
    totals.set(k, t);
  }
  return { totals: [...totals.values()], unknown: [...unknown].map(([provider, ids]) => ({ provider, ids })) };
}
