import { ValidationError } from '../../errors';
import { ASPECT_RATIOS, DOCUMENTED_MODELS, GENERATION_TYPES, LIMITS, estimateCredits } from './contract';
import type { CreateVideoRequest, Model } from './schemas';

const URL_RE = /^(https?:\/\/|data:)/i;

/** Checks a request against the documented rules and the model's own limits; throws before anything is sent. */
export function validateVideoRequest(req: CreateVideoRequest, models: Model[] = DOCUMENTED_MODELS): void {
  const f: Record<string, string> = {};
  const model = models.find((m) => m.id === req.model);
  const input = req.input;
  if (!model) f.model = `Unknown model "${req.model}". Choose one of ${models.map((m) => m.id).join(', ')}.`;
  else if (model.status && model.status !== 'active') f.model = `Model "${req.model}" is not active.`;
  if (!input.prompt || !input.prompt.trim()) f.prompt = 'The prompt is empty.';
  const min = model?.duration?.min ?? LIMITS.durationMin;
  const max = model?.duration?.max ?? LIMITS.durationMax;
  if (
    input.duration !== undefined &&
    (!Number.isInteger(input.duration) || input.duration < min || input.duration > max)
  ) {
    f.duration = `Duration must be a whole number of seconds from ${min} to ${max} (got ${input.duration}).`;
  }
  if (input.resolution !== undefined && model) {
    const allowed = model.resolutions ?? DOCUMENTED_MODELS.find((m) => m.id === model.id)?.resolutions ?? [];
    if (!allowed.includes(input.resolution))
      f.resolution = `${input.resolution} is not available on ${model.id}; it supports ${allowed.join(', ')}.`;
  }
  if (input.aspect_ratio !== undefined && !(ASPECT_RATIOS as readonly string[]).includes(input.aspect_ratio)) {
    f.aspect_ratio = `Aspect ratio must be one of ${ASPECT_RATIOS.join(', ')}.`;
  }
  if (input.generation_type !== undefined && !(GENERATION_TYPES as readonly string[]).includes(input.generation_type)) {
    f.generation_type = `Generation type must be omni_reference or first_and_last_frames.`;
  }
  if (input.generation_type === 'first_and_last_frames') {
    const frames =
      [input.start_image_url, input.end_image_url].filter(Boolean).length + (input.image_urls?.length ?? 0);
    if (!input.start_image_url || !input.end_image_url || frames !== 2)
      f.images = 'First-and-last-frames needs exactly two images: a start frame and an end frame.';
  } else if (input.start_image_url || input.end_image_url) {
    f.images = 'Start and end frames are only used with the first_and_last_frames generation type.';
  }
  if ((input.image_urls?.length ?? 0) > LIMITS.maxImages)
    f.image_urls = `At most ${LIMITS.maxImages} reference images (got ${input.image_urls!.length}).`;
  if (input.video_url && input.video_urls?.length)
    f.video_urls = 'Use either one reference video (video_url) or a list (video_urls), not both.';
  if ((input.video_urls?.length ?? 0) > LIMITS.maxVideoUrls)
    f.video_urls = `At most ${LIMITS.maxVideoUrls} reference videos.`;
  if ((input.audio_urls?.length ?? 0) > LIMITS.maxAudioUrls)
    f.audio_urls = `At most ${LIMITS.maxAudioUrls} reference audio files.`;
  const urls = [
    ...(input.image_urls ?? []),
    ...(input.video_urls ?? []),
    ...(input.audio_urls ?? []),
    input.video_url,
    input.start_image_url,
    input.end_image_url,
  ].filter((u): u is string => !!u);
  if (urls.some((u) => !URL_RE.test(u))) f.urls = 'Reference media must be http(s) URLs or data: URIs.';
  if (input.seed !== undefined && !Number.isInteger(input.seed)) f.seed = 'Seed must be a whole number.';
  if (req.callback_url !== undefined && !/^https:\/\//i.test(req.callback_url))
    f.callback_url = 'The webhook URL must be a public https URL.';
  const keys = Object.keys(f);
  if (keys.length)
    throw new ValidationError(
      keys.length === 1 ? f[keys[0]] : `${keys.length} problems: ${Object.values(f).join(' ')}`,
      f,
    );
}

/** The credits the request will reserve, by the documented formula. */
export function estimateRequestCredits(req: CreateVideoRequest): number | undefined {
  return estimateCredits(req.model, req.input.resolution ?? '720p', req.input.duration ?? LIMITS.durationDefault);
}
