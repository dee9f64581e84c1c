import * as vscode from 'vscode';
import { defineFeature } from '../feature';
import type { SeekneticState } from './context';
import { installFfmpeg, locateFfmpeg } from './ffmpegSetup';
import { findSimilar } from './findSimilar';
import { indexWorkspaceVideos } from './indexVideos';
import { searchVideos } from './searchVideos';
import { SearchViewProvider } from './searchView';
import { VideoSearch } from './videoSearch';

/** Seeknetic: the workspace video index, its watcher and the Search view. No jobs, so no rerun. */
export const seekneticFeature = defineFeature<SeekneticState, 'seeknetic'>({
  id: 'seeknetic',
  activate(c) {
    const search = new VideoSearch(c.g);
    const view = new SearchViewProvider(c.g, search);
    const disposables = [
      c.g.shell.search.attach(view),
      view,
      search,
      search.onDidFind(() => c.ui.onboarding.succeeded('seeknetic')),
    ];
    return { state: { search, view }, disposables };
  },
  // Getters: the labels are read when the features activate (activateFeatures), not when this module loads.
  starts: [
    {
      get label() {
        return vscode.l10n.t('Index Workspace Videos');
      },
      get detail() {
        return vscode.l10n.t('Make the videos of the workspace searchable by meaning');
      },
      command: 'gendeck.seeknetic.indexVideos',
    },
    {
      get label() {
        return vscode.l10n.t('Search Videos…');
      },
      get detail() {
        return vscode.l10n.t('Find a video by what happens in it');
      },
      command: 'gendeck.seeknetic.searchVideos',
    },
  ],
  commands: {
    'gendeck.seeknetic.indexVideos': indexWorkspaceVideos,
    'gendeck.seeknetic.searchVideos': searchVideos,
    'gendeck.seeknetic.findSimilar': findSimilar,
    'gendeck.seeknetic.installFfmpeg': installFfmpeg,
    'gendeck.seeknetic.locateFfmpeg': locateFfmpeg,
  },
});

declare module '../../commandIds' {
  interface FeatureCommandIds {
    'gendeck.seeknetic.indexVideos': 'seeknetic';
    'gendeck.seeknetic.searchVideos': 'seeknetic';
    'gendeck.seeknetic.findSimilar': 'seeknetic';
    'gendeck.seeknetic.installFfmpeg': 'seeknetic';
    'gendeck.seeknetic.locateFfmpeg': 'seeknetic';
  }
}
