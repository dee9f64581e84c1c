// The lock, `gendeck.lock.json` beside the manifest, meant to be committed: for each asset the spec hash it was made
// from, the provider, each variant's job, the cost, the hash of the file at `out` and when. A teammate's plan compares
// the manifest and the files against it. It is also apply's journal: an intent (a variant in state `sending`) is
// written before the request goes out, so a crash is never followed by a blind second send.
import * as l10n from '@vscode/l10n';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../fs/atomic';

export const LOCK_VERSION = 1;

const costSchema = z.object({ amount: z.number(), unit: z.string(), estimated: z.boolean().optional() });

export const lockVariantSchema = z.object({
  /** Ours, made before sending; the job carries it in `meta.asset.ref`. */
  ref: z.string(),
  /** sending: the request may be out, no job recorded yet; sent: the job is known; failed: it ended without output. */
  state: z.enum(['sending', 'sent', 'failed']),
  jobKey: z.string().optional(),
  jobId: z.string().optional(),
  cost: costSchema.optional(),
  /** The variant's own file (relative to the manifest) once written, and its sha256. */
  file: z.string().optional(),
  fileHash: z.string().optional(),
  error: z.string().optional(),
});
export type LockVariant = z.infer<typeof lockVariantSchema>;

export const lockEntrySchema = z.object({
  specHash: z.string(),
  provider: z.string(),
  out: z.string(),
  variants: z.array(lockVariantSchema).default([]),
  /** Which variant (1-based) `out` holds. */
  pick: z.number().int().min(1).optional(),
  /** sha256 of the file at `out` when GenDeck wrote it; absent until the asset is complete. */
  outputHash: z.string().optional(),
  /** What the asset's jobs cost together (each provider's unit). */
  cost: costSchema.optional(),
  time: z.string(),
});
export type LockEntry = z.infer<typeof lockEntrySchema>;

const lockFileSchema = z.object({
  version: z.number(),
  assets: z.record(z.string(), z.unknown()).default({}),
});

export interface Lock {
  version: number;
  assets: Record<string, LockEntry>;
}

/** The lock at `path`; an absent file is an empty lock, an entry that does not validate is left out (and said). */
export async function readLock(path: string): Promise<{ lock: Lock; warnings: string[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { lock: emptyLock(), warnings: [] };
    throw err;
  }
  let parsed: z.infer<typeof lockFileSchema>;
  try {
    parsed = lockFileSchema.parse(JSON.parse(text));
  } catch {
    // A lock that cannot be read is never silently replaced: the caller must not overwrite what it cannot read.
    throw new Error(l10n.t('{0} is not a GenDeck lock file; fix or remove it first.', path));
  }
  const lock = emptyLock();
  const warnings: string[] = [];
  for (const [id, raw] of Object.entries(parsed.assets)) {
    const e = lockEntrySchema.safeParse(raw);
    if (e.success) lock.assets[id] = e.data;
    else warnings.push(l10n.t('The lock entry for {0} is not readable and was ignored.', id));
  }
  return { lock, warnings };
}

export function emptyLock(): Lock {
  return { version: LOCK_VERSION, assets: {} };
}

/** The lock as it is committed: ids in order, two-space JSON, a final newline (stable diffs). */
export function lockText(lock: Lock): string {
  const assets = Object.fromEntries(
    Object.keys(lock.assets)
      .sort()
      .map((id) => [id, lock.assets[id]]),
  );
  return `${JSON.stringify({ version: lock.version, assets }, null, 2)}\n`;
}

/**
 * One writer per lock file: each `save` writes the whole lock atomically (temp, fsync, rename), one after another,
 * so concurrent assets never interleave and a crash leaves the previous or the next state, never half.
 */
export class LockWriter {
  private chain: Promise<void> = Promise.resolve();
  constructor(
    readonly path: string,
    readonly lock: Lock,
  ) {}

  save(): Promise<void> {
    const text = lockText(this.lock);
    const next = this.chain.then(() => writeFileAtomic(this.path, text));
    this.chain = next.catch(() => undefined);
    return next;
  }
}
