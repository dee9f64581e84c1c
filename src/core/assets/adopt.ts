// Adopt a job by id: the way out, beside forgetting, for an asset that needs attention (a request cut off mid-send,
// or a job the lock names that is found nowhere). The user found the job on the provider (its dashboard) and names
// it; it is looked up there with one status request, recorded in the job store (with our reference in `meta.asset`)
// and in the lock in place of the request, and apply then follows it like any other. Nothing is ever sent to create.
import * as l10n from '@vscode/l10n';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ProviderError, ValidationError } from '../errors';
import { jobKey, type Job } from '../jobs/job';
import type { Launcher } from '../jobs/launch';
import type { ProviderId } from '../providerIds';
import type { AssetJobs } from './apply';
import { LockWriter, readLock, type LockVariant } from './lock';
import { launchInputOf, parseManifest, specHash } from './manifest';
import { jobOfVariant, lockPathFor } from './plan';

/** What a job id may be: what the providers' URLs take as one path segment. */
const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,199}$/;

/**
 * The job id in what the user typed for an asset of `provider`: the id itself, or the job's key
 * (`provider:id`, as the Jobs view and `gendeck jobs` show it). Throws ValidationError for anything else.
 */
export function parseJobRef(provider: string, text: string): string {
  const t = text.trim();
  const colon = t.indexOf(':');
  const id = colon >= 0 ? t.slice(colon + 1) : t;
  if (colon >= 0 && t.slice(0, colon) !== provider)
    throw new ValidationError(
      l10n.t('{0} is a job of {1}, not of {2}, which makes this asset.', t, t.slice(0, colon), provider),
    );
  if (!JOB_ID.test(id))
    throw new ValidationError(
      l10n.t('"{0}" is not a {1} job id (letters, digits, . _ ~ -; as the provider shows it).', t, provider),
    );
  return id;
}

/** The variants of an asset that need attention: a request with no job recorded, or a job found nowhere. */
function needingAttention(variants: readonly LockVariant[], jobs: AssetJobs): LockVariant[] {
  return variants.filter((v) => (v.state === 'sending' || v.state === 'sent') && !jobOfVariant(jobs, v));
}

export interface AdoptJobOptions {
  manifestPath: string;
  /** The asset. */
  id: string;
  /** The job as the user names it: its id, or its key. */
  job: string;
  launchers: Partial<Record<ProviderId, Launcher>>;
  jobs: AssetJobs;
  signal?: AbortSignal;
}

/**
 * Makes asset `id` (which needs attention) follow the job the user names: checked for the asset's provider, looked
 * up there (one status request; never a create), then recorded in the job store and the lock in place of the lost
 * request. Throws ValidationError, with nothing changed, when the asset is unknown or needs no attention, the id is
 * not its provider's, the job is another asset's, or the provider has no such job. The job as found.
 */
export async function adoptJob(o: AdoptJobOptions): Promise<Job> {
  const dir = dirname(o.manifestPath);
  const manifest = parseManifest(await readFile(o.manifestPath, 'utf8'));
  const asset = manifest.assets.find((a) => a.entry.id === o.id);
  if (!asset) throw new ValidationError(l10n.t('No asset {0} in the manifest.', o.id));
  const e = asset.entry;
  const launcher = o.launchers[e.provider as ProviderId];
  if (!launcher) throw new ValidationError(l10n.t('{0} is not a provider GenDeck starts jobs with here.', e.provider));
  const jobId = parseJobRef(e.provider, o.job);
  const key = jobKey(e.provider as ProviderId, jobId);
  const lockPath = lockPathFor(o.manifestPath);
  const hash = await specHash(e, dir);

  // What the lock says now; checked again after the lookup, which takes a while.
  const target = async () => {
    const { lock } = await readLock(lockPath);
    const le = lock.assets[o.id];
    const open = le && le.specHash === hash ? needingAttention(le.variants, o.jobs) : [];
    if (!le || !open.length)
      throw new ValidationError(
        l10n.t('{0} needs no attention: it has no request whose job is unknown. Nothing was changed.', o.id),
      );
    for (const [other, x] of Object.entries(lock.assets)) {
      if (x.provider !== e.provider) continue;
      for (const w of x.variants)
        if ((w.jobKey === key || w.jobId === jobId) && !(other === o.id && open.includes(w)))
          throw new ValidationError(l10n.t('Job {0} is already recorded for {1}. Nothing was changed.', jobId, other));
    }
    const owner = (o.jobs.get(key)?.meta.asset as { id?: unknown } | undefined)?.id;
    if (owner !== undefined && owner !== o.id)
      throw new ValidationError(l10n.t('Job {0} is already {1}’s. Nothing was changed.', jobId, String(owner)));
    // The lost job the lock names by this id, else the oldest request cut off mid-send, else the first lost job.
    const v = open.find((x) => x.jobId === jobId) ?? open.find((x) => x.state === 'sending') ?? open[0];
    return { lock, le, v };
  };
  await target();

  let job = o.jobs.get(key);
  if (!job) {
    try {
      job = await launcher.lookup(jobId, launchInputOf(e, dir), o.signal);
    } catch (err) {
      if (err instanceof ProviderError && err.status === 404)
        throw new ValidationError(
          l10n.t('{0} has no job {1}. Nothing was changed; check the id on its job list.', e.provider, jobId),
        );
      throw err;
    }
  }

  const { lock, le, v } = await target();
  const adopted: Job = {
    ...job,
    meta: {
      ...job.meta,
      asset: { id: o.id, specHash: hash, ref: v.ref, variant: le.variants.indexOf(v) + 1, manifest: o.manifestPath },
    },
  };
  await o.jobs.add(adopted);
  Object.assign(v, { state: 'sent', jobKey: adopted.key, jobId: adopted.id, error: undefined });
  le.time = new Date().toISOString();
  await new LockWriter(lockPath, lock).save();
  return adopted;
}
