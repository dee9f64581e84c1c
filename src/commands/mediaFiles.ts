import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import { describeError, ValidationError } from '../core/errors';
import { planFiles, planValues } from '../core/forms/mediaFit';
import type { SchemaForm } from '../core/forms/schemaForm';
import type { Logger } from '../core/log';
import { sniffMedia } from '../core/media/dataUri';
import { mapLimit } from '../core/search/concurrency';
import { holdFile, MEDIA_FILE_EXTENSIONS, type HeldFile } from '../webview/formPanel';

/** The media files of an Explorer selection, read for a form, and the names of the selected files that are not. */
export interface MediaSelection {
  files: HeldFile[];
  skipped: string[];
}

const asUri = (v: unknown): vscode.Uri | undefined => (v instanceof vscode.Uri ? v : undefined);

/**
 * What an Explorer command got (the clicked file, then every selected one), or files from an open dialog when
 * it ran from the palette. Folders, non-local and non-media files are skipped; each media file is read inline
 * (size checked first, kind sniffed from its bytes). Undefined when the dialog was dismissed.
 */
export async function selectedMediaFiles(
  clicked: unknown,
  selected: unknown,
  o: { title: string; maxBytes: number },
): Promise<MediaSelection | undefined> {
  const many = Array.isArray(selected) ? selected.map(asUri).filter((u): u is vscode.Uri => !!u) : [];
  const one = asUri(clicked);
  let uris = many.length ? many : one ? [one] : undefined;
  if (!uris) {
    uris = await vscode.window.showOpenDialog({
      canSelectMany: true,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      openLabel: vscode.l10n.t('Use These Files'),
      title: o.title,
      filters: {
        [vscode.l10n.t('Images, video, audio')]: Object.values(MEDIA_FILE_EXTENSIONS).flat(),
        [vscode.l10n.t('All files')]: ['*'],
      },
    });
    if (!uris?.length) return undefined;
  }
  const files: HeldFile[] = [];
  const skipped: string[] = [];
  for (const uri of uris) {
    const name = vscode.workspace.asRelativePath(uri, false);
    const isFile = uri.scheme === 'file' && (await stat(uri.fsPath).catch(() => undefined))?.isFile();
    const sniffed = isFile ? await sniffMedia(uri.fsPath).catch(() => undefined) : undefined;
    if (!sniffed) skipped.push(name);
    else files.push(await holdFile(uri, [sniffed.kind], o.maxBytes));
  }
  if (!files.length) {
    const what =
      'an image, video or audio file GenDeck can send (PNG, JPEG, WebP, GIF, BMP, TIFF, MP4, WebM, MOV, WAV, MP3, FLAC, OGG, M4A)';
    throw new ValidationError(
      skipped.length === 1 ? `${skipped[0]} is not ${what}.` : `None of the selected files is ${what}.`,
    );
  }
  return { files, skipped };
}

/** A form's values naming the selected files by ref, the files they name, and what the form should say about it. */
export interface PrefilledFiles {
  values: Record<string, string | string[]>;
  files: HeldFile[];
  notes: string[];
}

/**
 * Puts the selected files into the form's fields (core/forms/mediaFit.ts `planFiles`), asking which file goes into a
 * field when there are more files of its kind than fields for them. Undefined when a question was dismissed.
 */
export async function fillFromSelection(
  form: SchemaForm,
  sel: MediaSelection,
  what: string,
): Promise<PrefilledFiles | undefined> {
  const kinds = sel.files.map((f) => f.info.kind);
  const name = (i: number) => sel.files[i].info.name;
  const label = (field: string) => form.fields.find((f) => f.name === field)?.label ?? field;
  const picks: Record<string, number> = {};
  let plan = planFiles(form, kinds, picks);
  while ('ask' in plan) {
    const { field, kind, candidates } = plan.ask;
    const pick = await vscode.window.showQuickPick(
      candidates.map((i) => ({ label: name(i), description: sel.files[i].info.mime, file: i })),
      {
        title: vscode.l10n.t('{0} takes one {1} in {2}', what, kind, field.label),
        placeHolder: vscode.l10n.t('Which {0} goes into {1}?', kind, field.label),
      },
    );
    if (!pick) return undefined;
    picks[field.name] = pick.file;
    plan = planFiles(form, kinds, picks);
  }
  const filled = Object.entries(plan.fill).map(
    ([field, v]) => `${label(field)} ← ${(Array.isArray(v) ? v : [v]).map(name).join(', ')}`,
  );
  const notes = [`From your selection: ${filled.join('; ')}.`];
  if (plan.unused.length)
    notes.push(`Not used: ${plan.unused.map((u) => `${name(u.file)} (${u.reason})`).join(', ')}.`);
  if (sel.skipped.length) notes.push(`Left out (not an image, video or audio file): ${sel.skipped.join(', ')}.`);
  const used = new Set(Object.values(plan.fill).flat());
  return {
    values: planValues(plan.fill, (i) => sel.files[i].info.ref),
    files: sel.files.filter((_, i) => used.has(i)),
    notes,
  };
}

/**
 * Each item's details, `limit` at a time; one that cannot be read is logged (`what` names the detail) and named in
 * `unread`, the others are kept. Cancelling stops it all.
 */
export async function readEach<T extends { id: string; name: string }, D>(
  items: T[],
  read: (item: T) => Promise<D>,
  o: { limit: number; signal: AbortSignal; log: Logger; label: string; what: string },
): Promise<{ read: D[]; unread: string[] }> {
  const unread: string[] = [];
  const details = await mapLimit(
    items,
    o.limit,
    async (item) => {
      try {
        return await read(item);
      } catch (err) {
        if (o.signal.aborted) throw err;
        o.log.warn(`${o.label} ${item.id}: ${o.what} not read (${describeError(err)})`);
        unread.push(item.name);
        return undefined;
      }
    },
    o.signal,
  );
  return { read: details.filter((d): d is NonNullable<D> => d !== undefined), unread };
}
