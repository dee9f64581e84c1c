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
 * A function: the titles are read when a form opens, not when this module loads.
 */
const controlFields = (): Record<string, JsonSchema> => ({
  priority: {
    type: 'string',
    enum: [...PRIORITIES],
    title: vscode.l10n.t('Priority'),
    description: vscode.l10n.t('Queue priority (control parameter). Leave empty for the default, normal.'),
  },
  webhook: {
    type: 'string',
    format: 'uri',
    title: vscode.l10n.t('Webhook'),
    description: vscode.l10n.t(
      'Optional https URL Seek API POSTs the finished job to. GenDeck polls the job either way.',
    ),
  },
});

/** The worker's schema plus the control fields (kept out of the worker's own `required`). */
export function formSchemaFor(worker: WorkerDetail): JsonSchema {
  const s = worker.inputSchema as JsonSchema;
  const props = { ...(s.properties ?? {}) };
  for (const [k, v] of Object.entries(controlFields())) if (!(k in props)) props[k] = v;
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
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Loading Seek API workers…') },
    () => view.allWorkers(),
  );
  const pick = await vscode.window.showQuickPick(
    items.map((w) => ({
      label: w.name,
      description: `${w.id} · ${describePricing(w.pricing)}`,
      detail: w.description,
      id: w.id,
    })),
    { placeHolder: vscode.l10n.t('Run which Seek API worker?'), matchOnDescription: true, matchOnDetail: true },
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
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading the {0} worker…', id) },
    () => p.getWorker(id, { fresh: true }),
  );
  const form = formFromSchema(formSchemaFor(worker));
  const balance = () => c.feature.account?.credits.balance;
  const limit = p.rateLimit();
  openSchemaFormPanel(g.context.extensionUri, {
    log: g.log,
    title: vscode.l10n.t('Run {0}', worker.name),
    init: {
      title: worker.name,
      subtitle: [
        vscode.l10n.t('Seek API worker {0}', worker.id),
        worker.category,
        worker.author ? vscode.l10n.t('by {0}', worker.author) : undefined,
      ]
        .filter(Boolean)
        .join(' · '),
      description: worker.description,
      form,
      values: { ...initialValues(form), ...prefill },
      submitLabel: vscode.l10n.t('Run Worker'),
      // 'sandbox' is not translated: the page marks that badge by its text (webview-ui/form/renderForm.ts).
      sandbox: g.sandbox.active,
      badges: [vscode.l10n.t('queue')],
      notes: [
        ...(held.notes ?? []),
        vscode.l10n.t(
          'Pricing: {0}. Seek API states the estimate when it accepts the job, and the final cost when it completes.',
          describePricing(worker.pricing),
        ),
        ...(worker.maxDurationSec !== undefined
          ? [
              vscode.l10n.t(
                'Max duration {0} s; a job that runs longer ends as timeout and costs 0 credits.',
                worker.maxDurationSec,
              ),
            ]
          : []),
        vscode.l10n.t(
          "The job appears in the Jobs view and is polled within your plan's limit ({0} req/s); it can be cancelled while it is queued.",
          limit.ratePerSec,
        ),
      ],
    },
    maxInlineBytes: Math.round(settings.maxInlineMediaMB() * 1024 * 1024),
    files: held.files,
    price: async (values) => {
      const { input } = splitControls(values);
      const n = p.estimate(worker, input);
      const b = balance();
      const pricing = describePricing(worker.pricing);
      const text =
        n === undefined
          ? vscode.l10n.t('Price: {0}', pricing)
          : n === 1
            ? vscode.l10n.t('Estimate: 1 credit ({0})', pricing)
            : vscode.l10n.t('Estimate: {0} credits ({1})', n, pricing);
      return b !== undefined ? vscode.l10n.t('{0} · balance {1} credits', text, b) : text;
    },
    submit: async (values, signal) => {
      const { input, priority, webhook } = splitControls(values);
      const errors = p.validateInput(worker, input, { priority, webhook });
      if (Object.keys(errors).length) throw new ValidationError(vscode.l10n.t('Some fields need attention.'), errors);
      const { job, recovered } = await p.submit(worker, input, {
        priority,
        webhook,
        signal,
        skipLocalValidation: true,
      });
      g.addJob(job);
      void c.ui.revealJob(job.key);
      void c.feature.refreshAccount();
      const message = job.cost
        ? recovered
          ? vscode.l10n.t(
              'Found after a dropped connection: {0} · estimate {1} credits. Follow it in the Jobs view.',
              job.id,
              job.cost.amount,
            )
          : vscode.l10n.t('Queued {0} · estimate {1} credits. Follow it in the Jobs view.', job.id, job.cost.amount)
        : recovered
          ? vscode.l10n.t('Found after a dropped connection: {0}. Follow it in the Jobs view.', job.id)
          : vscode.l10n.t('Queued {0}. Follow it in the Jobs view.', job.id);
      return { message };
    },
    onError: async (err) => {
      if (err instanceof ValidationError || (err instanceof ProviderError && err.status === 422)) return; // shown on the form, by field
      if (err instanceof ProviderError && err.status === 402)
        withActions(err, action(vscode.l10n.t('Show Account'), 'gendeck.seekapi.refreshAccount'));
      await g.reportError(err, vscode.l10n.t('Running {0} failed', worker.name));
    },
  });
}
