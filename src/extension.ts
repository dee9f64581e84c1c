import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { registerAgents } from './agents/index';
import type { CommandContext, JobStart } from './commands/command';
import { registerCommands } from './commands/index';
import { GenDeck } from './context';
import type { Job } from './core/jobs/job';
import type { ProviderId } from './core/providerIds';
import { PROVIDER_IDS } from './core/providers/index';
import { activateFeatures } from './features/index';
import { AssetsLens } from './views/assetsLens';
import { EditorUi } from './views/ui';

let deck: GenDeck | undefined;

/** What activate() returns, for tests that drive the extension from inside the editor. */
export interface GenDeckApi {
  readonly g: GenDeck;
  readonly ui: EditorUi;
}

/** Wires the pieces together: services, the shared UI, the features, the commands. */
export async function activate(context: vscode.ExtensionContext): Promise<GenDeckApi> {
  const started = Date.now();
  // The core's messages (and the vscode-free views') go through @vscode/l10n: it gets VS Code's bundle for the
  // display language, the same one vscode.l10n.t reads (none for English, which the source strings already are).
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
  const output = vscode.window.createOutputChannel('GenDeck', { log: true });
  const g = new GenDeck(context, output);
  deck = g;
  const ui = new EditorUi(g);
  const reruns = new Map<ProviderId, (job: Job) => Promise<void>>();
  const starts: JobStart[] = [];
  const c: CommandContext = { g, ui, reruns, starts };
  const features = activateFeatures(c, reruns, starts);
  context.subscriptions.push(output, g, ui, ...features.disposables, ...registerCommands(c, features.commands));
  context.subscriptions.push(...registerAgents(c, { search: features.states.seeknetic?.search }));
  await g.start();
  context.subscriptions.push(new AssetsLens(g));
  await updateKeyContext(g);
  context.subscriptions.push(
    g.secrets.onDidChange(() => void updateKeyContext(g)),
    g.sandbox.onDidChange(() => void updateKeyContext(g)),
  );
  g.log.info(`Activated in ${Date.now() - started} ms.`);
  return { g, ui };
}

/** `gendeck.hasAnyKey` drives the welcome view shown when nothing is configured. */
async function updateKeyContext(g: GenDeck): Promise<void> {
  const has = (await Promise.all(PROVIDER_IDS.map((id) => g.secrets.has(id)))).some(Boolean);
  await vscode.commands.executeCommand('setContext', 'gendeck.hasAnyKey', has || g.sandbox.active);
}

/** Saves the job list; the sandbox server closes with the extension but stays enabled for next time. */
export async function deactivate(): Promise<void> {
  await deck?.store.flush();
}
