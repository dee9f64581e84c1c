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

const MODEL_NOTES: Record<string, string> = {
  'Seele02-flash': 'fast',
  'Seele02-pro': 'best quality',
  'Seele01-flash': 'previous generation, fast',
  'Seele01-pro': 'previous generation',
};

/** The steps, the earlier answers of a job run again first and marked. */
const gameSteps = (preset: GamePreset): Step<GamePreset>[] => [
  textStep({
    name: 'Prompt',
    prompt: (s) => {
      const files = s.files ?? [];
      return files.length
        ? `Describe the game (required; ${files.length} reference file${files.length === 1 ? '' : 's'}: ${files.map((f) => basename(f)).join(', ')})`
        : 'Describe the game (required)';
    },
    placeholder: 'Build a cozy cat farming game with planting and fishing',
    value: (s) => s.prompt,
    validate: (v) => (v.trim() ? undefined : 'The prompt is empty.'),
    accept: (v, s) => (s.prompt = v.trim()),
  }),
  pickStep({
    name: 'Model',
    placeholder: `Choose the Seele model (default ${DEFAULT_MODEL})`,
    items: () =>
      earlierFirst(
        MODELS.map((m) => ({
          label: m,
          description: [MODEL_NOTES[m], SUBSCRIPTION_MODELS.includes(m) ? 'subscription only' : '']
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
    name: 'Engine (runtime)',
    placeholder: `Choose the engine (default ${DEFAULT_ENGINE})`,
    items: () =>
      earlierFirst(
        ENGINES.map((e) => ({
          label: e,
          description: SUBSCRIPTION_ENGINES.includes(e)
            ? 'subscription only'
            : e === 'threejs'
              ? 'plays in the preview'
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
    name: 'Generation model (optional)',
    prompt: 'The asset generation model, e.g. seedream5. Leave empty to let Seele choose.',
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
  if (refused) return g.reportError(refused, 'Seele game not started');
  const answers = await runSteps({ title: 'New Seele game', steps: gameSteps(preset) }, { ...preset });
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
    return g.reportError(err, 'Seele game not started');
  }
  const ok = await confirmSeele(g, {
    message: `Start a Seele game with ${req.model} on ${req.engine}?`,
    prompt: req.prompt,
    settings: [`Generation model: ${req.generation_model ?? 'chosen by Seele'}.`],
    files,
    button: 'Start Game',
  });
  if (!ok) return;
  const result = await withProgress(g, 'Starting Seele game…', (signal, progress) =>
    g.providers.seele.createGame(req, uploadHooks(files, signal, progress)),
  );
  if (!result) return;
  // Added without a kick: the scheduler's first Seele poll comes after its 10 s minimum.
  g.store.upsert(result.job);
  const reused = result.uploads.filter((u) => u.reused).length;
  if (reused) g.log.info(`Seele: reused ${reused} earlier upload(s) for ${result.job.key}.`);
  await c.ui.revealJob(result.job.key);
}

/** Upload progress as a notification: one file at a time, by bytes; the bar fills over all files. */
export function uploadHooks(
  files: string[],
  signal: AbortSignal,
  progress: vscode.Progress<{ message?: string; increment?: number }>,
): UploadHooks {
  const total = files.length;
  const shown = new Map<string, number>();
  if (total) progress.report({ message: `Checking ${total} file${total === 1 ? '' : 's'}…` });
  return {
    signal,
    onProgress: (file, p) => {
      const n = files.indexOf(file) + 1;
      const pct = p.total ? Math.floor((p.bytes / p.total) * 100) : 0;
      const before = shown.get(file) ?? 0;
      shown.set(file, Math.max(before, pct));
      progress.report({
        message: `Uploading ${basename(file)}${total > 1 ? ` (${n} of ${total})` : ''}: ${(p.bytes / 1048576).toFixed(1)}${p.total ? ` of ${(p.total / 1048576).toFixed(1)}` : ''} MB`,
        increment: total ? Math.max(0, pct - before) / total : undefined,
      });
    },
  };
}
