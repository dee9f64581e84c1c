import { basename } from 'node:path';
import * as vscode from 'vscode';
import {
  DEFAULT_ENGINE,
  DEFAULT_MODEL,
  ENGINES,
  MODELS,
  SUBSCRIPTION_ENGINES,
  SUBSCRIPTION_MODELS,
} from '../../core/providers/seele/contract';
import type { SeeleInput, UploadHooks } from '../../core/providers/seele/provider';
import { validateSeeleRequest } from '../../core/providers/seele/validate';
import { pickStep, runSteps, textStep, type Step } from '../../commands/steps';
import { earlierFirst, withProgress } from '../../commands/util';
import { confirmSeele } from './confirm';
import type { CommandContext } from '../../commands/command';

/** What the caller already knows (files from the Explorer, or a job run again): each question starts from it. */
export type GamePreset = Partial<SeeleInput>;

const modelNotes = (): Record<string, string> => ({
  'Seele02-flash': vscode.l10n.t('fast'),
  'Seele02-pro': vscode.l10n.t('best quality'),
  'Seele01-flash': vscode.l10n.t('previous generation, fast'),
  'Seele01-pro': vscode.l10n.t('previous generation'),
});

/** The steps, the earlier answers of a job run again first and marked. */
const gameSteps = (preset: GamePreset): Step<GamePreset>[] => [
  textStep({
    name: vscode.l10n.t('Prompt'),
    prompt: (s) => {
      const files = s.files ?? [];
      const names = files.map((f) => basename(f)).join(', ');
      return files.length === 1
        ? vscode.l10n.t('Describe the game (required; 1 reference file: {0})', names)
        : files.length
          ? vscode.l10n.t('Describe the game (required; {0} reference files: {1})', files.length, names)
          : vscode.l10n.t('Describe the game (required)');
    },
    placeholder: vscode.l10n.t('Build a cozy cat farming game with planting and fishing'),
    value: (s) => s.prompt,
    validate: (v) => (v.trim() ? undefined : vscode.l10n.t('The prompt is empty.')),
    accept: (v, s) => (s.prompt = v.trim()),
  }),
  pickStep({
    name: vscode.l10n.t('Model'),
    placeholder: vscode.l10n.t('Choose the Seele model (default {0})', DEFAULT_MODEL),
    items: () =>
      earlierFirst(
        MODELS.map((m) => ({
          label: m,
          description: [modelNotes()[m], SUBSCRIPTION_MODELS.includes(m) ? vscode.l10n.t('subscription only') : '']
            .filter(Boolean)
            .join(' · '),
        })),
        preset.model,
      ),
    selected: (s) => s.model ?? DEFAULT_MODEL,
    accept: (item, s) => {
      s.model = item.label;
    },
  }),
  pickStep({
    name: vscode.l10n.t('Engine (runtime)'),
    placeholder: vscode.l10n.t('Choose the engine (default {0})', DEFAULT_ENGINE),
    items: () =>
      earlierFirst(
        ENGINES.map((e) => ({
          label: e,
          description: SUBSCRIPTION_ENGINES.includes(e)
            ? vscode.l10n.t('subscription only')
            : e === 'threejs'
              ? vscode.l10n.t('plays in the preview')
              : '',
        })),
        preset.engine,
      ),
    selected: (s) => s.engine ?? DEFAULT_ENGINE,
    accept: (item, s) => {
      s.engine = item.label;
    },
  }),
  textStep({
    name: vscode.l10n.t('Generation model (optional)'),
    prompt: vscode.l10n.t('The asset generation model, e.g. seedream5. Leave empty to let Seele choose.'),
    value: (s) => s.generation_model,
    accept: (v, s) => (s.generation_model = v.trim() || undefined),
  }),
];

/**
 * Prompt → model → engine → optional generation model as one multi-step input, then a confirmation of what is sent;
 * uploads any files with progress; creates the job once.
 */
export async function newGame(c: CommandContext, preset: GamePreset = {}): Promise<void> {
  const { g } = c;
  const refused = g.budget.refusal({ provider: 'seele', what: 'this game' });
  if (refused) return g.reportError(refused, vscode.l10n.t('Seele game not started'));
  const answers = await runSteps({ title: vscode.l10n.t('New Seele game'), steps: gameSteps(preset) }, { ...preset });
  if (!answers) return;
  const req = answers as SeeleInput;
  const files = req.files ?? [];
  try {
    validateSeeleRequest({
      prompt: req.prompt,
      model: req.model,
      engine: req.engine,
      generation_model: req.generation_model,
    });
  } catch (err) {
    return g.reportError(err, vscode.l10n.t('Seele game not started'));
  }
  const ok = await confirmSeele(g, {
    message: vscode.l10n.t('Start a Seele game with {0} on {1}?', req.model ?? '', req.engine ?? ''),
    prompt: req.prompt,
    settings: [
      req.generation_model
        ? vscode.l10n.t('Generation model: {0}.', req.generation_model)
        : vscode.l10n.t('Generation model: chosen by Seele.'),
    ],
    files,
    button: vscode.l10n.t('Start Game'),
  });
  if (!ok) return;
  const result = await withProgress(g, vscode.l10n.t('Starting Seele game…'), (signal, progress) =>
    g.providers.seele.createGame(req, uploadHooks(files, signal, progress)),
  );
  if (!result) return;
  // Added without a kick: the scheduler's first Seele poll comes after its 10 s minimum. Saved at once, as addJob
  // does: Seele cannot list jobs, so one lost in a crash right now could not be found again.
  g.store.upsert(result.job);
  void g.store.flush();
  const reused = result.uploads.filter((u) => u.reused).length;
  if (reused) g.log.info(`Seele: reused ${reused} earlier upload(s) for ${result.job.key}.`);
  await c.ui.revealJob(result.job.key);
}

/** "Uploading a.png (2 of 3): 1.5 of 4.0 MB": the file, its place when there are several, the megabytes sent. */
function uploading(name: string, n: number, total: number, bytes: number, of: number | undefined): string {
  const mb = (b: number) => (b / 1048576).toFixed(1);
  const sent = of ? vscode.l10n.t('{0} of {1} MB', mb(bytes), mb(of)) : vscode.l10n.t('{0} MB', mb(bytes));
  return total > 1
    ? vscode.l10n.t('Uploading {0} ({1} of {2}): {3}', name, n, total, sent)
    : vscode.l10n.t('Uploading {0}: {1}', name, sent);
}

/** Upload progress as a notification: one file at a time, by bytes; the bar fills over all files. */
export function uploadHooks(
  files: string[],
  signal: AbortSignal,
  progress: vscode.Progress<{ message?: string; increment?: number }>,
): UploadHooks {
  const total = files.length;
  const shown = new Map<string, number>();
  if (total)
    progress.report({
      message: total === 1 ? vscode.l10n.t('Checking 1 file…') : vscode.l10n.t('Checking {0} files…', total),
    });
  return {
    signal,
    onProgress: (file, p) => {
      const n = files.indexOf(file) + 1;
      const pct = p.total ? Math.floor((p.bytes / p.total) * 100) : 0;
      const before = shown.get(file) ?? 0;
      shown.set(file, Math.max(before, pct));
      progress.report({
        message: uploading(basename(file), n, total, p.bytes, p.total),
        increment: total ? Math.max(0, pct - before) / total : undefined,
      });
    },
  };
}
