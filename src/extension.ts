import { join } from 'node:path';
import * as vscode from 'vscode';
import { RENAMED_COMMANDS } from './commandIds';
import { stateDir } from './core/fs/stateDir';
import { listHasActiveJobs } from './core/jobs/status';
import type { GenDeckApi, Main } from './main';
import { JOBS_MIGRATED, ShellViews, type ExtensionManifest } from './shell/views';

// The shell: what activation builds is only stand-ins for GenDeck's commands, views, tools and lens (shell/), so the
// editor starts without paying for GenDeck. Its parts (main.ts, their own bundle) load on first use, or at once
// when the job list holds jobs still to follow (polling resumes at start-up).

let loaded: Promise<Main> | undefined;

/** What activate() returns: `ready()` loads GenDeck's parts (if need be), for tests inside the editor. */
export interface GenDeckShellApi {
  ready(): Promise<GenDeckApi>;
}

export function activate(context: vscode.ExtensionContext): GenDeckShellApi {
  const started = performance.now();
  const output = vscode.window.createOutputChannel('GenDeck', { log: true });
  const load = (): Promise<Main> => (loaded ??= loadMain(context, output, views));
  const views = new ShellViews(context.extension.packageJSON as ExtensionManifest, load);
  const manifest = context.extension.packageJSON as ExtensionManifest;
  const ids = [...(manifest.contributes.commands ?? []).map((c) => c.command), ...Object.keys(RENAMED_COMMANDS)];
  context.subscriptions.push(
    output,
    views,
    ...ids.map((id) => vscode.commands.registerCommand(id, async (...args: unknown[]) => (await load()).run(id, args))),
  );
  // An earlier version's job list still to bring in is brought in (and followed) now too.
  if (!context.globalState.get<boolean>(JOBS_MIGRATED)) void load();
  else
    void listHasActiveJobs(join(stateDir(), 'jobs.json')).then((active) => {
      if (active) void load();
    });
  output.info(`Activated in ${(performance.now() - started).toFixed(1)} ms.`);
  return { ready: async () => (await load()).api };
}

async function loadMain(
  context: vscode.ExtensionContext,
  output: vscode.LogOutputChannel,
  views: ShellViews,
): Promise<Main> {
  try {
    // Its own bundle (dist/main.js), so activation reads none of it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const main = require('./main') as typeof import('./main');
    return await main.start(context, output, views);
  } catch (err) {
    output.error(`GenDeck did not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('GenDeck did not start. See the GenDeck log for why.'));
    throw err;
  }
}

/** Saves the job list if GenDeck was loaded. */
export async function deactivate(): Promise<void> {
  await (await loaded?.catch(() => undefined))?.deactivate();
}
