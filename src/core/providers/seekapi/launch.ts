import * as l10n from '@vscode/l10n';
import { ValidationError } from '../../errors';
import { describeFieldErrors } from '../../forms/schemaForm';
import { filesIntoSchema, lookupByPoll, type LaunchInput, type LaunchOptions, type Launcher } from '../launch';
import { describePricing, type SeekApiProvider } from './provider';

/** A Seek API worker with its input; the worker's schema and pricing are read live, the estimate by its pricing. */
export function seekapiLauncher(p: SeekApiProvider): Launcher {
  const workerOf = (target: string | undefined) => {
    if (!target)
      throw new ValidationError(
        l10n.t('Name the Seek API worker to run (its id, as `gendeck workers seekapi` lists).'),
      );
    return target;
  };
  return {
    provider: p.id,
    target: 'worker',
    async inputSchema(target, signal) {
      return (await p.getWorker(workerOf(target), { signal })).inputSchema;
    },
    async prepare(req: LaunchInput, o: LaunchOptions = {}) {
      const worker = await p.getWorker(workerOf(req.target), { signal: o.signal });
      const input = await filesIntoSchema(worker.inputSchema, req.input, req.files ?? [], o.maxInlineBytes);
      const errors = p.validateInput(worker, input);
      if (Object.keys(errors).length)
        throw new ValidationError(
          l10n.t('Check the input for {0}: {1}.', worker.name, describeFieldErrors(errors)),
          errors,
        );
      const credits = p.estimate(worker, input);
      return {
        provider: p.id,
        summary: `Seek API · ${worker.name} (${worker.id})`,
        cost: credits === undefined ? undefined : { amount: credits, unit: 'credits', estimated: true },
        costNote:
          credits === undefined
            ? l10n.t('Pricing: {0}.', describePricing(worker.pricing) || l10n.t('not stated'))
            : undefined,
        send: async (signal) => (await p.submit(worker, input, { signal })).job,
      };
    },
    lookup: (id, req, signal) => lookupByPoll(p, id, { kind: `worker:${workerOf(req.target)}` }, signal),
  };
}
