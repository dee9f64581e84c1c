import * as vscode from 'vscode';
import { ASPECT_RATIOS, CREDIT_RATES, LIMITS } from '../../core/providers/seedancee2/contract';
import type { CreateVideoRequest, Model, VideoInput } from '../../core/providers/seedancee2/schemas';
import { validateVideoRequest } from '../../core/providers/seedancee2/validate';
import { numberStep } from '../../commands/numberPick';
import { pickStep, runSteps, textStep, type Step } from '../../commands/steps';
import { confirmSend, earlierFirst, within, withProgress } from '../../commands/util';
import { formatCharge } from '../../core/jobs/job';
import { budgetTodayLine } from '../../views/spendModel';
import { readUsageToday, USAGE_WAIT_MS, usageLine } from './usage';
import type { CommandContext } from '../../commands/command';

/** Two images from the Explorer: the first step asks whether they are references or the first and last frame. */
export interface ImagePair {
  images: [string, string];
  names: [string, string];
}

/** What the caller already knows (images from the Explorer, or a job run again): each question starts from it. */
export interface VideoPreset {
  model?: string;
  input?: Partial<VideoInput>;
  pair?: ImagePair;
}

interface Answers {
  model?: string;
  input: Partial<VideoInput>;
  pair?: ImagePair;
}

/** The steps: [how two images are used,] prompt, model, duration, resolution (when the model offers a choice), ratio. */
function videoSteps(models: Model[], preset: VideoPreset): Step<Answers>[] {
  const modelOf = (s: Answers) => models.find((x) => x.id === s.model);
  const resolutions = (s: Answers) => modelOf(s)?.resolutions ?? ['480p', '720p'];
  return [
    pickStep({
      name: 'Images',
      skip: (s) => !s.pair,
      placeholder: 'How should the two images be used?',
      items: (s) => [
        { label: 'Reference images', description: 'omni_reference', frames: false },
        { label: 'First and last frame', description: `${s.pair!.names[0]} → ${s.pair!.names[1]}`, frames: true },
      ],
      selected: (s) => (s.input.start_image_url ? 'First and last frame' : 'Reference images'),
      accept: (item, s) => {
        const [first, last] = s.pair!.images;
        delete s.input.image_urls;
        delete s.input.generation_type;
        delete s.input.start_image_url;
        delete s.input.end_image_url;
        Object.assign(
          s.input,
          item.frames
            ? { generation_type: 'first_and_last_frames', start_image_url: first, end_image_url: last }
            : { image_urls: [first, last] },
        );
      },
    }),
    textStep({
      name: 'Prompt',
      prompt: (s) =>
        s.input.image_urls?.length || s.input.start_image_url
          ? 'Describe the motion for the selected image(s) (required)'
          : 'Describe the video (required)',
      placeholder: 'A cinematic drone shot of waves breaking against black volcanic rocks',
      value: (s) => s.input.prompt,
      validate: (v) => (v.trim() ? undefined : 'The prompt is empty.'),
      accept: (v, s) => (s.input.prompt = v.trim()),
    }),
    pickStep({
      name: 'Model',
      placeholder: 'Choose a model',
      items: () =>
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
          preset.model,
        ),
      selected: (s) => s.model,
      accept: (item, s) => {
        s.model = item.label;
        // A model with one resolution asks nothing: that one it is.
        const only = resolutions(s);
        if (only.length === 1) s.input.resolution = only[0];
      },
    }),
    numberStep({
      name: 'Duration',
      range: (s) => ({
        min: modelOf(s)?.duration?.min ?? LIMITS.durationMin,
        max: modelOf(s)?.duration?.max ?? LIMITS.durationMax,
        unit: 's',
        default: preset.input?.duration ?? LIMITS.durationDefault,
      }),
      value: (s) => s.input.duration,
      accept: (n, s) => (s.input.duration = n),
    }),
    pickStep({
      name: 'Resolution',
      skip: (s) => resolutions(s).length < 2,
      items: (s) =>
        earlierFirst(
          resolutions(s).map((r) => ({ label: r, description: `${CREDIT_RATES[s.model!]?.[r] ?? '?'} credits/s` })),
          preset.input?.resolution,
        ),
      selected: (s) => s.input.resolution,
      accept: (item, s) => {
        s.input.resolution = item.label;
      },
    }),
    pickStep({
      name: 'Aspect ratio',
      items: () =>
        earlierFirst(
          ASPECT_RATIOS.map((r) => ({ label: r })),
          preset.input?.aspect_ratio,
        ),
      selected: (s) => s.input.aspect_ratio,
      accept: (item, s) => {
        s.input.aspect_ratio = item.label;
      },
    }),
  ];
}

/**
 * Asks for prompt, model, duration, resolution and ratio as one multi-step input; confirms with the credit estimate
 * and the account's usage today (read meanwhile, never waited on for long); submits once.
 */
export async function newVideo(c: CommandContext, preset: VideoPreset = {}): Promise<void> {
  const { g } = c;
  const provider = g.providers.seedancee2;
  let models: Model[];
  try {
    models = (await provider.listModels()).models;
  } catch (err) {
    return g.reportError(err, 'Seedancee2 video not started');
  }
  // Asked for while the questions are answered; whatever has not come once they are is left out.
  const ac = new AbortController();
  const usage = readUsageToday(provider.client, ac.signal);
  try {
    const answers = await runSteps(
      { title: 'New Seedancee2 video', steps: videoSteps(models, preset) },
      { model: preset.model, input: { ...preset.input }, pair: preset.pair },
    );
    if (!answers) return;
    const { model, input } = answers;
    const req: CreateVideoRequest = { model: model!, input: input as VideoInput };
    try {
      validateVideoRequest(req, models);
    } catch (err) {
      return g.reportError(err, 'Seedancee2 video not started');
    }
    const charge = provider.charge(req);
    const refused = g.budget.refusal(charge);
    if (refused) return g.reportError(refused, 'Seedancee2 video not started');
    const today = g.budget.today('seedancee2');
    const rate = CREDIT_RATES[model!]?.[input.resolution ?? ''];
    const ok = await confirmSend(
      `Generate a ${[`${input.duration} s`, input.resolution, input.aspect_ratio].filter(Boolean).join(' ')} video with ${model}?`,
      [
        charge.cost
          ? `Estimate: ${formatCharge(charge.cost)}${rate !== undefined ? ` (${input.duration} s × ${rate} credits/s)` : ''}. Reserved now, charged on success, refunded on failure.`
          : 'Estimate: not known for this model and resolution; Seedancee2 reserves the credits when it takes the task.',
        usageLine((await within(usage, USAGE_WAIT_MS))?.value),
        today ? budgetTodayLine(today.spent, today.budget) : undefined,
        g.sandbox.active ? 'Sandbox: no real credits are spent.' : undefined,
      ],
      'Generate',
    );
    if (!ok) return;
    const result = await withProgress(g, 'Starting Seedancee2 video…', (signal) =>
      provider.submit(req, models, signal),
    );
    if (!result) return;
    g.addJob(result.job);
    if (result.recovered) {
      void vscode.window.showWarningMessage(
        'The connection dropped after Seedancee2 received the request; GenDeck found the task in your list instead of sending it again.',
      );
    }
    await c.ui.revealJob(result.job.key);
  } finally {
    ac.abort();
  }
}
