import * as l10n from '@vscode/l10n';
import { ValidationError } from '../../errors';
import {
  filesIntoSchema,
  lookupByPoll,
  type LaunchCost,
  type LaunchInput,
  type LaunchOptions,
  type Launcher,
} from '../launch';
import type { SeisoaiProvider } from './provider';
import type { Price } from './schemas';

/** The cost a price states, in the unit it is paid in (x402: USDC from the wallet; a key: USD or credits). */
export function priceCost(price: Price, auth: 'apiKey' | 'x402'): LaunchCost | undefined {
  if (price.usd !== undefined) return { amount: price.usd, unit: auth === 'x402' ? 'USDC' : 'USD', estimated: true };
  if (price.credits !== undefined && auth === 'apiKey')
    return { amount: price.credits, unit: 'credits', estimated: true };
  return undefined;
}

/** A Seisoai tool with its exact input; the schema and the price are read live, the input checked against both. */
export function seisoaiLauncher(p: SeisoaiProvider): Launcher {
  const toolOf = (target: string | undefined) => {
    if (!target)
      throw new ValidationError(l10n.t('Name the Seisoai tool to run (its id, as `gendeck tools seisoai` lists).'));
    return target;
  };
  return {
    provider: p.id,
    target: 'tool',
    async inputSchema(target, signal) {
      return (await p.registry.detail(toolOf(target), { signal })).inputSchema;
    },
    async prepare(req: LaunchInput, o: LaunchOptions = {}) {
      const tool = await p.registry.detail(toolOf(req.target), { signal: o.signal });
      const input = await filesIntoSchema(tool.inputSchema, req.input, req.files ?? [], o.maxInlineBytes);
      p.validateInput(tool, input, o.maxInlineBytes);
      const auth = o.auth ?? 'apiKey';
      const price = await p.price(tool.id, input, o.signal);
      const cost = priceCost(price, auth);
      return {
        provider: p.id,
        summary: `Seisoai · ${tool.name} (${tool.id})${auth === 'x402' ? ' · paid with x402' : ''}`,
        cost,
        costNote: cost ? undefined : l10n.t('Seisoai states no price for this input.'),
        send: async (signal) =>
          (await p.invoke(tool.id, input, { auth, signal, maxDataUriBytes: o.maxInlineBytes })).job,
      };
    },
    // Polled as a queued job sent with the key (how `prepare` sends by default); a sync tool's answer has no job.
    lookup: (id, req, signal) => {
      const tool = toolOf(req.target);
      return lookupByPoll(
        p,
        id,
        {
          kind: `tool:${tool}`,
          prompt: req.input.prompt,
          meta: { toolId: tool, jobId: id, model: tool, auth: 'apiKey' },
        },
        signal,
      );
    },
  };
}
