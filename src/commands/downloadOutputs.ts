import { existsSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import * as vscode from 'vscode';
import { ValidationError } from '../core/errors';
import { downloadJobOutputs, type DownloadedOutput } from '../core/jobs/download';
import type { Job, JobOutput } from '../core/jobs/job';
import type { GenDeck } from '../context';
import { settings } from '../settings';
import { resolveJob } from './util';
import type { CommandContext } from './command';

/**
 * Where downloads go and the folder they must stay inside: the setting, relative to the first workspace folder (an
 * absolute path or one that climbs out with `..` is refused); the folder the user picks when no folder is open.
 */
async function downloadTarget(): Promise<{ folder: string; root: string } | undefined> {
  const configured = settings.downloadFolder();
  const ws = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  if (ws) {
    const root = ws.uri.fsPath;
    const folder = resolve(root, configured);
    const rel = relative(root, folder);
    if (isAbsolute(configured) || rel.startsWith('..') || isAbsolute(rel)) {
      throw new ValidationError(
        vscode.l10n.t(
          '"gendeck.downloadFolder" is {0}, outside the workspace folder; set it to a folder inside it, such as gendeck-outputs.',
          configured,
        ),
      );
    }
    return { folder, root };
  }
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    openLabel: vscode.l10n.t('Save outputs here'),
  });
  const folder = picked?.[0]?.fsPath;
  return folder ? { folder, root: folder } : undefined;
}

/**
 * Streams outputs of a job into the job's own folder in the download folder (with its sidecar), with progress, and
 * records where each landed so the preview plays it offline. Undefined when the user cancelled the folder choice.
 */
export async function fetchOutputs(
  g: GenDeck,
  job: Job,
  outputs: JobOutput[],
): Promise<{ files: DownloadedOutput[]; folder: string } | undefined> {
  const target = await downloadTarget();
  if (!target) return undefined;
  const { folder, root } = target;
  const files = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Downloading “{0}”', job.title),
      cancellable: true,
    },
    (progress, token) => {
      const ac = new AbortController();
      token.onCancellationRequested(() => ac.abort());
      return downloadJobOutputs(job, folder, g.provider(job.provider).http, {
        root,
        outputs,
        signal: ac.signal,
        onProgress: (name, p) =>
          progress.report({
            message: p.total
              ? vscode.l10n.t(
                  '{0}: {1} of {2} MB',
                  name,
                  (p.bytes / 1048576).toFixed(1),
                  (p.total / 1048576).toFixed(1),
                )
              : vscode.l10n.t('{0}: {1} MB', name, (p.bytes / 1048576).toFixed(1)),
          }),
      });
    },
  );
  const current = g.store.get(job.key);
  if (current) {
    const updated = current.outputs.map((o) => {
      const hit = files.find((f) => f.output === o || (o.url && f.output.url === o.url));
      return hit && existsSync(hit.path) ? { ...o, localPath: hit.path } : o;
    });
    g.store.patch(job.key, { outputs: updated });
  }
  return { files, folder: files[0] ? dirname(files[0].path) : folder };
}

/** Streams a job's outputs (or one of them) into the job's own folder in the download folder, with its sidecar. */
export async function downloadOutputs(c: CommandContext, arg?: unknown, index?: number): Promise<void> {
  const { g } = c;
  const job = await resolveJob(
    g,
    arg,
    (j) => j.outputs.length > 0,
    vscode.l10n.t('Download the outputs of which job?'),
    vscode.l10n.t('No job has outputs to download yet.'),
  );
  if (!job) return;
  const outputs = typeof index === 'number' ? job.outputs.filter((_, i) => i === index) : job.outputs;
  if (!outputs.length)
    return void vscode.window.showInformationMessage(vscode.l10n.t('“{0}” has no outputs yet.', job.title));
  let done: Awaited<ReturnType<typeof fetchOutputs>>;
  try {
    done = await fetchOutputs(g, job, outputs);
  } catch (err) {
    return g.reportError(err, vscode.l10n.t('Download failed'));
  }
  if (!done) return;
  const { files, folder } = done;
  const reused = files.filter((f) => f.reused).length;
  const saved = files.length - reused;
  g.log.info(`Downloaded ${saved} file(s) of ${job.key} to ${folder}; ${reused} already there.`);
  const where = vscode.workspace.asRelativePath(folder);
  const reveal = vscode.l10n.t('Reveal');
  const choice = await vscode.window.showInformationMessage(savedMessage(saved, reused, where), reveal);
  if (choice === reveal && files[0])
    await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(files[0].path));
}

/** "Saved 2 files to gendeck-outputs/… (1 already there)." or "Already in …: 1 file, unchanged since the last download." */
function savedMessage(saved: number, reused: number, where: string): string {
  if (!saved)
    return reused === 1
      ? vscode.l10n.t('Already in {0}: 1 file, unchanged since the last download.', where)
      : vscode.l10n.t('Already in {0}: {1} files, unchanged since the last download.', where, reused);
  if (!reused)
    return saved === 1
      ? vscode.l10n.t('Saved 1 file to {0}.', where)
      : vscode.l10n.t('Saved {0} files to {1}.', saved, where);
  return saved === 1
    ? vscode.l10n.t('Saved 1 file to {0} ({1} already there).', where, reused)
    : vscode.l10n.t('Saved {0} files to {1} ({2} already there).', saved, where, reused);
}
