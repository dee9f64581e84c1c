import * as vscode from 'vscode';
import type { GenDeck } from '../../context';
import { SEARCH_VIEW_ID, SearchViewProvider } from '../../views/searchView';
import { VideoSearch } from './videoSearch';

interface SearchServices {
  search: VideoSearch;
  view: SearchViewProvider;
}

const services = new WeakMap<GenDeck, SearchServices>();

/** Seeknetic's editor wiring, once on activation: the video index service, its watcher and the Search view. */
export function setupSeeknetic(g: GenDeck): vscode.Disposable {
  const search = new VideoSearch(g);
  const view = new SearchViewProvider(g, search);
  services.set(g, { search, view });
  const registration = vscode.window.registerWebviewViewProvider(SEARCH_VIEW_ID, view, {
    webviewOptions: { retainContextWhenHidden: false },
  });
  return {
    dispose: () => {
      services.delete(g);
      registration.dispose();
      view.dispose();
      search.dispose();
    },
  };
}

export function searchServices(g: GenDeck): SearchServices {
  const s = services.get(g);
  if (!s) throw new Error('Video search is not set up.');
  return s;
}
