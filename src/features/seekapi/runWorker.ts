import * as vscode from 'vscode';
import { action } from '../../commandIds';
import { settings } from '../../settings';
import { ProviderError, ValidationError, withActions } from '../../core/errors';
import { formFromSchema, initialValues, pruneUndefined, type JsonSchema } from '../../core/forms/schemaForm';
import { PRIORITIES } from '../../core/providers/seekapi/contract';
import { describePricing } from '../../core/providers/seekapi/provider';
import type { WorkerDetail } from '../../core/providers/seekapi/schemas';
import { openSchemaFormPanel, type HeldFile } from '../../webview/formPanel';
import type { SeekApiContext } from './context';
import type { SeekWorkersModel } from './workersModel';

/** What "Run Worker…" may be given: a Workers tree node, a worker id, or a request to run again (retry). */
export type RunWorkerArg =
  | string
  | { worker?: { id: string } }
  | { workerId: string; input?: Record<string, unknown>; priority?: string; webhook?: string }
  | undefined;

/**
 * The two control parameters the API takes at the top level beside the worker's input. They are
 * form fields like the others (the body is flat anyway) and are split off again on submit.
 */
const CONTROL_FIELDS: Record<string, JsonSchema> = {
  priority: {
    type: 'string',
    enum: [...PRIORITIES],
    title: 'Priority',
    description: 'Queue priority (control parameter). Leave empty for the default, normal.',
  },
  webhook: {
    type: 'string',
    format: 'uri',
    title: 'Webhook',
    description: 'Optional https URL Seek API POSTs the finished job to. GenDeck polls the job either way.',
  },
};

/** The worker's schema plus the control fields (kept out of the worker's own `required`). */
export function formSchemaFor(worker: WorkerDetail): JsonSchema {
  const s = worker.inputSchema as JsonSchema;
  const props = { ...(s.properties ?? {}) };
  for (const [k, v] of Object.entries(CONTROL_FIELDS)) if (!(k in props)) props[k] = v;
  return { ...s, type: 'object', properties: props };
}

/** Splits form values into the worker's input and the control parameters (sent only when set). */
export function splitControls(values: Record<string, unknown>): {
  input: Record<string, unknown>;
  priority?: string;
  webhook?: string;
} {
  const { priority, webhook, ...input } = pruneUndefined(values);
  return {
    input,
    priority: typeof priority === 'string' && priority ? priority : undefined,
    webhook: typeof webhook === 'string' && webhook.trim() ? webhook.trim() : undefined,
  };
}

async function pickWorker(view: SeekWorkersModel): Promise<string | undefined> {
  const items = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Loading Seek API workers…' },
    () => view.allWorkers(),
  );
  const pick = await vscode.window.showQuickPick(
    items.map((w) => ({
      label: w.name,
      description: `${w.id} · ${describePricing(w.pricing)}`,
      detail: w.description,
      id: w.id,
    })),
    { placeHolder: 'Run which Seek API worker?', matchOnDescription: true, matchOnDetail: true },
  );
  return pick?.id;
}

/** Local files already read (Explorer selection), named in the arg's `input` by their refs, and what to say about them. */
export interface HeldFiles {
  files?: HeldFile[];
  notes?: string[];
}

/** Opens the shared schema form for a worker: its fields, priority and webhook, the price estimate; submits and adds the job. */
export async function runWorker(c: SeekApiContext, arg?: RunWorkerArg, held: HeldFiles = {}): Promise<void> {
  const { g } = c;
  const p = g.providers.seekapi;
  let workerId: string | undefined;
  let prefill: Record<string, unknown> = {};
  if (typeof arg === 'string') workerId = arg;
  else if (arg && 'workerId' in arg) {
    workerId = arg.workerId;
    prefill = {
      ...(arg.input ?? {}),
      ...(arg.priority ? { priority: arg.priority } : {}),
      ...(arg.webhook ? { webhook: arg.webhook } : {}),
    };
  } else if (arg && 'worker' in arg && arg.worker) workerId = arg.worker.id;
  workerId ??= await pickWorker(c.feature);
  if (!workerId) return;
  const id = workerId;
  const worker = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `Reading the ${id} worker…` },
    () => p.getWorker(id, { fresh: true }),
  );
  const form = formFromSchema(formSchemaFor(worker));
  const balance = () => c.feature.account?.credits.balance;
  const limit = p.rateLimit();
  openSchemaFormPanel(g.context.extensionUri, {
    log: g.log,
    title: `Run ${worker.name}`,
    init: {
      title: worker.name,
      subtitle: [`Seek API worker ${worker.id}`, worker.category, worker.author ? `by ${worker.author}` : undefined]
        .filter(Boolean)
        .join(' · '),
      description: worker.description,
      form,
      values: { ...initialValues(form), ...prefill },
      submitLabel: 'Run Worker',
      badges: [...(g.sandbox.active ? ['sandbox'] : []), 'queue'],
      notes: [
        ...(held.notes ?? []),
        `Pricing: ${describePricing(worker.pricing)}. Seek API states the estimate when it accepts the job, and the final cost when it completes.`,
        ...(worker.maxDurationSec !== undefined
          ? [`Max duration ${worker.maxDurationSec} s; a job that runs longer ends as timeout and costs 0 credits.`]
          : []),
        `The job appears in the Jobs view and is polled within your plan's limit (${limit.ratePerSec} req/s); it can be cancelled while it is queued.`,
      ],
    },
    maxInlineBytes: Math.round(settings.maxInlineMediaMB() * 1024 * 1024),
    files: held.files,
    price: async (values) => {
      const { input } = splitControls(values);
      const n = p.estimate(worker, input);
      const b = balance();
      const text =
        n === undefined
          ? `Price: ${describePricing(worker.pricing)}`
          : `Estimate: ${n} credit${n === 1 ? '' : 's'} (${describePricing(worker.pricing)})`;
      return b !== undefined ? `${text} · balance ${b} credits` : text;
    },
    submit: async (values, signal) => {
      const { input, priority, webhook } = splitControls(values);
      const errors = p.validateInput(worker, input, { priority, webhook });
      if (Object.keys(errors).length) throw new ValidationError('Some fields need attention.', errors);
      const { job, recovered } = await p.submit(worker, input, {
        priority,
        webhook,
        signal,
        skipLocalValidation: true,
      });
      g.addJob(job);
      void c.ui.revealJob(job.key);
      void c.feature.refreshAccount();
      const cost = job.cost ? ` · estimate ${job.cost.amount} credits` : '';
      return {
        message: `${recovered ? 'Found after a dropped connection: ' : 'Queued '}${job.id}${cost}. Follow it in the Jobs view.`,
      };
    },
    onError: async (err) => {
      if (err instanceof ValidationError || (err instanceof ProviderError && err.status === 422)) return; // shown on the form, by field
      if (err instanceof ProviderError && err.status === 402)
        withActions(err, action('Show Account', 'gendeck.seekapi.refreshAccount'));
      await g.reportError(err, `Running ${worker.name} failed`);
    },
  });
}
