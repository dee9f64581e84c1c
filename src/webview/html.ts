import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function nonce(): string {
  return randomBytes(18).toString('base64');
}

/**
 * A static page shell that loads `dist/<bundle>.js` and `dist/<bundle>.css`; every provider value
 * arrives later by postMessage and is written with textContent. Scripts run only with the nonce.
 * `directives` are the CSP entries beyond default-src, style-src, script-src and font-src.
 */
export function bundlePageHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  o: { bundle: string; title: string; directives?: string[]; live?: boolean },
): string {
  const n = nonce();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', `${o.bundle}.js`));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', `${o.bundle}.css`));
  const csp = [
    `default-src 'none'`,
    ...(o.directives ?? []),
    `style-src ${webview.cspSource} 'nonce-${n}'`,
    `script-src 'nonce-${n}'`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  const title = o.title.replace(/[<>&"']/g, '');
  // The page is in the editor's language only when GenDeck has a translation for it (a bundle), else English.
  const lang = (vscode.l10n.bundle && vscode.env.language.replace(/[^A-Za-z0-9-]/g, '')) || 'en';
  const loading = vscode.l10n.t('Loading…').replace(/[<>&"']/g, '');
  // The translations for the page's own strings (webview-ui/l10n.ts reads them); none in English. Data, not script:
  // it never runs, and `<` is escaped so nothing in it can close the element.
  const translations = vscode.l10n.bundle
    ? `<script type="application/json" id="gendeck-l10n" nonce="${n}">${JSON.stringify(vscode.l10n.bundle).replace(/</g, '\\u003c')}</script>\n`
    : '';
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}" nonce="${n}">
<title>${title}</title>
</head>
<body>
<main id="app"${o.live ? ' aria-live="polite"' : ''}><p class="muted">${loading}</p></main>
${translations}<script nonce="${n}" src="${script}"></script>
</body>
</html>`;
}

/** The preview page: media from the job's origins, frames only from the origins `mayFrame` allowed. */
export function previewHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  o: { mediaOrigins: string[]; frameOrigins: string[]; title: string },
): string {
  const media = [webview.cspSource, 'https:', 'data:', 'blob:', ...o.mediaOrigins].join(' ');
  return bundlePageHtml(webview, extensionUri, {
    bundle: 'webview',
    title: o.title,
    live: true,
    directives: [
      `img-src ${media}`,
      `media-src ${media}`,
      `connect-src ${webview.cspSource} https: ${o.mediaOrigins.join(' ')}`,
      `frame-src ${o.frameOrigins.length ? o.frameOrigins.join(' ') : `'none'`}`,
      `worker-src blob:`,
    ],
  });
}
