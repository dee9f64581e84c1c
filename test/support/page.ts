// Webview bundles in headless Chromium: the real dist/*.js under the same nonce-only CSP the editor uses, with a stub
// of VS Code's webview API that collects the messages a page sends in window.sent.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM = process.env.GENDECK_CHROMIUM ?? '/usr/bin/chromium';
const ROOT = join(__dirname, '..', '..', '..');
export const ORIGIN = 'https://gendeck.test';
/** Another site, as a provider page framed inside a webview would be. */
export const FRAMED_ORIGIN = 'https://provider.test';
const NONCE = 'dGVzdG5vbmNlMTIzNDU2';

function pageHtml(script: string, style: string, translations?: Record<string, string>): string {
  const csp = `default-src 'none'; img-src ${ORIGIN} https: data: blob:; media-src ${ORIGIN} https: data: blob:; connect-src ${ORIGIN} https:; frame-src ${FRAMED_ORIGIN} ${ORIGIN}; style-src ${ORIGIN} 'nonce-${NONCE}'; script-src 'nonce-${NONCE}'; worker-src blob:`;
  // The stub plays VS Code's webview API: messages to the host are collected in window.sent.
  return `<!DOCTYPE html><html><head><meta charset="UTF-8"><meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="stylesheet" href="${ORIGIN}/dist/${style}" nonce="${NONCE}">
<script nonce="${NONCE}">window.sent=[];window.acquireVsCodeApi=()=>({postMessage:(m)=>window.sent.push(m),getState:()=>undefined,setState:()=>{}});</script>
</head><body><main id="app"></main>${
    // As webview/html.ts writes VS Code's bundle into a page (webview-ui/l10n.ts reads it).
    translations
      ? `<script type="application/json" id="gendeck-l10n">${JSON.stringify(translations).replace(/</g, '\\u003c')}</script>`
      : ''
  }<script nonce="${NONCE}" src="${ORIGIN}/dist/${script}"></script></body></html>`;
}

const MIME: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.glb': 'model/gltf-binary' };

/**
 * Opens a page with the real bundle `script` and stylesheet `style`, once the page has said it is ready;
 * `translations` plays the editor in another language (the bundle VS Code would hand the host).
 */
export async function open(
  browser: Browser,
  script: string,
  style: string,
  translations?: Record<string, string>,
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  // A provider page that posts whatever the test asks it to (see forgedMessages.test.ts).
  await page.route(`${FRAMED_ORIGIN}/**`, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!DOCTYPE html><title>provider page</title>' }),
  );
  await page.route(`${ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/index.html')
      return route.fulfill({ contentType: 'text/html', body: pageHtml(script, style, translations) });
    const file = path.startsWith('/dist/')
      ? join(ROOT, path)
      : path === '/media/model.glb'
        ? join(ROOT, 'media', 'sample.glb')
        : '';
    if (!file || !existsSync(file)) return route.fulfill({ status: 404, body: '' });
    return route.fulfill({
      contentType: MIME[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream',
      body: readFileSync(file),
    });
  });
  await page.goto(`${ORIGIN}/index.html`);
  // Every page says it is ready once its script has run; only then do messages to it mean anything.
  await page.waitForFunction(() =>
    (window as unknown as { sent: { type: string }[] }).sent.some((m) => m.type === 'ready'),
  );
  return { page, errors };
}

export const sent = (page: Page) => page.evaluate(() => (window as unknown as { sent: { type: string }[] }).sent);
export const post = (page: Page, msg: unknown) => page.evaluate((m) => window.postMessage(m, '*'), msg);

/** The text of `selector` once it satisfies `expected` (a posted message renders on a later task, not at once). */
export async function textOf(page: Page, selector: string, expected: string | RegExp): Promise<string> {
  const source = typeof expected === 'string' ? { s: expected } : { re: expected.source, flags: expected.flags };
  try {
    await page.waitForFunction(
      ({ sel, e }) => {
        const t = document.querySelector(sel)?.textContent ?? '';
        return e.s !== undefined ? t === e.s : new RegExp(e.re!, e.flags).test(t);
      },
      { sel: selector, e: source as { s?: string; re?: string; flags?: string } },
      { timeout: 10_000 },
    );
  } catch {
    /* fall through: the assertion below shows what is there */
  }
  return (await page.locator(selector).first().textContent()) ?? '';
}

/** `npm test` installs Chromium first (scripts/run-tests.mjs); without one the calling tests fail, never skip. */
export function launchChromium(): Promise<Browser> {
  assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: install Debian's chromium or set GENDECK_CHROMIUM`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
}
