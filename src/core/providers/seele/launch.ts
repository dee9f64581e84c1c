import { ValidationError } from '../../errors';
import { checkFiles, type JsonSchemaObject, type LaunchInput, type Launcher, type PreparedLaunch } from '../launch';
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
      if (unknown.length) throw new ValidationError(`Seele takes no field ${unknown.join(', ')}.`);
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
      const subscription = [paidModel && `the ${paidModel} model`, paidEngine && `the ${paidEngine} engine`].filter(
        Boolean,
      );
      return {
        provider: p.id,
        summary: `Seele · ${input.model} · ${input.engine}${req.files?.length ? ` · ${req.files.length} file(s)` : ''}`,
        costNote: `Seele reports the koin a game used when it finishes; the cost is unknown before.${
          subscription.length ? ` ${subscription.join(' and ')} need a Seele subscription.` : ''
        }`,
        send: async (signal) => (await p.createGame(input, { signal })).job,
      };
    },
  };
}
