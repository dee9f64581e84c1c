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
  const references = vscode.l10n.t('Reference images');
  const frames = vscode.l10n.t('First and last frame');
  return [
    pickStep({
      name: vscode.l10n.t('Images'),
      skip: (s) => !s.pair,
      placeholder: vscode.l10n.t('How should the two images be used?'),
      items: (s) => [
        { label: references, description: 'omni_reference', frames: false },
        { label: frames, description: `${s.pair!.names[0]} → ${s.pair!.names[1]}`, frames: true },
      ],
      selected: (s) => (s.input.start_image_url ? frames : references),
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
      name: vscode.l10n.t('Prompt'),
      prompt: (s) =>
        s.input.image_urls?.length || s.input.start_image_url
          ? vscode.l10n.t('Describe the motion for the selected image(s) (required)')
          : vscode.l10n.t('Describe the video (required)'),
      placeholder: vscode.l10n.t('A cinematic drone shot of waves breaking against black volcanic rocks'),
      value: (s) => s.input.prompt,
      validate: (v) => (v.trim() ? undefined : vscode.l10n.t('The prompt is empty.')),
      accept: (v, s) => (s.input.prompt = v.trim()),
    }),
    pickStep({
      name: vscode.l10n.t('Model'),
      placeholder: vscode.l10n.t('Choose a model'),
      items: () =>
        earlierFirst(
          models
            .filter((m) => !m.status || m.status === 'active')
            .map((m) => ({
              label: m.id,
              description: (m.resolutions ?? []).join(', '),
              detail: Object.entries(CREDIT_RATES[m.id] ?? {})
                .map(([r, c]) => vscode.l10n.t('{0}: {1} credits/s', r, String(c)))
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
      name: vscode.l10n.t('Duration'),
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
      name: vscode.l10n.t('Resolution'),
      skip: (s) => resolutions(s).length < 2,
      items: (s) =>
        earlierFirst(
          resolutions(s).map((r) => ({
            label: r,
            description: vscode.l10n.t('{0} credits/s', CREDIT_RATES[s.model!]?.[r] ?? '?'),
          })),
          preset.input?.resolution,
        ),
      selected: (s) => s.input.resolution,
      accept: (item, s) => {
        s.input.resolution = item.label;
      },
    }),
    pickStep({
      name: vscode.l10n.t('Aspect ratio'),
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
    return g.reportError(err, vscode.l10n.t('Seedancee2 video not started'));
  }
  // Asked for while the questions are answered; whatever has not come once they are is left out.
  const ac = new AbortController();
  const usage = readUsageToday(provider.client, ac.signal);
  try {
    const answers = await runSteps(
      { title: vscode.l10n.t('New Seedancee2 video'), steps: videoSteps(models, preset) },
      { model: preset.model, input: { ...preset.input }, pair: preset.pair },
    );
    if (!answers) return;
    const { model, input } = answers;
    const req: CreateVideoRequest = { model: model!, input: input as VideoInput };
    try {
      validateVideoRequest(req, models);
    } catch (err) {
      return g.reportError(err, vscode.l10n.t('Seedancee2 video not started'));
    }
    const charge = provider.charge(req);
    const refused = g.budget.refusal(charge);
    if (refused) return g.reportError(refused, vscode.l10n.t('Seedancee2 video not started'));
    const today = g.budget.today('seedancee2');
    const rate = CREDIT_RATES[model!]?.[input.resolution ?? ''];
    const generate = vscode.l10n.t('Generate');
    const spec = [vscode.l10n.t('{0} s', input.duration ?? ''), input.resolution, input.aspect_ratio]
      .filter(Boolean)
      .join(' ');
    const ok = await confirmSend(
      vscode.l10n.t('Generate a {0} video with {1}?', spec, model!),
      [
        charge.cost
          ? rate !== undefined
            ? vscode.l10n.t(
                'Estimate: {0} ({1} s × {2} credits/s). Reserved now, charged on success, refunded on failure.',
                formatCharge(charge.cost),
                input.duration ?? '',
                rate,
              )
            : vscode.l10n.t(
                'Estimate: {0}. Reserved now, charged on success, refunded on failure.',
                formatCharge(charge.cost),
              )
          : vscode.l10n.t(
              'Estimate: not known for this model and resolution; Seedancee2 reserves the credits when it takes the task.',
            ),
        usageLine((await within(usage, USAGE_WAIT_MS))?.value),
        today ? budgetTodayLine(today.spent, today.budget) : undefined,
        g.sandbox.active ? vscode.l10n.t('Sandbox: no real credits are spent.') : undefined,
      ],
      generate,
    );
    if (!ok) return;
    const result = await withProgress(g, vscode.l10n.t('Starting Seedancee2 video…'), (signal) =>
      provider.submit(req, models, signal),
    );
    if (!result) return;
    g.addJob(result.job);
    if (result.recovered) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t(
          'The connection dropped after Seedancee2 received the request; GenDeck found the task in your list instead of sending it again.',
        ),
      );
    }
    await c.ui.revealJob(result.job.key);
  } finally {
    ac.abort();
  }
}
