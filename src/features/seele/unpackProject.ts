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
    vscode.l10n.t('Unpack the project of which Seele game?'),
    vscode.l10n.t('No finished Seele game has a project package yet.'),
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
        ? vscode.l10n.t('“{0}” has no project package to unpack.', job.title)
        : vscode.l10n.t('“{0}” has not finished yet; its project can be unpacked once it has.', job.title),
    );
  let dest: Destination | undefined;
  try {
    dest = await askDestination(job);
  } catch (err) {
    return g.reportError(err, vscode.l10n.t('Unpack not started'));
  }
  if (!dest) return;
  const { folder, root, existing } = dest;
  try {
    const result = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Unpacking “{0}”', job.title),
        cancellable: true,
      },
      async (progress, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => ac.abort());
        const zip = await outputFile(job, output, g.provider('seele').http, {
          signal: ac.signal,
          onProgress: (p) =>
            progress.report({
              message: p.total
                ? vscode.l10n.t('downloading {0} of {1} MB', megabytes(p.bytes), megabytes(p.total))
                : vscode.l10n.t('downloading {0} MB', megabytes(p.bytes)),
            }),
        });
        try {
          return await extractZip(zip.path, folder, {
            root,
            existing,
            signal: ac.signal,
            onProgress: (p) =>
              progress.report({ message: vscode.l10n.t('{0} of {1} files: {2}', p.files, p.totalFiles, p.entry) }),
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
    const reveal = inWorkspace ? vscode.l10n.t('Reveal in Explorer') : vscode.l10n.t('Reveal in File Manager');
    const open = vscode.l10n.t('Open Folder');
    const choice = await vscode.window.showInformationMessage(
      written || !skipped
        ? skipped
          ? vscode.l10n.t(
              'Unpacked {0} to {1} ({2} already there, left as they were).',
              plural(written),
              where,
              plural(skipped),
            )
          : vscode.l10n.t('Unpacked {0} to {1}.', plural(written), where)
        : vscode.l10n.t('Nothing new to unpack: all {0} are already in {1}.', plural(skipped), where),
      open,
      reveal,
    );
    const uri = vscode.Uri.file(result.folder);
    if (choice === open) await vscode.commands.executeCommand('vscode.openFolder', uri, { forceNewWindow: true });
    else if (choice === reveal)
      await vscode.commands.executeCommand(inWorkspace ? 'revealInExplorer' : 'revealFileInOS', uri);
  } catch (err) {
    if (isAbortError(err))
      return void vscode.window.showInformationMessage(
        vscode.l10n.t('Unpacking “{0}” was cancelled; nothing was kept.', job.title),
      );
    await g.reportError(err, vscode.l10n.t('Unpack failed'));
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
      openLabel: vscode.l10n.t('Unpack Here'),
      title: vscode.l10n.t('Unpack “{0}” into a new folder inside…', job.title),
    });
    root = picked?.[0]?.fsPath;
    if (!root) return undefined;
  }
  const base = root;
  const rootName = ws?.name ?? base;
  let value = await freeName(base, slugName(job.title, `seele-${job.id}`));
  for (;;) {
    const input = await vscode.window.showInputBox({
      title: vscode.l10n.t('Unpack “{0}”', job.title),
      prompt: vscode.l10n.t('A new folder inside {0} (a relative path)', rootName),
      value,
      ignoreFocusOut: true,
      validateInput: async (v) => {
        try {
          const state = await folderState(folderInside(base, v));
          return state === 'full'
            ? {
                message: vscode.l10n.t('This folder is not empty: you will be asked whether to merge.'),
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
    const merge = vscode.l10n.t('Merge, Skipping Existing Files');
    const other = vscode.l10n.t('Choose Another Folder');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('{0} already exists and is not empty.', vscode.workspace.asRelativePath(folder)),
      {
        modal: true,
        detail: vscode.l10n.t(
          'Merging adds the project’s files beside what is there; a file that already exists is left as it is.',
        ),
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
  if (!v) throw new ValidationError(vscode.l10n.t('Enter a folder name.'));
  if (isAbsolute(v) || /^[a-zA-Z]:/.test(v))
    throw new ValidationError(vscode.l10n.t('Enter a path relative to {0}.', root));
  const folder = resolve(root, v);
  const rel = relative(root, folder);
  if (rel.startsWith('..') || isAbsolute(rel))
    throw new ValidationError(vscode.l10n.t('The folder must be inside {0}.', root));
  return folder;
}

/** `full` for a folder with something in it; a file or a link in its place is refused. */
async function folderState(folder: string): Promise<'absent' | 'empty' | 'full'> {
  const st = await lstat(folder).catch(() => undefined);
  if (!st) return 'absent';
  if (st.isSymbolicLink())
    throw new ValidationError(vscode.l10n.t('{0} is a symbolic link; choose another folder.', folder));
  if (!st.isDirectory()) throw new ValidationError(vscode.l10n.t('{0} is a file; choose another folder.', folder));
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
  return n === 1 ? vscode.l10n.t('1 file') : vscode.l10n.t('{0} files', n);
}

function megabytes(bytes: number): string {
  return (bytes / 1048576).toFixed(1);
}
