import { mkdir } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { fileNameFromUrl, safeFileName } from '../fs/safeName';
import { writeFileAtomic } from '../fs/atomic';
import { ensureFolderInside, freePath } from '../fs/safeWrite';
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
}

/**
 * Streams each output of a job into `folder` under a safe, unique name, and writes a sidecar
 * `<name>.gendeck.json` recording the prompt, model, parameters, cost and job id. `folder` must lie inside `root`
 * (the workspace folder; `folder` itself when absent) and no link on the way is followed: the folder is made level by
 * level, every file is created new (a name taken by anything, a dangling link included, is skipped) and renamed into
 * place.
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
    const dest = await freePath(dir, basename(safeFileName(name)));
    let bytes: number;
    if (output.url && /^https?:/i.test(output.url)) {
      // The key goes only to the provider's own host; media CDNs get a plain request.
      const headers = await http.headersFor(new URL(output.url), true).catch(() => ({}));
      const r = await downloadToFile(output.url, dest, {
        provider: job.provider,
        label: http.label,
        headers,
        signal: o.signal,
        onProgress: (p) => o.onProgress?.(name, p),
      });
      bytes = r.bytes;
    } else {
      const text = typeof output.value === 'string' ? output.value : JSON.stringify(output.value ?? null, null, 2);
      await writeFileAtomic(dest, text);
      bytes = Buffer.byteLength(text);
    }
    await writeFileAtomic(`${dest}.gendeck.json`, JSON.stringify(sidecar(job, output, dest), null, 2));
    done.push({ output, path: dest, bytes });
  }
  return done;
}

function sidecar(job: Job, output: JobOutput, path: string): Record<string, unknown> {
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
    createdAt: job.createdAt,
    finishedAt: job.finishedAt,
    downloadedAt: new Date().toISOString(),
  };
}
