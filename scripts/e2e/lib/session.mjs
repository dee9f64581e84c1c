// One e2e "session": fresh code-server folders, extensions installed from VSIX, server started, browser on the workbench.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDirs, installExtension, startCodeServer } from './codeserver.mjs';
import { launchBrowser } from './browser.mjs';
import { Workbench } from './workbench.mjs';

/**
 * @param {object} o
 * @param {string} o.name       instance name (folder under TMP and LOGS)
 * @param {string[]} o.vsix     VSIX files to install
 * @param {object} [o.settings] extra user settings
 * @param {object} [o.machineSettings] remote Machine settings (where code-server reads machine-scoped ones)
 * @param {object} [o.env]      extra environment for code-server (inherited by the extension host)
 * @param {Record<string,string>} [o.files] files to create in the workspace folder
 */
export async function openSession(ctx, { name, vsix, settings = {}, machineSettings = {}, env = {}, files = {} }) {
  const root = join(ctx.TMP, name);
  const logs = join(ctx.LOGS, name);
  mkdirSync(logs, { recursive: true });
  const dirs = makeDirs(root, settings, machineSettings);
  for (const [rel, content] of Object.entries(files)) {
    const p = join(dirs.workspace, rel);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, content);
  }
  const installs = [];
  for (const v of vsix) installs.push(installExtension(dirs, v, join(logs, 'install-extension.log')));
  const server = await startCodeServer(dirs, { env, logFile: join(logs, 'code-server.log') });
  ctx.onCleanup(() => server.stop());
  const browser = await launchBrowser(root, { logFile: join(logs, 'browser.log') });
  ctx.onCleanup(() => browser.close());
  const wb = new Workbench(browser.page, server.url);
  return { dirs, logs, server, browser, wb, page: browser.page, installs };
}
