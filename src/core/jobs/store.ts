import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { jobSchema, type Job, type JobPatch } from './job';
import { redactor } from '../redact';

const STORE_VERSION = 1;
const fileSchema = z.object({ version: z.number(), jobs: z.array(z.unknown()) });

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

/**
 * Every job GenDeck knows, persisted as one JSON file. Writes go to a temp file that is
 * fsynced and renamed over the old one, the previous good copy kept as `.bak`.
 */
export class JobStore {
  private jobs = new Map<string, Job>();
  private listeners = new Set<Listener>();
  private saveTimer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();
  private dirty = false;

  constructor(
    readonly file: string,
    private readonly log: Logger = silentLogger,
    private readonly options: JobStoreOptions = {},
  ) {}

  async load(): Promise<LoadReport> {
    const main = await this.readJobs(this.file);
    if (main.kind === 'ok') return this.adopt(main.jobs, main.dropped, {});
    let corruptBackup: string | undefined;
    if (main.kind === 'corrupt') {
      corruptBackup = `${this.file}.corrupt-${Date.now()}`;
      await rename(this.file, corruptBackup).catch(() => undefined);
      this.log.warn(`Job store ${this.file} was unreadable (${main.reason}); kept a copy at ${corruptBackup}.`);
    }
    const bak = await this.readJobs(`${this.file}.bak`);
    if (bak.kind === 'ok') {
      this.log.info(`Restored ${bak.jobs.length} jobs from the previous copy.`);
      const report = this.adopt(bak.jobs, bak.dropped, { corruptBackup, fromBackup: true });
      this.scheduleSave();
      return report;
    }
    return this.adopt([], 0, { corruptBackup });
  }

  private adopt(jobs: Job[], dropped: number, extra: Partial<LoadReport>): LoadReport {
    this.jobs = new Map(jobs.map((j) => [j.key, j]));
    this.emit([...this.jobs.keys()]);
    return { jobs: jobs.length, dropped, ...extra };
  }

  private async readJobs(
    path: string,
  ): Promise<{ kind: 'ok'; jobs: Job[]; dropped: number } | { kind: 'missing' } | { kind: 'corrupt'; reason: string }> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
      return { kind: 'corrupt', reason: (err as Error).message };
    }
    let parsed: z.infer<typeof fileSchema>;
    try {
      parsed = fileSchema.parse(JSON.parse(text));
    } catch (err) {
      return { kind: 'corrupt', reason: err instanceof SyntaxError ? 'invalid JSON' : 'unexpected shape' };
    }
    const jobs: Job[] = [];
    let dropped = 0;
    for (const entry of parsed.jobs) {
      const r = jobSchema.safeParse(entry);
      if (r.success && (!this.options.providers || this.options.providers.includes(r.data.provider))) jobs.push(r.data);
      else dropped++;
    }
    if (dropped) this.log.warn(`Job store: ${dropped} unreadable entries (or of an unknown provider) left out.`);
    return { kind: 'ok', jobs, dropped };
  }

  all(): Job[] {
    return [...this.jobs.values()];
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
    this.jobs.set(valid.key, valid);
    this.changed([valid.key]);
    return valid;
  }

  /** Applies a patch; returns the new job, or undefined when the job is gone. */
  patch(key: string, patch: JobPatch, now = new Date()): Job | undefined {
    const current = this.jobs.get(key);
    if (!current) return undefined;
    const next: Job = { ...current, ...redactor.redactDeep(patch), updatedAt: now.toISOString() };
    this.jobs.set(key, next);
    this.changed([key]);
    return next;
  }

  remove(key: string): boolean {
    const had = this.jobs.delete(key);
    if (had) this.changed([key]);
    return had;
  }

  private changed(keys: string[]): void {
    this.emit(keys);
    this.scheduleSave();
  }

  private emit(keys: string[]): void {
    for (const l of this.listeners) {
      try {
        l(keys);
      } catch (err) {
        this.log.error(`Job store listener failed: ${(err as Error).message}`);
      }
    }
  }

  private scheduleSave(): void {
    this.dirty = true;
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void this.flush();
    }, this.options.saveDelayMs ?? 150);
  }

  /** Writes now if anything changed; resolves when the file is on disk. */
  flush(): Promise<void> {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
    }
    this.saving = this.saving.then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      try {
        await this.writeAtomic(JSON.stringify({ version: STORE_VERSION, jobs: this.all() }));
      } catch (err) {
        this.dirty = true;
        this.log.error(`Could not save jobs: ${(err as Error).message}`);
      }
    });
    return this.saving;
  }

  private async writeAtomic(text: string): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
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
