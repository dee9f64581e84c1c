import * as l10n from '@vscode/l10n';
import { ValidationError } from '../../errors';
import { ASPECT_RATIOS, DOCUMENTED_MODELS, GENERATION_TYPES, LIMITS, estimateCredits } from './contract';
import type { CreateVideoRequest, Model } from './schemas';

const URL_RE = /^(https?:\/\/|data:)/i;

/** Checks a request against the documented rules and the model's own limits; throws before anything is sent. */
export function validateVideoRequest(req: CreateVideoRequest, models: Model[] = DOCUMENTED_MODELS): void {
  const f: Record<string, string> = {};
  const model = models.find((m) => m.id === req.model);
  const input = req.input;
  if (!model)
    f.model = l10n.t('Unknown model "{0}". Choose one of {1}.', req.model, models.map((m) => m.id).join(', '));
  else if (model.status && model.status !== 'active') f.model = l10n.t('Model "{0}" is not active.', req.model);
  if (!input.prompt || !input.prompt.trim()) f.prompt = l10n.t('The prompt is empty.');
  const min = model?.duration?.min ?? LIMITS.durationMin;
  const max = model?.duration?.max ?? LIMITS.durationMax;
  if (
    input.duration !== undefined &&
    (!Number.isInteger(input.duration) || input.duration < min || input.duration > max)
  ) {
    f.duration = l10n.t(
      'Duration must be a whole number of seconds from {0} to {1} (got {2}).',
      min,
      max,
      input.duration,
    );
  }
  if (input.resolution !== undefined && model) {
    const allowed = model.resolutions ?? DOCUMENTED_MODELS.find((m) => m.id === model.id)?.resolutions ?? [];
    if (!allowed.includes(input.resolution))
      f.resolution = l10n.t(
        '{0} is not available on {1}; it supports {2}.',
        input.resolution,
        model.id,
        allowed.join(', '),
      );
  }
  if (input.aspect_ratio !== undefined && !(ASPECT_RATIOS as readonly string[]).includes(input.aspect_ratio)) {
    f.aspect_ratio = l10n.t('Aspect ratio must be one of {0}.', ASPECT_RATIOS.join(', '));
  }
  if (input.generation_type !== undefined && !(GENERATION_TYPES as readonly string[]).includes(input.generation_type)) {
    f.generation_type = l10n.t('Generation type must be omni_reference or first_and_last_frames.');
  }
  if (input.generation_type === 'first_and_last_frames') {
    const frames =
      [input.start_image_url, input.end_image_url].filter(Boolean).length + (input.image_urls?.length ?? 0);
    if (!input.start_image_url || !input.end_image_url || frames !== 2)
      f.images = l10n.t('First-and-last-frames needs exactly two images: a start frame and an end frame.');
  } else if (input.start_image_url || input.end_image_url) {
    f.images = l10n.t('Start and end frames are only used with the first_and_last_frames generation type.');
  }
  if ((input.image_urls?.length ?? 0) > LIMITS.maxImages)
    f.image_urls = l10n.t('At most {0} reference images (got {1}).', LIMITS.maxImages, input.image_urls!.length);
  if (input.video_url && input.video_urls?.length)
    f.video_urls = l10n.t('Use either one reference video (video_url) or a list (video_urls), not both.');
  if ((input.video_urls?.length ?? 0) > LIMITS.maxVideoUrls)
    f.video_urls = l10n.t('At most {0} reference videos.', LIMITS.maxVideoUrls);
  if ((input.audio_urls?.length ?? 0) > LIMITS.maxAudioUrls)
    f.audio_urls = l10n.t('At most {0} reference audio files.', LIMITS.maxAudioUrls);
  const urls = [
    ...(input.image_urls ?? []),
    ...(input.video_urls ?? []),
    ...(input.audio_urls ?? []),
    input.video_url,
    input.start_image_url,
    input.end_image_url,
  ].filter((u): u is string => !!u);
  if (urls.some((u) => !URL_RE.test(u))) f.urls = l10n.t('Reference media must be http(s) URLs or data: URIs.');
  if (input.seed !== undefined && !Number.isInteger(input.seed)) f.seed = l10n.t('Seed must be a whole number.');
  if (req.callback_url !== undefined && !/^https:\/\//i.test(req.callback_url))
    f.callback_url = l10n.t('The webhook URL must be a public https URL.');
  const keys = Object.keys(f);
  if (keys.length)
    throw new ValidationError(
      keys.length === 1 ? f[keys[0]] : l10n.t('{0} problems: {1}', keys.length, Object.values(f).join(' ')),
      f,
    );
}

/** The credits the request will reserve, by the documented formula. */
export function estimateRequestCredits(req: CreateVideoRequest): number | undefined {
  return estimateCredits(req.model, req.input.resolution ?? '720p', req.input.duration ?? LIMITS.durationDefault);
}
