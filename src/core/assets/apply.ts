// Apply: makes what the plan says is missing, changed or stale, writes each output to its `out` path and the lock
// after every step. Never pays twice: before a request goes out its intent (a reference of ours) is in the lock;
// once the provider accepted it the job is in the job store (saved at once, with the reference in `meta.asset`);
// a rerun after a crash finds the job by the lock or by that reference and follows it. An intent with no job
// recorded is never sent again blindly: it is reported as needing attention (`forgetUnconfirmed` clears it).
import * as l10n from '@vscode/l10n';
import { randomUUID, createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { describeError, isAbortError, ProviderError, ValidationError } from '../errors';
import { createExclusive, ensureFolderInside } from '../fs/safeWrite';
import type { HttpClient } from '../http/client';
import { outputFile } from '../jobs/download';
import { isActive, type Job, type JobOutput } from '../jobs/job';
import type { ProviderId } from '../providerIds';
import { outputKind } from '../media/kinds';
import { LockWriter, readLock, type LockEntry, type LockVariant } from './lock';
import { resolveInside, sha256File } from './manifest';
import {
  jobOfVariant,
  lockPathFor,
  lostJobMessage,
  planAssets,
  variantPath,
  type AssetsContext,
  type JobLookup,
  type Plan,
  type PlanItem,
} from './plan';

/** The job store as apply uses it. */
export interface AssetJobs extends JobLookup {
  /** Records a job the provider accepted; resolves once it is on disk (and polled from then on). */
  add(job: Job): Promise<void>;
  /** Resolves with the job once it is no longer active. */
  settled(key: string, signal?: AbortSignal): Promise<Job>;
}

export type ApplyOutcome =
  'made' | 'restored' | 'upToDate' | 'failed' | 'needsAttention' | 'invalid' | 'canceled' | 'skipped';

export interface ApplyProgress {
  id: string;
  phase: 'sending' | 'waiting' | 'writing' | 'done' | 'failed' | 'needsAttention';
  message?: string;
  /** Assets finished (any outcome) and the number this run handles. */
  finished: number;
  total: number;
}

export interface ApplyOptions extends AssetsContext {
  jobs: AssetJobs;
  /** The provider's HTTP client, for downloads (the key only to its own host). */
  http(provider: ProviderId): HttpClient;
  /** Only these ids. */
  only?: readonly string[];
  /** Refuse before sending anything when, in any unit, the estimate is above this, or any cost is unknown. */
  maxCost?: number;
  /** Assets made at once (default 2); each provider's own rate limits apply below it. */
  concurrency?: number;
  onProgress?(p: ApplyProgress): void;
  /** A plan made just before (the editor confirms one); else one is made. */
  plan?: Plan;
}

export interface ApplyResult {
  plan: Plan;
  items: { id: string; outcome: ApplyOutcome; message?: string }[];
}

/** Thrown before anything is sent: the plan is over `--max-cost`, or has an unknown cost under it. */
export class CostLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CostLimitError';
  }
}

/** Which items a run sends or restores. */
export function itemsToApply(plan: Plan, only?: readonly string[]): PlanItem[] {
  return plan.items.filter(
    (i) =>
      (!only?.length || only.includes(i.id)) &&
      (i.status === 'missing' || i.status === 'changed' || i.status === 'stale' || i.status === 'inProgress'),
  );
}

/** Why the plan exceeds the limit, or undefined when it fits. */
export function overLimit(items: readonly PlanItem[], max: number): string | undefined {
  const sums = new Map<string, number>();
  for (const i of items) {
    if (i.toSend === 0) continue;
    if (!i.cost) return l10n.t('The cost of {0} is unknown before it is made; --max-cost cannot be checked.', i.id);
    sums.set(i.cost.unit, (sums.get(i.cost.unit) ?? 0) + i.cost.amount);
  }
  for (const [unit, amount] of sums)
    if (amount > max) return l10n.t('The estimate is {0} {1}, above the limit of {2}.', amount, unit, max);
  return undefined;
}

export async function applyAssets(o: ApplyOptions): Promise<ApplyResult> {
  const plan = o.plan ?? (await planAssets(o));
  const dir = dirname(o.manifestPath);
  const selected = itemsToApply(plan, o.only);
  const results: ApplyResult['items'] = [];
  for (const id of o.only ?? [])
    if (!plan.items.some((i) => i.id === id))
      results.push({ id, outcome: 'skipped', message: l10n.t('No asset {0} in the manifest.', id) });
  for (const i of plan.items)
    if ((!o.only?.length || o.only.includes(i.id)) && !selected.includes(i))
      results.push({
        id: i.id,
        outcome: i.status === 'upToDate' ? 'upToDate' : i.status === 'invalid' ? 'invalid' : 'needsAttention',
        message: i.reason,
      });
  if (o.maxCost !== undefined) {
    const why = overLimit(selected, o.maxCost);
    if (why) throw new CostLimitError(why);
  }
  // The lock as it is now (not as planned): another run may have moved on.
  const { lock } = await readLock(plan.lockPath);
  const writer = new LockWriter(plan.lockPath, lock);
  let finished = 0;
  const total = selected.length;
  const report = (id: string, phase: ApplyProgress['phase'], message?: string) =>
    o.onProgress?.({ id, phase, message, finished, total });

  const one = async (item: PlanItem): Promise<{ outcome: ApplyOutcome; message?: string }> => {
    const e = item.entry;
    const n = e.variants ?? 1;
    const hash = item.specHash!;
    let le: LockEntry | undefined = lock.assets[e.id];
    // Jobs the plan found on the provider for variants the job list lost: recorded, then followed like any other.
    for (const j of item.adopt ?? []) {
      const v = le?.variants.findIndex((x) => x.jobKey === j.key || (x.jobId === j.id && x.state === 'sent')) ?? -1;
      if (!le || v < 0 || jobOfVariant(o.jobs, le.variants[v])) continue;
      const lv = le.variants[v];
      await o.jobs.add({
        ...j,
        meta: {
          ...j.meta,
          asset: { id: e.id, specHash: le.specHash, ref: lv.ref, variant: v + 1, manifest: o.manifestPath },
        },
      });
      Object.assign(lv, { jobKey: j.key, jobId: j.id });
    }
    const fresh = (): LockEntry => ({
      specHash: hash,
      provider: e.provider,
      out: e.out,
      variants: [],
      time: new Date().toISOString(),
    });
    if (!le || le.specHash !== hash) le = fresh();
    else if (le.outputHash) {
      // Stale: fetch the finished jobs' outputs again when they are all known, else make it anew.
      const restorable =
        le.variants.length === n && le.variants.every((v) => jobOfVariant(o.jobs, v)?.status === 'succeeded');
      le = restorable
        ? { ...le, outputHash: undefined, variants: le.variants.map((v) => ({ ...v, fileHash: undefined })) }
        : fresh();
    }
    lock.assets[e.id] = le;
    const entry = le;
    for (let v = 0; v < n; v++) {
      if (o.signal?.aborted) return { outcome: 'canceled' };
      let lv: LockVariant | undefined = entry.variants[v];
      if (lv?.state === 'failed') lv = undefined; // it ended without output: a new attempt
      let job: Job | undefined = lv ? jobOfVariant(o.jobs, lv) : undefined;
      if (lv && !job) {
        if (lv.state === 'sending')
          return {
            outcome: 'needsAttention',
            message: l10n.t(
              'A request for {0} was being sent when GenDeck stopped and no job of it is recorded; it is not sent again.',
              e.id,
            ),
          };
        return { outcome: 'needsAttention', message: `${e.id}: ${lostJobMessage(e.provider, lv)}` };
      }
      if (!lv) {
        if (!item.prepared)
          return { outcome: 'failed', message: item.costNote ?? l10n.t('{0} could not be checked.', e.id) };
        // The intent first, on disk; then the one request.
        lv = { ref: randomUUID(), state: 'sending' };
        entry.variants[v] = lv;
        entry.time = new Date().toISOString();
        await writer.save();
        report(e.id, 'sending', item.summary);
        let sent: Job;
        try {
          // Not cancelled mid-request: a send cut off may have been taken. Cancel stops before and after.
          sent = await item.prepared.send();
        } catch (err) {
          if (err instanceof ProviderError && err.maybeAccepted) {
            await writer.save();
            return { outcome: 'needsAttention', message: describeError(err) };
          }
          // Refused, so nothing was taken: the intent goes.
          entry.variants.splice(v, 1);
          await writer.save();
          return { outcome: 'failed', message: describeError(err) };
        }
        job = {
          ...sent,
          meta: {
            ...sent.meta,
            asset: { id: e.id, specHash: hash, ref: lv.ref, variant: v + 1, manifest: o.manifestPath },
          },
        };
        await o.jobs.add(job);
        Object.assign(lv, { state: 'sent', jobKey: job.key, jobId: job.id });
        await writer.save();
      }
      if (!job) return { outcome: 'failed', message: l10n.t('{0}: no job.', e.id) };
      if (isActive(job)) {
        report(e.id, 'waiting', job.progress);
        try {
          job = await o.jobs.settled(job.key, o.signal);
        } catch (err) {
          if (isAbortError(err) || o.signal?.aborted) return { outcome: 'canceled' };
          throw err;
        }
      }
      if (job.cost) lv.cost = { amount: job.cost.amount, unit: job.cost.unit, estimated: job.cost.estimated };
      if (job.status !== 'succeeded') {
        Object.assign(lv, { state: 'failed', error: job.error?.message ?? job.status });
        await writer.save();
        return {
          outcome: 'failed',
          message: l10n.t('{0}: the job ended {1}. {2}', e.id, job.status, job.error?.message ?? ''),
        };
      }
      if (!lv.fileHash) {
        const output = chooseOutput(job, e.out, e.artifact);
        if (!output) {
          Object.assign(lv, { state: 'failed', error: 'no output' });
          await writer.save();
          return {
            outcome: 'failed',
            message: l10n.t('{0}: the job has no output to keep{1}.', e.id, e.artifact ? ` (${e.artifact})` : ''),
          };
        }
        report(e.id, 'writing', variantPath(e.out, v + 1, n));
        const rel = variantPath(e.out, v + 1, n);
        lv.fileHash = await writeOutput(job, output, o.root, resolveInside(dir, rel), o.http(job.provider), o.signal);
        lv.file = rel;
        await writer.save();
      }
    }
    // The pick (the first unless one was chosen) is what `out` holds.
    const pick = Math.min(entry.pick ?? 1, n);
    let outHash = entry.variants[pick - 1].fileHash!;
    if (n > 1)
      outHash = await copyInside(o.root, resolveInside(dir, entry.variants[pick - 1].file!), resolveInside(dir, e.out));
    const costs = entry.variants.map((x) => x.cost).filter((c): c is NonNullable<typeof c> => !!c);
    entry.cost =
      costs.length === n && costs.every((c) => c.unit === costs[0].unit)
        ? {
            amount: costs.reduce((s, c) => s + c.amount, 0),
            unit: costs[0].unit,
            estimated: costs.some((c) => c.estimated) || undefined,
          }
        : undefined;
    Object.assign(entry, { pick, outputHash: outHash, time: new Date().toISOString() });
    await writer.save();
    return { outcome: item.toSend === 0 && item.status === 'stale' ? 'restored' : 'made' };
  };

  const queue = [...selected];
  const run = async () => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      let r: { outcome: ApplyOutcome; message?: string };
      try {
        r = await one(item);
      } catch (err) {
        r =
          isAbortError(err) || o.signal?.aborted
            ? { outcome: 'canceled' }
            : { outcome: 'failed', message: describeError(err) };
      }
      finished++;
      results.push({ id: item.id, ...r });
      report(
        item.id,
        r.outcome === 'made' || r.outcome === 'restored'
          ? 'done'
          : r.outcome === 'needsAttention'
            ? 'needsAttention'
            : 'failed',
        r.message,
      );
    }
  };
  const width = Math.max(1, Math.min(o.concurrency ?? plan.manifest.concurrency ?? 2, 16));
  await Promise.all(Array.from({ length: Math.min(width, queue.length) }, run));
  return { plan, items: results };
}

/** The output an asset keeps: the one `artifact` names (name, label or kind), else the first of the kind `out` is. */
export function chooseOutput(job: Job, out: string, artifact?: string): JobOutput | undefined {
  const outs = job.outputs.filter((x) => x.url || x.value !== undefined || x.localPath);
  if (artifact) {
    const a = artifact.toLowerCase();
    return outs.find((x) => [x.name, x.label, x.kind].some((s) => s?.toLowerCase() === a));
  }
  const want = outputKind({ fileName: out });
  return (
    (want && outs.find((x) => x.kind === want)) ??
    (extname(out) === '.json' ? outs.find((x) => x.kind === 'json') : undefined) ??
    outs.find((x) => x.url)
  );
}

/** Streams `src` into `dest` (inside `root`, no link followed): a new temp file beside it, fsynced, renamed. */
async function streamInto(root: string, dest: string, from: NodeJS.ReadableStream | Buffer): Promise<string> {
  const folder = await ensureFolderInside(root, dirname(dest));
  const target = join(folder, basename(dest));
  const tmp = join(folder, `.${basename(dest)}.${randomUUID().slice(0, 8)}.gendeck-part`);
  const fh = await createExclusive(tmp);
  const hash = createHash('sha256');
  try {
    const source: AsyncIterable<Buffer> | Buffer[] = Buffer.isBuffer(from) ? [from] : (from as AsyncIterable<Buffer>);
    for await (const chunk of source) {
      hash.update(chunk);
      await fh.write(chunk);
    }
    await fh.sync();
    await fh.close();
    await rename(tmp, target);
  } catch (err) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err;
  }
  return hash.digest('hex');
}

async function copyInside(root: string, src: string, dest: string): Promise<string> {
  return streamInto(root, dest, createReadStream(src));
}

/** Writes one output to `dest`; its sha256. */
async function writeOutput(
  job: Job,
  output: JobOutput,
  root: string,
  dest: string,
  http: HttpClient,
  signal?: AbortSignal,
): Promise<string> {
  if (!output.url && !output.localPath) {
    const text = typeof output.value === 'string' ? output.value : JSON.stringify(output.value ?? null, null, 2);
    return streamInto(root, dest, Buffer.from(text));
  }
  const file = await outputFile(job, output, http, { signal });
  try {
    return await copyInside(root, file.path, dest);
  } finally {
    await file.release();
  }
}

/**
 * Drops an asset's unconfirmed intents (after the user checked the provider's job list), and with `jobs` the sent
 * variants whose job it does not have, so the next apply sends them anew (paid again). Jobs still known are kept.
 */
export async function forgetUnconfirmed(lockPath: string, id: string, jobs?: JobLookup): Promise<number> {
  const { lock } = await readLock(lockPath);
  const e = lock.assets[id];
  if (!e) return 0;
  const before = e.variants.length;
  e.variants = e.variants.filter(
    (v) => !(v.state === 'sending' || (jobs && v.state === 'sent')) || (jobs && jobOfVariant(jobs, v)),
  );
  if (e.variants.length === before) return 0;
  await new LockWriter(lockPath, lock).save();
  return before - e.variants.length;
}

/** The job store as apply takes it: `add` saves at once (as GenDeck.addJob does), `settled` follows the store. */
export function storeJobs(
  store: {
    get(key: string): Job | undefined;
    all(): Job[];
    upsert(job: Job): Job;
    flush(): Promise<void>;
    onDidChange(l: (keys: string[]) => void): { dispose(): void };
  },
  kick?: (key: string) => void,
): AssetJobs {
  return {
    get: (k) => store.get(k),
    all: () => store.all(),
    add: async (job) => {
      store.upsert(job);
      await store.flush();
      kick?.(job.key);
    },
    settled: (key, signal) =>
      new Promise<Job>((resolve, reject) => {
        const check = () => {
          const j = store.get(key);
          if (!j) return finish(new Error(l10n.t('The job {0} left the job list.', key)));
          if (!isActive(j)) finish(undefined, j);
        };
        const onAbort = () => finish(signal?.reason ?? new DOMException('Aborted', 'AbortError'));
        const sub = store.onDidChange((keys) => keys.includes(key) && check());
        // The scheduler's timers do not hold a process open; a headless apply waiting here must not just end.
        const alive = setInterval(() => undefined, 60_000);
        const finish = (err?: unknown, j?: Job) => {
          clearInterval(alive);
          sub.dispose();
          signal?.removeEventListener('abort', onAbort);
          if (err) reject(err instanceof Error ? err : new Error(String(err)));
          else resolve(j!);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        if (signal?.aborted) return onAbort();
        check();
      }),
  };
}

/**
 * Makes variant `n` (1-based) the one `out` holds: its file (still as it was written) copied over `out`, the pick and
 * the output hash written to the lock. Nothing is sent.
 */
export async function pickVariant(manifestPath: string, root: string, id: string, n: number): Promise<void> {
  const lockPath = lockPathFor(manifestPath);
  const { lock } = await readLock(lockPath);
  const e = lock.assets[id];
  const v = e?.variants[n - 1];
  if (!e || !v?.file || !v.fileHash) throw new ValidationError(l10n.t('{0} has no variant {1} made yet.', id, n));
  const dir = dirname(manifestPath);
  const src = resolveInside(dir, v.file);
  if ((await sha256File(src).catch(() => undefined)) !== v.fileHash)
    throw new ValidationError(
      l10n.t('{0} was changed since it was made; run Generate Assets to restore it first.', v.file),
    );
  const outHash = await copyInside(root, src, resolveInside(dir, e.out));
  Object.assign(e, { pick: n, outputHash: outHash, time: new Date().toISOString() });
  await new LockWriter(lockPath, lock).save();
}
