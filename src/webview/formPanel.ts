import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { ValidationError } from '../core/errors';
import type { MediaKind } from '../core/forms/schemaForm';
import type { Logger } from '../core/log';
import { fileToDataUri } from '../core/media/dataUri';
import { FILE_REF_PREFIX, isFileRef } from './fileRef';
import { bundlePageHtml } from './html';
import { answers, receive } from './messages';
import { FormToHost, type FileRefInfo, type FormAnswers, type FormInit, type HostToForm } from './protocol';

export const FORM_VIEW_TYPE = 'gendeck.schemaForm';

export interface SchemaFormPanelOptions {
  /** Panel title (tab). */
  title: string;
  init: Omit<FormInit, 'maxInlineBytes' | 'priced'>;
  /** Cap for a local file sent inline as a data: URI. */
  maxInlineBytes: number;
  /** The price of these values, as one line ("$0.40 (40 credits)"); the form shows it before submit. */
  price?: (input: Record<string, unknown>, signal: AbortSignal) => Promise<string>;
  /**
   * Sends the values (local files already turned into data: URIs). Returns a line for the form; throws
   * to show errors. The signal is not aborted when the panel closes: a create that was sent is left to
   * finish (and its job still lands in the Jobs view).
   */
  submit: (input: Record<string, unknown>, signal: AbortSignal) => Promise<{ message: string; close?: boolean }>;
  /** Local files the host already read, which `init.values` names by their refs (Explorer → Run … on Selection). */
  files?: HeldFile[];
  /** Called with every submit failure after it is shown in the form (notifications, alternatives …). */
  onError?: (err: unknown) => void | Promise<void>;
  /** Where a dropped (invalid) page message is noted, at debug level. */
  log: Logger;
}

/** The extensions the open dialogs offer per kind. */
export const MEDIA_FILE_EXTENSIONS: Record<MediaKind, string[]> = {
  image: ['png', 'jpg', 'jpeg', 'webp', 'gif', 'bmp', 'tif', 'tiff'],
  video: ['mp4', 'webm', 'mov', 'm4v'],
  audio: ['wav', 'mp3', 'flac', 'ogg', 'm4a'],
};

/** A local file the host read for a form: the page holds `info` (its ref and name), the host the data: URI. */
export interface HeldFile {
  uri: string;
  info: FileRefInfo;
}

/** Reads a local file for a form (size checked before reading, type sniffed) under a fresh `gendeck-file:` ref. */
export async function holdFile(uri: vscode.Uri, kinds: MediaKind[], maxBytes: number): Promise<HeldFile> {
  const data = await fileToDataUri(uri.fsPath, { kinds, maxBytes });
  const info: FileRefInfo = {
    ref: `${FILE_REF_PREFIX}${randomBytes(9).toString('hex')}`,
    name: vscode.workspace.asRelativePath(uri, false),
    bytes: data.bytes,
    kind: data.kind,
    mime: data.mime,
  };
  return { uri: data.uri, info };
}

/** A kind of media file as the file dialog names it. */
function kindText(kind: MediaKind): string {
  switch (kind) {
    case 'image':
      return vscode.l10n.t('an image');
    case 'video':
      return vscode.l10n.t('a video');
    case 'audio':
      return vscode.l10n.t('an audio file');
  }
}

/** Replaces every local-file reference with the data: URI the host holds for it. */
function resolveFiles(v: unknown, files: Map<string, { uri: string }>): unknown {
  if (isFileRef(v)) {
    const f = files.get(v);
    if (!f) throw new ValidationError(vscode.l10n.t('A chosen file is no longer available; choose it again.'));
    return f.uri;
  }
  if (Array.isArray(v)) return v.map((x) => resolveFiles(x, files));
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolveFiles(x, files)]));
  return v;
}

/** For pricing: the bytes of local files never matter, so they go as an empty data: URI. */
function withoutFiles(v: unknown, files: Map<string, { info: FileRefInfo }>): unknown {
  if (isFileRef(v)) return `data:${files.get(v)?.info.mime ?? 'application/octet-stream'};base64,`;
  if (Array.isArray(v)) return v.map((x) => withoutFiles(x, files));
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withoutFiles(x, files)]));
  return v;
}

/**
 * A webview panel with a form generated from a JSON schema: live price, local files sent as data:
 * URIs within a size cap (read by the host; the page only ever sees a reference and the file name),
 * client-side validation, and field errors from the provider shown next to their fields.
 */
export function openSchemaFormPanel(extensionUri: vscode.Uri, o: SchemaFormPanelOptions): vscode.WebviewPanel {
  const panel = vscode.window.createWebviewPanel(FORM_VIEW_TYPE, o.title, vscode.ViewColumn.Active, {
    enableScripts: true,
    // The form keeps what was typed, the price and the last status while a preview opens over it.
    retainContextWhenHidden: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')],
  });
  const files = new Map<string, HeldFile>((o.files ?? []).map((f) => [f.info.ref, f]));
  const life = new AbortController();
  let priceCall: AbortController | undefined;
  let busy = false;
  const post = (m: HostToForm) => void panel.webview.postMessage(m);
  const answer = answers<FormAnswers>(panel.webview);

  const sub = receive(panel.webview, 'form', FormToHost, o.log, async (msg) => {
    switch (msg.type) {
      case 'ready':
        return post({
          type: 'init',
          init: { ...o.init, maxInlineBytes: o.maxInlineBytes, priced: !!o.price },
          files: [...files.values()].map((f) => f.info),
        });
      case 'cancel':
        return panel.dispose();
      case 'price': {
        // A newer price request supersedes this one: its answer (an abort error) is ignored by the page.
        priceCall?.abort();
        const ac = new AbortController();
        priceCall = ac;
        const price = o.price;
        return answer.run(msg, () => {
          if (!price) throw new ValidationError(vscode.l10n.t('This form has no price.'));
          return price(
            withoutFiles(msg.values, files) as Record<string, unknown>,
            AbortSignal.any([ac.signal, life.signal]),
          );
        });
      }
      case 'pickFile':
        return answer.run(msg, async () => {
          const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
          const picked = await vscode.window.showOpenDialog({
            canSelectMany: false,
            defaultUri: folder,
            openLabel: vscode.l10n.t('Send Inline'),
            title: vscode.l10n.t(
              'Choose {0} for {1} (up to {2} MB)',
              msg.kinds.map(kindText).join(vscode.l10n.t(' or ')),
              msg.field,
              Math.round(o.maxInlineBytes / 1024 / 1024),
            ),
            filters: {
              [msg.kinds.map(kindText).join('/')]: msg.kinds.flatMap((k) => MEDIA_FILE_EXTENSIONS[k]),
              [vscode.l10n.t('All files')]: ['*'],
            },
          });
          const uri = picked?.[0];
          if (!uri) return null;
          const held = await holdFile(uri, msg.kinds, o.maxInlineBytes);
          files.set(held.info.ref, held);
          return held.info;
        });
      case 'submit': {
        if (busy) return answer.fail(msg, new ValidationError(vscode.l10n.t('The form is already being sent.')));
        busy = true;
        try {
          const input = resolveFiles(msg.values, files) as Record<string, unknown>;
          const r = await o.submit(input, new AbortController().signal);
          answer.ok(msg, r.message);
          if (r.close) panel.dispose();
        } catch (err) {
          answer.fail(msg, err);
          await o.onError?.(err);
        } finally {
          busy = false;
        }
        return;
      }
    }
  });
  panel.onDidDispose(() => {
    life.abort();
    sub.dispose();
    files.clear();
  });
  panel.webview.html = bundlePageHtml(panel.webview, extensionUri, {
    bundle: 'form',
    title: o.title,
    directives: [`img-src ${panel.webview.cspSource}`],
  });
  return panel;
}
