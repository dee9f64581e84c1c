import * as vscode from 'vscode';
import { action } from '../../commandIds';
import { fillFromSelection, readEach, selectedMediaFiles } from '../../commands/mediaFiles';
import { cancellable } from '../../commands/util';
import { SetupNeeded, withActions } from '../../core/errors';
import { describeKinds, kindsOf } from '../../core/forms/mediaFit';
import { formFromSchema } from '../../core/forms/schemaForm';
import { describePricing } from '../../core/providers/seekapi/provider';
import type { WorkerDetail } from '../../core/providers/seekapi/schemas';
import { workersForFiles } from '../../core/providers/seekapi/selection';
import { settings } from '../../settings';
import type { SeekApiContext } from './context';
import { formSchemaFor, runWorker } from './runWorker';

/** Every worker's details (input schema), the list's pages first; a worker whose details cannot be read is named. */
async function readWorkers(
  c: SeekApiContext,
  signal: AbortSignal,
): Promise<{ workers: WorkerDetail[]; unread: string[] }> {
  const p = c.g.providers.seekapi;
  const all = await c.feature.allWorkers();
  // Few at a time: every read counts against the plan's rate limit.
  const { read, unread } = await readEach(all, (w) => p.getWorker(w.id, { signal }), {
    limit: 4,
    signal,
    log: c.g.log,
    label: 'Seek API',
    what: 'details',
  });
  return { workers: read, unread };
}

/**
 * Explorer → "Run Seek API Worker on Selection…": the workers whose input schema takes the selected images, videos
 * or audio, then the chosen worker's Run Worker form with the files in their fields (inline as data: URLs, up to
 * gendeck.maxInlineMediaMB). From the palette it asks for the files.
 */
export async function runWorkerOnSelection(c: SeekApiContext, clicked?: unknown, selected?: unknown): Promise<void> {
  const { g } = c;
  try {
    const maxMB = settings.maxInlineMediaMB();
    const sel = await selectedMediaFiles(clicked, selected, {
      title: vscode.l10n.t('Run a Seek API worker on these files'),
      maxBytes: Math.round(maxMB * 1024 * 1024),
    });
    if (!sel) return;
    const kinds = sel.files.map((f) => f.info.kind);
    const what = describeKinds(kindsOf(kinds));
    const read = await cancellable(vscode.l10n.t('Finding Seek API workers for {0} files…', what), (signal) =>
      readWorkers(c, signal),
    );
    if (!read) return;
    const groups = workersForFiles(read.workers, kinds);
    if (!groups.length) {
      const none = read.unread.length
        ? vscode.l10n.t(
            'No Seek API worker takes {0} files ({1} workers could not be read; see the log).',
            what,
            read.unread.length,
          )
        : vscode.l10n.t('No Seek API worker takes {0} files.', what);
      throw withActions(
        new SetupNeeded(none),
        action(vscode.l10n.t('Refresh Workers'), 'gendeck.seekapi.refreshWorkers'),
        action(vscode.l10n.t('Run Worker…'), 'gendeck.seekapi.runWorker'),
      );
    }
    type Item = vscode.QuickPickItem & { worker?: WorkerDetail };
    const items: Item[] = groups.flatMap((grp) => [
      { label: grp.category || vscode.l10n.t('Other'), kind: vscode.QuickPickItemKind.Separator },
      ...grp.workers.map((worker) => ({
        label: worker.name,
        description: `${worker.id} · ${describePricing(worker.pricing)}`,
        detail: worker.description,
        worker,
      })),
    ]);
    const pick = await vscode.window.showQuickPick(items, {
      title:
        sel.files.length === 1
          ? vscode.l10n.t('Run a Seek API worker on {0}', sel.files[0].info.name)
          : vscode.l10n.t('Run a Seek API worker on {0} files', sel.files.length),
      placeHolder: vscode.l10n.t('Workers whose input takes {0} files', what),
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (!pick?.worker) return;
    const worker = pick.worker;
    const filled = await fillFromSelection(formFromSchema(formSchemaFor(worker)), sel, worker.name);
    if (!filled) return;
    await runWorker(
      c,
      { workerId: worker.id, input: filled.values },
      {
        files: filled.files,
        notes: [
          ...filled.notes,
          vscode.l10n.t(
            'Your files go inline as data: URLs (at most {0} MB each, gendeck.maxInlineMediaMB); a worker that only fetches https links may refuse them, then paste a link instead.',
            maxMB,
          ),
        ],
      },
    );
  } catch (err) {
    await g.reportError(err, vscode.l10n.t('Seek API worker not started'));
  }
}
