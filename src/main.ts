import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { registerAgents } from './agents/index';
import type { CommandContext, JobStart } from './commands/command';
import { commandHandlers } from './commands/index';
import { GenDeck } from './context';
import type { Job } from './core/jobs/job';
import type { ProviderId } from './core/providerIds';
import { PROVIDER_IDS } from './core/providers/index';
import { activateFeatures } from './features/index';
import type { ShellViews } from './shell/views';
import { AssetsLens } from './views/assetsLens';
import { EditorUi } from './views/ui';

// GenDeck's parts, loaded (its own bundle, dist/main.js) the first time the editor needs them: a view shown, a
// command run, a tool called, a manifest opened, or jobs to follow from the last session (extension.ts).

/** What the extension's `ready()` gives, for tests that drive GenDeck from inside the editor. */
export interface GenDeckApi {
  readonly g: GenDeck;
  readonly ui: EditorUi;
}

export interface Main {
  readonly api: GenDeckApi;
  /** Runs one of GenDeck's commands (every contributed id, and the renamed ones), reporting its failure. */
  run(id: string, args: unknown[]): Promise<unknown>;
  deactivate(): Promise<void>;
}

/** Wires the pieces together: services, the shared UI, the features, the commands, onto the shell's views. */
export async function start(
  context: vscode.ExtensionContext,
  output: vscode.LogOutputChannel,
  shell: ShellViews,
): Promise<Main> {
  const started = Date.now();
  // The core's messages (and the vscode-free views') go through @vscode/l10n: it gets VS Code's bundle for the
  // display language, the same one vscode.l10n.t reads (none for English, which the source strings already are).
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
  const g = new GenDeck(context, output, shell);
  const ui = new EditorUi(g);
  const reruns = new Map<ProviderId, (job: Job) => Promise<void>>();
  const starts: JobStart[] = [];
  const c: CommandContext = { g, ui, reruns, starts };
  const features = activateFeatures(c, reruns, starts);
  const handlers = commandHandlers(c, features.commands);
  context.subscriptions.push(g, ui, ...features.disposables);
  context.subscriptions.push(...registerAgents(c, { search: features.states.seeknetic?.search }));
  await g.start();
  context.subscriptions.push(new AssetsLens(g));
  await updateKeyContext(g);
  context.subscriptions.push(
    g.secrets.onDidChange(() => void updateKeyContext(g)),
    g.sandbox.onDidChange(() => void updateKeyContext(g)),
  );
  g.log.info(`Loaded in ${Date.now() - started} ms.`);
  return {
    api: { g, ui },
    run: async (id, args) => {
      const handler = handlers.get(id);
      if (!handler) throw new Error(`GenDeck has no command ${id}.`);
      return handler(...args);
    },
    // Saves the job list; the sandbox server closes with the extension but stays enabled for next time.
    deactivate: () => g.store.flush(),
  };
}

/** `gendeck.hasAnyKey` drives the welcome view shown when nothing is configured. */
async function updateKeyContext(g: GenDeck): Promise<void> {
  const has = (await Promise.all(PROVIDER_IDS.map((id) => g.secrets.has(id)))).some(Boolean);
  await vscode.commands.executeCommand('setContext', 'gendeck.hasAnyKey', has || g.sandbox.active);
}
