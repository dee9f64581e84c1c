import * as l10n from '@vscode/l10n';
import { rm, rmdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as yauzl from 'yauzl';
import { isAbortError } from '../errors';
import { createExclusive, ensureFolderInside, UnsafePathError } from './safeWrite';

export interface UnzipLimits {
  /** Entries in the archive, folders included. */
  maxEntries: number;
  /** Bytes written for all files together, counted as they stream. */
  maxTotalBytes: number;
  /** Bytes written for one file, counted as it streams. */
  maxFileBytes: number;
}

export const UNZIP_LIMITS: UnzipLimits = {
  maxEntries: 10_000,
  maxTotalBytes: 2 * 1024 ** 3,
  maxFileBytes: 1024 ** 3,
};

export interface UnzipProgress {
  /** The entry being written. */
  entry: string;
  /** Files done (written or skipped). */
  files: number;
  /** Files in the archive. */
  totalFiles: number;
  bytes: number;
  totalBytes: number;
}

export interface UnzipOptions extends Partial<UnzipLimits> {
  /** The folder `dest` must stay inside; every level from it down is made without following a link. */
  root: string;
  /** A name that is already taken: `refuse` (the default) stops the unpack, `skip` leaves it as it is. */
  existing?: 'refuse' | 'skip';
  signal?: AbortSignal;
  onProgress?: (p: UnzipProgress) => void;
}

export interface UnzipResult {
  /** The destination's real path. */
  folder: string;
  /** Files written, relative to the destination, with `/`. */
  files: string[];
  /** Files left as they were because the name was taken (`existing: 'skip'`). */
  skipped: string[];
  bytes: number;
}

/** An archive GenDeck refused or could not read; `entry` names the entry when one is at fault. */
export class ArchiveError extends Error {
  constructor(
    message: string,
    readonly entry?: string,
  ) {
    super(message);
    this.name = 'ArchiveError';
  }
}

interface Planned {
  entry: yauzl.Entry;
  /** The path relative to the destination, with `/`. */
  path: string;
  dir: boolean;
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

/**
 * Unpacks the zip at `zipPath` into `dest` (inside `o.root`). Every entry is checked before anything is written: its
 * name must stay inside `dest` (no `..`, no absolute path or drive, no control character, colon or trailing dot or
 * space), only files and folders are taken (a symbolic link or device is refused, never made), no name repeats, and the
 * entry count and declared sizes are within the limits. Then each folder level is made without following a link and
 * each file is created new (never through an existing name) and streamed, its bytes counted against the limits and its
 * CRC-32 checked. A failure or cancel removes every file and folder this call made, so nothing half-written is left.
 */
export async function extractZip(zipPath: string, dest: string, o: UnzipOptions): Promise<UnzipResult> {
  const limits = { ...UNZIP_LIMITS, ...o };
  const archive = basename(zipPath);
  const zip = await yauzl
    .openPromise(zipPath, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true })
    .catch((err: Error) => {
      throw new ArchiveError(l10n.t('{0} is not a readable zip archive ({1}).', archive, err.message));
    });
  try {
    const plan = await planEntries(zip, archive, limits);
    return await writeEntries(zip, archive, plan, dest, o, limits);
  } finally {
    zip.close();
  }
}

async function planEntries(zip: yauzl.ZipFile, archive: string, limits: UnzipLimits): Promise<Planned[]> {
  const refuse = (entry: string, why: Why) => new ArchiveError(why(archive, entry), entry);
  if (zip.entryCount > limits.maxEntries)
    throw new ArchiveError(
      l10n.t(
        '{0} is refused: it holds {1} entries; GenDeck unpacks at most {2}. Nothing was unpacked.',
        archive,
        zip.entryCount,
        limits.maxEntries,
      ),
    );
  const plan: Planned[] = [];
  const seen = new Set<string>();
  let declared = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      // decodeStrings is off so a bad name reaches us (with the entry) instead of failing the whole listing.
      const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
      const shown = JSON.stringify(name).slice(1, -1);
      const why = nameProblem(name);
      if (why) throw refuse(shown, why);
      const type = (entry.externalFileAttributes >>> 16) & S_IFMT;
      if (type === S_IFLNK)
        throw refuse(shown, (a, e) =>
          l10n.t(
            '{0} is refused: the entry “{1}” is a symbolic link; GenDeck does not create links. Nothing was unpacked.',
            a,
            e,
          ),
        );
      const dir = name.endsWith('/') || type === S_IFDIR;
      if (!dir && type !== 0 && type !== S_IFREG)
        throw refuse(shown, (a, e) =>
          l10n.t(
            '{0} is refused: the entry “{1}” is a special file (a device, pipe or socket). Nothing was unpacked.',
            a,
            e,
          ),
        );
      if (entry.isEncrypted())
        throw refuse(shown, (a, e) =>
          l10n.t('{0} is refused: the entry “{1}” is encrypted. Nothing was unpacked.', a, e),
        );
      if (!dir && entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
        const method = entry.compressionMethod;
        throw refuse(shown, (a, e) =>
          l10n.t(
            '{0} is refused: the entry “{1}” uses compression method {2}, which GenDeck cannot read. Nothing was unpacked.',
            a,
            e,
            method,
          ),
        );
      }
      if (!dir && entry.uncompressedSize > limits.maxFileBytes) {
        const [is, most] = [size(entry.uncompressedSize), size(limits.maxFileBytes)];
        throw refuse(shown, (a, e) =>
          l10n.t(
            '{0} is refused: the entry “{1}” is {2}; one file may be at most {3}. Nothing was unpacked.',
            a,
            e,
            is,
            most,
          ),
        );
      }
      const path = name
        .split('/')
        .filter((s) => s && s !== '.')
        .join('/');
      // `./` is the destination itself.
      if (!path && dir) continue;
      if (!path)
        throw refuse(shown, (a, e) =>
          l10n.t('{0} is refused: the entry “{1}” has no name. Nothing was unpacked.', a, e),
        );
      if (seen.has(path))
        throw refuse(shown, (a, e) =>
          l10n.t('{0} is refused: the entry “{1}” appears twice. Nothing was unpacked.', a, e),
        );
      seen.add(path);
      if (!dir) declared += entry.uncompressedSize;
      plan.push({ entry, path, dir });
    }
  } catch (err) {
    if (err instanceof ArchiveError) throw err;
    throw new ArchiveError(l10n.t('{0} is damaged ({1}). Nothing was unpacked.', archive, (err as Error).message));
  }
  if (declared > limits.maxTotalBytes)
    throw new ArchiveError(
      l10n.t(
        '{0} is refused: it unpacks to {1}; GenDeck unpacks at most {2}. Nothing was unpacked.',
        archive,
        size(declared),
        size(limits.maxTotalBytes),
      ),
    );
  return plan;
}

/** The message for an entry that cannot be unpacked, given the archive's and the entry's names: one whole sentence. */
type Why = (archive: string, entry: string) => string;

/** Why an entry name may not be unpacked, or undefined when it is fine. Backslashes arrive as `/` (yauzl). */
export function nameProblem(name: string): Why | undefined {
  // eslint-disable-next-line no-control-regex -- control characters (NUL first) are what is refused
  if (/[\u0000-\u001f\u007f]/.test(name))
    return (a, e) =>
      l10n.t('{0} is refused: the entry “{1}” has a control character in its name. Nothing was unpacked.', a, e);
  if (name.startsWith('/'))
    return (a, e) => l10n.t('{0} is refused: the entry “{1}” is an absolute path. Nothing was unpacked.', a, e);
  if (/^[a-zA-Z]:/.test(name))
    return (a, e) => l10n.t('{0} is refused: the entry “{1}” names a drive. Nothing was unpacked.', a, e);
  const segments = name.split('/').filter((s) => s && s !== '.');
  if (segments.includes('..'))
    return (a, e) =>
      l10n.t('{0} is refused: the entry “{1}” climbs out of the folder with “..”. Nothing was unpacked.', a, e);
  if (segments.some((s) => s.includes(':')))
    return (a, e) =>
      l10n.t(
        '{0} is refused: the entry “{1}” has a colon in its name (a drive or a Windows stream). Nothing was unpacked.',
        a,
        e,
      );
  if (segments.some((s) => /[. ]$/.test(s)))
    return (a, e) =>
      l10n.t(
        '{0} is refused: the entry “{1}” has a name ending in a dot or space (Windows reads it as another). Nothing was unpacked.',
        a,
        e,
      );
  return undefined;
}

async function writeEntries(
  zip: yauzl.ZipFile,
  archive: string,
  plan: Planned[],
  dest: string,
  o: UnzipOptions,
  limits: UnzipLimits,
): Promise<UnzipResult> {
  const madeDirs: string[] = [];
  const madeFiles: string[] = [];
  const result: UnzipResult = { folder: dest, files: [], skipped: [], bytes: 0 };
  const totalFiles = plan.filter((p) => !p.dir).length;
  const totalBytes = plan.reduce((n, p) => n + (p.dir ? 0 : p.entry.uncompressedSize), 0);
  let current: Planned | undefined;
  try {
    result.folder = await ensureFolderInside(o.root, dest, madeDirs);
    for (const item of plan) {
      current = item;
      o.signal?.throwIfAborted();
      if (item.dir) {
        await ensureFolderInside(result.folder, item.path, madeDirs);
        continue;
      }
      const parts = item.path.split('/');
      const dir = await ensureFolderInside(result.folder, parts.slice(0, -1).join('/'), madeDirs);
      const target = join(dir, parts[parts.length - 1]);
      const fh = await createExclusive(target).catch((err: unknown) => {
        if (!(err instanceof UnsafePathError)) throw err;
        if (o.existing === 'skip') return undefined;
        throw new Fault((a, e) =>
          l10n.t(
            '{0} could not be unpacked: the entry “{1}” already exists (left as it was). Nothing was unpacked.',
            a,
            e,
          ),
        );
      });
      if (!fh) {
        result.skipped.push(item.path);
        continue;
      }
      madeFiles.push(target);
      const report = (bytes: number) =>
        o.onProgress?.({
          entry: item.path,
          files: result.files.length + result.skipped.length,
          totalFiles,
          bytes,
          totalBytes,
        });
      report(result.bytes);
      const check = guard(item.entry, result.bytes, limits, report);
      await pipeline(await zip.openReadStreamPromise(item.entry), check, fh.createWriteStream(), {
        signal: o.signal,
      });
      if (check.crc() !== item.entry.crc32)
        throw new Fault((a, e) =>
          l10n.t(
            '{0} could not be unpacked: the entry “{1}” is damaged (its checksum does not match). Nothing was unpacked.',
            a,
            e,
          ),
        );
      result.bytes += check.bytes();
      result.files.push(item.path);
    }
    return result;
  } catch (err) {
    for (const f of madeFiles.reverse()) await rm(f, { force: true }).catch(() => undefined);
    for (const d of madeDirs.reverse()) await rmdir(d).catch(() => undefined);
    // Cancelled, or the destination itself is unusable (a link, not a folder): said as it is.
    if (isAbortError(err) || o.signal?.aborted || !current) throw err;
    const message = (err as Error).message.replace(/\.$/, '');
    const why: Why =
      err instanceof Fault
        ? err.why
        : err instanceof UnsafePathError
          ? (a, e) =>
              l10n.t(
                '{0} could not be unpacked: the entry “{1}” cannot be written safely: {2}. Nothing was unpacked.',
                a,
                e,
                message,
              )
          : (err as NodeJS.ErrnoException).syscall
            ? (a, e) =>
                l10n.t(
                  '{0} could not be unpacked: the entry “{1}” could not be written ({2}). Nothing was unpacked.',
                  a,
                  e,
                  message,
                )
            : (a, e) =>
                l10n.t(
                  '{0} could not be unpacked: the entry “{1}” is damaged ({2}). Nothing was unpacked.',
                  a,
                  e,
                  message,
                );
    throw new ArchiveError(why(archive, current.path), current.path);
  }
}

/** A reason an entry failed: the whole message, once the archive and the entry are named. */
class Fault extends Error {
  constructor(readonly why: Why) {
    super(why('the archive', 'the entry'));
  }
}

/** Counts the bytes really streamed (not the header's claim) against the limits and computes their CRC-32. */
function guard(
  entry: yauzl.Entry,
  before: number,
  limits: UnzipLimits,
  report: (bytes: number) => void,
): Transform & { bytes(): number; crc(): number } {
  let bytes = 0;
  let crc = 0xffffffff;
  let lastReport = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      if (bytes > entry.uncompressedSize)
        return cb(
          new Fault((a, e) =>
            l10n.t(
              '{0} could not be unpacked: the entry “{1}” is larger than its header says ({2}). Nothing was unpacked.',
              a,
              e,
              size(entry.uncompressedSize),
            ),
          ),
        );
      if (bytes > limits.maxFileBytes)
        return cb(
          new Fault((a, e) =>
            l10n.t(
              '{0} could not be unpacked: the entry “{1}” is over {2}, the limit for one file. Nothing was unpacked.',
              a,
              e,
              size(limits.maxFileBytes),
            ),
          ),
        );
      if (before + bytes > limits.maxTotalBytes)
        return cb(
          new Fault((a, e) =>
            l10n.t(
              '{0} could not be unpacked: the entry “{1}” goes past {2}, the limit for the whole archive. Nothing was unpacked.',
              a,
              e,
              size(limits.maxTotalBytes),
            ),
          ),
        );
      for (let i = 0; i < chunk.length; i++) crc = CRC_TABLE[(crc ^ chunk[i]) & 0xff] ^ (crc >>> 8);
      const now = Date.now();
      if (now - lastReport > 100) {
        lastReport = now;
        report(before + bytes);
      }
      cb(null, chunk);
    },
  });
  return Object.assign(t, { bytes: () => bytes, crc: () => (crc ^ 0xffffffff) >>> 0 });
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function size(bytes: number): string {
  if (bytes >= 1024 ** 3) return l10n.t('{0} GB', (bytes / 1024 ** 3).toFixed(1));
  return bytes >= 1024 ** 2 ? l10n.t('{0} MB', (bytes / 1024 ** 2).toFixed(1)) : l10n.t('{0} bytes', bytes);
}
