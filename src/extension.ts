import { access } from 'node:fs/promises';
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

let shell: Shell | undefined;

/** What activate() returns: `ready()` loads GenDeck's parts (if need be), for tests inside the editor. */
export interface GenDeckShellApi {
  ready(): Promise<GenDeckApi>;
}

export function activate(context: vscode.ExtensionContext): GenDeckShellApi {
  const started = performance.now();
  const output = vscode.window.createOutputChannel('GenDeck', { log: true });
  context.subscriptions.push(output);
  shell = startShell(context, (views) => loadMain(context, output, views));
  output.info(`Activated in ${(performance.now() - started).toFixed(1)} ms.`);
  return { ready: async () => (await shell!.load()).api };
}

export interface Shell {
  /** Loads GenDeck's parts, once. */
  load(): Promise<Main>;
  /** Whether the parts were loaded at start-up (jobs to follow, or an earlier job list to bring in). */
  readonly startUp: Promise<boolean>;
  /** The parts, if they were loaded. */
  loaded(): Promise<Main> | undefined;
}

/** Registers the stand-ins, and loads the parts at once when there is work left from the last session. */
export function startShell(
  context: vscode.ExtensionContext,
  loadParts: (views: ShellViews) => Promise<Main>,
  jobList = join(stateDir(), 'jobs.json'),
): Shell {
  let loading: Promise<Main> | undefined;
  const load = (): Promise<Main> => (loading ??= loadParts(views));
  const manifest = context.extension.packageJSON as ExtensionManifest;
  const views = new ShellViews(manifest, load);
  const ids = [...(manifest.contributes.commands ?? []).map((c) => c.command), ...Object.keys(RENAMED_COMMANDS)];
  context.subscriptions.push(
    views,
    ...ids.map((id) => vscode.commands.registerCommand(id, async (...args: unknown[]) => (await load()).run(id, args))),
  );
  // An earlier version's job list still to bring in is brought in (and followed) now too. Both are read
  // asynchronously, so the parts never load inside activate() itself.
  const earlierList = join(context.globalStorageUri.fsPath, 'jobs.json');
  const startUp = (async () => {
    const now =
      (!context.globalState.get<boolean>(JOBS_MIGRATED) && (await exists(earlierList))) ||
      (await listHasActiveJobs(jobList));
    if (now) load().catch(() => undefined);
    return now;
  })();
  return { load, startUp, loaded: () => loading };
}

function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
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
  await (await shell?.loaded()?.catch(() => undefined))?.deactivate();
}
