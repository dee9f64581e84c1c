// The shell (src/shell/views.ts on the `vscode` stub): activation registers every view, the manifest's lens, the
// preview serializer, GenDeck's documents and a stand-in per contributed tool, and loads nothing; the first use of
// each (a view shown, a tool called, a manifest opened, a panel restored) loads GenDeck's parts once, and from then
// on the stand-in answers with what the parts attached, their changes relayed.
import '../support/vscodeStub';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { MANIFEST_NAME } from '../../src/core/assets/manifest';
import { listHasActiveJobs } from '../../src/core/jobs/status';
import { startShell } from '../../src/extension';
import type { Main } from '../../src/main';
import { RENAMED_COMMANDS } from '../../src/commandIds';
import { MANIFEST_FILE, ShellViews, type ExtensionManifest } from '../../src/shell/views';
import { EventEmitter, registered, registeredMcpProviders, registeredTools, TreeItem } from '../support/vscodeStub';

const manifest = JSON.parse(
  readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'),
) as ExtensionManifest & {
  contributes: { views: Record<string, { id: string }[]>; languageModelTools: { name: string }[] };
};
const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) } as never;

/** A shell whose load counts and attaches what `parts` attaches. */
function shell(parts: (s: ShellViews) => void = () => undefined): { views: ShellViews; loads: () => number } {
  let loads = 0;
  let loading: Promise<void> | undefined;
  const views: ShellViews = new ShellViews(manifest, () => {
    loading ??= (async () => {
      loads++;
      await new Promise((r) => setImmediate(r));
      parts(views);
    })();
    return loading;
  });
  return { views, loads: () => loads };
}

describe('the shell', () => {
  it('registers every contributed view, the lens, the serializer, documents and tools — and loads nothing', () => {
    const { views, loads } = shell();
    try {
      const contributed = manifest.contributes.views.gendeck.map((v) => v.id).sort();
      assert.deepEqual([...registered.treeViews.keys(), ...registered.webviewViews.keys()].sort(), contributed);
      assert.deepEqual([...registered.serializers.keys()], ['gendeck.preview']);
      assert.deepEqual([...registered.contentProviders.keys()], ['gendeck-doc']);
      assert.equal(registered.codeLenses.length, 1);
      assert.deepEqual(
        [...registeredTools.keys()],
        manifest.contributes.languageModelTools.map((t) => t.name),
      );
      assert.deepEqual([...registeredMcpProviders.keys()], ['gendeck.mcpServers']);
      assert.equal(loads(), 0);
    } finally {
      views.dispose();
    }
    assert.equal(registered.treeViews.size + registered.webviewViews.size + registeredTools.size, 0);
  });

  it("a view shown loads GenDeck once, then shows the parts' tree, their changes relayed", async () => {
    const changed = new EventEmitter<string | undefined>();
    const jobs: vscode.TreeDataProvider<string> = {
      onDidChangeTreeData: changed.event,
      getChildren: (e) => (e ? [] : ['a', 'b']),
      getTreeItem: (e) => new TreeItem(`job ${e}`) as unknown as vscode.TreeItem,
      getParent: () => undefined,
    };
    const { views, loads } = shell((s) => void s.jobs.tree.attach(jobs as vscode.TreeDataProvider<unknown>));
    try {
      const tree = registered.treeViews.get('gendeck.jobs')!.options
        .treeDataProvider as vscode.TreeDataProvider<string>;
      const seen: unknown[] = [];
      tree.onDidChangeTreeData!((e) => seen.push(e));
      const [first, second] = await Promise.all([tree.getChildren(), tree.getChildren()]);
      assert.deepEqual(first, ['a', 'b']);
      assert.deepEqual(second, ['a', 'b']);
      assert.equal(loads(), 1);
      assert.equal((tree.getTreeItem('a') as unknown as TreeItem).label, 'job a');
      changed.fire('a');
      assert.deepEqual(seen, [undefined, 'a'], 'attached (a full refresh), then the change of one job');
      assert.deepEqual(await tree.getChildren(), ['a', 'b']);
      assert.equal(loads(), 1);
    } finally {
      views.dispose();
    }
  });

  it('a tool called loads GenDeck and runs its tool; a name GenDeck lacks is refused', async () => {
    const calls: string[] = [];
    const tool: vscode.LanguageModelTool<object> = {
      prepareInvocation: async () => {
        calls.push('prepare');
        return { invocationMessage: 'x' };
      },
      invoke: async () => {
        calls.push('invoke');
        return { content: [] } as unknown as vscode.LanguageModelToolResult;
      },
    };
    const { views, loads } = shell((s) => void s.lmTools.attach(new Map([['gendeck_job_status', tool]])));
    try {
      const standIn = registeredTools.get('gendeck_job_status') as vscode.LanguageModelTool<object>;
      assert.equal(loads(), 0);
      await standIn.prepareInvocation!({ input: {} }, token);
      await standIn.invoke({ input: {}, toolInvocationToken: undefined }, token);
      assert.deepEqual(calls, ['prepare', 'invoke']);
      assert.equal(loads(), 1);
      const other = registeredTools.get('gendeck_list_providers') as vscode.LanguageModelTool<object>;
      await assert.rejects(
        Promise.resolve(other.invoke({ input: {}, toolInvocationToken: undefined }, token)),
        /no tool gendeck_list_providers/,
      );
    } finally {
      views.dispose();
    }
  });

  it('a manifest opened and a preview restored load GenDeck and reach their providers', async () => {
    const lens = { provideCodeLenses: () => [{ range: 1 }] } as unknown as vscode.CodeLensProvider;
    const restored: unknown[] = [];
    const previews: vscode.WebviewPanelSerializer = {
      deserializeWebviewPanel: async (_panel, state) => void restored.push(state),
    };
    const { views, loads } = shell((s) => {
      s.lens.attach(lens);
      s.previews.attach(previews);
    });
    try {
      const standIn = registered.codeLenses[0].provider as vscode.CodeLensProvider;
      assert.deepEqual(await standIn.provideCodeLenses({} as vscode.TextDocument, token), [{ range: 1 }]);
      const serializer = registered.serializers.get('gendeck.preview') as vscode.WebviewPanelSerializer;
      await serializer.deserializeWebviewPanel({} as vscode.WebviewPanel, { key: 'k' });
      assert.deepEqual(restored, [{ key: 'k' }]);
      assert.equal(loads(), 1);
    } finally {
      views.dispose();
    }
  });

  it("the lens's file name is the manifest's", () => {
    assert.equal(MANIFEST_FILE, MANIFEST_NAME);
  });
});

const file = (jobs: unknown) => {
  const f = join(mkdtempSync(join(tmpdir(), 'gendeck-shell-')), 'jobs.json');
  writeFileSync(f, typeof jobs === 'string' ? jobs : JSON.stringify({ version: 1, jobs }));
  return f;
};

describe('activation (extension.ts startShell)', () => {
  /** An extension context whose earlier job list was (or was not yet) brought in. */
  const context = (migrated: boolean, globalStorage = mkdtempSync(join(tmpdir(), 'gendeck-shell-storage-'))) =>
    ({
      extension: { packageJSON: manifest },
      subscriptions: [] as { dispose(): void }[],
      globalState: { get: () => migrated },
      globalStorageUri: { fsPath: globalStorage },
    }) as unknown as vscode.ExtensionContext;
  /** A global storage folder holding an earlier version's job list. */
  const earlierList = () => {
    const dir = mkdtempSync(join(tmpdir(), 'gendeck-shell-storage-'));
    writeFileSync(join(dir, 'jobs.json'), JSON.stringify({ version: 1, jobs: [{ status: 'succeeded' }] }));
    return dir;
  };
  const noList = () => join(tmpdir(), 'gendeck-no-such-dir', 'jobs.json');
  /** GenDeck's parts as a fake: counts its loads and records the commands it runs. */
  const parts = () => {
    const runs: [string, unknown[]][] = [];
    let loads = 0;
    const main: Main = {
      api: {} as Main['api'],
      run: async (id, args) => runs.push([id, args]),
      deactivate: async () => undefined,
    };
    return {
      runs,
      loads: () => loads,
      load: async () => {
        loads++;
        return main;
      },
    };
  };
  const dispose = (c: vscode.ExtensionContext) => c.subscriptions.forEach((d) => d.dispose());

  it('with no job to follow nothing loads; a command loads GenDeck once and runs there with its arguments', async () => {
    const c = context(true);
    const p = parts();
    const shell = startShell(c, p.load, file([{ status: 'succeeded' }]));
    try {
      assert.equal(await shell.startUp, false);
      assert.equal(p.loads(), 0);
      const contributed = (manifest.contributes.commands ?? []).map((x) => x.command);
      assert.deepEqual(
        [...registered.commands.keys()].sort(),
        [...contributed, ...Object.keys(RENAMED_COMMANDS)].sort(),
      );
      await registered.commands.get('gendeck.refreshJob')!('seele:a', 2);
      await registered.commands.get('gendeck.seedance.showUsage')!();
      assert.deepEqual(p.runs, [
        ['gendeck.refreshJob', ['seele:a', 2]],
        ['gendeck.seedance.showUsage', []],
      ]);
      assert.equal(p.loads(), 1);
    } finally {
      dispose(c);
    }
    assert.equal(registered.commands.size, 0);
  });

  const atStartUp: [string, () => vscode.ExtensionContext, () => string, boolean][] = [
    [
      'a job still running from the last session loads GenDeck at start-up, so its polling resumes',
      () => context(true),
      () => file([{ status: 'succeeded' }, { status: 'running' }]),
      true,
    ],
    [
      "an earlier version's job list still to bring in loads GenDeck at start-up",
      () => context(false, earlierList()),
      noList,
      true,
    ],
    ['a first start with nothing to bring in or follow loads nothing', () => context(false), noList, false],
  ];
  for (const [name, makeContext, list, loads] of atStartUp)
    it(name, async () => {
      const c = makeContext();
      const p = parts();
      const shell = startShell(c, p.load, list());
      try {
        assert.equal(p.loads(), 0, 'never inside activate()');
        assert.equal(await shell.startUp, loads);
        await shell.loaded();
        assert.equal(p.loads(), loads ? 1 : 0);
      } finally {
        dispose(c);
      }
    });
});

describe('jobs to follow at start-up (read before GenDeck loads)', () => {
  it('a running job, or a finished one with a step still being sent, is to follow', async () => {
    assert.equal(await listHasActiveJobs(file([{ status: 'succeeded' }, { status: 'running' }])), true);
    assert.equal(await listHasActiveJobs(file([{ status: 'succeeded', steps: [{ state: 'sending' }] }])), true);
  });

  it('finished jobs, a missing, damaged or strange file: nothing to follow', async () => {
    assert.equal(await listHasActiveJobs(file([{ status: 'succeeded' }, { status: 'failed', steps: [] }])), false);
    assert.equal(await listHasActiveJobs(join(tmpdir(), 'gendeck-no-such-dir', 'jobs.json')), false);
    assert.equal(await listHasActiveJobs(file('{"version":1,"jobs":[{"status":')), false);
    assert.equal(await listHasActiveJobs(file([null, 3, { status: 7 }])), false);
  });
});
