import { createHash } from 'node:crypto';
import { join, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import type { GenDeck } from '../../context';
import { describeError, ProviderError } from '../../core/errors';
import {
  ffmpegInstallCommand,
  FfmpegMissingError,
  resolveWorkingFfmpeg,
  type FfmpegTools,
  type InstallCommand,
  type ToolName,
} from '../../core/search/ffmpeg';
import {
  VideoIndex,
  type IndexEstimate,
  type IndexProgress,
  type SearchHit,
  type UpdateStats,
} from '../../core/search/index';
import { groupMoments, type MomentGroup } from '../../core/search/moments';
import { indexScope } from '../../core/search/scope';
import { settings } from '../../settings';

/** Whether ffmpeg and ffprobe were found and run; when not, why, and the line that would install them here. */
export type ToolsCheck =
  { ok: true; tools: FfmpegTools } | { ok: false; tool: ToolName; message: string; install?: InstallCommand };

export interface SearchState {
  /** Videos in the index of every open folder. */
  indexed: number;
  /** Their windows (a short video is one). */
  moments: number;
  /** Folders with an index. */
  folders: number;
  /** A run in progress (the command's or the watcher's). */
  progress?: IndexProgress & { folder: string };
  sandbox: boolean;
  /** ffmpeg/ffprobe, once checked (undefined before the first check). */
  tools?: ToolsCheck;
  /** Every tag label seen, per family. */
  tags: Record<string, string[]>;
}

export interface FolderHit extends SearchHit {
  folder: vscode.WorkspaceFolder;
}

/** A query's answer: the windows found, grouped per file, with their labels. */
export interface MomentResults {
  groups: MomentGroup<FolderHit>[];
  /** Hits in all groups. */
  count: number;
}

/** Where a "find similar" query starts: a file, or the window of it that holds `at` seconds. */
export interface SimilarTarget {
  path: string;
  at?: number;
}

/** More scores than are shown are fetched, so the labels judge a hit against a fair share of the query's scores. */
const LABEL_REFERENCE = 100;

/**
 * The editor side of workspace video search: one VideoIndex per workspace folder, kept in the
 * extension's global storage (separately for the sandbox and the real service, whose vectors do not
 * mix), ffmpeg found once per setting, and a file watcher that re-indexes folders already indexed.
 */
export class VideoSearch implements vscode.Disposable {
  private readonly indexes = new Map<string, VideoIndex>();
  private tools: { key: string; tools: Promise<FfmpegTools> } | undefined;
  private toolsCheck: ToolsCheck | undefined;
  private readonly changed = new vscode.EventEmitter<SearchState>();
  readonly onDidChange = this.changed.event;
  private readonly found = new vscode.EventEmitter<void>();
  /** A search found videos (the walkthrough's search step is done). */
  readonly onDidFind = this.found.event;
  private progress: SearchState['progress'];
  private readonly pending = new Set<string>();
  private debounce: NodeJS.Timeout | undefined;
  /** The run going now (the command's or the watcher's), so the view can cancel it. */
  private current: AbortController | undefined;
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly g: GenDeck) {
    this.subs.push(
      this.changed,
      g.sandbox.onDidChange(() => {
        // The provider now talks to another host: a run in progress must not carry on into the other index.
        this.current?.abort();
        void this.emit();
      }),
      settings.onChange(['ffmpegPath', 'ffprobePath', 'search.include'], (key) => {
        if (key === 'search.include') this.watch();
        else void this.checkTools(true);
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.emit()),
    );
    this.watch();
  }

  private watcher: vscode.FileSystemWatcher | undefined;

  /** New, changed and deleted videos are queued; folders indexed before are brought up to date after a quiet spell. */
  private watch(): void {
    this.watcher?.dispose();
    const w = vscode.workspace.createFileSystemWatcher(settings.search.include());
    const queue = (uri: vscode.Uri) => {
      if (uri.scheme !== 'file' || !settings.search.autoIndex()) return;
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      if (!folder || !this.scope(folder)(uri.fsPath)) return;
      this.pending.add(uri.fsPath);
      if (this.debounce) clearTimeout(this.debounce);
      this.debounce = setTimeout(() => void this.flushQueue(), 2000);
    };
    w.onDidCreate(queue);
    w.onDidChange(queue);
    w.onDidDelete(queue);
    this.watcher = w;
  }

  private async flushQueue(): Promise<void> {
    this.debounce = undefined;
    if (this.current) {
      // A run is going (it sees these files too if it is still scanning); look again after it.
      this.debounce = setTimeout(() => void this.flushQueue(), 2000);
      return;
    }
    const paths = [...this.pending];
    this.pending.clear();
    const folders = new Map<string, vscode.WorkspaceFolder>();
    for (const p of paths) {
      const f = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(p));
      if (f) folders.set(f.uri.toString(), f);
    }
    for (const folder of folders.values()) {
      const index = await this.indexFor(folder);
      if (!index.size) continue; // only folders the user chose to index are sent again
      const run = new AbortController();
      this.current = run;
      try {
        const stats = await this.update(folder, index, run.signal);
        this.g.log.info(`Search index of ${folder.name} updated after file changes: ${summarize(stats)}.`);
      } catch (err) {
        this.g.log.warn(`Search index of ${folder.name} was not updated: ${describeError(err)}`);
      } finally {
        if (this.current === run) this.current = undefined;
      }
    }
  }

  /** Which of a folder's videos are indexed (not GenDeck's own downloads, unless the include glob names them). */
  private scope(folder: vscode.WorkspaceFolder): (path: string) => boolean {
    return indexScope(folder.uri.fsPath, {
      downloadFolder: settings.downloadFolder(),
      include: settings.search.include(),
    });
  }

  /** Where a folder's index lives: global storage, per mode (sandbox / live) and folder. */
  private dirFor(folder: vscode.WorkspaceFolder): string {
    const mode = this.g.sandbox.active ? 'sandbox' : 'live';
    const id = createHash('sha256').update(folder.uri.toString()).digest('hex').slice(0, 16);
    return vscode.Uri.joinPath(this.storageRoot(), mode, id).fsPath;
  }

  /** The folder holding every index (thumbnails included), for the webview's local resource roots. */
  storageRoot(): vscode.Uri {
    return vscode.Uri.joinPath(this.g.context.globalStorageUri, 'search');
  }

  private async indexFor(folder: vscode.WorkspaceFolder): Promise<VideoIndex> {
    const dir = this.dirFor(folder);
    let index = this.indexes.get(dir);
    if (!index) {
      index = new VideoIndex({ dir, root: folder.uri.fsPath, log: this.g.log });
      await index.load();
      this.indexes.set(dir, index);
    }
    return index;
  }

  private fileFolders(): vscode.WorkspaceFolder[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  }

  /** ffmpeg and ffprobe in the settings → PATH → npm order, each run once (`-version`); cached until a setting changes. */
  ffmpeg(): Promise<FfmpegTools> {
    const setting = settings.search.ffmpegPath();
    const ffprobeSetting = settings.search.ffprobePath();
    const key = JSON.stringify([setting, ffprobeSetting]);
    if (!this.tools || this.tools.key !== key) {
      const tools = resolveWorkingFfmpeg({
        setting,
        ffprobeSetting,
        searchRoots: [this.g.context.extensionUri.fsPath],
      });
      this.tools = { key, tools };
      tools.catch(() => {
        if (this.tools?.tools === tools) this.tools = undefined; // look again next time
      });
    }
    return this.tools.tools;
  }

  /**
   * Checks ffmpeg/ffprobe (again when `fresh`, e.g. after a setting changed or an install ran) and tells the view,
   * so it can say what is missing before any indexing starts.
   */
  async checkTools(fresh = false): Promise<ToolsCheck> {
    if (fresh) this.tools = undefined;
    let check: ToolsCheck;
    try {
      check = { ok: true, tools: await this.ffmpeg() };
    } catch (err) {
      if (!(err instanceof FfmpegMissingError)) throw err;
      check = { ok: false, tool: err.tool, message: err.message, install: await ffmpegInstallCommand() };
    }
    const changed = JSON.stringify(check) !== JSON.stringify(this.toolsCheck);
    this.toolsCheck = check;
    if (changed) void this.emit();
    return check;
  }

  private async filesOf(folder: vscode.WorkspaceFolder): Promise<string[]> {
    const uris = await vscode.workspace.findFiles(
      new vscode.RelativePattern(folder, settings.search.include()),
      undefined,
      50_000,
    );
    const inScope = this.scope(folder);
    return uris.filter((u) => u.scheme === 'file' && inScope(u.fsPath)).map((u) => u.fsPath);
  }

  /** What indexing every open folder would send now (embedding calls = windows of new and changed files). */
  async estimateAll(signal?: AbortSignal): Promise<IndexEstimate> {
    const tools = await this.ffmpeg();
    const total: IndexEstimate = { files: 0, unchanged: 0, toEmbed: 0, embedCalls: 0, tagCalls: 0, unreadable: 0 };
    for (const folder of this.fileFolders()) {
      const index = await this.indexFor(folder);
      const e = await index.estimate(await this.filesOf(folder), {
        tools,
        windowing: settings.search.windowing(),
        tagging: settings.search.tagging(),
        signal,
      });
      for (const k of Object.keys(total) as (keyof IndexEstimate)[]) total[k] += e[k];
    }
    return total;
  }

  private async update(
    folder: vscode.WorkspaceFolder,
    index: VideoIndex,
    signal: AbortSignal,
    onProgress?: (p: IndexProgress) => void,
  ): Promise<UpdateStats> {
    const files = await this.filesOf(folder);
    const scale = settings.pollingScale();
    const policy = this.g.providers.seeknetic.pollPolicy;
    try {
      return await index.update(files, {
        embedder: this.g.providers.seeknetic,
        tools: await this.ffmpeg(),
        signal,
        concurrency: settings.search.concurrency(),
        tagging: settings.search.tagging(),
        windowing: settings.search.windowing(),
        embedOptions: { pollMs: policy.minMs * scale, maxPollMs: policy.maxMs * scale },
        onProgress: (p) => {
          this.progress = { ...p, folder: folder.name };
          onProgress?.(p);
          void this.emit();
        },
      });
    } finally {
      this.progress = undefined;
      void this.emit();
    }
  }

  /** Indexes every open folder, in turn. Stops a watcher's run first. */
  async indexAll(
    signal: AbortSignal,
    onProgress: (folder: vscode.WorkspaceFolder, p: IndexProgress) => void,
  ): Promise<{ folder: vscode.WorkspaceFolder; stats: UpdateStats }[]> {
    const folders = this.fileFolders();
    if (!folders.length)
      throw new Error(vscode.l10n.t('Open a folder first: GenDeck indexes the videos of the open workspace folders.'));
    if (!(await this.g.keyFor('seeknetic'))) {
      throw new ProviderError({
        provider: 'seeknetic',
        code: 'no_key',
        message: vscode.l10n.t('No {0} API key is set. Run "GenDeck: Set API Key…" or try the sandbox.', 'Seeknetic'),
      });
    }
    const tools = await this.checkTools();
    if (!tools.ok) throw new FfmpegMissingError(tools.tool, tools.message);
    this.current?.abort();
    const run = new AbortController();
    this.current = run;
    const stop = () => run.abort(signal.reason);
    signal.addEventListener('abort', stop, { once: true });
    try {
      const out: { folder: vscode.WorkspaceFolder; stats: UpdateStats }[] = [];
      for (const folder of folders) {
        const index = await this.indexFor(folder);
        out.push({ folder, stats: await this.update(folder, index, run.signal, (p) => onProgress(folder, p)) });
      }
      return out;
    } finally {
      signal.removeEventListener('abort', stop);
      if (this.current === run) this.current = undefined;
    }
  }

  /** Stops the run going now, if any; what it finished is kept. */
  cancel(): void {
    this.current?.abort();
  }

  /** Encodes the query once, then exact top-k over the windows in every folder's index, grouped per file. */
  async search(query: string, tags: Record<string, string[]> = {}, signal?: AbortSignal): Promise<MomentResults> {
    const indexes = await this.nonEmpty();
    if (!indexes.length) return { groups: [], count: 0 };
    const { vector } = await this.g.providers.seeknetic.encodeQuery(query, signal);
    return this.byVector(indexes, vector, { tags });
  }

  /**
   * "Find Similar Moments": the window of `target` that holds `at` (or the whole file: the mean of its windows)
   * is the query; that window itself (or every window of that file) is left out of the answer.
   */
  async similar(target: SimilarTarget): Promise<MomentResults | undefined> {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(target.path));
    if (!folder || folder.uri.scheme !== 'file') return undefined;
    const index = await this.indexFor(folder);
    const rel = relative(folder.uri.fsPath, target.path).split(sep).join('/');
    const vector = index.vectorOf(rel, target.at);
    if (!vector) return undefined;
    const at = target.at;
    const self = (path: string, e: { start: number; end: number }) =>
      path === target.path && (at === undefined || (at >= e.start && at < e.end));
    return this.byVector(await this.nonEmpty(), vector, { self });
  }

  private async nonEmpty(): Promise<{ folder: vscode.WorkspaceFolder; index: VideoIndex }[]> {
    const out: { folder: vscode.WorkspaceFolder; index: VideoIndex }[] = [];
    for (const folder of this.fileFolders()) {
      const index = await this.indexFor(folder);
      if (index.size) out.push({ folder, index });
    }
    return out;
  }

  private async byVector(
    indexes: { folder: vscode.WorkspaceFolder; index: VideoIndex }[],
    vector: ArrayLike<number>,
    o: { tags?: Record<string, string[]>; self?: (path: string, e: { start: number; end: number }) => boolean },
  ): Promise<MomentResults> {
    const k = settings.search.maxResults();
    const all: FolderHit[] = [];
    for (const { folder, index } of indexes) {
      const exclude = o.self
        ? (e: { rel: string; start: number; end: number }) => o.self!(join(index.root, ...e.rel.split('/')), e)
        : undefined;
      for (const hit of await index.search(vector, { k: Math.max(k, LABEL_REFERENCE), tags: o.tags, exclude }))
        all.push({ ...hit, folder });
    }
    all.sort((a, b) => b.score - a.score);
    const shown = all.slice(0, k);
    if (shown.length) this.found.fire();
    return {
      groups: groupMoments(
        shown,
        settings.search.minScore(),
        all.slice(0, LABEL_REFERENCE).map((h) => h.score),
      ),
      count: shown.length,
    };
  }

  async state(): Promise<SearchState> {
    let indexed = 0;
    let moments = 0;
    let folders = 0;
    const tags: Record<string, Set<string>> = {};
    for (const folder of this.fileFolders()) {
      const index = await this.indexFor(folder);
      if (!index.size) continue;
      folders++;
      indexed += index.fileCount;
      moments += index.size;
      for (const [f, labels] of Object.entries(index.tagValues()))
        for (const l of labels) (tags[f] ??= new Set()).add(l);
    }
    return {
      indexed,
      moments,
      folders,
      progress: this.progress,
      sandbox: this.g.sandbox.active,
      tools: this.toolsCheck,
      tags: Object.fromEntries(Object.entries(tags).map(([f, s]) => [f, [...s].sort()])),
    };
  }

  private async emit(): Promise<void> {
    this.changed.fire(await this.state());
  }

  dispose(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.current?.abort();
    this.watcher?.dispose();
    this.subs.forEach((s) => s.dispose());
    this.found.dispose();
    for (const index of this.indexes.values()) void index.dispose();
  }
}

/** "12 videos, 3 indexed, 9 unchanged": each count a phrase of its own. */
export function summarize(s: UpdateStats): string {
  const parts = [vscode.l10n.t('{0} videos', s.files)];
  if (s.embedded)
    parts.push(
      s.windows > s.embedded
        ? vscode.l10n.t('{0} indexed ({1} moments)', s.embedded, s.windows)
        : vscode.l10n.t('{0} indexed', s.embedded),
    );
  if (s.renamed) parts.push(vscode.l10n.t('{0} renamed', s.renamed));
  if (s.copied) parts.push(vscode.l10n.t('{0} copies', s.copied));
  if (s.retagged) parts.push(vscode.l10n.t('{0} tagged', s.retagged));
  if (s.removed) parts.push(vscode.l10n.t('{0} removed', s.removed));
  if (s.unchanged) parts.push(vscode.l10n.t('{0} unchanged', s.unchanged));
  if (s.failed.length) parts.push(vscode.l10n.t('{0} failed', s.failed.length));
  return parts.join(vscode.l10n.t(', '));
}
