import * as vscode from 'vscode';
import type { ErrorAction } from './core/errors';

// Every command GenDeck contributes, as package.json names them (test/unit/commands.test.ts checks both ways).
export const COMMAND_IDS = [
  'gendeck.trySandbox',
  'gendeck.stopSandbox',
  'gendeck.setApiKey',
  'gendeck.clearApiKey',
  'gendeck.openPreview',
  'gendeck.downloadOutputs',
  'gendeck.removeJob',
  'gendeck.cancelJob',
  'gendeck.refresh',
  'gendeck.refreshJob',
  'gendeck.clearFinished',
  'gendeck.retryJob',
  'gendeck.showLog',
  'gendeck.seedancee2.newFromPrompt',
  'gendeck.seedancee2.newFromImages',
  'gendeck.seedancee2.showUsage',
  'gendeck.seekapi.runWorker',
  'gendeck.seekapi.refreshWorkers',
  'gendeck.seekapi.refreshAccount',
  'gendeck.seekapi.loadMoreWorkers',
  'gendeck.seekapi.filterWorkers',
  'gendeck.seekapi.clearWorkerFilter',
  'gendeck.seekapi.publish',
  'gendeck.seisoai.runTool',
  'gendeck.seisoai.refreshTools',
  'gendeck.seisoai.showManifest',
  'gendeck.seisoai.setWalletKey',
  'gendeck.seisoai.clearWalletKey',
  'gendeck.seisoai.choosePayment',
  'gendeck.seisoai.showReceipts',
  'gendeck.seisoai.runAgent',
  'gendeck.seisoai.showAgentAudit',
  'gendeck.seele.newFromPrompt',
  'gendeck.seele.newFromFiles',
  'gendeck.seele.addStep',
  'gendeck.seele.cancelStep',
  'gendeck.seele.openWorkspace',
  'gendeck.seele.openArtifact',
  'gendeck.seeknetic.indexVideos',
  'gendeck.seeknetic.searchVideos',
  'gendeck.seeknetic.installFfmpeg',
  'gendeck.seeknetic.locateFfmpeg',
] as const;
export type CommandId = (typeof COMMAND_IDS)[number];

/** Ids of earlier versions, still registered (not contributed) so users' keybindings keep working. */
export const RENAMED_COMMANDS: Readonly<Record<string, CommandId>> = {
  'gendeck.seedance.newFromPrompt': 'gendeck.seedancee2.newFromPrompt',
  'gendeck.seedance.newFromImages': 'gendeck.seedancee2.newFromImages',
  'gendeck.seedance.showUsage': 'gendeck.seedancee2.showUsage',
};

/** A button for an error (see reportError): a title and one of GenDeck's commands with its arguments. */
export function action(title: string, command: CommandId, ...args: unknown[]): ErrorAction {
  return { title, command, args };
}

/** Runs one of GenDeck's own commands, by a checked id. */
export function runCommand<T = unknown>(id: CommandId, ...args: unknown[]): Thenable<T | undefined> {
  return vscode.commands.executeCommand<T>(id, ...args);
}
