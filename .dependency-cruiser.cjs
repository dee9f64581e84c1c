// The floors of GenDeck, lowest first, checked in npm test (`npm run deps`). An import may only go down a floor.
//   core/<engine>      http, jobs, fs, media, x402, search, forms, emulation, … and core/providerIds.ts: plain Node, no providers
//   core/providers     one descriptor + adapter per provider, over the engine
//   sandbox            the sandbox server over the emulators (core/providers/<id>/emulator.ts): core only
//   webview-ui         the browser bundles: their own code and the protocol's types only
//   editor base        settings.ts, secrets.ts, sandboxControl.ts, context.ts (GenDeck's services)
//   ui                 views/ and webview/ (trees, panels, formatters) over the services
//   commands, features generic commands and one folder per provider; features never import each other
//   agents             the language-model tools and the MCP server definition (agents/): beside the commands, over
//                      core, the services, the views and the shared commands' helpers; never a feature
//   extension.ts       wiring
//   cli/               the CLI and the MCP server (dist/cli.js), beside extension.ts: core and sandbox only
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import circles hide which piece owns what.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-stays-core',
      severity: 'error',
      comment: 'src/core is plain Node: it imports nothing of the editor, the sandbox or the webviews.',
      from: { path: '^src/core/' },
      to: { path: '^src/(?!core/)|^vscode$' },
    },
    {
      name: 'engine-below-providers',
      severity: 'error',
      comment: 'The engine (everything in core but providers/) knows provider ids only through core/providerIds.ts.',
      from: { path: '^src/core/(?!providers/)' },
      to: { path: '^src/core/providers/' },
    },
    {
      name: 'providers-apart',
      severity: 'error',
      comment: "One provider never reaches into another provider's folder.",
      from: { path: '^src/core/providers/([^/]+)/' },
      to: { path: '^src/core/providers/([^/]+)/', pathNot: '^src/core/providers/$1/' },
    },
    {
      name: 'sandbox-over-core',
      severity: 'error',
      comment: 'The sandbox runs alone (node dist/sandbox.js): it may use core, never the editor.',
      from: { path: '^src/sandbox/' },
      to: { path: '^src/(?!sandbox/|core/)|^vscode$' },
    },
    {
      name: 'cli-headless',
      comment: 'The CLI and the MCP server run in plain Node over the core and the sandbox, never the editor.',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: '^src/(?!cli/|core/|sandbox/)|^vscode$' },
    },
    {
      name: 'nothing-imports-cli',
      severity: 'error',
      comment: 'The CLI is a top floor beside extension.ts: the editor starts it as a process, never imports it.',
      from: { path: '^src/(?!cli/)' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'webview-ui-protocol-only',
      severity: 'error',
      comment:
        "The browser bundles know the host only through the protocol's types, plus two plain modules they run: webview/fileRef.ts (opaque file references) and core/forms/schemaForm.ts (the shared form model).",
      from: { path: '^src/webview-ui/' },
      to: {
        path: '^src/(?!webview-ui/|webview/protocol\.ts$|webview/fileRef\.ts$|core/forms/schemaForm\.ts$)|^vscode$',
      },
    },
    {
      name: 'nothing-imports-extension',
      severity: 'error',
      from: { pathNot: '^src/extension\\.ts$' },
      to: { path: '^src/extension\\.ts$' },
    },
    {
      name: 'base-below-ui',
      severity: 'error',
      comment: 'Settings, secrets and the services (context.ts) sit below the views, panels, commands and features.',
      from: { path: '^src/(settings|secrets|sandboxControl|context)\\.ts$' },
      to: { path: '^src/(views|webview|commands|features)/' },
    },
    {
      name: 'ui-below-commands',
      severity: 'error',
      comment: 'Views and panels show state; they never import a command or a feature.',
      from: { path: '^src/(views|webview)/' },
      to: { path: '^src/(commands|features)/' },
    },
    {
      name: 'commands-below-features',
      severity: 'error',
      comment: 'Generic commands know providers through their descriptors, not through a feature module.',
      from: { path: '^src/commands/' },
      to: { path: '^src/features/' },
    },
    {
      name: 'agents-beside-features',
      severity: 'error',
      comment:
        'The language-model tools sit beside the commands: they use the services, views and shared command helpers, never a feature (extension.ts hands them what a feature offers).',
      from: { path: '^src/agents/' },
      to: { path: '^src/features/' },
    },
    {
      name: 'only-extension-imports-agents',
      severity: 'error',
      comment: 'The agents layer is wired by main.ts alone; nothing below it knows it is there.',
      from: { path: '^src/(?!agents/|main\\.ts$)' },
      to: { path: '^src/agents/' },
    },
    {
      name: 'shell-stays-light',
      severity: 'error',
      comment:
        "What activation loads (extension.ts and shell/) is stand-ins: it reaches GenDeck's parts only through main.ts, required on first use, and of the rest only the command ids, the state folder and job statuses.",
      from: { path: '^src/(extension\\.ts$|shell/)' },
      to: {
        path: '^src/(?!shell/|commandIds\\.ts$|core/fs/stateDir\\.ts$|core/jobs/status\\.ts$|core/providerIds\\.ts$|core/errors\\.ts$)',
        pathNot: '^src/main\\.ts$',
      },
    },
    {
      name: 'main-only-from-the-shell',
      severity: 'error',
      comment:
        'main.ts is its own bundle, loaded by extension.ts alone (anything else importing it would bundle it twice).',
      from: { path: '^src/(?!extension\\.ts$)' },
      to: { path: '^src/main\\.ts$' },
    },
    {
      name: 'features-apart',
      severity: 'error',
      comment: "A feature module is one provider's editor side; features never import each other.",
      from: { path: '^src/features/([^/]+)/' },
      to: { path: '^src/features/([^/]+)/', pathNot: '^src/features/$1/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|out)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
