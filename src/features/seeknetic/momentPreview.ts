import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import type { Logger } from '../../core/log';
import { formatRange } from '../../core/search/moments';
import { nonce } from '../../webview/html';

export interface Moment {
  /** Absolute path of the video. */
  path: string;
  start: number;
  end: number;
  /** False for a file indexed whole: no range in the title. */
  ranged: boolean;
}

/**
 * Opens a search hit: a small player seeked to the moment's start. When the webview cannot play the file (a codec
 * it lacks) or the user asks, the editor's own video preview opens instead. One panel, reused.
 */
export class MomentPreview implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private current: Moment | undefined;
  /** Where the player last seeked to, seconds (the e2e test reads it through the page; kept for the log). */
  lastSeek: number | undefined;

  constructor(private readonly log: Logger) {}

  open(m: Moment): void {
    this.current = m;
    this.lastSeek = undefined;
    const title = m.ranged ? `${basename(m.path)} · ${formatRange(m.start, m.end)}` : basename(m.path);
    const roots = [vscode.Uri.file(dirname(m.path))];
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('gendeck.moment', title, vscode.ViewColumn.Active, {
        enableScripts: true,
        localResourceRoots: roots,
      });
      this.panel.onDidDispose(() => (this.panel = undefined));
      this.panel.webview.onDidReceiveMessage((msg: unknown) => this.onMessage(msg));
    } else {
      this.panel.title = title;
      this.panel.webview.options = { enableScripts: true, localResourceRoots: roots };
      this.panel.reveal();
    }
    this.panel.webview.html = this.html(this.panel.webview, m);
  }

  private onMessage(msg: unknown): void {
    const m = this.current;
    if (!m || !msg || typeof msg !== 'object') return;
    const type = (msg as { type?: unknown }).type;
    const at = (msg as { at?: unknown }).at;
    if (type === 'seeked' && typeof at === 'number' && Number.isFinite(at)) this.lastSeek = at;
    else if (type === 'fallback' || type === 'openEditor') {
      if (type === 'fallback')
        this.log.info(`The player could not play ${basename(m.path)}; opening the editor's preview.`);
      void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(m.path));
    }
  }

  private html(webview: vscode.Webview, m: Moment): string {
    const n = nonce();
    const src = webview.asWebviewUri(vscode.Uri.file(m.path)).toString();
    const esc = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
    const csp = [
      `default-src 'none'`,
      `media-src ${webview.cspSource}`,
      `style-src 'nonce-${n}'`,
      `script-src 'nonce-${n}'`,
    ].join('; ');
    const label = m.ranged
      ? vscode.l10n.t('{0}, from {1}', basename(m.path), formatRange(m.start, m.end))
      : basename(m.path);
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<style nonce="${n}">body{margin:0;padding:8px;font-family:var(--vscode-font-family);color:var(--vscode-foreground)}
video{max-width:100%;max-height:80vh;display:block;background:#000}p{margin:6px 0}
button{background:var(--vscode-button-secondaryBackground);color:var(--vscode-button-secondaryForeground);border:0;padding:4px 10px;cursor:pointer}</style>
<title>${esc(label)}</title></head>
<body>
<video id="player" controls preload="metadata" data-start="${m.start}" src="${esc(src)}" aria-label="${esc(label)}"></video>
<p id="moment">${esc(label)}</p>
<button id="editor" type="button">${esc(vscode.l10n.t('Open in the Editor’s Video Preview'))}</button>
<script nonce="${n}">
const api = acquireVsCodeApi();
const v = document.getElementById('player');
const start = Number(v.dataset.start) || 0;
v.addEventListener('loadedmetadata', () => { v.currentTime = Math.min(start, Math.max(0, v.duration - 0.05)); }, { once: true });
v.addEventListener('seeked', () => { document.body.dataset.seeked = String(v.currentTime); api.postMessage({ type: 'seeked', at: v.currentTime }); }, { once: true });
v.addEventListener('error', () => api.postMessage({ type: 'fallback' }));
document.getElementById('editor').addEventListener('click', () => api.postMessage({ type: 'openEditor' }));
</script>
</body></html>`;
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
