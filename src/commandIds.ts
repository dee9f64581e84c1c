import * as vscode from 'vscode';
import type { ErrorAction } from './core/errors';
import type { ProviderId } from './core/providerIds';

// Every command GenDeck contributes, typed: the shared ones listed here, each feature's added from its own folder.
// test/unit/commands.test.ts checks the registered set against package.json both ways.

/** The commands every provider shares (commands/index.ts registers them). */
export const SHARED_COMMAND_IDS = [
  'gendeck.newJob',
  'gendeck.trySandbox',
  'gendeck.stopSandbox',
  'gendeck.setApiKey',
  'gendeck.clearApiKey',
  'gendeck.openPreview',
  'gendeck.downloadOutputs',
  'gendeck.saveOutputAs',
  'gendeck.copyOutputPath',
  'gendeck.copyOutputReference',
  'gendeck.insertOutputReference',
  'gendeck.revealOutput',
  'gendeck.removeJob',
  'gendeck.cancelJob',
  'gendeck.refresh',
  'gendeck.refreshJob',
  'gendeck.clearFinished',
  'gendeck.sortJobs',
  'gendeck.retryJob',
  'gendeck.showLog',
  'gendeck.openBudgetSettings',
  'gendeck.planAssets',
  'gendeck.generateAssets',
  'gendeck.pickAssetVariant',
  'gendeck.forgetAssetRequest',
  'gendeck.adoptAssetJob',
] as const;

/**
 * Each feature's commands, each mapped to its provider id, added by the feature itself (declaration merging):
 * `declare module '../../commandIds' { interface FeatureCommandIds { 'gendeck.x.run': 'x' } }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by declaration merging
export interface FeatureCommandIds {}

/** The command ids one provider's feature registers, all of them. */
export type FeatureCommandIdsOf<P extends ProviderId> = {
  [K in keyof FeatureCommandIds]: FeatureCommandIds[K] extends P ? K : never;
}[keyof FeatureCommandIds];

export type SharedCommandId = (typeof SHARED_COMMAND_IDS)[number];
export type CommandId = SharedCommandId | keyof FeatureCommandIds;

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
