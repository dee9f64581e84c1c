'use strict';
// GenDeck's extension-host integration suite: runs inside a real VS Code extension host with the real `vscode` API.
// Two phases around a window reload: `before` sets things up and checks them, `after` checks what survived the reload.
// Each test gets `h` (helpers + shared state) and throws to fail. `h.assist(steps)` asks the outside runner (Playwright,
// driving this same workbench) to answer UI prompts — a password box, a quick pick, a modal dialog — that a command
// opens; where no runner is there (test-electron), tests that need it are skipped.
const vscode = require('vscode');
const fs = require('fs');
const path = require('path');

const GENDECK_ID = 'gendeck.gendeck';
const PROMPT = 'In-host suite: a paper boat drifting down a rain gutter';

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

async function waitFor(fn, what, timeout = 30000, interval = 250) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? ` (${last.message})` : ''}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/**
 * GenDeck's API: its activate() result's ready() loads GenDeck's parts and gives {g: the services (store, secrets,
 * sandbox, context, …), ui: the shared UI}.
 */
async function api() {
  const ext = vscode.extensions.getExtension(GENDECK_ID);
  assert(ext, `${GENDECK_ID} is not installed`);
  const shell = ext.isActive ? ext.exports : await ext.activate();
  assert(
    shell && typeof shell.ready === 'function',
    `${GENDECK_ID} exports no ready() (got ${shell && Object.keys(shell)})`,
  );
  const exported = await shell.ready();
  assert(
    exported && exported.g && exported.g.store && exported.ui,
    `${GENDECK_ID} exports no API (got ${exported && Object.keys(exported)})`,
  );
  return exported;
}

/** The services. */
async function gendeck() {
  return (await api()).g;
}

/** The Jobs tree's data provider. */
async function jobsTree() {
  return (await api()).ui.jobsTree;
}

const label = (item) => (typeof item.label === 'string' ? item.label : item.label && item.label.label);

const before = [
  [
    'GenDeck is installed, active and exports its API',
    async (h) => {
      const ext = vscode.extensions.getExtension(GENDECK_ID);
      assert(ext, 'not installed');
      const g = await gendeck();
      assert(ext.isActive, 'not active');
      for (const k of ['store', 'secrets', 'sandbox', 'context']) assert(g[k], `exports lack ${k}`);
      assert((await jobsTree()).getChildren, 'exports lack the Jobs tree');
      h.state.extensionVersion = ext.packageJSON.version;
    },
  ],

  [
    'every command in package.json is registered',
    async () => {
      const ext = vscode.extensions.getExtension(GENDECK_ID);
      const declared = (ext.packageJSON.contributes.commands || []).map((c) => c.command);
      assert(declared.length > 5, `only ${declared.length} commands declared`);
      const all = new Set(await vscode.commands.getCommands(true));
      const missing = declared.filter((c) => !all.has(c));
      assert(!missing.length, `not registered: ${missing.join(', ')}`);
      for (const v of ext.packageJSON.contributes.views.gendeck || [])
        assert(v.id.startsWith('gendeck.'), `odd view id ${v.id}`);
    },
  ],

  [
    'gendeck.trySandbox starts the sandbox',
    async () => {
      const g = await gendeck();
      // The command awaits its notification's buttons; do not wait for it.
      void vscode.commands.executeCommand('gendeck.trySandbox');
      await waitFor(() => g.sandbox.active, 'the sandbox to be active', 20000);
    },
  ],

  [
    'gendeck.setApiKey stores the key in SecretStorage (password box answered through the UI)',
    async (h) => {
      const g = await gendeck();
      h.needsAssist();
      const key = `sk-inhost-${Math.random().toString(36).slice(2)}`;
      h.state.key = key;
      const run = vscode.commands.executeCommand('gendeck.setApiKey', 'seedancee2');
      await h.assist([
        { kind: 'input', match: 'API key', text: key, password: true },
        { kind: 'dialog', button: 'Save Without Checking', optional: true, timeout: 30000 },
      ]);
      await Promise.race([
        run,
        new Promise((_, rej) => setTimeout(() => rej(new Error('setApiKey did not finish')), 30000)),
      ]);
      await waitFor(
        async () => (await g.secrets.get('seedancee2')) === key,
        'the key in GenDeck secret storage',
        10000,
      );
      // Secret storage is per extension: this harness cannot read GenDeck's slot.
      assert(
        (await h.context.secrets.get('gendeck.key.seedancee2')) === undefined,
        'another extension can read the key',
      );
      const cfg = JSON.stringify(vscode.workspace.getConfiguration('gendeck'));
      assert(!cfg.includes(key), 'the key appears in the gendeck configuration');
    },
  ],

  [
    'a Seedancee2 video from gendeck.seedancee2.newFromPrompt reaches succeeded',
    async (h) => {
      const g = await gendeck();
      h.needsAssist();
      const run = vscode.commands.executeCommand('gendeck.seedancee2.newFromPrompt');
      await h.assist([
        { kind: 'input', match: 'Seedancee2', text: PROMPT },
        { kind: 'pick', match: 'Model', label: 'mini' },
        { kind: 'pick', match: 'Duration', label: '4 s' },
        { kind: 'pick', match: 'Resolution', label: '480p' },
        { kind: 'pick', match: 'Aspect ratio', label: '16:9' },
        { kind: 'dialog', button: 'Generate' },
      ]);
      await run;
      const job = await waitFor(() => g.store.all().find((j) => j.title === PROMPT), 'the job in the store', 20000);
      h.state.jobKey = job.key;
      const done = await waitFor(
        () => {
          const j = g.store.get(job.key);
          return j && ['succeeded', 'failed', 'canceled', 'timeout'].includes(j.status) && j;
        },
        'the job to finish',
        60000,
      );
      assert(done.status === 'succeeded', `job ended ${done.status}: ${JSON.stringify(done.error)}`);
      assert(
        done.outputs.some((o) => o.kind === 'video'),
        `no video output: ${JSON.stringify(done.outputs)}`,
      );
    },
  ],

  [
    'Jobs tree items: provider group → job (label, status, icon, context, preview command) → outputs',
    async (h) => {
      const g = await gendeck();
      assert(h.state.jobKey, 'no job from the previous test');
      const tree = await jobsTree();
      const roots = await tree.getChildren();
      const provNode = roots.find((n) => n.type === 'provider' && n.provider === 'seedancee2');
      assert(provNode, `no seedancee2 group among ${JSON.stringify(roots)}`);
      const provItem = await tree.getTreeItem(provNode);
      assert(label(provItem) === 'Seedancee2', `group label ${label(provItem)}`);
      assert(provItem.collapsibleState === vscode.TreeItemCollapsibleState.Expanded, 'group not expanded');
      const jobs = await tree.getChildren(provNode);
      const jobNode = jobs.find((n) => n.key === h.state.jobKey);
      assert(jobNode, 'job not under its group');
      const item = await tree.getTreeItem(jobNode);
      assert(label(item) === PROMPT, `job label ${label(item)}`);
      assert(/succeeded/.test(String(item.description)), `job description ${item.description}`);
      assert(
        item.iconPath instanceof vscode.ThemeIcon && item.iconPath.id === 'pass',
        `job icon ${JSON.stringify(item.iconPath)}`,
      );
      assert(
        /\bstatus-succeeded\b/.test(item.contextValue) && /\bhasOutputs\b/.test(item.contextValue),
        `contextValue ${item.contextValue}`,
      );
      assert(
        item.command && item.command.command === 'gendeck.openPreview',
        `job command ${JSON.stringify(item.command)}`,
      );
      // The tooltip is built on hover, as VS Code asks for it.
      const resolved = await tree.resolveTreeItem(item, jobNode, new vscode.CancellationTokenSource().token);
      assert(resolved.tooltip && /Seedancee2/.test(resolved.tooltip.value), 'no tooltip naming the provider');
      const kids = await tree.getChildren(jobNode);
      const outs = await Promise.all(kids.map((k) => tree.getTreeItem(k)));
      assert(
        kids.some((k) => k.type === 'output' && k.output.kind === 'video'),
        `job children ${JSON.stringify(kids)}`,
      );
      assert(
        outs.every((o) => o.command && o.command.command === 'gendeck.openPreview'),
        'an output item does not open the preview',
      );
    },
  ],

  [
    'gendeck.openPreview opens a webview panel for the job',
    async (h) => {
      await vscode.commands.executeCommand('gendeck.openPreview', { type: 'job', key: h.state.jobKey });
      await waitFor(
        () =>
          vscode.window.tabGroups.all.some((gr) =>
            gr.tabs.some(
              (t) =>
                t.input instanceof vscode.TabInputWebview &&
                /gendeck\.preview/.test(t.input.viewType) &&
                t.label.includes(PROMPT),
            ),
          ),
        'a gendeck.preview webview tab',
        10000,
      );
    },
  ],

  [
    "the job store is written to disk (the shared list in this session's GENDECK_STATE_DIR)",
    async (h) => {
      const g = await gendeck();
      await g.store.flush();
      const file = g.store.file;
      const dir = process.env.GENDECK_STATE_DIR;
      assert(dir && file === path.join(dir, 'jobs.json'), `${file} is not in GENDECK_STATE_DIR (${dir})`);
      assert(fs.existsSync(file), `${file} missing`);
      const text = fs.readFileSync(file, 'utf8');
      assert(text.includes(h.state.jobKey), 'the job is not in jobs.json');
      if (h.state.key) assert(!text.includes(h.state.key), 'the API key is in jobs.json');
      h.state.storeFile = file;
    },
  ],
];

const after = [
  [
    'after a window reload: the job store is restored',
    async (h) => {
      const g = await gendeck();
      assert(h.state.jobKey, 'no job key from before the reload');
      const job = await waitFor(() => g.store.get(h.state.jobKey), 'the job in the restored store', 10000);
      assert(
        job.status === 'succeeded' && job.title === PROMPT,
        `restored job ${JSON.stringify({ status: job.status, title: job.title })}`,
      );
      assert(job.outputs.length > 0, 'restored job lost its outputs');
      const roots = await (await jobsTree()).getChildren();
      assert(
        roots.some((n) => n.type === 'provider' && n.provider === 'seedancee2'),
        'the tree lost the Seedancee2 group',
      );
    },
  ],

  [
    'after a window reload: the key is still in SecretStorage',
    async (h) => {
      if (!h.state.key) return h.skip('no key was set before the reload');
      const g = await gendeck();
      assert((await g.secrets.get('seedancee2')) === h.state.key, 'the key did not survive the reload');
    },
  ],

  [
    'after a window reload: sandbox mode comes back',
    async () => {
      const g = await gendeck();
      await waitFor(() => g.sandbox.active, 'the sandbox to be active again', 15000);
    },
  ],

  [
    'gendeck.clearApiKey removes the key (confirmation answered through the UI)',
    async (h) => {
      if (!h.state.key) return h.skip('no key was set');
      const g = await gendeck();
      h.needsAssist();
      const run = vscode.commands.executeCommand('gendeck.clearApiKey', 'seedancee2');
      await h.assist([{ kind: 'dialog', button: 'Remove' }]);
      await run;
      await waitFor(async () => !(await g.secrets.has('seedancee2')), 'the key to be gone', 10000);
    },
  ],
];

module.exports = { before, after, waitFor, assert };
