import * as vscode from 'vscode';
import { RENAMED_COMMANDS, type CommandId, type SharedCommandId } from '../commandIds';
import {
  adoptAssetJobCommand,
  forgetAssetRequestCommand,
  generateAssetsCommand,
  pickAssetVariantCommand,
  planAssetsCommand,
} from './assets';
import type { Command, CommandContext } from './command';
import { downloadOutputs } from './downloadOutputs';
import { cancelJob, clearFinished, refreshJobs, removeJob } from './jobActions';
import { openBudgetSettings } from './openBudgetSettings';
import { openPreview } from './openPreview';
import {
  copyOutputPath,
  copyOutputReference,
  insertOutputReference,
  revealOutput,
  saveOutputAs,
} from './outputActions';
import { newJob } from './newJob';
import { retryJob } from './retryJob';
import { sortJobs } from './sortJobs';
import { clearApiKey, setApiKey } from './setApiKey';
import { stopSandbox, trySandbox } from './trySandbox';

/** The commands every provider shares (the Jobs view, keys, the sandbox); each feature brings its own. */
export const SHARED_COMMANDS: { readonly [K in SharedCommandId]: Command } = {
  'gendeck.newJob': newJob,
  'gendeck.trySandbox': trySandbox,
  'gendeck.stopSandbox': stopSandbox,
  'gendeck.setApiKey': setApiKey,
  'gendeck.clearApiKey': clearApiKey,
  'gendeck.openPreview': openPreview,
  'gendeck.downloadOutputs': (c, arg, index) =>
    downloadOutputs(c, arg, typeof index === 'number' ? index : outputIndex(arg)),
  'gendeck.saveOutputAs': saveOutputAs,
  'gendeck.copyOutputPath': copyOutputPath,
  'gendeck.copyOutputReference': copyOutputReference,
  'gendeck.insertOutputReference': insertOutputReference,
  'gendeck.revealOutput': revealOutput,
  'gendeck.removeJob': (c, arg, selected) => removeJob(c, arg, Array.isArray(selected) ? selected : undefined),
  'gendeck.cancelJob': cancelJob,
  'gendeck.refresh': (c) => refreshJobs(c),
  'gendeck.refreshJob': refreshJobs,
  'gendeck.clearFinished': clearFinished,
  'gendeck.sortJobs': sortJobs,
  'gendeck.retryJob': retryJob,
  'gendeck.showLog': ({ g }) => g.output.show(),
  'gendeck.openBudgetSettings': openBudgetSettings,
  'gendeck.planAssets': planAssetsCommand,
  'gendeck.generateAssets': generateAssetsCommand,
  'gendeck.pickAssetVariant': pickAssetVariantCommand,
  'gendeck.forgetAssetRequest': forgetAssetRequestCommand,
  'gendeck.adoptAssetJob': adoptAssetJobCommand,
};

/** An output node in the Jobs view downloads just that output. */
function outputIndex(arg: unknown): number | undefined {
  const n = arg as { type?: string; index?: unknown } | undefined;
  return n?.type === 'output' && typeof n.index === 'number' ? n.index : undefined;
}

/**
 * Every command (shared and the features'), and the renamed ids of earlier versions, each reporting its own failure
 * (the shell registered every id at activation and runs these).
 */
export function commandHandlers(
  c: CommandContext,
  featureCommands: ReadonlyMap<CommandId, Command>,
): ReadonlyMap<string, (...args: unknown[]) => Promise<unknown>> {
  const all = new Map<CommandId, Command>(Object.entries(SHARED_COMMANDS) as [CommandId, Command][]);
  for (const [id, fn] of featureCommands) {
    if (all.has(id)) throw new Error(`Command ${id} is registered twice.`);
    all.set(id, fn);
  }
  const handler =
    (id: string, fn: Command) =>
    async (...args: unknown[]): Promise<unknown> => {
      try {
        return await fn(c, ...args);
      } catch (err) {
        await c.g.reportError(err, vscode.l10n.t('GenDeck: {0} failed', id.replace(/^gendeck\./, '')));
      }
    };
  const out = new Map([...all].map(([id, fn]) => [id as string, handler(id, fn)]));
  for (const [old, id] of Object.entries(RENAMED_COMMANDS)) {
    const fn = all.get(id);
    if (fn) out.set(old, handler(old, fn));
  }
  return out;
}
