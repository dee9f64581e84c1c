// `gendeck run <provider> …`: the provider's launcher checks the input and estimates the cost exactly as the editor
// does, the spending caps and consent are settled before anything is sent, then it sends once and, when asked,
// waits and downloads.
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { isActive } from '../../core/jobs/job';
import { isProviderId, PROVIDER_IDS, PROVIDER_LABELS } from '../../core/providers/index';
import type { LaunchInput, PreparedLaunch } from '../../core/providers/launch';
import type { ProviderId } from '../../core/providerIds';
import { DEFAULT_X402_LIMITS, type PaymentPrompt } from '../../core/x402/payer';
import { jsonInput, list, num, str, UsageError, type Values } from '../args';
import type { Command, Context } from '../command';
import { CostRefused, EXIT, KeyMissing } from '../exit';
import { costText } from '../output';
import { fetchOutputs, follow, requireKey, withHeadless } from '../session';
import type { Headless } from '../services';
import { jobExit, report } from './jobs';

/** Local files sent inline (Seedancee2 images, tool and worker media) up to this size, as the editor's default. */
const MAX_INLINE_BYTES = 10 * 1024 * 1024;
/** The x402 daily cap (rolling 24 hours), as the editor's gendeck.seisoai.x402.maxPerDayUsd. */
export const X402_DAY_VAR = 'GENDECK_SEISOAI_X402_MAX_PER_DAY_USD';

/** Each provider's own flags; the rest are common to every run. */
const FLAGS: Partial<Record<ProviderId, readonly string[]>> = {
  seedancee2: ['prompt', 'model', 'duration', 'resolution', 'ratio', 'seed', 'image', 'input', 'input-file'],
  seele: ['prompt', 'model', 'engine', 'generation-model', 'file', 'input', 'input-file'],
  seisoai: ['input', 'input-file', 'file', 'pay-x402', 'max-usd'],
  seekapi: ['input', 'input-file', 'file'],
};
const PROVIDER_FLAGS = [...new Set(Object.values(FLAGS).flat())];

const defined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** The launch as the flags state it: the provider's input fields over --input, the files, the tool or worker. */
async function launchInput(id: ProviderId, target: string | undefined, v: Values): Promise<LaunchInput> {
  const base = await jsonInput(v);
  switch (id) {
    case 'seedancee2':
      return {
        input: defined({
          ...base,
          prompt: str(v, 'prompt') ?? base.prompt,
          model: str(v, 'model') ?? base.model,
          duration: num(v, 'duration', { integer: true }) ?? base.duration,
          resolution: str(v, 'resolution') ?? base.resolution,
          aspect_ratio: str(v, 'ratio') ?? base.aspect_ratio,
          seed: num(v, 'seed', { integer: true }) ?? base.seed,
        }),
        files: list(v, 'image').map((f) => resolve(f)),
      };
    case 'seele':
      return {
        input: defined({
          ...base,
          prompt: str(v, 'prompt') ?? base.prompt,
          model: str(v, 'model') ?? base.model,
          engine: str(v, 'engine') ?? base.engine,
          generation_model: str(v, 'generation-model') ?? base.generation_model,
        }),
        files: list(v, 'file').map((f) => resolve(f)),
      };
    default:
      return { target, input: base, files: list(v, 'file').map((f) => resolve(f)) };
  }
}

interface Caps {
  maxCost?: number;
  maxUsd?: number;
  yes: boolean;
}

/** A yes from the person at the terminal; false when there is none (a script). */
async function askYes(c: Context, question: string): Promise<boolean> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question, { signal: c.signal })).trim());
  } finally {
    rl.close();
  }
}

/**
 * Whether it may be sent, decided before anything is: a cap refuses an estimate above it and an unknown one
 * (--max-cost) or a price above it (--max-usd); outside the sandbox a cost needs consent: a cap, --yes, or a yes at
 * the terminal. A script with neither gets CostRefused and nothing is sent.
 */
async function settleCost(c: Context, h: Headless, p: PreparedLaunch, caps: Caps): Promise<void> {
  const what = `${p.summary} costs ${costText(p.cost)}`;
  const why = p.costNote ? ` (${p.costNote})` : '';
  if (caps.maxCost !== undefined) {
    if (!p.cost) throw new CostRefused(`Nothing sent: ${what}${why}; --max-cost ${caps.maxCost} needs an estimate.`);
    if (p.cost.amount > caps.maxCost) throw new CostRefused(`Nothing sent: ${what}, above --max-cost ${caps.maxCost}.`);
  }
  if (caps.maxUsd !== undefined && p.cost && p.cost.amount > caps.maxUsd)
    throw new CostRefused(`Nothing sent: ${what}, above --max-usd ${caps.maxUsd}.`);
  if (h.sandbox || caps.yes || caps.maxCost !== undefined || caps.maxUsd !== undefined || p.cost?.amount === 0) return;
  if (await askYes(c, `${what}${why}. Send it? [y/N] `)) return;
  throw new CostRefused(
    `Nothing sent: ${what}${why}. A job that may cost is sent with --max-cost N (the most it may cost) or --yes.`,
  );
}

/** The x402 caps and the confirmation: each payment is said on stderr and made only within --max-usd. */
function x402Options(c: Context, maxUsd: number) {
  const raw = c.env[X402_DAY_VAR]?.trim();
  const perDay = raw ? Number(raw) : DEFAULT_X402_LIMITS.maxPerDayUsd;
  if (!Number.isFinite(perDay) || perDay <= 0)
    throw new UsageError(`${X402_DAY_VAR} is "${raw}": a positive number of USD, or unset.`);
  return {
    limits: { maxPerPaymentUsd: maxUsd, maxPerDayUsd: perDay },
    confirm: async (p: PaymentPrompt) => {
      const ok = Number(p.amountUsdc) <= maxUsd;
      const about = p.description ? ` (“${p.description}”)` : '';
      c.out.note(
        `gendeck: x402: ${ok ? 'paying' : 'not paying'} ${p.amountUsdc} USDC to ${p.payTo} on ${p.networkLabel} for ${p.resource}${about}; ${p.spentTodayUsdc} of ${p.maxPerDayUsdc} USDC paid in the last 24 hours${ok ? '' : `; above --max-usd ${maxUsd}`}.`,
      );
      return ok;
    },
  };
}

export const run: Command = {
  name: 'run',
  summary: 'start a job: checked and priced locally first (gendeck run --help)',
  usage: `gendeck run seedancee2 --prompt TEXT [--model mini|fast|pro] [--duration S] [--resolution 480p|720p|1080p]
                   [--ratio 16:9|4:3|1:1|3:4|9:16|21:9|adaptive] [--seed N] [--image FILE]…
gendeck run seele --prompt TEXT [--model M] [--engine threejs|unity|unreal] [--generation-model M] [--file FILE]…
gendeck run seisoai TOOL_ID (--input JSON | --input-file F) [--file FILE]… [--pay-x402 --max-usd N]
gendeck run seekapi WORKER_ID (--input JSON | --input-file F) [--file FILE]…`,
  help: `Checks the input locally and estimates the cost exactly as the editor does, before any request that creates
anything; a bad input exits 2 with nothing sent. Seedancee2 and Seele take their flags over --input's fields; a tool or
worker takes --input (its schema: gendeck tools seisoai TOOL_ID, gendeck workers seekapi WORKER_ID). --image and
--file send local files: Seedancee2 reference images inline, Seele files uploaded, a tool's or worker's media
put into the fields that take them.

  --wait          poll until the job ends: a progress line on a terminal, nothing on a pipe
  --timeout SECONDS  wait at most this long (implies --wait): then the job as it stands, exit 6 (it goes on)
  --out DIR       then download the outputs into DIR/<job folder>/ with a gendeck.json sidecar (implies --wait)
  --max-cost N    refuse, before sending, when the estimate is above N or unknown (N in the estimate's unit:
                  credits, koin, USD)
  --yes           send whatever the estimate (daily budgets still apply)
  --pay-x402      Seisoai: pay this request with x402 from SEISOAI_WALLET_KEY instead of the API key; needs
  --max-usd N     the most one payment may be, in USDC; each payment is said on stderr before it is made

Spending consent: outside the sandbox a job that may cost is sent only under --max-cost N, with --yes, with
--pay-x402 --max-usd N, or after a "y" at the terminal. A script with none of them gets exit 4 and nothing is sent.
x402 payments also stay within ${X402_DAY_VAR} (default ${DEFAULT_X402_LIMITS.maxPerDayUsd}) a day; receipts
are appended to <state dir>/x402-receipts.jsonl. Daily budgets: GENDECK_SEELE_DAILY_BUDGET (koin),
GENDECK_SEEDANCEE2_DAILY_BUDGET and GENDECK_SEEKAPI_DAILY_BUDGET (credits) refuse a job that would pass them (exit 4).

Prints the job (one JSON object with --json); exit 1 when a waited job failed, was canceled or timed out.`,
  options: {
    prompt: { type: 'string' },
    model: { type: 'string' },
    duration: { type: 'string' },
    resolution: { type: 'string' },
    ratio: { type: 'string' },
    seed: { type: 'string' },
    image: { type: 'string', multiple: true },
    engine: { type: 'string' },
    'generation-model': { type: 'string' },
    file: { type: 'string', multiple: true },
    input: { type: 'string' },
    'input-file': { type: 'string' },
    wait: { type: 'boolean' },
    timeout: { type: 'string' },
    out: { type: 'string' },
    'max-cost': { type: 'string' },
    yes: { type: 'boolean' },
    'pay-x402': { type: 'boolean' },
    'max-usd': { type: 'string' },
  },
  async run(c) {
    const [provider, target, ...extra] = c.args;
    const runnable = PROVIDER_IDS.filter((id) => FLAGS[id]);
    if (!provider) throw new UsageError(`gendeck run needs a provider: ${runnable.join(', ')} (gendeck run --help).`);
    if (!isProviderId(provider) || !FLAGS[provider])
      throw new UsageError(`gendeck run takes ${runnable.join(', ')}, not "${provider}" (gendeck run --help).`);
    const id: ProviderId = provider;
    const own = FLAGS[id]!;
    const wrong = PROVIDER_FLAGS.filter((f) => !own.includes(f) && c.values[f] !== undefined);
    if (wrong.length)
      throw new UsageError(`${wrong.map((f) => `--${f}`).join(', ')}: not for ${id} (gendeck run --help).`);
    const takesTarget = id === 'seisoai' || id === 'seekapi';
    if (takesTarget && !target)
      throw new UsageError(
        `gendeck run ${id} needs the ${id === 'seisoai' ? 'tool id (gendeck tools seisoai)' : 'worker id (gendeck workers seekapi)'}.`,
      );
    if ((takesTarget ? extra : [target, ...extra]).some((a) => a !== undefined))
      throw new UsageError(`Unexpected argument "${takesTarget ? extra[0] : target}" (gendeck run --help).`);
    const payX402 = c.values['pay-x402'] === true;
    const caps: Caps = {
      maxCost: num(c.values, 'max-cost', { min: 0 }),
      maxUsd: num(c.values, 'max-usd', { min: 0 }),
      yes: c.values.yes === true,
    };
    if (payX402 !== (caps.maxUsd !== undefined))
      throw new UsageError('--pay-x402 and --max-usd N go together: x402 pays only with a cap per payment.');
    const out = str(c.values, 'out');
    const timeout = num(c.values, 'timeout', { min: 1 });
    const wait = c.values.wait === true || out !== undefined || timeout !== undefined;
    const input = await launchInput(id, takesTarget ? target : undefined, c.values);
    return withHeadless(
      c,
      async (h) => {
        if (!payX402) requireKey(h, id);
        else if (!h.sandbox && !c.env.SEISOAI_WALLET_KEY)
          throw new KeyMissing(
            'x402 pays from SEISOAI_WALLET_KEY, which is not set (it is read from the environment only).',
          );
        const prepared = await h.launcher(id)!.prepare(input, {
          signal: c.signal,
          auth: payX402 ? 'x402' : undefined,
          maxInlineBytes: MAX_INLINE_BYTES,
        });
        c.out.note(
          `gendeck: ${prepared.summary}: ${costText(prepared.cost)}${prepared.costNote ? `. ${prepared.costNote}` : ''}`,
        );
        await settleCost(c, h, prepared, caps);
        let job = await h.addJob(await prepared.send(c.signal));
        const later = !wait && isActive(job) ? ` (gendeck wait ${job.key})` : '';
        c.out.note(`gendeck: ${PROVIDER_LABELS[id]} accepted ${job.key}${later}`);
        let timedOut = false;
        if (wait) ({ job, timedOut } = await follow(c, h, job.key, timeout));
        if (out !== undefined && !timedOut && job.outputs.length)
          job = (await fetchOutputs(c, h, job, resolve(out))).job;
        report(c, job, { estimate: prepared.cost ?? null });
        return timedOut ? EXIT.stillRunning : jobExit(job);
      },
      { x402: payX402 ? x402Options(c, caps.maxUsd!) : undefined },
    );
  },
};
