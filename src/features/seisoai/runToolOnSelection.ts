import * as vscode from 'vscode';
import { action } from '../../commandIds';
import { fillFromSelection, readEach, selectedMediaFiles } from '../../commands/mediaFiles';
import { cancellable } from '../../commands/util';
import { SetupNeeded, withActions } from '../../core/errors';
import { describeKinds, kindsOf } from '../../core/forms/mediaFit';
import { formFromSchema } from '../../core/forms/schemaForm';
import { categoryLabel } from '../../core/providers/seisoai/contract';
import type { ToolDetail } from '../../core/providers/seisoai/schemas';
import { toolsForFiles, type ToolFit } from '../../core/providers/seisoai/selection';
import { settings } from '../../settings';
import { formatUsd } from '../../views/format';
import type { SeisoaiContext } from './context';
import { runTool } from './runTool';

/** Every enabled tool's exact schema (cached by the registry); a tool whose schema cannot be read is named. */
async function readTools(c: SeisoaiContext, signal: AbortSignal): Promise<{ tools: ToolDetail[]; unread: string[] }> {
  const registry = c.g.providers.seisoai.registry;
  const enabled = (await registry.tools({ signal })).filter((t) => t.enabled);
  const { read, unread } = await readEach(enabled, (t) => registry.detail(t.id, { signal }), {
    limit: 6,
    signal,
    log: c.g.log,
    label: 'Seisoai',
    what: 'schema',
  });
  return { tools: read, unread };
}

/**
 * Explorer → "Run Seisoai Tool on Selection…": the tools whose schema takes the selected images, videos or audio
 * (image → 3D ones too), then the chosen tool's Run Tool form with the files in their fields; price, confirmation
 * and payment as in Run Tool…. From the palette it asks for the files.
 */
export async function runToolOnSelection(c: SeisoaiContext, clicked?: unknown, selected?: unknown): Promise<void> {
  const { g } = c;
  try {
    const sel = await selectedMediaFiles(clicked, selected, {
      title: vscode.l10n.t('Run a Seisoai tool on these files'),
      maxBytes: Math.round(settings.maxInlineMediaMB() * 1024 * 1024),
    });
    if (!sel) return;
    const kinds = sel.files.map((f) => f.info.kind);
    const what = describeKinds(kindsOf(kinds));
    const read = await cancellable(vscode.l10n.t('Finding Seisoai tools for {0} files…', what), (signal) =>
      readTools(c, signal),
    );
    if (!read) return;
    const groups = toolsForFiles(read.tools, kinds);
    if (!groups.length) {
      const none = read.unread.length
        ? vscode.l10n.t(
            'No Seisoai tool takes {0} files ({1} tool schemas could not be read; see the log).',
            what,
            read.unread.length,
          )
        : vscode.l10n.t('No Seisoai tool takes {0} files.', what);
      throw withActions(
        new SetupNeeded(none),
        action(vscode.l10n.t('Refresh Tools'), 'gendeck.seisoai.refreshTools'),
        action(vscode.l10n.t('Run Tool…'), 'gendeck.seisoai.runTool'),
      );
    }
    type Item = vscode.QuickPickItem & { fit?: ToolFit };
    const items: Item[] = groups.flatMap((grp) => [
      { label: categoryLabel(grp.category), kind: vscode.QuickPickItemKind.Separator },
      ...grp.tools.map((fit) => ({
        label: fit.tool.name,
        description: [fit.mark, formatUsd(fit.tool.price?.usd), fit.tool.id].filter(Boolean).join(' · '),
        detail: fit.tool.description,
        fit,
      })),
    ]);
    const pick = await vscode.window.showQuickPick(items, {
      title:
        sel.files.length === 1
          ? vscode.l10n.t('Run a Seisoai tool on {0}', sel.files[0].info.name)
          : vscode.l10n.t('Run a Seisoai tool on {0} files', sel.files.length),
      placeHolder: vscode.l10n.t('Tools that take {0} files (live list from Seisoai)', what),
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (!pick?.fit) return;
    const tool = pick.fit.tool;
    const filled = await fillFromSelection(formFromSchema(tool.inputSchema), sel, tool.name);
    if (!filled) return;
    await runTool(c, tool.id, { values: filled.values, files: filled.files, notes: filled.notes });
  } catch (err) {
    await g.reportError(err, vscode.l10n.t('Seisoai tool not started'));
  }
}
