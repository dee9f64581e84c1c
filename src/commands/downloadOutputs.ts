import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import type { GenDeck } from '../context';
import { downloadJobOutputs } from '../core/jobs/download';
import { settings } from '../settings';
import { resolveJob } from './util';

/** The download folder: the setting, relative to the first workspace folder; asked for when there is none. */
async function downloadFolder(): Promise<string | undefined> {
  const configured = settings.downloadFolder();
  if (isAbsolute(configured)) return configured;
  const ws = vscode.workspace.workspaceFolders?.[0];
  if (ws) return join(ws.uri.fsPath, configured);
  const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Save outputs here' });
  return picked?.[0]?.fsPath;
}

/** Streams a job's outputs (or one of them) to the download folder, with a sidecar record each. */
export async function downloadOutputs(g: GenDeck, arg?: unknown, index?: number): Promise<void> {
  const job = await resolveJob(g, arg, (j) => j.outputs.length > 0, 'Download the outputs of which job?');
  if (!job) return;
  const outputs = typeof index === 'number' ? job.outputs.filter((_, i) => i === index) : job.outputs;
  if (!outputs.length) return void vscode.window.showInformationMessage(`“${job.title}” has no outputs yet.`);
  const folder = await downloadFolder();
  if (!folder) return;
  try {
    const files = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Downloading “${job.title}”`, cancellable: true },
      (progress, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        return downloadJobOutputs(job, folder, g.provider(job.provider).http, {
          outputs,
          signal: ac.signal,
          onProgress: (name, p) => progress.report({ message: `${name}: ${(p.bytes / 1048576).toFixed(1)}${p.total ? ` of ${(p.total / 1048576).toFixed(1)}` : ''} MB` }),
        });
      },
    );
    // Remember where each output landed, so the preview can play it offline.
    const current = g.store.get(job.key);
    if (current) {
      const updated = current.outputs.map((o) => {
        const hit = files.find((f) => f.output.url === o.url && o.url);
        return hit && existsSync(hit.path) ? { ...o, localPath: hit.path } : o;
      });
      g.store.patch(job.key, { outputs: updated });
    }
    g.log.info(`Downloaded ${files.length} file(s) of ${job.key} to ${folder}`);
    const choice = await vscode.window.showInformationMessage(`Saved ${files.length} file${files.length === 1 ? '' : 's'} to ${vscode.workspace.asRelativePath(folder)}.`, 'Reveal');
    if (choice === 'Reveal' && files[0]) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(files[0].path));
  } catch (err) {
    await g.reportError(err, 'Download failed');
  }
}
