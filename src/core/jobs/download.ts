import { lstat, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { ValidationError } from '../errors';
import { fileNameFromUrl, safeFileName } from '../fs/safeName';
import { writeFileAtomic } from '../fs/atomic';
import { ensureFolderInside, freePath, numberedName } from '../fs/safeWrite';
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

/**
 * Streams each output of a job into `folder` under a safe, unique name, and writes a sidecar
 * `<name>.gendeck.json` recording the prompt, model, parameters, cost and job id. `folder` must lie inside `root`
 * (the workspace folder; `folder` itself when absent) and no link on the way is followed: the folder is made level by
 * level, every file is created new (a name taken by anything, a dangling link included, is skipped) and renamed into
 * place. An output downloaded before whose file is still there as it was written (its sidecar names this job and
 * output, and the size matches) is reused, not copied again.
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
  const dir = await ensureFolderInside(o.root ?? folder, folder);
  const done: DownloadedOutput[] = [];
  for (const [i, output] of (o.outputs ?? job.outputs).entries()) {
    const fallback = `${job.provider}-${job.id}-${i + 1}${EXT[output.kind] ?? '.bin'}`;
    let name = output.url ? fileNameFromUrl(output.url, fallback) : fallback;
    if (!extname(name)) name += EXT[output.kind] ?? '';
    const safe = basename(safeFileName(name));
    const earlier = await earlierCopy(dir, safe, job, output);
    if (earlier) {
      done.push({ output, ...earlier, reused: true });
      continue;
    }
    const dest = await freePath(dir, safe);
    let bytes: number;
    if (output.url && /^https?:/i.test(output.url)) {
      bytes = await fetchOutput(job, output.url, dest, http, o.signal, (p) => o.onProgress?.(name, p));
    } else {
      const text = typeof output.value === 'string' ? output.value : JSON.stringify(output.value ?? null, null, 2);
      await writeFileAtomic(dest, text);
      bytes = Buffer.byteLength(text);
    }
    await writeFileAtomic(`${dest}.gendeck.json`, JSON.stringify(sidecar(job, output, dest, bytes), null, 2));
    done.push({ output, path: dest, bytes });
  }
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
    throw new ValidationError(`This ${output.kind} output has no link to download it from.`);
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

/** The output's own name and its numbered copies ("name (2).ext" …) that an earlier download of it left intact. */
async function earlierCopy(
  dir: string,
  name: string,
  job: Job,
  output: JobOutput,
): Promise<{ path: string; bytes: number } | undefined> {
  for (let n = 1; n <= 20; n++) {
    const path = join(dir, numberedName(name, n));
    const file = await lstat(path).catch(() => undefined);
    if (!file) return undefined; // freePath numbers without gaps: nothing further on
    if (!file.isFile()) continue;
    const side = await readFile(`${path}.gendeck.json`, 'utf8')
      .then(
        (t) =>
          JSON.parse(t) as {
            jobId?: unknown;
            provider?: unknown;
            output?: { url?: unknown; label?: unknown };
            bytes?: unknown;
          },
      )
      .catch(() => undefined);
    const sameOutput =
      side?.provider === job.provider &&
      side.jobId === job.id &&
      (side.output?.url ?? null) === (output.url?.startsWith('data:') ? null : (output.url ?? null)) &&
      (side.output?.label ?? null) === (output.label ?? null);
    if (sameOutput && side.bytes === file.size) return { path, bytes: file.size };
  }
  return undefined;
}

function sidecar(job: Job, output: JobOutput, path: string, bytes: number): Record<string, unknown> {
  const req = job.request as { input?: { prompt?: string }; prompt?: string; model?: string };
  return {
    provider: job.provider,
    jobId: job.id,
    title: job.title,
    prompt: req.input?.prompt ?? req.prompt ?? job.title,
    model: req.model ?? job.meta.model,
    params: job.request,
    cost: job.cost,
    output: { kind: output.kind, label: output.label, url: output.url?.startsWith('data:') ? undefined : output.url },
    file: path,
    bytes,
    createdAt: job.createdAt,
    finishedAt: job.finishedAt,
    downloadedAt: new Date().toISOString(),
  };
}
