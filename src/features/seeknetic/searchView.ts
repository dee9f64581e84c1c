import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { VideoSearch, FolderHit, MomentResults, SearchState, SimilarTarget } from './videoSearch';
import { formatRange, formatTime } from '../../core/search/moments';
import { MomentPreview } from './momentPreview';
import type { GenDeck } from '../../context';
import { describeError } from '../../core/errors';
import { bundlePageHtml } from '../../webview/html';
import { receive } from '../../webview/messages';
import { SearchToHost, type HostToSearch, type SearchResultView, type SearchStatusView } from '../../webview/protocol';
import { runCommand } from '../../commandIds';

import { SEARCH_VIEW_ID } from '../../shell/views';

export { SEARCH_VIEW_ID };

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
  readonly preview: MomentPreview;

  constructor(
    private readonly g: GenDeck,
    private readonly search: VideoSearch,
  ) {
    this.preview = new MomentPreview(g.log);
    this.subs.push(
      this.preview,
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

  /** "Find Similar Moments" on an Explorer video: shows the view and the moments like that file. */
  async similarTo(target: SimilarTarget): Promise<void> {
    this.pendingSimilar = target;
    await vscode.commands.executeCommand(`${SEARCH_VIEW_ID}.focus`);
    if (this.view) await this.flushPending();
  }

  private pendingSimilar: SimilarTarget | undefined;

  private async flushPending(): Promise<void> {
    const similar = this.pendingSimilar;
    this.pendingSimilar = undefined;
    if (similar) return this.runSimilar(similar);
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
        if (hit)
          this.preview.open({
            path: hit.path,
            start: hit.entry.start,
            end: hit.entry.end,
            ranged: !isWhole(hit),
          });
        return;
      }
      case 'similar': {
        const hit = this.results[msg.id];
        if (hit) await this.runSimilar({ path: hit.path, at: hit.entry.start });
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
    if (!text) {
      await this.post({
        type: 'error',
        message: vscode.l10n.t(
          'Type what happens in the moment you are looking for, e.g. "a red car at night"; the closest moments of the indexed videos come first.',
        ),
      });
      return;
    }
    await this.answer(text, false, (signal) => this.search.search(text, tags, signal));
  }

  private async runSimilar(target: SimilarTarget): Promise<void> {
    const name = vscode.workspace.asRelativePath(target.path, false);
    const title =
      target.at === undefined
        ? vscode.l10n.t('Moments like {0}', name)
        : vscode.l10n.t('Moments like {0} at {1}', name, formatTime(target.at));
    await this.answer(title, true, async () => {
      const r = await this.search.similar(target);
      if (!r)
        throw new Error(
          vscode.l10n.t('{0} is not in the index yet. Run "GenDeck: Index Workspace Videos" first.', name),
        );
      return r;
    });
  }

  private async answer(
    query: string,
    similar: boolean,
    find: (signal: AbortSignal) => Promise<MomentResults>,
  ): Promise<void> {
    this.searching?.abort();
    const ac = new AbortController();
    this.searching = ac;
    await this.post({ type: 'searching', query });
    try {
      const found = await find(ac.signal);
      if (ac.signal.aborted) return;
      const several = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
      this.results = [];
      const groups = found.groups.map((g) => {
        const first = g.moments[0].hit;
        const name = several ? `${first.folder.name}/${first.entry.rel}` : first.entry.rel;
        const results: SearchResultView[] = g.moments.map((m) => {
          const h = m.hit;
          const id = this.results.push(h) - 1;
          return {
            id,
            name,
            score: h.score,
            label: m.label,
            weaker: m.weaker,
            range: isWhole(h) ? undefined : formatRange(h.entry.start, h.entry.end),
            tags: h.entry.tags,
            thumbnail:
              h.thumbnail && this.view
                ? this.view.webview.asWebviewUri(vscode.Uri.file(h.thumbnail)).toString()
                : undefined,
            duration: h.entry.duration,
          };
        });
        return { name, results };
      });
      await this.post({ type: 'results', query, groups, similar });
    } catch (err) {
      if (ac.signal.aborted) return;
      this.g.log.warn(`Search "${query.slice(0, 80)}" failed: ${describeError(err)}`);
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
      moments: s.moments,
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

/** A file indexed as one window covering it whole: its hits name no time range. */
function isWhole(h: FolderHit): boolean {
  return h.entry.start === 0 && (h.entry.duration === undefined || h.entry.end >= h.entry.duration - 1e-3);
}

function searchHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return bundlePageHtml(webview, extensionUri, {
    bundle: 'search',
    title: vscode.l10n.t('Search'),
    directives: [`img-src ${webview.cspSource}`],
  });
}
