import * as l10n from '@vscode/l10n';
import { lstat, mkdir, mkdtemp, readFile, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join, relative } from 'node:path';
import { ValidationError } from '../errors';
import { fileNameFromUrl, safeFileName } from '../fs/safeName';
import { writeFileAtomic } from '../fs/atomic';
import { ensureFolderInside, freePath, numberedName, UnsafePathError } from '../fs/safeWrite';
import type { HttpClient } from '../http/client';
import { downloadToFile, type TransferProgress } from '../http/transfer';
import type { Job, JobOutput } from './job';

const EXT: Record<string, string> = {
  video: '.mp4',
  image: '.png',
  audio: '.wav',
  model: '.glb',
  html: '.html',
  archive: '.zip',
  json: '.json',
  text: '.txt',
  file: '.bin',
};

export interface DownloadedOutput {
  output: JobOutput;
  path: string;
  bytes: number;
  /** The copy an earlier download left, unchanged since: nothing was fetched or written. */
  reused?: boolean;
}

/** The record each job folder keeps of what it holds (`gendeck.json`); paths are relative to the folder. */
interface JobSidecar {
  provider: string;
  jobId: string;
  title: string;
  prompt: string;
  model?: unknown;
  params: Record<string, unknown>;
  cost?: Job['cost'];
  createdAt: string;
  finishedAt?: string;
  downloadedAt: string;
  outputs: SidecarOutput[];
}
interface SidecarOutput {
  kind: string;
  label?: string;
  url?: string;
  file: string;
  bytes: number;
}

export const SIDECAR = 'gendeck.json';

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-12-01-red-paper-boat`: the job's local creation day and the first words of its prompt. */
export function jobFolderName(job: Job): string {
  const d = new Date(job.createdAt);
  const day = Number.isNaN(d.getTime()) ? 'undated' : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const words = promptOf(job)
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  let slug = '';
  for (const w of words) {
    if (slug && slug.length + w.length + 1 > 40) break;
    slug = slug ? `${slug}-${w}` : w.slice(0, 40);
  }
  return safeFileName(`${day}-${slug || safeFileName(`${job.provider}-${job.id}`)}`);
}

function promptOf(job: Job): string {
  const req = job.request as { input?: { prompt?: unknown }; prompt?: unknown };
  const prompt = req.input?.prompt ?? req.prompt;
  return typeof prompt === 'string' && prompt.trim() ? prompt : job.title;
}

/**
 * Streams each output of a job into its own folder below `folder` (`jobFolderName`, numbered when another job has
 * that name), with one sidecar `gendeck.json` for the job recording the prompt, model, parameters, cost, job id and
 * each file (relative). `folder` must lie inside `root` (the workspace folder; `folder` itself when absent) and no
 * link on the way is followed: folders are made level by level, every file is created new (a name taken by
 * anything, a dangling link included, is skipped) and renamed into place. An output downloaded before whose file is
 * still there as it was written (the sidecar names it, and the size matches) is reused, not copied again.
 */
export async function downloadJobOutputs(
  job: Job,
  folder: string,
  http: HttpClient,
  o: {
    root?: string;
    outputs?: JobOutput[];
    onProgress?: (name: string, p: TransferProgress) => void;
    signal?: AbortSignal;
  } = {},
): Promise<DownloadedOutput[]> {
  // Without a workspace folder the user's chosen folder is the boundary itself.
  if (!o.root) await mkdir(folder, { recursive: true });
  const base = await ensureFolderInside(o.root ?? folder, folder);
  const { dir, sidecar: earlier } = await jobFolder(base, job);
  try {
    return await fetchInto(dir, earlier, job, http, o);
  } catch (err) {
    // A folder made for this download and left empty goes again (rmdir removes only an empty one).
    if (!earlier) await rmdir(dir).catch(() => undefined);
    throw err;
  }
}

async function fetchInto(
  dir: string,
  earlier: JobSidecar | undefined,
  job: Job,
  http: HttpClient,
  o: { outputs?: JobOutput[]; onProgress?: (name: string, p: TransferProgress) => void; signal?: AbortSignal },
): Promise<DownloadedOutput[]> {
  const kept = new Map<SidecarOutput, boolean>((earlier?.outputs ?? []).map((e) => [e, true]));
  const done: DownloadedOutput[] = [];
  for (const output of o.outputs ?? job.outputs) {
    const i = job.outputs.indexOf(output);
    const fallback = `${output.kind}-${(i < 0 ? done.length : i) + 1}${EXT[output.kind] ?? '.bin'}`;
    let name = output.url ? fileNameFromUrl(output.url, fallback) : fallback;
    if (!extname(name)) name += EXT[output.kind] ?? '';
    const safe = basename(safeFileName(name));
    const entry = (earlier?.outputs ?? []).find((e) => sameOutput(e, output));
    const copy = entry && (await unchanged(dir, entry));
    if (entry && copy) {
      done.push({ output, path: copy, bytes: entry.bytes, reused: true });
      continue;
    }
    if (entry) kept.set(entry, false); // changed since: left as it is, no longer listed as this output
    const dest = await freePath(dir, safe);
    let bytes: number;
    if (output.url && /^https?:/i.test(output.url)) {
      bytes = await fetchOutput(job, output.url, dest, http, o.signal, (p) => o.onProgress?.(name, p));
    } else {
      const text = typeof output.value === 'string' ? output.value : JSON.stringify(output.value ?? null, null, 2);
      await writeFileAtomic(dest, text);
      bytes = Buffer.byteLength(text);
    }
    done.push({ output, path: dest, bytes });
  }
  const listed = [
    ...[...kept].filter(([, keep]) => keep).map(([e]) => e),
    ...done.filter((d) => !d.reused).map((d) => sidecarOutput(d, dir)),
  ];
  await writeFileAtomic(join(dir, SIDECAR), JSON.stringify(sidecar(job, listed), null, 2));
  return done;
}

/** Streams one output's URL to `dest`. The key goes only to the provider's own host; media CDNs get a plain request. */
async function fetchOutput(
  job: Job,
  url: string,
  dest: string,
  http: HttpClient,
  signal: AbortSignal | undefined,
  onProgress: (p: TransferProgress) => void,
): Promise<number> {
  const headers = await http.headersFor(new URL(url), true).catch(() => ({}));
  const r = await downloadToFile(url, dest, { provider: job.provider, label: http.label, headers, signal, onProgress });
  return r.bytes;
}

/**
 * A file holding one output, to read: its downloaded copy while that is still a regular file there, else a fresh
 * download into a private temp folder, which `release` removes.
 */
export async function outputFile(
  job: Job,
  output: JobOutput,
  http: HttpClient,
  o: { signal?: AbortSignal; onProgress?: (p: TransferProgress) => void } = {},
): Promise<{ path: string; downloaded: boolean; release(): Promise<void> }> {
  const local = output.localPath ? await lstat(output.localPath).catch(() => undefined) : undefined;
  if (output.localPath && local?.isFile())
    return { path: output.localPath, downloaded: false, release: async () => undefined };
  if (!output.url || !/^https?:/i.test(output.url))
    throw new ValidationError(l10n.t('This {0} output has no link to download it from.', output.kind));
  const dir = await mkdtemp(join(tmpdir(), 'gendeck-output-'));
  const release = () => rm(dir, { recursive: true, force: true });
  try {
    const path = join(dir, basename(fileNameFromUrl(output.url, `output${EXT[output.kind] ?? '.bin'}`)));
    await fetchOutput(job, output.url, path, http, o.signal, (p) => o.onProgress?.(p));
    return { path, downloaded: true, release };
  } catch (err) {
    await release();
    throw err;
  }
}

/** The folder of this job below `base`: its name, or `name (2)` … when another job's sidecar holds that one. */
async function jobFolder(base: string, job: Job): Promise<{ dir: string; sidecar?: JobSidecar }> {
  const name = jobFolderName(job);
  for (let n = 1; n <= 1000; n++) {
    const candidate = numberedName(name, n);
    const st = await lstat(join(base, candidate)).catch(() => undefined);
    if (!st) return { dir: await ensureFolderInside(base, candidate) };
    if (!st.isDirectory()) continue; // a file or a link at that name: never used
    const side = await readSidecar(join(base, candidate));
    if (side?.provider === job.provider && side.jobId === job.id)
      return { dir: await ensureFolderInside(base, candidate), sidecar: side };
  }
  throw new UnsafePathError(
    l10n.t('{0}: a thousand folders of that name are taken; GenDeck stops there.', join(base, name)),
  );
}

async function readSidecar(dir: string): Promise<JobSidecar | undefined> {
  const path = join(dir, SIDECAR);
  const st = await lstat(path).catch(() => undefined);
  if (!st?.isFile()) return undefined;
  try {
    const side = JSON.parse(await readFile(path, 'utf8')) as Partial<JobSidecar>;
    if (typeof side.provider !== 'string' || typeof side.jobId !== 'string') return undefined;
    const outputs = Array.isArray(side.outputs)
      ? side.outputs.filter((e): e is SidecarOutput => !!e && typeof e.file === 'string' && typeof e.bytes === 'number')
      : [];
    return { ...(side as JobSidecar), outputs };
  } catch {
    return undefined;
  }
}

const urlOf = (output: JobOutput) => (output.url?.startsWith('data:') ? undefined : output.url);

function sameOutput(e: SidecarOutput, output: JobOutput): boolean {
  return (
    (e.url ?? null) === (urlOf(output) ?? null) &&
    (e.label ?? null) === (output.label ?? null) &&
    e.kind === output.kind
  );
}

/** The entry's file, when it is still a plain file inside the folder of the size written. */
async function unchanged(dir: string, e: SidecarOutput): Promise<string | undefined> {
  const name = basename(e.file);
  if (name !== e.file || safeFileName(name) !== name) return undefined; // the sidecar names only files beside it
  const path = join(dir, name);
  const st = await lstat(path).catch(() => undefined);
  return st?.isFile() && st.size === e.bytes ? path : undefined;
}

function sidecarOutput(d: DownloadedOutput, dir: string): SidecarOutput {
  return {
    kind: d.output.kind,
    label: d.output.label,
    url: urlOf(d.output),
    file: relative(dir, d.path),
    bytes: d.bytes,
  };
}

function sidecar(job: Job, outputs: SidecarOutput[]): JobSidecar {
  const req = job.request as { model?: unknown };
  return {
    provider: job.provider,
    jobId: job.id,
    title: job.title,
    prompt: promptOf(job),
    model: req.model ?? job.meta.model,
    params: job.request,
    cost: job.cost,
    createdAt: job.createdAt,
    finishedAt: job.finishedAt,
    downloadedAt: new Date().toISOString(),
    outputs,
  };
}
