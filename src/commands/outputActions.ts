import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import * as vscode from 'vscode';
import type { GenDeck } from '../context';
import { ValidationError } from '../core/errors';
import { createExclusive, ensureFolderInside } from '../core/fs/safeWrite';
import type { Job, JobOutput } from '../core/jobs/job';
import { referenceFor, referenceStyle } from '../core/media/reference';
import type { CommandContext } from './command';
import { fetchOutputs } from './downloadOutputs';

const SAVE_AS_FOLDER = 'gendeck.saveAsFolder';

/** The job and output an output node (or `{key, index}`) names. */
function outputOf(g: GenDeck, arg: unknown): { job: Job; output: JobOutput } | undefined {
  const n = arg as { key?: unknown; index?: unknown } | undefined;
  const job = typeof n?.key === 'string' ? g.store.get(n.key) : undefined;
  const output = job && typeof n?.index === 'number' ? job.outputs[n.index] : undefined;
  return job && output ? { job, output } : undefined;
}

/** The output's file on disk: its earlier download when still there, else downloaded now into the job's folder. */
async function localCopy(g: GenDeck, arg: unknown): Promise<{ path: string; job: Job; output: JobOutput } | undefined> {
  const hit = outputOf(g, arg);
  if (!hit) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Choose an output of a job in the GenDeck Jobs view.'));
    return undefined;
  }
  const { job, output } = hit;
  const known = output.localPath && (await lstat(output.localPath).catch(() => undefined));
  if (output.localPath && known && known.isFile()) return { path: output.localPath, job, output };
  const done = await fetchOutputs(g, job, [output]);
  const path = done?.files[0]?.path;
  return path ? { path, job, output } : undefined;
}

/** `path` relative to the workspace folder it is in, with forward slashes; absolute when in none. */
function workspacePath(path: string): string {
  return vscode.workspace.asRelativePath(vscode.Uri.file(path), false);
}

/** The reference to `path` for the active editor: in its language, relative to its file (else the workspace). */
function referenceIn(editor: vscode.TextEditor | undefined, path: string, output: JobOutput, job: Job): string {
  const doc = editor?.document;
  const from = doc?.uri.scheme === 'file' ? dirname(doc.uri.fsPath) : undefined;
  const rel = from ? relative(from, path) : workspacePath(path);
  const style = referenceStyle(doc?.languageId);
  return referenceFor(output.kind, isAbsolute(rel) ? rel : rel || basename(path), style, output.label ?? job.title);
}

export async function copyOutputPath({ g }: CommandContext, arg?: unknown): Promise<void> {
  const local = await localCopy(g, arg);
  if (!local) return;
  const text = workspacePath(local.path);
  await vscode.env.clipboard.writeText(text);
  void vscode.window.setStatusBarMessage(vscode.l10n.t('GenDeck: copied {0}', text), 4000);
}

export async function copyOutputReference({ g }: CommandContext, arg?: unknown): Promise<void> {
  const local = await localCopy(g, arg);
  if (!local) return;
  const text = referenceIn(vscode.window.activeTextEditor, local.path, local.output, local.job);
  await vscode.env.clipboard.writeText(text);
  void vscode.window.setStatusBarMessage(vscode.l10n.t('GenDeck: copied {0}', text), 4000);
}

export async function insertOutputReference({ g }: CommandContext, arg?: unknown): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor)
    throw new ValidationError(
      vscode.l10n.t('Open the file to insert into, put the cursor where it goes, and try again.'),
    );
  const local = await localCopy(g, arg);
  if (!local) return;
  const text = referenceIn(editor, local.path, local.output, local.job);
  const ok = await editor.edit((e) => editor.selections.forEach((s) => e.replace(s, text)));
  if (!ok) throw new Error(vscode.l10n.t('The editor did not take the insertion (it may be read-only).'));
}

export async function revealOutput({ g }: CommandContext, arg?: unknown): Promise<void> {
  const local = await localCopy(g, arg);
  if (local) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(local.path));
}

/**
 * Copies the output to a file the user names, starting in the folder used last (else the workspace). Inside a
 * workspace folder the target folder must be a real folder there, no link on the way; the copy goes to a new temp
 * file beside the target and is renamed over it, so a link at the target is replaced, never written through.
 */
export async function saveOutputAs({ g }: CommandContext, arg?: unknown): Promise<void> {
  const local = await localCopy(g, arg);
  if (!local) return;
  const last = g.context.workspaceState.get<string>(SAVE_AS_FOLDER);
  const start = last ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const picked = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(start ? join(start, basename(local.path)) : local.path),
    saveLabel: vscode.l10n.t('Save Output'),
    title: vscode.l10n.t('Save “{0}” as', local.output.label ?? basename(local.path)),
  });
  if (!picked) return;
  if (picked.scheme !== 'file') throw new ValidationError(vscode.l10n.t('GenDeck saves outputs to local files only.'));
  const dest = picked.fsPath;
  const ws = vscode.workspace.getWorkspaceFolder(picked);
  const dir = ws ? await ensureFolderInside(ws.uri.fsPath, dirname(dest)) : dirname(dest);
  const target = join(dir, basename(dest));
  if (target === local.path) return;
  const tmp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const fh = await createExclusive(tmp);
  try {
    await pipeline(createReadStream(local.path), fh.createWriteStream());
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await g.context.workspaceState.update(SAVE_AS_FOLDER, dir);
  g.log.info(`Saved ${local.job.key} output to ${target}.`);
  const reveal = vscode.l10n.t('Reveal');
  const open = await vscode.window.showInformationMessage(vscode.l10n.t('Saved {0}.', workspacePath(target)), reveal);
  if (open === reveal) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(target));
}
