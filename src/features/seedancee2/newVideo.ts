import * as vscode from 'vscode';
import { ASPECT_RATIOS, CREDIT_RATES, LIMITS } from '../../core/providers/seedancee2/contract';
import type { CreateVideoRequest, Model, VideoInput } from '../../core/providers/seedancee2/schemas';
import { validateVideoRequest } from '../../core/providers/seedancee2/validate';
import { pickNumber } from '../../commands/numberPick';
import { earlierFirst, withProgress } from '../../commands/util';
import type { CommandContext } from '../../commands/command';

/** What the caller already knows (images from the Explorer, or a job run again): each question starts from it. */
export interface VideoPreset {
  model?: string;
  input?: Partial<VideoInput>;
}

/** Asks for prompt, model, duration, resolution and ratio; shows the credits; submits once. */
export async function newVideo(c: CommandContext, preset: VideoPreset = {}): Promise<void> {
  const { g } = c;
  const provider = g.providers.seedancee2;
  let models: Model[];
  try {
    models = (await provider.listModels()).models;
  } catch (err) {
    return g.reportError(err, 'Seedancee2 models could not be loaded');
  }
  const input: Partial<VideoInput> = { ...preset.input };
  const prompt = await vscode.window.showInputBox({
    title: 'New Seedancee2 video',
    prompt:
      input.image_urls?.length || input.start_image_url
        ? 'Describe the motion for the selected image(s)'
        : 'Describe the video',
    value: input.prompt,
    placeHolder: 'A cinematic drone shot of waves breaking against black volcanic rocks',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'The prompt is empty.'),
  });
  if (prompt === undefined) return;
  input.prompt = prompt.trim();
  let model = preset.model;
  const modelPick = await vscode.window.showQuickPick(
    earlierFirst(
      models
        .filter((m) => !m.status || m.status === 'active')
        .map((m) => ({
          label: m.id,
          description: (m.resolutions ?? []).join(', '),
          detail: Object.entries(CREDIT_RATES[m.id] ?? {})
            .map(([r, c]) => `${r}: ${c} credits/s`)
            .join(' · '),
        })),
      model,
    ),
    { title: 'Model', placeHolder: 'Choose a model', ignoreFocusOut: true },
  );
  if (!modelPick) return;
  model = modelPick.label;
  const m = models.find((x) => x.id === model);
  const min = m?.duration?.min ?? LIMITS.durationMin;
  const max = m?.duration?.max ?? LIMITS.durationMax;
  const seconds = await pickNumber({
    title: 'Duration',
    min,
    max,
    unit: 's',
    default: input.duration ?? LIMITS.durationDefault,
  });
  if (seconds === undefined) return;
  input.duration = seconds;
  const resolutions = m?.resolutions ?? ['480p', '720p'];
  const resolutionPick = await vscode.window.showQuickPick(
    earlierFirst(
      resolutions.map((r) => ({ label: r, description: `${CREDIT_RATES[model!]?.[r] ?? '?'} credits/s` })),
      input.resolution,
    ),
    { title: 'Resolution', ignoreFocusOut: true },
  );
  if (!resolutionPick) return;
  input.resolution = resolutionPick.label;
  const ratioPick = await vscode.window.showQuickPick(
    earlierFirst(
      ASPECT_RATIOS.map((r) => ({ label: r })),
      input.aspect_ratio,
    ),
    { title: 'Aspect ratio', ignoreFocusOut: true },
  );
  if (!ratioPick) return;
  input.aspect_ratio = ratioPick.label;
  const req: CreateVideoRequest = { model: model!, input: input as VideoInput };
  try {
    validateVideoRequest(req, models);
  } catch (err) {
    return g.reportError(err, 'Seedancee2 video not started');
  }
  const credits = provider.estimate(req);
  const refused = g.budget.refusal(provider.charge(req));
  if (refused) return g.reportError(refused, 'Seedancee2 video not started');
  const confirm = await vscode.window.showInformationMessage(
    `Generate a ${input.duration} s ${input.resolution} ${input.aspect_ratio} video with ${model}?`,
    {
      modal: true,
      detail: `Estimated cost: ${credits ?? '?'} credits (duration × rate per second). Reserved now, charged on success, refunded on failure.`,
    },
    'Generate',
  );
  if (confirm !== 'Generate') return;
  const result = await withProgress(g, 'Starting Seedancee2 video…', (signal) => provider.submit(req, models, signal));
  if (!result) return;
  g.addJob(result.job);
  if (result.recovered) {
    void vscode.window.showWarningMessage(
      'The connection dropped after Seedancee2 received the request; GenDeck found the task in your list instead of sending it again.',
    );
  }
  await c.ui.revealJob(result.job.key);
}
