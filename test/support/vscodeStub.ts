// A minimal stand-in for the `vscode` module, so editor-layer code (the Jobs tree, the preview page and its
// view model) can run in plain Node for benchmarks and the fault suite. Only what those files touch is here:
// TreeItem, ThemeIcon, ThemeColor, MarkdownString, EventEmitter, TreeItemCollapsibleState (jobsTree.ts),
// Uri (html.ts), a recording webview panel (previewPanel.ts), settings with their change event (settings.ts), and
// quick picks and input boxes a test drives like a user (commands/steps.ts), l10n (English: no bundle, so
// `l10n.t` fills the placeholders of the message as written, as VS Code does), and `lm` with the language-model
// tool and MCP server classes (agents/), and for the Seeknetic feature's commands (features/seeknetic/) workspace
// folders found by path, `findFiles` over the disk, a file watcher that never fires and `withProgress` running its
// task at once. Anything else throws when used.
import Module from 'node:module';
import { readdirSync } from 'node:fs';
import { join as joinFs, matchesGlob, relative as relativeFs, sep } from 'node:path';
import * as l10nLib from '@vscode/l10n';

export enum TreeItemCollapsibleState {
  None = 0,
  Collapsed = 1,
  Expanded = 2,
}

export enum ViewColumn {
  Active = -1,
  Beside = -2,
  One = 1,
}

export class ThemeColor {
  constructor(readonly id: string) {}
}

export class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}

export class MarkdownString {
  isTrusted = false;
  supportHtml = false;
  constructor(
    public value = '',
    readonly supportThemeIcons = false,
  ) {}
  appendText(text: string): this {
    // Like VS Code: text is escaped so it can never become markup.
    this.value += text.replace(/[\\`*_{}[\]()#+\-.!<>&|~]/g, '\\$&').replace(/\n/g, '\n\n');
    return this;
  }
  appendMarkdown(md: string): this {
    this.value += md;
    return this;
  }
}

export class TreeItem {
  id?: string;
  description?: string;
  tooltip?: string | MarkdownString;
  iconPath?: ThemeIcon;
  contextValue?: string;
  command?: { command: string; title: string; arguments?: unknown[] };
  constructor(
    public label: string,
    public collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None,
  ) {}
}

export class Disposable {
  constructor(private readonly fn: () => void = () => undefined) {}
  dispose(): void {
    this.fn();
  }
}

export class EventEmitter<T> {
  private listeners = new Set<(e: T) => void>();
  fired = 0;
  readonly event = (listener: (e: T) => void): Disposable => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };
  fire(e: T): void {
    this.fired++;
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query = '',
    readonly fragment = '',
  ) {}
  static file(p: string): Uri {
    return new Uri('file', '', p.replace(/\\/g, '/'));
  }
  static parse(s: string): Uri {
    const u = new URL(s);
    return new Uri(
      u.protocol.replace(/:$/, ''),
      u.host,
      decodeURIComponent(u.pathname),
      u.search.replace(/^\?/, ''),
      u.hash.replace(/^#/, ''),
    );
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(
      base.scheme,
      base.authority,
      joinFs(base.path, ...parts).replace(/\\/g, '/'),
      base.query,
      base.fragment,
    );
  }
  get fsPath(): string {
    return this.path;
  }
  with(change: Partial<{ scheme: string; authority: string; path: string; query: string; fragment: string }>): Uri {
    return new Uri(
      change.scheme ?? this.scheme,
      change.authority ?? this.authority,
      change.path ?? this.path,
      change.query ?? this.query,
      change.fragment ?? this.fragment,
    );
  }
  toString(): string {
    return `${this.scheme}://${this.authority}${encodeURI(this.path)}${this.query ? `?${this.query}` : ''}${this.fragment ? `#${this.fragment}` : ''}`;
  }
}

/** A webview that records what the extension gives it: the HTML it sets and every message it posts. */
export class RecordingWebview {
  readonly cspSource = 'https://stub.vscode-cdn.net';
  options: unknown = {};
  readonly htmls: string[] = [];
  readonly posted: unknown[] = [];
  private readonly incoming = new EventEmitter<unknown>();
  readonly onDidReceiveMessage = this.incoming.event;
  get html(): string {
    return this.htmls[this.htmls.length - 1] ?? '';
  }
  set html(v: string) {
    this.htmls.push(v);
  }
  asWebviewUri(uri: Uri): Uri {
    return Uri.parse(`https://file+.vscode-resource.stub.vscode-cdn.net${uri.path}`);
  }
  async postMessage(msg: unknown): Promise<boolean> {
    this.posted.push(msg);
    return true;
  }
  /** What the page script would send (e.g. `{ type: 'ready' }`). */
  receive(msg: unknown): void {
    this.incoming.fire(msg);
  }
}

export class RecordingPanel {
  readonly webview = new RecordingWebview();
  title: string;
  private readonly disposed = new EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;
  constructor(
    readonly viewType: string,
    title: string,
  ) {
    this.title = title;
  }
  reveal(): void {}
  dispose(): void {
    this.disposed.fire();
  }
}

export const QuickInputButtons = { Back: { iconPath: new ThemeIcon('arrow-left'), tooltip: 'Back' } };

/**
 * A quick input as VS Code's extension API behaves: showing one hides the one shown before, and `dispose` hides it
 * (firing `onDidHide`). A test plays the user with `type`, `accept`, `back` and `escape`.
 */
class FakeQuickInput {
  title?: string;
  placeholder?: string;
  value = '';
  buttons: readonly unknown[] = [];
  ignoreFocusOut = false;
  busy = false;
  enabled = true;
  visible = false;
  disposed = false;
  protected readonly accepted = new EventEmitter<void>();
  private readonly hidden = new EventEmitter<void>();
  private readonly triggered = new EventEmitter<unknown>();
  private readonly changed = new EventEmitter<string>();
  readonly onDidAccept = this.accepted.event;
  readonly onDidHide = this.hidden.event;
  readonly onDidTriggerButton = this.triggered.event;
  readonly onDidChangeValue = this.changed.event;
  show(): void {
    for (const q of quickInputs as FakeQuickInput[]) if (q !== this && q.visible) q.hide();
    this.visible = true;
  }
  hide(): void {
    if (!this.visible) return;
    this.visible = false;
    this.hidden.fire();
  }
  dispose(): void {
    this.hide();
    this.disposed = true;
  }
  type(value: string): void {
    this.value = value;
    this.changed.fire(value);
  }
  back(): void {
    this.triggered.fire(QuickInputButtons.Back);
  }
  escape(): void {
    this.hide();
  }
}

export class FakeQuickPick<T extends { label: string }> extends FakeQuickInput {
  readonly kind = 'pick';
  items: readonly T[] = [];
  activeItems: readonly T[] = [];
  selectedItems: readonly T[] = [];
  matchOnDescription = false;
  /** Enter on the row labelled `label`, else on the active (or first) row. */
  accept(label?: string): void {
    const row =
      label === undefined ? (this.activeItems[0] ?? this.items[0]) : this.items.find((i) => i.label === label);
    if (!row) throw new Error(`no row "${label}" in ${JSON.stringify(this.items.map((i) => i.label))}`);
    this.selectedItems = [row];
    this.accepted.fire();
  }
}

export class FakeInputBox extends FakeQuickInput {
  readonly kind = 'box';
  prompt?: string;
  password = false;
  validationMessage?: string;
  accept(): void {
    this.accepted.fire();
  }
}

/** Quick picks and input boxes created through `window.createQuickPick` / `createInputBox`, newest last. */
export const quickInputs: (FakeQuickPick<{ label: string }> | FakeInputBox)[] = [];

/** Information messages shown (modal or not), newest last; each is answered as dismissed. */
export const shownMessages: { message: string; options?: unknown; items: unknown[] }[] = [];
/** Answers the next information messages give, in order (the button's title); dismissed once it is empty. */
export const messageAnswers: (string | undefined)[] = [];

export interface ProgressRun {
  /** Messages reported, in order. */
  reports: string[];
  cancelled: boolean;
  cancel(): void;
}
/** `window.withProgress` runs, newest last. */
export const progressRuns: ProgressRun[] = [];

export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}

/** A glob below a folder, as `workspace.findFiles` takes it. */
export class RelativePattern {
  readonly baseUri: Uri;
  constructor(
    base: { uri: Uri } | Uri,
    readonly pattern: string,
  ) {
    this.baseUri = base instanceof Uri ? base : base.uri;
  }
}

/** Panels created through `window.createWebviewPanel`, newest last. */
export const createdPanels: RecordingPanel[] = [];
/** Commands executed through `commands.executeCommand`. */
export const executedCommands: { command: string; args: unknown[] }[] = [];

const notAvailable = (what: string) => () => {
  throw new Error(`vscode stub: ${what} is not stubbed`);
};

/** What was registered by id: tree views (with their options), webview views, serializers, content providers, lenses. */
export const registered = {
  treeViews: new Map<string, { options: { treeDataProvider: unknown } }>(),
  webviewViews: new Map<string, unknown>(),
  serializers: new Map<string, unknown>(),
  contentProviders: new Map<string, unknown>(),
  codeLenses: [] as { selector: unknown; provider: unknown }[],
  commands: new Map<string, (...args: unknown[]) => unknown>(),
};

/** Registers under `id` in `map`, once; disposing unregisters. */
function registerIn<T>(map: Map<string, T>, id: string, value: T): Disposable {
  if (map.has(id)) throw new Error(`${id} registered twice`);
  map.set(id, value);
  return new Disposable(() => map.delete(id));
}

export const window = {
  createTreeView: (id: string, options: { treeDataProvider: unknown }) => {
    registerIn(registered.treeViews, id, { options });
    return {
      message: undefined as string | undefined,
      description: undefined as string | undefined,
      reveal: async () => undefined,
      dispose: () => registered.treeViews.delete(id),
    };
  },
  registerWebviewViewProvider: (id: string, provider: unknown) => registerIn(registered.webviewViews, id, provider),
  registerWebviewPanelSerializer: (id: string, s: unknown) => registerIn(registered.serializers, id, s),
  createWebviewPanel: (viewType: string, title: string) => {
    const p = new RecordingPanel(viewType, title);
    createdPanels.push(p);
    return p;
  },
  showErrorMessage: async () => undefined,
  showWarningMessage: async () => undefined,
  showInformationMessage: async (message: string, ...rest: unknown[]) => {
    const options = typeof rest[0] === 'object' ? rest[0] : undefined;
    shownMessages.push({ message, options, items: options ? rest.slice(1) : rest });
    return messageAnswers.shift(); // dismissed when no answer is queued
  },
  /** Runs the task at once, its reports recorded; `progressRuns` cancels its token as the user's Cancel does. */
  withProgress: <R>(
    _options: unknown,
    task: (progress: { report(v: { message?: string }): void }, token: unknown) => Promise<R>,
  ): Promise<R> => {
    const cancelled = new EventEmitter<void>();
    const run: ProgressRun = {
      reports: [],
      cancelled: false,
      cancel: () => {
        if (run.cancelled) return;
        run.cancelled = true;
        cancelled.fire();
      },
    };
    progressRuns.push(run);
    return task(
      { report: (v) => void run.reports.push(v.message ?? '') },
      {
        get isCancellationRequested() {
          return run.cancelled;
        },
        onCancellationRequested: cancelled.event,
      },
    );
  },
  createOutputChannel: notAvailable('window.createOutputChannel'),
  createQuickPick: () => {
    const q = new FakeQuickPick();
    quickInputs.push(q);
    return q;
  },
  createInputBox: () => {
    const q = new FakeInputBox();
    quickInputs.push(q);
    return q;
  },
};

/** URLs handed to `env.openExternal`. */
export const openedExternal: string[] = [];

export const env = {
  language: 'en',
  asExternalUri: async (u: Uri) => u,
  openExternal: async (u: Uri) => {
    openedExternal.push(u.toString());
    return true;
  },
  clipboard: { writeText: async () => undefined },
};

export const commands = {
  registerCommand: (id: string, fn: (...args: unknown[]) => unknown) => registerIn(registered.commands, id, fn),
  executeCommand: async (command: string, ...args: unknown[]) => {
    executedCommands.push({ command, args });
    return undefined;
  },
};

/** Settings as the user (`global`) and the workspace (`workspace`) set them; `get` merges, workspace winning. */
export const configuration = { global: {} as Record<string, unknown>, workspace: {} as Record<string, unknown> };

/** Fire with the changed keys to play a settings change (`workspace.onDidChangeConfiguration`). */
export const configurationChanged = new EventEmitter<{ affectsConfiguration(section: string): boolean }>();

export const languages = {
  registerCodeLensProvider: (selector: unknown, provider: unknown) => {
    const entry = { selector, provider };
    registered.codeLenses.push(entry);
    return new Disposable(() => registered.codeLenses.splice(registered.codeLenses.indexOf(entry), 1));
  },
};

export const workspace = {
  registerTextDocumentContentProvider: (scheme: string, p: unknown) =>
    registerIn(registered.contentProviders, scheme, p),
  workspaceFolders: undefined as unknown,
  /** Relative to the first workspace folder when inside it, else the path itself (as VS Code does). */
  asRelativePath(p: Uri | string): string {
    const path = typeof p === 'string' ? p : p.fsPath;
    const root = (workspace.workspaceFolders as { uri: Uri }[] | undefined)?.[0]?.uri.fsPath;
    return root && path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
  },
  onDidChangeConfiguration: configurationChanged.event,
  onDidChangeWorkspaceFolders: new EventEmitter<unknown>().event,
  getWorkspaceFolder(u: Uri): { uri: Uri; name: string; index: number } | undefined {
    return (workspace.workspaceFolders as { uri: Uri; name: string; index: number }[] | undefined)?.find(
      (f) => u.fsPath === f.uri.fsPath || u.fsPath.startsWith(`${f.uri.fsPath}/`),
    );
  },
  /** The files below the pattern's folder whose relative path matches its glob (Node's `path.matchesGlob`). */
  async findFiles(include: RelativePattern, _exclude?: unknown, max = Infinity): Promise<Uri[]> {
    const root = include.baseUri.fsPath;
    return (readdirSync(root, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
      .filter((d) => d.isFile())
      .map((d) => joinFs((d as unknown as { parentPath?: string; path: string }).parentPath ?? d.path, d.name))
      .filter((f) => matchesGlob(relativeFs(root, f).split(sep).join('/'), include.pattern))
      .slice(0, max)
      .map((f) => Uri.file(f));
  },
  /** A watcher that never fires (tests change files and update explicitly). */
  createFileSystemWatcher: () => ({
    onDidCreate: () => new Disposable(),
    onDidChange: () => new Disposable(),
    onDidDelete: () => new Disposable(),
    dispose: () => undefined,
  }),
  getConfiguration(section: string) {
    const full = (key: string) => `${section}.${key}`;
    return {
      get: <T>(key: string): T | undefined =>
        (configuration.workspace[full(key)] ?? configuration.global[full(key)]) as T | undefined,
      inspect: <T>(key: string) => ({
        key: full(key),
        globalValue: configuration.global[full(key)] as T | undefined,
        workspaceValue: configuration.workspace[full(key)] as T | undefined,
      }),
    };
  },
};

/** The MCP server definition the editor receives from a provider (agents/mcpProvider.ts). */
export class McpStdioServerDefinition {
  cwd?: Uri;
  constructor(
    readonly label: string,
    public command: string,
    public args: string[] = [],
    public env: Record<string, string | number | null> = {},
    public version?: string,
  ) {}
}

export class LanguageModelTextPart {
  constructor(public value: string) {}
}

export class LanguageModelToolResult {
  constructor(public content: unknown[]) {}
}

export class CancellationError extends Error {
  constructor() {
    super('Canceled');
    this.name = 'Canceled';
  }
}

/** Tools and MCP server providers registered through `vscode.lm`, by name / id. */
export const registeredTools = new Map<string, unknown>();
export const registeredMcpProviders = new Map<string, unknown>();

export const lm = {
  registerTool(name: string, tool: unknown): Disposable {
    if (registeredTools.has(name)) throw new Error(`tool ${name} registered twice`);
    registeredTools.set(name, tool);
    return new Disposable(() => registeredTools.delete(name));
  },
  registerMcpServerDefinitionProvider(id: string, provider: unknown): Disposable {
    registeredMcpProviders.set(id, provider);
    return new Disposable(() => registeredMcpProviders.delete(id));
  },
};

/** `vscode.l10n` without a translation loaded: VS Code's own formatting, from the library that shares it. */
export const l10n = {
  t: l10nLib.t,
  bundle: undefined as Record<string, string> | undefined,
  uri: undefined as Uri | undefined,
};

const stub = {
  l10n,
  lm,
  McpStdioServerDefinition,
  LanguageModelTextPart,
  LanguageModelToolResult,
  CancellationError,
  registeredTools,
  registeredMcpProviders,
  TreeItemCollapsibleState,
  ViewColumn,
  ThemeColor,
  ThemeIcon,
  MarkdownString,
  TreeItem,
  Disposable,
  EventEmitter,
  Uri,
  QuickInputButtons,
  window,
  progressRuns,
  ProgressLocation,
  RelativePattern,
  env,
  commands,
  languages,
  workspace,
  configuration,
  configurationChanged,
};

const STUB_ID = '/__gendeck_vscode_stub__/vscode.js';
let installed = false;

/** Makes `require('vscode')` return this stub (idempotent). Call before loading editor-layer modules. */
export function installVscodeStub(): typeof stub {
  if (installed) return stub;
  installed = true;
  const M = Module as unknown as {
    _resolveFilename: (request: string, ...rest: unknown[]) => string;
    _cache: Record<string, unknown>;
  };
  const original = M._resolveFilename;
  M._resolveFilename = function (request: string, ...rest: unknown[]) {
    if (request === 'vscode') return STUB_ID;
    return original.call(this, request, ...rest);
  };
  const mod = new Module(STUB_ID);
  mod.filename = STUB_ID;
  mod.loaded = true;
  mod.exports = stub;
  (require.cache as Record<string, unknown>)[STUB_ID] = mod;
  return stub;
}

installVscodeStub();
