// Headless Debian Chromium driven by playwright-core, with a fresh profile per launch.
import { mkdirSync, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM } from './paths.mjs';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
  '--autoplay-policy=no-user-gesture-required',
];

/** Launches Chromium with a fresh --user-data-dir under `root`; logs console/page errors to `logFile`. */
export async function launchBrowser(root, { logFile, viewport = { width: 1440, height: 900 } } = {}) {
  const profile = join(root, 'chromium-profile');
  mkdirSync(profile, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport,
    timeout: 60_000,
    // Copy and paste as a user does: the workbench writes and reads the browser's clipboard.
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const log = createWriteStream(logFile || join(root, 'browser.log'), { flags: 'a' });
  const attach = (page) => {
    page.on('console', (m) => log.write(`[console.${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => log.write(`[pageerror] ${e.stack || e.message}\n`));
    page.on('crash', () => log.write('[crash] page crashed\n'));
    page.on('requestfailed', (r) => {
      const f = r.failure()?.errorText || '';
      if (!/ERR_ABORTED/.test(f)) log.write(`[requestfailed] ${r.url()} ${f}\n`);
    });
  };
  context.pages().forEach(attach);
  context.on('page', attach);
  const page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(20_000);
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => {});
      log.end();
    },
  };
}
