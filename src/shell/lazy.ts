import * as vscode from 'vscode';

// Stand-ins the editor registers at activation for what GenDeck's own parts provide once they are loaded
// (src/main.ts): each forwards to its target, and a call that needs the target before it is there loads GenDeck.

/** Loads GenDeck's parts (once); resolves when every target is attached. */
export type Load = () => Promise<unknown>;

/**
 * One target, attached by GenDeck's parts when they load; `get` loads them first if need be. The target's change
 * event (`eventOf`) is relayed through `changed`, which the editor subscribed to when the stand-in was registered.
 */
class Slot<T, E = void> implements vscode.Disposable {
  target: T | undefined;
  readonly changed = new vscode.EventEmitter<E>();
  constructor(
    private readonly load: Load,
    private readonly eventOf: (target: T) => vscode.Event<E> | undefined = () => undefined,
  ) {}

  async get(): Promise<T | undefined> {
    if (!this.target) await this.load();
    return this.target;
  }

  /** `refresh`: fired once attached (a whole view redrawn from the target). */
  attach(target: T, ...refresh: [] | [E]): vscode.Disposable {
    this.target = target;
    const sub = this.eventOf(target)?.((e) => this.changed.fire(e));
    if (refresh.length) this.changed.fire(refresh[0] as E);
    return new vscode.Disposable(() => {
      sub?.dispose();
      if (this.target === target) this.target = undefined;
    });
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** A tree view's data: the first `getChildren` (the view shown) loads GenDeck. */
export class LazyTree<T = unknown> implements vscode.TreeDataProvider<T>, vscode.Disposable {
  private readonly slot: Slot<vscode.TreeDataProvider<T>, T | T[] | undefined | null | void>;
  readonly onDidChangeTreeData: vscode.Event<T | T[] | undefined | null | void>;

  constructor(load: Load) {
    this.slot = new Slot(load, (t) => t.onDidChangeTreeData);
    this.onDidChangeTreeData = this.slot.changed.event;
  }

  attach(target: vscode.TreeDataProvider<T>): vscode.Disposable {
    return this.slot.attach(target, undefined);
  }

  async getChildren(element?: T): Promise<T[]> {
    return (await (await this.slot.get())?.getChildren(element)) ?? [];
  }

  /** Elements exist only once the target gave them. */
  getTreeItem(element: T): vscode.TreeItem | Thenable<vscode.TreeItem> {
    return this.slot.target?.getTreeItem(element) ?? new vscode.TreeItem('');
  }

  getParent(element: T): vscode.ProviderResult<T> {
    return this.slot.target?.getParent?.(element);
  }

  resolveTreeItem(
    item: vscode.TreeItem,
    element: T,
    token: vscode.CancellationToken,
  ): vscode.ProviderResult<vscode.TreeItem> {
    const target = this.slot.target;
    return target?.resolveTreeItem ? target.resolveTreeItem(item, element, token) : item;
  }

  dispose(): void {
    this.slot.dispose();
  }
}

/** Dragging out of a tree: only elements the target gave can be dragged, so it is there. */
export class LazyDrag<T = unknown> implements vscode.TreeDragAndDropController<T> {
  private target: vscode.TreeDragAndDropController<T> | undefined;
  readonly dropMimeTypes: readonly string[] = [];
  constructor(readonly dragMimeTypes: readonly string[]) {}

  attach(target: vscode.TreeDragAndDropController<T>): vscode.Disposable {
    this.target = target;
    return new vscode.Disposable(() => (this.target = undefined));
  }

  handleDrag(source: readonly T[], data: vscode.DataTransfer, token: vscode.CancellationToken): void | Thenable<void> {
    return this.target?.handleDrag?.(source, data, token);
  }
}

/** A webview view (the Search view): shown, it loads GenDeck. */
export class LazyWebviewView implements vscode.WebviewViewProvider {
  private readonly slot: Slot<vscode.WebviewViewProvider>;
  constructor(load: Load) {
    this.slot = new Slot(load);
  }
  attach(target: vscode.WebviewViewProvider): vscode.Disposable {
    return this.slot.attach(target);
  }
  async resolveWebviewView(
    view: vscode.WebviewView,
    context: vscode.WebviewViewResolveContext,
    token: vscode.CancellationToken,
  ): Promise<void> {
    await (await this.slot.get())?.resolveWebviewView(view, context, token);
  }
}

/** Preview panels restored with the window load GenDeck to fill them. */
export class LazySerializer implements vscode.WebviewPanelSerializer {
  private readonly slot: Slot<vscode.WebviewPanelSerializer>;
  constructor(load: Load) {
    this.slot = new Slot(load);
  }
  attach(target: vscode.WebviewPanelSerializer): vscode.Disposable {
    return this.slot.attach(target);
  }
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const target = await this.slot.get();
    if (target) await target.deserializeWebviewPanel(panel, state);
    else panel.dispose();
  }
}

/** The assets manifest's CodeLens: a manifest opened loads GenDeck. */
export class LazyCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly slot: Slot<vscode.CodeLensProvider>;
  readonly onDidChangeCodeLenses: vscode.Event<void>;
  constructor(load: Load) {
    this.slot = new Slot(load, (t) => t.onDidChangeCodeLenses);
    this.onDidChangeCodeLenses = this.slot.changed.event;
  }
  attach(target: vscode.CodeLensProvider): vscode.Disposable {
    return this.slot.attach(target, undefined);
  }
  async provideCodeLenses(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    return (await (await this.slot.get())?.provideCodeLenses(doc, token)) ?? [];
  }
  resolveCodeLens(lens: vscode.CodeLens, token: vscode.CancellationToken): vscode.ProviderResult<vscode.CodeLens> {
    const target = this.slot.target;
    return target?.resolveCodeLens ? target.resolveCodeLens(lens, token) : lens;
  }
  dispose(): void {
    this.slot.dispose();
  }
}

/** GenDeck's read-only documents (reports, logs of a job); one restored with the window loads GenDeck. */
export class LazyDocs implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly slot: Slot<vscode.TextDocumentContentProvider, vscode.Uri>;
  readonly onDidChange: vscode.Event<vscode.Uri>;
  constructor(load: Load) {
    this.slot = new Slot(load, (t) => t.onDidChange);
    this.onDidChange = this.slot.changed.event;
  }
  attach(target: vscode.TextDocumentContentProvider): vscode.Disposable {
    return this.slot.attach(target);
  }
  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    return (await (await this.slot.get())?.provideTextDocumentContent(uri, token)) ?? '';
  }
  dispose(): void {
    this.slot.dispose();
  }
}

/** Every language-model tool by name: a call loads GenDeck. */
export class LazyTools {
  private readonly slot: Slot<ReadonlyMap<string, vscode.LanguageModelTool<object>>>;
  constructor(load: Load) {
    this.slot = new Slot(load);
  }
  attach(tools: ReadonlyMap<string, vscode.LanguageModelTool<object>>): vscode.Disposable {
    return this.slot.attach(tools);
  }
  private async tool(name: string): Promise<vscode.LanguageModelTool<object>> {
    const tool = (await this.slot.get())?.get(name);
    if (!tool) throw new Error(`GenDeck has no tool ${name}.`);
    return tool;
  }
  /** The stand-in registered for `name`. */
  stand(name: string): vscode.LanguageModelTool<object> {
    return {
      prepareInvocation: async (options, token) => (await this.tool(name)).prepareInvocation?.(options, token),
      invoke: async (options, token) => (await this.tool(name)).invoke(options, token),
    };
  }
}

/** The MCP server definitions: asked for, they load GenDeck. */
export class LazyMcp implements vscode.McpServerDefinitionProvider, vscode.Disposable {
  private readonly slot: Slot<vscode.McpServerDefinitionProvider>;
  readonly onDidChangeMcpServerDefinitions: vscode.Event<void>;
  constructor(load: Load) {
    this.slot = new Slot(load, (t) => t.onDidChangeMcpServerDefinitions);
    this.onDidChangeMcpServerDefinitions = this.slot.changed.event;
  }
  attach(target: vscode.McpServerDefinitionProvider): vscode.Disposable {
    return this.slot.attach(target, undefined);
  }
  async provideMcpServerDefinitions(token: vscode.CancellationToken): Promise<vscode.McpServerDefinition[]> {
    return (await (await this.slot.get())?.provideMcpServerDefinitions(token)) ?? [];
  }
  async resolveMcpServerDefinition(
    def: vscode.McpServerDefinition,
    token: vscode.CancellationToken,
  ): Promise<vscode.McpServerDefinition | undefined> {
    const target = await this.slot.get();
    return (
      (target?.resolveMcpServerDefinition ? await target.resolveMcpServerDefinition(def, token) : def) ?? undefined
    );
  }
  dispose(): void {
    this.slot.dispose();
  }
}
