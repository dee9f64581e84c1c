import * as vscode from 'vscode';
// The assets manifest in the editor: a CodeLens on each entry (its status, "Generate · est. 50 credits", "Preview"
// when it has a job) and diagnostics for every invalid entry — the manifest's own schema and each provider's checks
// (live schema, the provider's rules) — all from core/assets' plan, which sends nothing. The plan runs after every pause
// in typing; what it asks the providers is kept in a CheckCache, so an unchanged entry is not asked about again.
import type { CommandId } from '../commandIds';
import type { GenDeck } from '../context';
import { CheckCache } from '../core/assets/checks';
import { LOCK_NAME, MANIFEST_NAME } from '../core/assets/manifest';
import { jobOfVariant, planAssets, type Plan } from '../core/assets/plan';
import { itemCost, statusLabel } from '../core/assets/report';
import { createLaunchers, remoteJobLister } from '../core/providers/index';

const cmd = (id: CommandId) => id;

export function isManifest(doc: vscode.TextDocument): boolean {
  return doc.uri.scheme === 'file' && doc.uri.path.endsWith(`/${MANIFEST_NAME}`);
}

export class AssetsLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('gendeck-assets');
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly plans = new Map<string, { version: number; plan: Plan }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly subs: vscode.Disposable[];
  private readonly checks = new CheckCache();
  private readonly lockWatcher = vscode.workspace.createFileSystemWatcher(`**/${LOCK_NAME}`);

  constructor(private readonly g: GenDeck) {
    this.subs = [
      g.shell.lens.attach(this),
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, 800)),
      vscode.workspace.onDidSaveTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.plans.delete(d.uri.toString());
        this.diagnostics.delete(d.uri);
      }),
      // A job finishing or an output written changes statuses.
      g.store.onDidChange(() => this.scheduleAll(1500)),
      // A lock written by apply, a forget, or a teammate's (git pull).
      this.lockWatcher.onDidChange(() => this.scheduleAll(300)),
      this.lockWatcher.onDidCreate(() => this.scheduleAll(300)),
      this.lockWatcher.onDidDelete(() => this.scheduleAll(300)),
      this.lockWatcher,
      // Another key or the sandbox: other schemas and prices.
      g.sandbox.onDidChange(() => this.recheck()),
      g.secrets.onDidChange(() => this.recheck()),
    ];
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  private scheduleAll(ms: number): void {
    for (const d of vscode.workspace.textDocuments) if (this.plans.has(d.uri.toString())) this.schedule(d, ms);
  }

  private recheck(): void {
    this.checks.clear();
    this.scheduleAll(0);
  }

  private schedule(doc: vscode.TextDocument, ms: number): void {
    if (!isManifest(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => void this.refresh(doc), ms),
    );
  }

  private async refresh(doc: vscode.TextDocument): Promise<void> {
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
    if (!folder) return;
    const version = doc.version;
    let plan: Plan;
    try {
      plan = await planAssets({
        manifestPath: doc.uri.fsPath,
        root: folder.uri.fsPath,
        launchers: createLaunchers(this.g.providers),
        jobs: this.g.store,
        remoteJobs: remoteJobLister(this.g.providers),
        checks: this.checks,
        text: doc.getText(),
      });
    } catch (err) {
      this.g.log.warn(`Assets plan failed: ${(err as Error).message}`);
      return;
    }
    if (doc.version !== version) return; // typed on since: the next refresh is due
    this.plans.set(doc.uri.toString(), { version, plan });
    this.diagnostics.set(
      doc.uri,
      plan.problems.map((p) => {
        const range = new vscode.Range(doc.positionAt(p.offset), doc.positionAt(p.offset + p.length));
        const d = new vscode.Diagnostic(
          range,
          p.message,
          p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
        );
        d.source = 'GenDeck';
        return d;
      }),
    );
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const entry = this.plans.get(doc.uri.toString());
    if (!entry) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const item of entry.plan.items) {
      const asset = entry.plan.manifest.assets.find((a) => a.index === item.index);
      if (!asset) continue;
      const range = new vscode.Range(doc.positionAt(asset.offset), doc.positionAt(asset.offset));
      lenses.push(
        new vscode.CodeLens(range, {
          title: statusLabel(item.status),
          tooltip: item.reason ?? item.costNote,
          command: cmd('gendeck.planAssets'),
          arguments: [doc.uri],
        }),
      );
      if (item.status !== 'upToDate' && item.status !== 'invalid' && item.status !== 'needsAttention')
        lenses.push(
          new vscode.CodeLens(range, {
            title: vscode.l10n.t('Generate · {0}', itemCost(item)),
            tooltip: item.summary,
            command: cmd('gendeck.generateAssets'),
            arguments: [doc.uri, [item.id]],
          }),
        );
      if (item.status === 'needsAttention')
        lenses.push(
          new vscode.CodeLens(range, {
            title: vscode.l10n.t('Forget the request…'),
            tooltip: item.reason,
            command: cmd('gendeck.forgetAssetRequest'),
            arguments: [doc.uri, item.id],
          }),
          new vscode.CodeLens(range, {
            title: vscode.l10n.t('Adopt a job…'),
            tooltip: vscode.l10n.t(
              'Name the job the provider’s job list shows for this request: it is followed, not sent again.',
            ),
            command: cmd('gendeck.adoptAssetJob'),
            arguments: [doc.uri, item.id],
          }),
        );
      const le = entry.plan.lock.assets[item.id];
      const pick = le ? le.variants[(le.pick ?? 1) - 1] : undefined;
      const job = pick ? jobOfVariant(this.g.store, pick) : undefined;
      if (le && le.variants.length > 1 && le.outputHash)
        lenses.push(
          new vscode.CodeLens(range, {
            title: vscode.l10n.t('Variant {0} of {1} · Pick…', le.pick ?? 1, le.variants.length),
            command: cmd('gendeck.pickAssetVariant'),
            arguments: [doc.uri, item.id],
          }),
        );
      if (job)
        lenses.push(
          new vscode.CodeLens(range, {
            title: vscode.l10n.t('Preview'),
            command: cmd('gendeck.openPreview'),
            arguments: [job.key],
          }),
        );
    }
    return lenses;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const s of this.subs) s.dispose();
    this.diagnostics.dispose();
    this.changed.dispose();
  }
}
