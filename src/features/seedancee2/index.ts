import * as vscode from 'vscode';
import type { CreateVideoRequest } from '../../core/providers/seedancee2/schemas';
import { defineFeature } from '../feature';
import { newVideoFromImages } from './newFromImages';
import { newVideo } from './newVideo';
import { showUsage } from './showUsage';

/** Seedancee2: videos from prompts or images, the usage report. Nothing to set up. */
export const seedancee2Feature = defineFeature<void, 'seedancee2'>({
  id: 'seedancee2',
  activate: () => ({ state: undefined, disposables: [] }),
  // Getters: the labels are read when the features activate (activateFeatures), not when this module loads.
  starts: [
    {
      get label() {
        return vscode.l10n.t('Video from a Prompt…');
      },
      get detail() {
        return vscode.l10n.t('Text to video');
      },
      command: 'gendeck.seedancee2.newFromPrompt',
    },
    {
      get label() {
        return vscode.l10n.t('Video from Images…');
      },
      get detail() {
        return vscode.l10n.t('First and last frames, or references');
      },
      command: 'gendeck.seedancee2.newFromImages',
    },
  ],
  commands: {
    'gendeck.seedancee2.newFromPrompt': (c) => newVideo(c),
    'gendeck.seedancee2.newFromImages': (c, clicked, selected) =>
      newVideoFromImages(c, clicked as vscode.Uri | undefined, selected as vscode.Uri[] | undefined),
    'gendeck.seedancee2.showUsage': showUsage,
  },
  async rerun(c, job) {
    // The same questions, each answered as before: the prompt first (editable), then every choice, then the cost.
    const req = job.request as unknown as CreateVideoRequest;
    await newVideo(c, { model: req.model, input: req.input });
  },
});

declare module '../../commandIds' {
  interface FeatureCommandIds {
    'gendeck.seedancee2.newFromPrompt': 'seedancee2';
    'gendeck.seedancee2.newFromImages': 'seedancee2';
    'gendeck.seedancee2.showUsage': 'seedancee2';
  }
}
