import * as vscode from 'vscode';
// Assets as code in the editor: Plan Assets (a read-only document with each asset's status and cost, the totals per
// provider) and Generate Assets (confirmed with those totals, then apply with progress, cancellable; jobs go into the
// Jobs view). Both run core/assets, as the CLI does; CodeLens and diagnostics are views/assetsLens.ts. Forget Asset
// Request clears a request that needs attention (no job of it known anywhere), so the asset is made anew; Adopt a
// Job for an Asset is the other way out: the job the user found on the provider is looked up and followed.
import type { GenDeck } from '../context';
import { adoptJob, parseJobRef } from '../core/assets/adopt';
import { applyAssets, forgetUnconfirmed, type AssetJobs, storeJobs } from '../core/assets/apply';
import { describeError } from '../core/errors';
import { MANIFEST_NAME, parseManifest } from '../core/assets/manifest';
import { lockPathFor, planAssets, totalsOf, type Plan } from '../core/assets/plan';
import { itemCost, planMarkdown, statusLabel, totalsLines } from '../core/assets/report';
import { createLaunchers, remoteJobLister } from '../core/providers/index';
import { openVariantsPanel } from '../webview/variantsPanel';
import type { CommandContext } from './command';
import { confirmSend } from './util';

/** The job store as apply uses it, through GenDeck.addJob (saved at once, polled, shown in the Jobs view). */
export function editorJobs(g: GenDeck): AssetJobs {
  const base = storeJobs(g.store);
  return {
    ...base,
    add: async (job) => {
      g.addJob(job);
      await g.store.flush();
    },
  };
}

/** The manifest a command is about: the argument, the active editor's, else the workspace's (asked when several). */
async function manifestUri(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.path.endsWith(`/${MANIFEST_NAME}`)) return active;
  const found = await vscode.workspace.findFiles(`**/${MANIFEST_NAME}`, '**/node_modules/**', 20);
  if (found.length <= 1) {
    if (!found.length)
      void vscode.window.showInformationMessage(
        vscode.l10n.t('No {0} in this workspace. Create one to list the assets GenDeck makes.', MANIFEST_NAME),
      );
    return found[0];
  }
  const pick = await vscode.window.showQuickPick(
    found.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })),
    { placeHolder: vscode.l10n.t('Which assets manifest?') },
  );
  return pick?.uri;
}

async function planFor(g: GenDeck, uri: vscode.Uri, signal?: AbortSignal): Promise<Plan | undefined> {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder || uri.scheme !== 'file') {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('GenDeck makes assets only for a manifest inside a workspace folder.'),
    );
    return undefined;
  }
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc?.isDirty) await doc.save();
  return planAssets({
    manifestPath: uri.fsPath,
    root: folder.uri.fsPath,
    launchers: createLaunchers(g.providers),
    jobs: g.store,
    remoteJobs: remoteJobLister(g.providers),
    signal,
  });
}

export async function planAssetsCommand(c: CommandContext, arg?: unknown): Promise<void> {
  const uri = await manifestUri(arg);
  if (!uri) return;
  const plan = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Planning assets…') },
    () => planFor(c.g, uri),
  );
  if (!plan) return;
  await c.ui.docs.show(
    `/${vscode.workspace.asRelativePath(uri)}.plan.md`,
    planMarkdown(plan, vscode.l10n.t('Assets plan: {0}', vscode.workspace.asRelativePath(uri))),
  );
}

/** `ids`: only those assets (a CodeLens passes its own). */
export async function generateAssetsCommand(c: CommandContext, arg?: unknown, ids?: unknown): Promise<void> {
  const { g } = c;
  const uri = await manifestUri(arg);
  if (!uri) return;
  const only = Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : undefined;
  const plan = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Planning assets…') },
    () => planFor(g, uri),
  );
  if (!plan) return;
  const todo = plan.items.filter(
    (i) => (!only?.length || only.includes(i.id)) && ['missing', 'changed', 'stale', 'inProgress'].includes(i.status),
  );
  const blocked = plan.items.filter(
    (i) => (!only?.length || only.includes(i.id)) && (i.status === 'invalid' || i.status === 'needsAttention'),
  );
  if (!todo.length) {
    void vscode.window.showInformationMessage(
      blocked.length
        ? vscode.l10n.t('Nothing to generate; {0} asset(s) need fixing first (see Problems).', blocked.length)
        : vscode.l10n.t('Every asset is up to date.'),
    );
    return;
  }
  const sends = todo.filter((i) => i.toSend > 0);
  if (sends.length) {
    const scoped = totalsOf(todo);
    const ok = await confirmSend(
      vscode.l10n.t('Generate {0} asset(s)?', todo.length),
      [
        ...totalsLines(scoped),
        '',
        ...todo.map((i) => `${i.id} · ${statusLabel(i.status)} · ${i.summary ?? i.provider} · ${itemCost(i)}`),
        blocked.length ? vscode.l10n.t('{0} asset(s) left out: invalid or needing attention.', blocked.length) : '',
      ],
      vscode.l10n.t('Generate'),
    );
    if (!ok) return;
  }
  const folder = vscode.workspace.getWorkspaceFolder(uri)!;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Generating assets'), cancellable: true },
    (progress, token) => {
      const ac = new AbortController();
      token.onCancellationRequested(() => ac.abort());
      let last = 0;
      return applyAssets({
        manifestPath: uri.fsPath,
        root: folder.uri.fsPath,
        launchers: createLaunchers(g.providers),
        jobs: editorJobs(g),
        http: (id) => g.providers[id].http,
        only: todo.map((i) => i.id),
        plan,
        signal: ac.signal,
        onProgress: (p) => {
          const increment = ((p.finished - last) / Math.max(1, p.total)) * 100;
          last = p.finished;
          progress.report({ message: `${p.finished}/${p.total} · ${p.id}: ${p.phase}`, increment });
        },
      });
    },
  );
  const made = result.items.filter((i) => i.outcome === 'made' || i.outcome === 'restored').length;
  const bad = result.items.filter((i) => i.outcome === 'failed' || i.outcome === 'needsAttention');
  if (bad.length)
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        '{0} asset(s) written; {1} not: {2}',
        made,
        bad.length,
        bad.map((i) => `${i.id} (${i.message ?? i.outcome})`).join('; '),
      ),
    );
  else void vscode.window.showInformationMessage(vscode.l10n.t('{0} asset(s) written.', made));
}

/** Opens an asset's variants side by side in one panel; "Use this" writes the one picked to `out` and the lock. */
export async function pickAssetVariantCommand(_c: CommandContext, arg?: unknown, id?: unknown): Promise<void> {
  const uri = await manifestUri(arg);
  const folder = uri && vscode.workspace.getWorkspaceFolder(uri);
  if (!uri || !folder || typeof id !== 'string') return;
  if (!(await openVariantsPanel(uri, folder.uri, id)))
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} has no variants to choose from yet.', id));
}

/** Forgets an asset's requests that need attention, once the user confirms that making it anew is paid again. */
export async function forgetAssetRequestCommand(c: CommandContext, arg?: unknown, id?: unknown): Promise<void> {
  const uri = await manifestUri(arg);
  if (!uri || typeof id !== 'string') return;
  const forget = vscode.l10n.t('Forget');
  const ok = await vscode.window.showWarningMessage(
    vscode.l10n.t('Forget the request for {0}?', id),
    {
      modal: true,
      detail: vscode.l10n.t(
        'No job of it is known here or on its provider. If the provider did take it, making {0} anew pays for it again; check the provider’s own job list first.',
        id,
      ),
    },
    forget,
  );
  if (ok !== forget) return;
  const n = await forgetUnconfirmed(lockPathFor(uri.fsPath), id, c.g.store);
  void vscode.window.showInformationMessage(
    n
      ? vscode.l10n.t('{0}: the request is forgotten; Generate makes it anew.', id)
      : vscode.l10n.t('{0} has no request to forget.', id),
  );
}

/**
 * Makes an asset that needs attention follow the job the user names (its id or key, checked for the asset's provider
 * as it is typed): looked up on the provider, recorded in the Jobs view and the lock; nothing is sent. The lens
 * replans on the lock's change.
 */
export async function adoptAssetJobCommand(c: CommandContext, arg?: unknown, id?: unknown): Promise<void> {
  const uri = await manifestUri(arg);
  if (!uri || typeof id !== 'string') return;
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc?.isDirty) await doc.save();
  const text = doc?.getText() ?? new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  const entry = parseManifest(text).assets.find((a) => a.entry.id === id)?.entry;
  if (!entry) {
    void vscode.window.showWarningMessage(vscode.l10n.t('No asset {0} in the manifest.', id));
    return;
  }
  const job = await vscode.window.showInputBox({
    title: vscode.l10n.t('Adopt a job for {0}', id),
    prompt: vscode.l10n.t(
      'The {0} job this request became, as its job list shows it (its id, or {0}:id). It is looked up there and followed; nothing is sent.',
      entry.provider,
    ),
    ignoreFocusOut: true,
    validateInput: (v) => {
      try {
        parseJobRef(entry.provider, v);
        return undefined;
      } catch (err) {
        return describeError(err);
      }
    },
  });
  if (job === undefined) return;
  try {
    const adopted = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Looking up job {0}…', job.trim()) },
      () =>
        adoptJob({
          manifestPath: uri.fsPath,
          id,
          job,
          launchers: createLaunchers(c.g.providers),
          jobs: editorJobs(c.g),
        }),
    );
    const generate = vscode.l10n.t('Generate');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t(
        '{0} follows job {1} ({2}); Generate writes its file, with nothing sent.',
        id,
        adopted.id,
        adopted.status,
      ),
      generate,
    );
    if (choice === generate) await generateAssetsCommand(c, uri, [id]);
  } catch (err) {
    void vscode.window.showErrorMessage(describeError(err));
  }
}
