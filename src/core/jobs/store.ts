import { takeFileLock } from '../fs/fileLock';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { jobSchema, type Job, type JobPatch } from './job';
import { redactor } from '../redact';
import { watchFile, type WatchFileOptions } from '../fs/watchFile';

const STORE_VERSION = 1;
const fileSchema = z.object({ version: z.number(), jobs: z.array(z.unknown()) });

/** A lock older than this is taken to be left by a process that hung or died on another machine. */
const LOCK_STALE_MS = 10_000;
/** How long a write waits for another process's lock before it gives up (and tries again later). */
const LOCK_WAIT_MS = 15_000;

export interface LoadReport {
  jobs: number;
  /** Where an unreadable store file was moved, if it was. */
  corruptBackup?: string;
  /** True when jobs came from the previous good copy rather than the main file. */
  fromBackup?: boolean;
  /** Entries that did not validate, or of an unknown provider, left out. */
  dropped: number;
}

type Listener = (keys: string[]) => void;

export interface JobStoreOptions {
  /** How long changes gather before one write. */
  saveDelayMs?: number;
  /** The providers this build knows; a stored job of any other is left out on load. All when absent. */
  providers?: readonly string[];
}

export type WatchOptions = Pick<WatchFileOptions, 'debounceMs' | 'pollMs'>;

type Entries = { kind: 'ok'; entries: unknown[] } | { kind: 'missing' } | { kind: 'corrupt'; reason: string };

/** The key an entry of the file names, before it is validated. */
function keyOf(entry: unknown): string | undefined {
  const key = entry && typeof entry === 'object' ? (entry as { key?: unknown }).key : undefined;
  return typeof key === 'string' ? key : undefined;
}

/**
 * Every job GenDeck knows, persisted as one JSON file that several processes share (the editor's windows, the CLI,
 * the MCP server). Writes go to a temp file that is fsynced and renamed over the old one, the previous good copy kept
 * as `.bak`, under a lock (`<file>.lock`, created exclusively; a dead owner's or an old one is broken): each write
 * first reads the file and merges it job by job, so no process loses another's jobs. A job changed here since it was
 * last read wins over the file's copy unless that copy changed too and is newer (`updatedAt`); a job only in the file
 * is adopted; a job removed here stays removed, and one removed elsewhere goes here too. `reload()` merges what
 * another process wrote; `watch()` does it when the file changes.
 */
export class JobStore {
  private jobs = new Map<string, Job>();
  /** Each job's entry as this process last read or wrote it in the file (its JSON): what "changed" is against. */
  private onDisk = new Map<string, string>();
  /** Entries of the file this build cannot read (another version's, another provider's): written back as they are. */
  private foreign: unknown[] = [];
  /** Keys changed here since the last write, with the change's number. */
  private edited = new Map<string, number>();
  /** Keys added here (not in the list before) since the last write: a merge keeps them. */
  private added = new Map<string, number>();
  /** Keys removed here since the last write: a merge does not bring them back. */
  private removed = new Map<string, number>();
  private change = 0;
  private listeners = new Set<Listener>();
  private saveTimer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();
  /** A write is due: something changed here, or the file is to be rewritten (restored from `.bak`). */
  private dirty = false;
  /** The file as this process last wrote or read it, to skip reloading a file nobody changed. */
  private seen: string | undefined;

  constructor(
    readonly file: string,
    private readonly log: Logger = silentLogger,
    private readonly options: JobStoreOptions = {},
  ) {}

  async load(): Promise<LoadReport> {
    return this.serial(async () => {
      let main = await this.readEntries(this.file);
      if (main.kind === 'ok') return this.adopt(main.entries, {});
      let corruptBackup: string | undefined;
      if (main.kind === 'corrupt') {
        // Another process may be restoring it right now: look again under the lock before moving it aside.
        const unlock = await this.lock().catch(() => async () => undefined);
        try {
          main = await this.readEntries(this.file);
          if (main.kind === 'ok') return this.adopt(main.entries, {});
          if (main.kind === 'corrupt') corruptBackup = await this.moveAside(main.reason);
        } finally {
          await unlock();
        }
      }
      const bak = await this.readEntries(`${this.file}.bak`);
      if (bak.kind === 'ok') {
        const report = this.adopt(bak.entries, { corruptBackup, fromBackup: true });
        this.log.info(`Restored ${report.jobs} jobs from the previous copy.`);
        // Not what the main file holds (it has none): the jobs are written as new, and a merge drops none of them.
        this.onDisk.clear();
        this.scheduleSave();
        return report;
      }
      return this.adopt([], { corruptBackup });
    });
  }

  private adopt(entries: unknown[], extra: Partial<LoadReport>): LoadReport {
    this.jobs.clear();
    this.onDisk.clear();
    this.foreign = [];
    for (const entry of entries) {
      const job = this.toJob(entry);
      if (!job) {
        this.foreign.push(entry);
        continue;
      }
      this.jobs.set(job.key, job);
      this.onDisk.set(job.key, JSON.stringify(entry));
    }
    const dropped = this.foreign.length;
    if (dropped) this.log.warn(`Job store: ${dropped} unreadable entries (or of an unknown provider) left out.`);
    this.edited.clear();
    this.added.clear();
    this.removed.clear();
    this.emit([...this.jobs.keys()]);
    return { jobs: this.jobs.size, dropped, ...extra };
  }

  private async moveAside(reason: string): Promise<string> {
    const to = `${this.file}.corrupt-${Date.now()}`;
    await rename(this.file, to).catch(() => undefined);
    this.log.warn(`Job store ${this.file} was unreadable (${reason}); kept a copy at ${to}.`);
    return to;
  }

  private async readEntries(path: string): Promise<Entries> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
      return { kind: 'corrupt', reason: (err as Error).message };
    }
    try {
      return { kind: 'ok', entries: fileSchema.parse(JSON.parse(text)).jobs };
    } catch (err) {
      return { kind: 'corrupt', reason: err instanceof SyntaxError ? 'invalid JSON' : 'unexpected shape' };
    }
  }

  /** The job an entry of the file holds; undefined when it does not validate or is of a provider this build lacks. */
  private toJob(entry: unknown): Job | undefined {
    const r = jobSchema.safeParse(entry);
    return r.success && (!this.options.providers || this.options.providers.includes(r.data.provider))
      ? r.data
      : undefined;
  }

  /**
   * Adds the jobs of another job file (an earlier list, read only) that this list lacks; returns how many. A job
   * removed here since the last write is not brought back.
   */
  async importFrom(path: string): Promise<number> {
    const other = await this.readEntries(path);
    if (other.kind !== 'ok') return 0;
    let n = 0;
    for (const entry of other.entries) {
      const job = this.toJob(entry);
      if (!job || this.jobs.has(job.key) || this.removed.has(job.key)) continue;
      this.upsert(job);
      n++;
    }
    return n;
  }

  all(): Job[] {
    return [...this.jobs.values()];
  }

  /** How many jobs there are (without copying them as `all()` does). */
  get size(): number {
    return this.jobs.size;
  }

  get(key: string): Job | undefined {
    return this.jobs.get(key);
  }

  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Adds or replaces a job. A registered secret a provider echoed back anywhere in it is masked first. */
  upsert(job: Job): Job {
    const valid = jobSchema.parse(redactor.redactDeep(job));
    const n = ++this.change;
    if (!this.jobs.has(valid.key)) this.added.set(valid.key, n);
    this.jobs.set(valid.key, valid);
    this.edited.set(valid.key, n);
    this.removed.delete(valid.key);
    this.changed([valid.key]);
    return valid;
  }

  /** Applies a patch; returns the new job, or undefined when the job is gone. */
  patch(key: string, patch: JobPatch, now = new Date()): Job | undefined {
    const current = this.jobs.get(key);
    if (!current) return undefined;
    const next: Job = { ...current, ...redactor.redactDeep(patch), updatedAt: now.toISOString() };
    this.jobs.set(key, next);
    this.edited.set(key, ++this.change);
    this.changed([key]);
    return next;
  }

  remove(key: string): boolean {
    const had = this.jobs.delete(key);
    if (had) {
      this.removed.set(key, ++this.change);
      this.edited.delete(key);
      this.added.delete(key);
      this.changed([key]);
    }
    return had;
  }

  private changed(keys: string[]): void {
    this.emit(keys);
    this.scheduleSave();
  }

  private emit(keys: string[]): void {
    if (!keys.length) return;
    for (const l of this.listeners) {
      try {
        l(keys);
      } catch (err) {
        this.log.error(`Job store listener failed: ${(err as Error).message}`);
      }
    }
  }

  /**
   * Takes the file's jobs into this list (see the class comment); returns the keys that changed here. `complete`:
   * the file is the whole list (so a job it lacks that this process had seen in it was removed elsewhere); false
   * for a stand-in (`.bak` while the main file is unreadable), from which nothing is taken to be removed.
   */
  private merge(entries: unknown[], complete: boolean): string[] {
    const changed: string[] = [];
    const inFile = new Set<string>();
    const foreign: unknown[] = [];
    for (const entry of entries) {
      const text = JSON.stringify(entry);
      const seenKey = keyOf(entry);
      const before = seenKey === undefined ? undefined : this.onDisk.get(seenKey);
      // Unchanged since this process last saw it: nothing to validate or decide.
      if (seenKey !== undefined && before === text && (this.jobs.has(seenKey) || this.removed.has(seenKey))) {
        inFile.add(seenKey);
        continue;
      }
      const theirs = this.toJob(entry);
      if (!theirs) {
        foreign.push(entry);
        continue;
      }
      const key = theirs.key;
      inFile.add(key);
      this.onDisk.set(key, text);
      if (this.removed.has(key)) continue;
      const mine = this.jobs.get(key);
      if (mine && this.edited.has(key)) {
        // Changed here: the file's copy wins only when it also changed since it was read and is newer.
        if (before === text || mine.updatedAt > theirs.updatedAt) continue;
        this.edited.delete(key);
        this.added.delete(key);
      }
      this.jobs.set(key, theirs);
      changed.push(key);
    }
    this.foreign = foreign;
    if (complete) {
      for (const key of [...this.jobs.keys()]) {
        if (inFile.has(key) || !this.onDisk.has(key) || this.added.has(key)) continue;
        // It was in the file and is not now: another process removed it.
        this.jobs.delete(key);
        this.edited.delete(key);
        changed.push(key);
      }
      for (const key of [...this.onDisk.keys()]) if (!inFile.has(key)) this.onDisk.delete(key);
    }
    return changed;
  }

  /** Reads what other processes wrote and merges it in; resolves with the keys that changed here (also emitted). */
  reload(): Promise<string[]> {
    return this.serial(async () => {
      const stamp = await this.stamp();
      if (stamp === undefined || stamp === this.seen) return [];
      const file = await this.readEntries(this.file);
      // A missing or unreadable file is the next write's business (it merges with `.bak`); nothing is removed here.
      if (file.kind !== 'ok') return [];
      this.seen = stamp;
      const changed = this.merge(file.entries, true);
      this.emit(changed);
      return changed;
    });
  }

  /**
   * Reloads whenever the file changes (a folder watcher, debounced, plus a periodic look at the file's stamp).
   * Plain Node: the extension and long-running headless processes (the MCP server) both use it.
   */
  watch(o: WatchOptions = {}): { dispose(): void } {
    return watchFile(
      this.file,
      () => void this.reload().catch((err) => this.log.warn(`Job store reload: ${(err as Error).message}`)),
      { ...o, log: this.log, what: 'Job store' },
    );
  }

  /** The file's identity and size and time: changes whenever any process renames a new copy over it. */
  private async stamp(): Promise<string | undefined> {
    const s = await stat(this.file).catch(() => undefined);
    return s && `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
  }

  private scheduleSave(): void {
    this.dirty = true;
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void this.flush();
    }, this.options.saveDelayMs ?? 150);
  }

  /** Runs one read or write of the file at a time (a reload that read an older copy must not merge after a write). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.saving.then(fn);
    this.saving = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Writes now if anything changed (merged with what other processes wrote); resolves when the file is on disk. */
  flush(): Promise<void> {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
    }
    return this.serial(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      try {
        await this.save();
      } catch (err) {
        this.dirty = true;
        this.log.error(`Could not save jobs: ${(err as Error).message}`);
        // Tried again soon (another process may have held the lock for too long).
        if (!this.saveTimer) {
          this.saveTimer = setTimeout(() => {
            this.saveTimer = undefined;
            void this.flush();
          }, 1000);
          this.saveTimer.unref();
        }
      }
    });
  }

  /** Under the lock: read the file, merge it in, write the result. */
  private async save(): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const unlock = await this.lock();
    try {
      let file = await this.readEntries(this.file);
      let complete = true;
      if (file.kind !== 'ok') {
        if (file.kind === 'corrupt') await this.moveAside(file.reason);
        // What the last good copy holds is taken in, but nothing is taken to be removed.
        file = await this.readEntries(`${this.file}.bak`);
        complete = false;
      }
      const changed = file.kind === 'ok' ? this.merge(file.entries, complete) : [];
      this.emit(changed);
      const upTo = this.change;
      const jobs = this.all();
      const texts = jobs.map((j) => JSON.stringify(j));
      // What JSON.stringify({ version, jobs }) writes, with each job's text kept for the next merge.
      const entries = [...texts, ...this.foreign.map((e) => JSON.stringify(e))];
      await this.writeAtomic(`{"version":${STORE_VERSION},"jobs":[${entries.join(',')}]}`);
      this.onDisk = new Map(jobs.map((j, i) => [j.key, texts[i]]));
      for (const marks of [this.edited, this.added, this.removed])
        for (const [key, n] of marks) if (n <= upTo) marks.delete(key);
      this.seen = await this.stamp();
    } finally {
      await unlock();
    }
  }

  /** Takes `<file>.lock` (see takeFileLock); resolves with the function that releases it. */
  private lock(): Promise<() => Promise<void>> {
    return takeFileLock(`${this.file}.lock`, {
      staleMs: LOCK_STALE_MS,
      waitMs: LOCK_WAIT_MS,
      what: 'the job list',
      log: this.log,
    });
  }

  private async writeAtomic(text: string): Promise<void> {
    const tmp = `${this.file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(text, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    // Keep the last good copy; a crash between the two renames leaves `.bak` for load() to use.
    await copyFile(this.file, `${this.file}.bak`).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    try {
      await rename(tmp, this.file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }
}
