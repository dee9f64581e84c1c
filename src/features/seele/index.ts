import * as vscode from 'vscode';
import type { CachedFileId } from '../../core/providers/seele/files';
import { defineFeature } from '../feature';
import { addFollowUpStep } from './addStep';
import { newGameFromFiles } from './newFromFiles';
import { newGame } from './newGame';
import { cancelQueuedStep, openSeeleArtifact, openSeeleWorkspace } from './stepActions';
import { unpackProject } from './unpackProject';

const FILE_IDS_STATE = 'gendeck.seele.fileIds';

/**
 * Seele: games from prompts or files, follow-up steps, artifacts, the project package unpacked. The content-hash →
 * file_id cache survives reloads (globalState; ids only, no key) and is dropped when the Seele key changes, as another
 * account cannot use those ids. Queued steps live on jobs in the store (the provider gets it at construction).
 */
export const seeleFeature = defineFeature<void, 'seele'>({
  id: 'seele',
  activate({ g }) {
    const seele = g.providers.seele;
    seele.files.restore(g.context.globalState.get<CachedFileId[]>(FILE_IDS_STATE) ?? []);
    const disposables: vscode.Disposable[] = [
      seele.files.onDidChange(() => void g.context.globalState.update(FILE_IDS_STATE, seele.files.entries())),
      g.secrets.onDidChange((name) => {
        if (name === 'seele') seele.files.clear();
      }),
    ];
    return { state: undefined, disposables };
  },
  // Getters: the labels are read when the features activate (activateFeatures), not when this module loads.
  starts: [
    {
      get label() {
        return vscode.l10n.t('Game from a Prompt…');
      },
      get detail() {
        return vscode.l10n.t('A playable game project');
      },
      command: 'gendeck.seele.newFromPrompt',
    },
    {
      get label() {
        return vscode.l10n.t('Game from Files…');
      },
      get detail() {
        return vscode.l10n.t('Concept art or documents as references');
      },
      command: 'gendeck.seele.newFromFiles',
    },
  ],
  commands: {
    'gendeck.seele.newFromPrompt': (c) => newGame(c),
    'gendeck.seele.newFromFiles': (c, clicked, selected) =>
      newGameFromFiles(c, clicked as vscode.Uri | undefined, selected as vscode.Uri[] | undefined),
    'gendeck.seele.addStep': addFollowUpStep,
    'gendeck.seele.cancelStep': cancelQueuedStep,
    'gendeck.seele.openWorkspace': openSeeleWorkspace,
    'gendeck.seele.openArtifact': openSeeleArtifact,
    'gendeck.seele.unpackProject': unpackProject,
  },
  async rerun(c, job) {
    const req = job.request as {
      prompt?: string;
      model?: string;
      engine?: string;
      generation_model?: string;
      files?: string[];
    };
    // The same questions, each answered as before; local files are uploaded again only if their content changed.
    await newGame(c, {
      prompt: req.prompt,
      model: req.model,
      engine: req.engine,
      generation_model: req.generation_model,
      files: req.files ?? [],
    });
  },
});

declare module '../../commandIds' {
  interface FeatureCommandIds {
    'gendeck.seele.newFromPrompt': 'seele';
    'gendeck.seele.newFromFiles': 'seele';
    'gendeck.seele.addStep': 'seele';
    'gendeck.seele.cancelStep': 'seele';
    'gendeck.seele.openWorkspace': 'seele';
    'gendeck.seele.openArtifact': 'seele';
    'gendeck.seele.unpackProject': 'seele';
  }
}
