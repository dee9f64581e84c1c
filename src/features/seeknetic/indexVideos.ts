import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { GenDeck } from '../../context';
import { describeError, isAbortError } from '../../core/errors';
import { FfmpegMissingError } from '../../core/search/ffmpeg';
import { showFfmpegMissing } from './ffmpegSetup';
import { summarize } from './videoSearch';
import type { SeekneticContext } from './context';

const CONSENT = 'gendeck.seeknetic.uploadConsent';

/** Before the first upload to a real Seeknetic host: say what leaves the machine, once per host. */
async function confirmUpload(g: GenDeck): Promise<boolean> {
  if (g.sandbox.active) return true;
  const host = new URL(g.baseUrl('seeknetic')).host;
  const agreed = g.context.globalState.get<string[]>(CONSENT) ?? [];
  if (agreed.includes(host)) return true;
  const indexVideos = vscode.l10n.t('Index Videos');
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t(
      'Indexing sends 12 small frames (224×224) and the first 10 s of audio of every video in the open folders to Seeknetic ({0}) to compute search vectors and tags. The index itself stays on this machine.',
      host,
    ),
    { modal: true },
    indexVideos,
  );
  if (choice !== indexVideos) return false;
  await g.context.globalState.update(CONSENT, [...agreed, host]);
  return true;
}

/**
 * Cost before work: how many embedding calls the run makes (files × windows), said before any is made. Seeknetic
 * states no quota in its documentation (only that 402 means it is used up and that each key has its own QPS limit),
 * so the count is what the user can weigh against their plan. Asked for the real service; the sandbox costs nothing
 * and only logs it.
 */
async function confirmCost(c: SeekneticContext): Promise<boolean> {
  const { g } = c;
  let e;
  try {
    e = await c.feature.search.estimateAll();
  } catch (err) {
    g.log.warn(`Could not count the embedding calls before indexing: ${describeError(err)}`);
    return true; // the run itself reports what is wrong
  }
  const line = vscode.l10n.t(
    'Indexing makes {0} embedding calls ({1} new or changed videos cut into windows) and {2} tagging calls; {3} videos are unchanged.',
    e.embedCalls,
    e.toEmbed,
    e.tagCalls,
    e.unchanged,
  );
  g.log.info(line);
  if (g.sandbox.active || e.embedCalls === 0) return true;
  const go = vscode.l10n.t('Index Videos');
  const choice = await vscode.window.showInformationMessage(
    line,
    {
      modal: true,
      detail: vscode.l10n.t(
        'Seeknetic does not publish a quota: each call counts against your plan, and when it is used up Seeknetic answers 402 and indexing stops (what finished is kept). "gendeck.search.maxWindowsPerFile" caps the calls per video.',
      ),
    },
    go,
  );
  return choice === go;
}

/** "GenDeck: Index Workspace Videos": incremental, with a cancellable progress notification. */
export async function indexWorkspaceVideos(c: SeekneticContext): Promise<void> {
  const { g } = c;
  const { search } = c.feature;
  // Say what is missing before anything starts (no consent asked, nothing read or sent).
  const tools = await search.checkTools();
  if (!tools.ok) {
    g.log.error(`Indexing videos: ${tools.message}`);
    return showFfmpegMissing(c, tools);
  }
  if (!(await confirmUpload(g))) return;
  if (!(await confirmCost(c))) return;
  const folders = vscode.workspace.workspaceFolders?.length ?? 0;
  try {
    const results = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('GenDeck: Indexing workspace videos'),
        cancellable: true,
      },
      (progress, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => {
          // Calls already sent are paid for: they finish and their windows are kept; nothing new starts.
          progress.report({ message: vscode.l10n.t('Cancelling: keeping the windows already sent…') });
          ac.abort();
        });
        const shown = new Map<string, number>();
        return search.indexAll(ac.signal, (folder, p) => {
          if (p.phase === 'scanning')
            return progress.report({ message: vscode.l10n.t('Checking the videos in {0}…', folder.name) });
          const share = p.total ? (p.done / p.total) * (100 / Math.max(1, folders)) : 0;
          const key = folder.uri.toString();
          progress.report({
            message: !p.total
              ? vscode.l10n.t('Nothing new to index')
              : p.rel
                ? vscode.l10n.t('{0} of {1} · {2}', p.done, p.total, basename(p.rel))
                : vscode.l10n.t('{0} of {1}', p.done, p.total),
            increment: share - (shown.get(key) ?? 0),
          });
          shown.set(key, share);
        });
      },
    );
    const failed = results.flatMap((r) => r.stats.failed.map((f) => `${r.folder.name}/${f.rel}: ${f.message}`));
    const text = results
      .map((r) => (results.length > 1 ? `${r.folder.name}: ${summarize(r.stats)}` : summarize(r.stats)))
      .join('; ');
    for (const f of failed) g.log.warn(`Not indexed: ${f}`);
    if (failed.length) {
      const showLog = vscode.l10n.t('Show Log');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('Video index updated ({0}). {1} could not be indexed, e.g. {2}', text, failed.length, failed[0]),
        showLog,
      );
      if (choice === showLog) g.output.show(true);
    } else {
      void vscode.window.showInformationMessage(vscode.l10n.t('Video index up to date: {0}.', text));
    }
  } catch (err) {
    if (isAbortError(err)) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Indexing cancelled. Every window embedded so far is kept; the next run indexes only the rest.'),
      );
      return;
    }
    if (err instanceof FfmpegMissingError) {
      g.log.error(`Indexing videos: ${err.message}`);
      const check = await search.checkTools(true);
      return showFfmpegMissing(c, check.ok ? { ok: false, tool: err.tool, message: err.message } : check);
    }
    await g.reportError(err, vscode.l10n.t('Indexing workspace videos failed'));
  }
}
