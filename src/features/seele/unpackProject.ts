import { lstat, readdir } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import * as vscode from 'vscode';
import { isAbortError, ValidationError } from '../../core/errors';
import { slugName } from '../../core/fs/safeName';
import { nameTaken, numberedName } from '../../core/fs/safeWrite';
import { extractZip } from '../../core/fs/unzip';
import { outputFile } from '../../core/jobs/download';
import { isUnpackable, type Job } from '../../core/jobs/job';
import { resolveJob } from '../../commands/util';
import type { CommandContext } from '../../commands/command';

interface Destination {
  /** The folder the project goes into, and the one it must stay inside (the workspace or the picked folder). */
  folder: string;
  root: string;
  existing: 'refuse' | 'skip';
}

/**
 * "Unpack Project": the project package of a finished Seele game, unpacked into a new folder. From the Jobs tree (the
 * job or its archive) or the palette (asks which job). Its downloaded copy is used when there, else it is fetched to a
 * temp file; the files go through core/fs/unzip.ts, which refuses anything that would land outside the folder.
 */
export async function unpackProject(c: CommandContext, arg?: unknown): Promise<void> {
  const { g } = c;
  const job = await resolveJob(
    g,
    arg,
    (j) => j.provider === 'seele' && j.outputs.some((o) => isUnpackable(j, o)),
    'Unpack the project of which Seele game?',
    'No finished Seele game has a project package yet.',
  );
  if (!job) return;
  const n = arg as { type?: string; index?: number } | undefined;
  const output =
    n?.type === 'output' && typeof n.index === 'number'
      ? job.outputs[n.index]
      : job.outputs.find((o) => isUnpackable(job, o));
  if (!output || !isUnpackable(job, output))
    return void vscode.window.showInformationMessage(
      job.status === 'succeeded'
        ? `“${job.title}” has no project package to unpack.`
        : `“${job.title}” has not finished yet; its project can be unpacked once it has.`,
    );
  let dest: Destination | undefined;
  try {
    dest = await askDestination(job);
  } catch (err) {
    return g.reportError(err, 'Unpack not started');
  }
  if (!dest) return;
  const { folder, root, existing } = dest;
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Unpacking “${job.title}”`, cancellable: true },
      async (progress, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        const zip = await outputFile(job, output, g.provider('seele').http, {
          signal: ac.signal,
          onProgress: (p) =>
            progress.report({
              message: `downloading ${megabytes(p.bytes)}${p.total ? ` of ${megabytes(p.total)}` : ''} MB`,
            }),
        });
        try {
          return await extractZip(zip.path, folder, {
            root,
            existing,
            signal: ac.signal,
            onProgress: (p) => progress.report({ message: `${p.files} of ${p.totalFiles} files: ${p.entry}` }),
          });
        } finally {
          await zip.release();
        }
      },
    );
    const where = vscode.workspace.asRelativePath(result.folder);
    const written = result.files.length;
    const skipped = result.skipped.length;
    g.log.info(`Unpacked ${written} file(s) of ${job.key} to ${result.folder}; ${skipped} already there, skipped.`);
    const inWorkspace = !!vscode.workspace.getWorkspaceFolder(vscode.Uri.file(result.folder));
    const reveal = inWorkspace ? 'Reveal in Explorer' : 'Reveal in File Manager';
    const choice = await vscode.window.showInformationMessage(
      written || !skipped
        ? `Unpacked ${plural(written)} to ${where}${skipped ? ` (${plural(skipped)} already there, left as they were)` : ''}.`
        : `Nothing new to unpack: all ${plural(skipped)} are already in ${where}.`,
      'Open Folder',
      reveal,
    );
    const uri = vscode.Uri.file(result.folder);
    if (choice === 'Open Folder')
      await vscode.commands.executeCommand('vscode.openFolder', uri, { forceNewWindow: true });
    else if (choice === reveal)
      await vscode.commands.executeCommand(inWorkspace ? 'revealInExplorer' : 'revealFileInOS', uri);
  } catch (err) {
    if (isAbortError(err))
      return void vscode.window.showInformationMessage(`Unpacking “${job.title}” was cancelled; nothing was kept.`);
    await g.reportError(err, 'Unpack failed');
  }
}

/**
 * Where the project goes: a folder inside the first workspace folder (or, without one, inside a folder the user picks),
 * asked as a relative path prefilled with a free name from the job's title. A folder that exists and is not empty is
 * never written into without asking: merge (existing files are skipped, none overwritten) or choose another.
 */
async function askDestination(job: Job): Promise<Destination | undefined> {
  const ws = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  let root = ws?.uri.fsPath;
  if (!root) {
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      openLabel: 'Unpack Here',
      title: `Unpack “${job.title}” into a new folder inside…`,
    });
    root = picked?.[0]?.fsPath;
    if (!root) return undefined;
  }
  const base = root;
  const rootName = ws?.name ?? base;
  let value = await freeName(base, slugName(job.title, `seele-${job.id}`));
  for (;;) {
    const input = await vscode.window.showInputBox({
      title: `Unpack “${job.title}”`,
      prompt: `A new folder inside ${rootName} (a relative path)`,
      value,
      ignoreFocusOut: true,
      validateInput: async (v) => {
        try {
          const state = await folderState(folderInside(base, v));
          return state === 'full'
            ? {
                message: 'This folder is not empty: you will be asked whether to merge.',
                severity: vscode.InputBoxValidationSeverity.Warning,
              }
            : undefined;
        } catch (err) {
          return (err as Error).message;
        }
      },
    });
    if (input === undefined) return undefined;
    const folder = folderInside(base, input);
    if ((await folderState(folder)) !== 'full') return { folder, root: base, existing: 'refuse' };
    const merge = 'Merge, Skipping Existing Files';
    const other = 'Choose Another Folder';
    const choice = await vscode.window.showWarningMessage(
      `${vscode.workspace.asRelativePath(folder)} already exists and is not empty.`,
      {
        modal: true,
        detail: 'Merging adds the project’s files beside what is there; a file that already exists is left as it is.',
      },
      merge,
      other,
    );
    if (choice === merge) return { folder, root: base, existing: 'skip' };
    if (choice !== other) return undefined;
    value = input;
  }
}

/** `input` resolved against `root`; a path that is empty, absolute or climbs out of `root` is refused. */
function folderInside(root: string, input: string): string {
  const v = input.trim();
  if (!v) throw new ValidationError('Enter a folder name.');
  if (isAbsolute(v) || /^[a-zA-Z]:/.test(v)) throw new ValidationError(`Enter a path relative to ${root}.`);
  const folder = resolve(root, v);
  const rel = relative(root, folder);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new ValidationError(`The folder must be inside ${root}.`);
  return folder;
}

/** `full` for a folder with something in it; a file or a link in its place is refused. */
async function folderState(folder: string): Promise<'absent' | 'empty' | 'full'> {
  const st = await lstat(folder).catch(() => undefined);
  if (!st) return 'absent';
  if (st.isSymbolicLink()) throw new ValidationError(`${folder} is a symbolic link; choose another folder.`);
  if (!st.isDirectory()) throw new ValidationError(`${folder} is a file; choose another folder.`);
  return (await readdir(folder)).length ? 'full' : 'empty';
}

/** `name`, or `name (2)` … the first that nothing in `root` has. */
async function freeName(root: string, name: string): Promise<string> {
  for (let i = 1; ; i++) {
    const candidate = numberedName(name, i);
    if (!(await nameTaken(resolve(root, candidate)))) return candidate;
  }
}

function plural(n: number): string {
  return `${n} file${n === 1 ? '' : 's'}`;
}

function megabytes(bytes: number): string {
  return (bytes / 1048576).toFixed(1);
}
