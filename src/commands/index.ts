import * as vscode from 'vscode';
import type { GenDeck } from '../context';
import { downloadOutputs } from './downloadOutputs';
import { cancelJob, refreshJobs, removeJob } from './jobActions';
import { openPreview } from './openPreview';
import { retryJob } from './retryJob';
import { newVideoFromImages } from './seedancee2/newFromImages';
import { newVideo } from './seedancee2/newVideo';
import { showUsage } from './seedancee2/showUsage';
import { clearApiKey, setApiKey } from './setApiKey';
import { stopSandbox, trySandbox } from './trySandbox';

type Command = (g: GenDeck, ...args: unknown[]) => unknown;

/** Every command id (as in package.json) and the function that runs it. */
export const COMMANDS: Record<string, Command> = {
  'gendeck.trySandbox': trySandbox,
  'gendeck.stopSandbox': stopSandbox,
  'gendeck.setApiKey': setApiKey,
  'gendeck.clearApiKey': clearApiKey,
  'gendeck.openPreview': openPreview,
  'gendeck.downloadOutputs': (g, arg, index) => downloadOutputs(g, arg, typeof index === 'number' ? index : undefined),
  'gendeck.removeJob': (g, arg, selected) => removeJob(g, arg, Array.isArray(selected) ? selected : undefined),
  'gendeck.cancelJob': cancelJob,
  'gendeck.refresh': (g) => refreshJobs(g),
  'gendeck.refreshJob': refreshJobs,
  'gendeck.retryJob': retryJob,
  'gendeck.showLog': (g) => g.output.show(),
  'gendeck.seedance.newFromPrompt': (g) => newVideo(g),
  'gendeck.seedance.newFromImages': (g, clicked, selected) => newVideoFromImages(g, clicked as vscode.Uri | undefined, selected as vscode.Uri[] | undefined),
  'gendeck.seedance.showUsage': showUsage,
};

export function registerCommands(g: GenDeck): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, fn]) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await fn(g, ...args);
      } catch (err) {
        await g.reportError(err, `GenDeck: ${id.replace(/^gendeck\./, '')} failed`);
      }
    }),
  );
}
