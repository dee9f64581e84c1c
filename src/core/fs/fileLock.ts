import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { Logger } from '../log';
import { processAlive } from './process';

export interface FileLockOptions {
  /** A lock older than this is taken to be left by a process that hung or died on another machine. */
  staleMs: number;
  /** How long to wait for another process's lock before giving up. */
  waitMs: number;
  /** What the lock guards, for the error and the log line ("the job list"). */
  what: string;
  log: Logger;
}

/**
 * Takes `path` (created exclusively; it names this process) so processes sharing a file take turns. A lock whose
 * process is gone (on this machine) or older than `staleMs` is broken. Resolves with the function that releases it.
 */
export async function takeFileLock(path: string, o: FileLockOptions): Promise<() => Promise<void>> {
  const me = JSON.stringify({ pid: process.pid, host: hostname(), id: randomBytes(6).toString('hex') });
  const deadline = Date.now() + o.waitMs;
  for (;;) {
    try {
      const fh = await open(path, 'wx', 0o600);
      try {
        await fh.writeFile(me, 'utf8');
      } finally {
        await fh.close();
      }
      return async () => {
        if ((await readFile(path, 'utf8').catch(() => '')) === me) await rm(path, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (await breakStale(path, o)) continue;
    if (Date.now() > deadline) throw new Error(`${capitalized(o.what)} stayed locked by another process (${path})`);
    await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
  }
}

/** Removes a stale lock; true when it did (or the lock is gone already). */
async function breakStale(path: string, o: FileLockOptions): Promise<boolean> {
  const [st, text] = await Promise.all([stat(path).catch(() => undefined), readFile(path, 'utf8').catch(() => '')]);
  if (!st) return true;
  let owner: { pid?: number; host?: string } = {};
  try {
    owner = JSON.parse(text) as typeof owner;
  } catch {
    // Still being written, or left empty by a process that died right after creating it: judged by its age.
  }
  const gone =
    typeof owner.pid === 'number' && owner.host === hostname() && owner.pid !== process.pid && !processAlive(owner.pid);
  if (!gone && Date.now() - st.mtimeMs < o.staleMs) return false;
  // Moved aside first, so that of two processes breaking it at once only one does; a lock that turns out to be
  // another than the one judged stale (released and taken again meanwhile) is put back.
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch {
    return true;
  }
  const took = await readFile(aside, 'utf8').catch(() => '');
  if (took !== text) await link(aside, path).catch(() => undefined);
  await rm(aside, { force: true });
  if (took === text) o.log.warn(`Broke a stale lock on ${o.what} (${gone ? 'its process is gone' : 'too old'}).`);
  return took === text;
}

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
