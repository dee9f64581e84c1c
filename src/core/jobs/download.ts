import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileNameFromUrl, uniquePath } from '../fs/safeName';
import type { HttpClient } from '../http/client';
import { downloadToFile, type TransferProgress } from '../http/transfer';
import type { Job, JobOutput } from './job';

const EXT: Record<string, string> = { video: '.mp4', image: '.png', audio: '.wav', model: '.glb', html: '.html', archive: '.zip', json: '.json', text: '.txt', file: '.bin' };

export interface DownloadedOutput {
  output: JobOutput;
  path: string;
  bytes: number;
}

/**
 * Streams each output of a job into `folder` under a safe, unique name, and writes a sidecar
 * `<name>.gendeck.json` recording the prompt, model, parameters, cost and job id.
 */
export async function downloadJobOutputs(
  job: Job,
  folder: string,
  http: HttpClient,
  o: { outputs?: JobOutput[]; onProgress?: (name: string, p: TransferProgress) => void; signal?: AbortSignal } = {},
): Promise<DownloadedOutput[]> {
  const done: DownloadedOutput[] = [];
  for (const [i, output] of (o.outputs ?? job.outputs).entries()) {
    const fallback = `${job.provider}-${job.id}-${i + 1}${EXT[output.kind] ?? '.bin'}`;
    let name = output.url ? fileNameFromUrl(output.url, fallback) : fallback;
    if (!extname(name)) name += EXT[output.kind] ?? '';
    const dest = uniquePath(folder, name);
    let bytes: number;
    if (output.url && /^https?:/i.test(output.url)) {
      // The key goes only to the provider's own host; media CDNs get a plain request.
      const headers = await http.headersFor(new URL(output.url), true).catch(() => ({}));
      const r = await downloadToFile(output.url, dest, { provider: job.provider, headers, signal: o.signal, onProgress: (p) => o.onProgress?.(name, p) });
      bytes = r.bytes;
    } else {
      const text = typeof output.value === 'string' ? output.value : JSON.stringify(output.value ?? null, null, 2);
      await writeFile(dest, text, 'utf8');
      bytes = Buffer.byteLength(text);
    }
    await writeFile(`${dest}.gendeck.json`, JSON.stringify(sidecar(job, output, dest), null, 2), 'utf8');
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
