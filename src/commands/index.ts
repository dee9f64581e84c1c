import * as vscode from 'vscode';
import type { GenDeck } from '../context';
import { downloadOutputs } from './downloadOutputs';
import { cancelJob, refreshJobs, removeJob } from './jobActions';
import { openPreview } from './openPreview';
import { retryJob } from './retryJob';
import { runWorker, type RunWorkerArg } from './seekapi/runWorker';
import {
  clearWorkerFilter,
  filterWorkers,
  loadMoreWorkers,
  publishDeployment,
  refreshSeekAccount,
  refreshSeekWorkers,
} from './seekapi/viewActions';
import { runAgent } from './seisoai/runAgent';
import { runTool } from './seisoai/runTool';
import { refreshTools, showAgentAudit, showManifest, showReceipts } from './seisoai/views';
import { choosePayment, clearWalletKey, setWalletKey } from './seisoai/wallet';
import { installFfmpeg, locateFfmpeg } from './seeknetic/ffmpegSetup';
import { indexWorkspaceVideos } from './seeknetic/indexVideos';
import { searchVideos } from './seeknetic/searchVideos';
import { addFollowUpStep } from './seele/addStep';
import { newGameFromFiles } from './seele/newFromFiles';
import { newGame } from './seele/newGame';
import { cancelQueuedStep, openSeeleArtifact, openSeeleWorkspace } from './seele/stepActions';
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
  'gendeck.downloadOutputs': (g, arg, index) =>
    downloadOutputs(g, arg, typeof index === 'number' ? index : outputIndex(arg)),
  'gendeck.removeJob': (g, arg, selected) => removeJob(g, arg, Array.isArray(selected) ? selected : undefined),
  'gendeck.cancelJob': cancelJob,
  'gendeck.refresh': (g) => refreshJobs(g),
  'gendeck.refreshJob': refreshJobs,
  'gendeck.retryJob': retryJob,
  'gendeck.showLog': (g) => g.output.show(),
  'gendeck.seedance.newFromPrompt': (g) => newVideo(g),
  'gendeck.seedance.newFromImages': (g, clicked, selected) =>
    newVideoFromImages(g, clicked as vscode.Uri | undefined, selected as vscode.Uri[] | undefined),
  'gendeck.seedance.showUsage': showUsage,
  'gendeck.seekapi.runWorker': (g, arg) => runWorker(g, arg as RunWorkerArg),
  'gendeck.seekapi.refreshWorkers': refreshSeekWorkers,
  'gendeck.seekapi.refreshAccount': refreshSeekAccount,
  'gendeck.seekapi.loadMoreWorkers': loadMoreWorkers,
  'gendeck.seekapi.filterWorkers': filterWorkers,
  'gendeck.seekapi.clearWorkerFilter': clearWorkerFilter,
  'gendeck.seekapi.publish': publishDeployment,
  'gendeck.seisoai.runTool': (g, arg) => runTool(g, arg),
  'gendeck.seisoai.refreshTools': refreshTools,
  'gendeck.seisoai.showManifest': showManifest,
  'gendeck.seisoai.setWalletKey': setWalletKey,
  'gendeck.seisoai.clearWalletKey': clearWalletKey,
  'gendeck.seisoai.choosePayment': choosePayment,
  'gendeck.seisoai.showReceipts': showReceipts,
  'gendeck.seisoai.runAgent': runAgent,
  'gendeck.seisoai.showAgentAudit': showAgentAudit,
  'gendeck.seele.newFromPrompt': (g) => newGame(g),
  'gendeck.seele.newFromFiles': (g, clicked, selected) =>
    newGameFromFiles(g, clicked as vscode.Uri | undefined, selected as vscode.Uri[] | undefined),
  'gendeck.seele.addStep': addFollowUpStep,
  'gendeck.seele.cancelStep': cancelQueuedStep,
  'gendeck.seele.openWorkspace': openSeeleWorkspace,
  'gendeck.seele.openArtifact': openSeeleArtifact,
  'gendeck.seeknetic.indexVideos': indexWorkspaceVideos,
  'gendeck.seeknetic.searchVideos': searchVideos,
  'gendeck.seeknetic.installFfmpeg': installFfmpeg,
  'gendeck.seeknetic.locateFfmpeg': locateFfmpeg,
};

/** An output node in the Jobs tree downloads just that output. */
function outputIndex(arg: unknown): number | undefined {
  const n = arg as { type?: string; index?: unknown } | undefined;
  return n?.type === 'output' && typeof n.index === 'number' ? n.index : undefined;
}

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
