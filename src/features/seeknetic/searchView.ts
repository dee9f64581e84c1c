import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { VideoSearch, FolderHit, SearchState } from './videoSearch';
import type { GenDeck } from '../../context';
import { describeError } from '../../core/errors';
import { bundlePageHtml } from '../../webview/html';
import { receive } from '../../webview/messages';
import { SearchToHost, type HostToSearch, type SearchResultView, type SearchStatusView } from '../../webview/protocol';
import { runCommand } from '../../commandIds';

export const SEARCH_VIEW_ID = 'gendeck.search';

/**
 * The Search view: a query box, tag filters and results (thumbnail, score, tags). Results are sent as
 * plain data and written with textContent; a click sends back the result's number, never a path.
 */
export class SearchViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private results: FolderHit[] = [];
  private pendingQuery: string | undefined;
  private searching: AbortController | undefined;
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    private readonly g: GenDeck,
    private readonly search: VideoSearch,
  ) {
    this.subs.push(
      search.onDidChange((s) => void this.post({ type: 'status', status: this.status(s) })),
      g.sandbox.onDidChange(() => {
        // The results came from the other index: they go, and a click can no longer open one of them.
        this.results = [];
        void this.post({ type: 'clearResults' });
      }),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const dist = vscode.Uri.joinPath(this.g.context.extensionUri, 'dist');
    view.webview.options = { enableScripts: true, localResourceRoots: [dist, this.search.storageRoot()] };
    view.webview.html = searchHtml(view.webview, this.g.context.extensionUri);
    this.subs.push(
      receive(view.webview, 'search', SearchToHost, this.g.log, (msg) => this.onMessage(msg)),
      view.onDidDispose(() => {
        if (this.view === view) this.view = undefined;
      }),
    );
  }

  /** Used by "Search Videos…": shows the view and runs the query there. */
  async query(text: string): Promise<void> {
    this.pendingQuery = text;
    await vscode.commands.executeCommand(`${SEARCH_VIEW_ID}.focus`);
    if (this.view) await this.flushPending();
  }

  private async flushPending(): Promise<void> {
    const q = this.pendingQuery;
    if (q === undefined) return;
    this.pendingQuery = undefined;
    await this.post({ type: 'setQuery', query: q });
    await this.run(q, {});
  }

  private async onMessage(msg: SearchToHost): Promise<void> {
    switch (msg.type) {
      case 'ready':
        await this.post({ type: 'status', status: this.status(await this.search.state()) });
        await this.flushPending();
        // Before any indexing: find and run ffmpeg/ffprobe, so the view can say what is missing (emits on change).
        await this.search
          .checkTools()
          .catch((err: unknown) => this.g.log.warn(`ffmpeg check failed: ${describeError(err)}`));
        return;
      case 'search':
        return this.run(msg.query, msg.tags);
      case 'open': {
        const hit = this.results[msg.id];
        if (hit) await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(hit.path));
        return;
      }
      case 'index':
        return void runCommand('gendeck.seeknetic.indexVideos');
      case 'cancel':
        return this.search.cancel();
      case 'installFfmpeg':
        return void runCommand('gendeck.seeknetic.installFfmpeg');
      case 'locateFfmpeg':
        return void runCommand('gendeck.seeknetic.locateFfmpeg');
      case 'checkFfmpeg':
        return void this.search
          .checkTools(true)
          .catch((err: unknown) => this.g.log.warn(`ffmpeg check failed: ${describeError(err)}`));
    }
  }

  private async run(query: string, tags: Record<string, string[]>): Promise<void> {
    const text = query.trim();
    if (!text) return;
    this.searching?.abort();
    const ac = new AbortController();
    this.searching = ac;
    await this.post({ type: 'searching', query: text });
    try {
      const hits = await this.search.search(text, tags, ac.signal);
      if (ac.signal.aborted) return;
      this.results = hits;
      const several = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
      const results: SearchResultView[] = hits.map((h, id) => ({
        id,
        name: several ? `${h.folder.name}/${h.entry.rel}` : h.entry.rel,
        score: h.score,
        tags: h.entry.tags,
        thumbnail:
          h.thumbnail && this.view
            ? this.view.webview.asWebviewUri(vscode.Uri.file(h.thumbnail)).toString()
            : undefined,
        duration: h.entry.duration,
      }));
      await this.post({ type: 'results', query: text, results });
    } catch (err) {
      if (ac.signal.aborted) return;
      this.g.log.warn(`Search "${text.slice(0, 80)}" failed: ${describeError(err)}`);
      await this.post({ type: 'error', message: describeError(err) });
    } finally {
      if (this.searching === ac) this.searching = undefined;
    }
  }

  private status(s: SearchState): SearchStatusView {
    const p = s.progress;
    let progress: string | undefined;
    if (p) {
      progress =
        p.phase === 'scanning'
          ? vscode.l10n.t('Checking the videos in {0}…', p.folder)
          : p.rel
            ? vscode.l10n.t('Indexing {0}: {1} of {2} · {3}', p.folder, p.done, p.total, basename(p.rel))
            : vscode.l10n.t('Indexing {0}: {1} of {2}', p.folder, p.done, p.total);
    }
    const missingTools = s.tools && !s.tools.ok ? { message: s.tools.message, install: s.tools.install } : undefined;
    return {
      indexed: s.indexed,
      folders: s.folders,
      sandbox: s.sandbox,
      progress,
      busy: !!p,
      tags: s.tags,
      missingTools,
    };
  }

  private async post(m: HostToSearch): Promise<void> {
    await this.view?.webview.postMessage(m);
  }

  dispose(): void {
    this.searching?.abort();
    this.subs.forEach((s) => s.dispose());
  }
}

function searchHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return bundlePageHtml(webview, extensionUri, {
    bundle: 'search',
    title: vscode.l10n.t('Search'),
    directives: [`img-src ${webview.cspSource}`],
  });
}
