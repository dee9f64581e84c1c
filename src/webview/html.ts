import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function nonce(): string {
  return randomBytes(18).toString('base64');
}

/**
 * The preview page: a static shell plus the bundled script; every provider value arrives later by
 * postMessage and is written with textContent. Scripts run only with the nonce.
 */
export function previewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, o: { mediaOrigins: string[]; frameOrigins: string[]; title: string }): string {
  const n = nonce();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.css'));
  const media = [webview.cspSource, 'https:', 'data:', 'blob:', ...o.mediaOrigins].join(' ');
  const csp = [
    `default-src 'none'`,
    `img-src ${media}`,
    `media-src ${media}`,
    `connect-src ${webview.cspSource} https: ${o.mediaOrigins.join(' ')}`,
    `style-src ${webview.cspSource} 'nonce-${n}'`,
    `script-src 'nonce-${n}'`,
    `font-src ${webview.cspSource}`,
    `frame-src ${o.frameOrigins.length ? o.frameOrigins.join(' ') : `'none'`}`,
    `worker-src blob:`,
  ].join('; ');
  const title = o.title.replace(/[<>&"']/g, '');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}" nonce="${n}">
<title>${title}</title>
</head>
<body>
<main id="app" aria-live="polite"><p class="muted">Loading…</p></main>
<script nonce="${n}" src="${script}"></script>
</body>
</html>`;
}
