import * as l10n from '@vscode/l10n';
import { ValidationError } from '../../errors';
import {
  checkFiles,
  lookupByPoll,
  type JsonSchemaObject,
  type LaunchInput,
  type Launcher,
  type PreparedLaunch,
} from '../launch';
import { DEFAULT_ENGINE, DEFAULT_MODEL, ENGINES, MODELS, needsSubscription } from './contract';
import type { SeeleInput, SeeleProvider } from './provider';
import { validateSeeleRequest } from './validate';

const FIELDS = ['prompt', 'model', 'engine', 'generation_model'] as const;

/** A new Seele game from flat fields; local files are uploaded (or reused by content) as reference files. */
export function seeleLauncher(p: SeeleProvider): Launcher {
  return {
    provider: p.id,
    async inputSchema(): Promise<JsonSchemaObject> {
      return {
        type: 'object',
        required: ['prompt'],
        additionalProperties: false,
        properties: {
          prompt: { type: 'string', minLength: 1, description: 'The game to make.' },
          model: { type: 'string', enum: [...MODELS], default: DEFAULT_MODEL },
          engine: { type: 'string', enum: [...ENGINES], default: DEFAULT_ENGINE },
          generation_model: {
            type: 'string',
            description: 'The asset generation model, when a specific one is wanted.',
          },
        },
      };
    },
    async prepare(req: LaunchInput): Promise<PreparedLaunch> {
      const unknown = Object.keys(req.input).filter((k) => !(FIELDS as readonly string[]).includes(k));
      if (unknown.length) throw new ValidationError(l10n.t('Seele takes no field {0}.', unknown.join(', ')));
      const input: SeeleInput = {
        prompt: req.input.prompt as string,
        model: (req.input.model as string | undefined) ?? DEFAULT_MODEL,
        engine: (req.input.engine as string | undefined) ?? DEFAULT_ENGINE,
        generation_model: req.input.generation_model as string | undefined,
        files: req.files,
      };
      validateSeeleRequest({
        prompt: input.prompt,
        model: input.model,
        engine: input.engine,
        generation_model: input.generation_model,
      });
      await checkFiles(req.files);
      const { model: paidModel, engine: paidEngine } = needsSubscription(input);
      return {
        provider: p.id,
        summary: `Seele · ${input.model} · ${input.engine}${req.files?.length ? ` · ${req.files.length} file(s)` : ''}`,
        costNote: [
          l10n.t('Seele reports the koin a game used when it finishes; the cost is unknown before.'),
          paidModel && l10n.t('The {0} model needs a Seele subscription.', paidModel),
          paidEngine && l10n.t('The {0} engine needs a Seele subscription.', paidEngine),
        ]
          .filter(Boolean)
          .join(' '),
        send: async (signal) => (await p.createGame(input, { signal })).job,
      };
    },
    lookup: (id, req, signal) =>
      lookupByPoll(
        p,
        id,
        {
          kind: 'game',
          prompt: req.input.prompt,
          meta: { model: req.input.model ?? DEFAULT_MODEL, engine: req.input.engine ?? DEFAULT_ENGINE },
        },
        signal,
      ),
  };
}
