import * as l10n from '@vscode/l10n';
import { ValidationError } from '../../errors';
import { fileToDataUri } from '../../media/dataUri';
import {
  lookupByPoll,
  type JsonSchemaObject,
  type LaunchInput,
  type LaunchOptions,
  type Launcher,
  type PreparedLaunch,
} from '../launch';
import { ASPECT_RATIOS, GENERATION_TYPES, LIMITS } from './contract';
import type { Seedancee2Provider } from './provider';
import type { CreateVideoRequest, VideoInput } from './schemas';
import { validateVideoRequest } from './validate';

/** The model a request names none of: the cheapest documented one. */
export const DEFAULT_MODEL = 'mini';

const INPUT_FIELDS = [
  'prompt',
  'duration',
  'resolution',
  'aspect_ratio',
  'generation_type',
  'image_urls',
  'start_image_url',
  'end_image_url',
  'video_url',
  'video_urls',
  'audio_urls',
  'seed',
] as const;

/** Seedancee2 from flat fields: `model` plus the documented input fields; local files become reference images. */
export function seedancee2Launcher(p: Seedancee2Provider): Launcher {
  return {
    provider: p.id,
    async inputSchema(_target, signal): Promise<JsonSchemaObject> {
      const { models } = await p.listModels(signal);
      const active = models.filter((m) => !m.status || m.status === 'active').map((m) => m.id);
      return {
        type: 'object',
        required: ['prompt'],
        additionalProperties: false,
        properties: {
          prompt: { type: 'string', minLength: 1, description: 'What the video shows.' },
          model: { type: 'string', enum: active, default: DEFAULT_MODEL },
          duration: {
            type: 'integer',
            minimum: LIMITS.durationMin,
            maximum: LIMITS.durationMax,
            default: LIMITS.durationDefault,
            description: 'Seconds (the model may allow a narrower range).',
          },
          resolution: { type: 'string', enum: ['480p', '720p', '1080p'], description: '1080p only on pro.' },
          aspect_ratio: { type: 'string', enum: [...ASPECT_RATIOS] },
          generation_type: { type: 'string', enum: [...GENERATION_TYPES] },
          image_urls: { type: 'array', items: { type: 'string' }, maxItems: LIMITS.maxImages },
          start_image_url: { type: 'string' },
          end_image_url: { type: 'string' },
          video_url: { type: 'string' },
          video_urls: { type: 'array', items: { type: 'string' }, maxItems: LIMITS.maxVideoUrls },
          audio_urls: { type: 'array', items: { type: 'string' }, maxItems: LIMITS.maxAudioUrls },
          seed: { type: 'integer' },
        },
      };
    },
    async prepare(req: LaunchInput, o: LaunchOptions = {}): Promise<PreparedLaunch> {
      const { model = DEFAULT_MODEL, ...rest } = req.input;
      const unknown = Object.keys(rest).filter((k) => !(INPUT_FIELDS as readonly string[]).includes(k));
      if (unknown.length) throw new ValidationError(l10n.t('Seedancee2 takes no field {0}.', unknown.join(', ')));
      if (typeof model !== 'string')
        throw new ValidationError(l10n.t('The model is a name such as mini, fast or pro.'));
      const input = { ...rest } as unknown as VideoInput;
      const files = req.files ?? [];
      if (files.length) {
        const images: string[] = [...(input.image_urls ?? [])];
        for (const f of files)
          images.push((await fileToDataUri(f, { kinds: ['image'], maxBytes: o.maxInlineBytes })).uri);
        input.image_urls = images;
      }
      const body: CreateVideoRequest = { model, input };
      const { models } = await p.listModels(o.signal);
      // The same checks as the editor's wizard, before anything is sent.
      validateVideoRequest(body, models);
      const credits = p.estimate(body);
      const summary = `Seedancee2 · ${model} · ${input.duration ?? LIMITS.durationDefault} s · ${input.resolution ?? '720p'}`;
      return {
        provider: p.id,
        summary,
        cost: credits === undefined ? undefined : { amount: credits, unit: 'credits', estimated: true },
        costNote: credits === undefined ? l10n.t('No documented rate for this model and resolution.') : undefined,
        send: async (signal) => (await p.submit(body, models, signal)).job,
      };
    },
    lookup: (id, req, signal) =>
      lookupByPoll(
        p,
        id,
        { kind: 'video', prompt: req.input.prompt, meta: { model: req.input.model ?? DEFAULT_MODEL } },
        signal,
      ),
  };
}
