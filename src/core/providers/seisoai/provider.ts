import { randomUUID } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import { ProviderError, ValidationError, describeError } from '../../errors';
import { describeFieldErrors, validateValues, type FieldErrors } from '../../forms/schemaForm';
import { backoffDelay, sleep } from '../../http/backoff';
import type { HttpResponse } from '../../http/client';
import { withoutNulls } from '../../json';
import {
  elideDataUris,
  newJob,
  type Job,
  type JobOutput,
  type JobPatch,
  type JobStatus,
  type OutputKind,
} from '../../jobs/job';
import type { Logger } from '../../log';
import { silentLogger } from '../../log';
import { oneLine } from '../../text';
import { challengeError, parseChallenge, readSettlement, formatUsdc } from '../../x402/protocol';
import { X402Error, type PreparedPayment, type X402Payer } from '../../x402/payer';
import { clientOptions, type JobSource, type KeyedService, type ProviderContext } from '../types';
import { SeisoaiClient, readErrorBody } from './client';
import { API_PREFIX, categoryLabel, INVOKE_500_RETRIES, JOB_STATUS_WORDS, type ToolCategory } from './contract';
import { extractOutputs } from './outputs';
import {
  invokeResponseSchema,
  readPrice,
  type InvokeResponse,
  type Price,
  type ToolDetail,
  type ToolSummary,
} from './schemas';
import { ToolRegistry } from './toolRegistry';

/** Which branch of the documented error policy a failure took. */
export type PolicyBranch = 'schema' | 'payment' | 'not_found' | 'disabled' | 'server';

/** A Seisoai failure with what the policy found: mismatching fields, or tools to use instead. */
export class SeisoaiPolicyError extends ProviderError {
  readonly policy: PolicyBranch;
  readonly toolId: string;
  readonly alternatives: ToolSummary[];
  /** Set after a 400: the schema that was fetched again. */
  readonly freshSchema?: Record<string, unknown>;

  constructor(
    init: ConstructorParameters<typeof ProviderError>[0] & {
      policy: PolicyBranch;
      toolId: string;
      alternatives?: ToolSummary[];
      freshSchema?: Record<string, unknown>;
    },
  ) {
    super(init);
    this.name = 'SeisoaiPolicyError';
    this.policy = init.policy;
    this.toolId = init.toolId;
    this.alternatives = init.alternatives ?? [];
    this.freshSchema = init.freshSchema;
  }
}

export type AuthMode = 'apiKey' | 'x402';

export interface InvokeOptions {
  /** Default: the API key when one is set, else x402. */
  auth?: AuthMode;
  signal?: AbortSignal;
  /** Cap for inline files (data: URIs) in the input. */
  maxDataUriBytes?: number;
  title?: string;
}

export interface InvokeResult {
  mode: 'sync' | 'queue';
  job: Job;
  /** Set when the call was paid with x402. */
  payment?: { amountUsdc: string; payTo: string; network: string; transaction?: string };
}

/** Our bookkeeping on a Seisoai job. */
export interface SeisoaiJobMeta {
  toolId: string;
  toolName?: string;
  category?: ToolCategory;
  jobId?: string;
  model?: string;
  statusUrl?: string;
  resultUrl?: string;
  auth: AuthMode;
  agentId?: string;
}

const CATEGORY_HINT: Partial<Record<ToolCategory, OutputKind>> = {
  images: 'image',
  video: 'video',
  audio: 'audio',
  music: 'audio',
  '3D': 'model',
};

export function statusFromWord(word: string | undefined): JobStatus | undefined {
  return word ? JOB_STATUS_WORDS[word.toLowerCase()] : undefined;
}

function errorText(e: unknown): string | undefined {
  if (!e) return undefined;
  if (typeof e === 'string') return e;
  if (typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string')
    return (e as { message: string }).message;
  return undefined;
}

export class SeisoaiProvider implements KeyedService, JobSource {
  readonly id = 'seisoai' as const;
  readonly client: SeisoaiClient;
  readonly registry: ToolRegistry;
  readonly pollPolicy;
  /** The payer for x402 challenges; the editor owns confirmation, limits and the wallet key. */
  private readonly payer: () => X402Payer | undefined;
  /** Whether it runs against the sandbox now (its jobs are marked so). */
  readonly isSandbox: () => boolean;
  private readonly log: Logger;

  constructor(ctx: ProviderContext) {
    this.client = new SeisoaiClient(clientOptions(ctx));
    this.registry = new ToolRegistry(this.client);
    this.pollPolicy = ctx.facts.pollPolicy;
    this.payer = ctx.payer ?? (() => undefined);
    this.isSandbox = ctx.isSandbox ?? (() => false);
    this.log = ctx.logger ?? silentLogger;
  }

  get http() {
    return this.client.http;
  }

  async validateKey(key: string, o: { signal?: AbortSignal; baseUrl?: string } = {}): Promise<void> {
    await this.client.listTools({ key, ...o });
  }

  canCancel(): boolean {
    return false;
  }

  price(toolId: string, input: Record<string, unknown>, signal?: AbortSignal): Promise<Price> {
    return this.client.price(toolId, input, signal);
  }

  manifest(signal?: AbortSignal): Promise<Record<string, unknown>> {
    return this.client.manifest(signal);
  }

  /** Checks input against the tool's exact schema; throws ValidationError with path → message. */
  validateInput(tool: ToolDetail, input: Record<string, unknown>, maxDataUriBytes?: number): void {
    const fields = validateValues(tool.inputSchema, input, { maxDataUriBytes });
    const n = Object.keys(fields).length;
    if (n) throw new ValidationError(`${tool.name}: ${describeFieldErrors(fields)}`, fields);
  }

  /**
   * Invokes a tool through POST /invoke/{toolId} (never an agent route). Validates first, then
   * sends once; a 402 under x402 is paid at most once; a 500 that arrived is retried with backoff
   * (unless it was paid); every other answer goes through the documented error policy.
   */
  async invoke(toolId: string, input: Record<string, unknown>, o: InvokeOptions = {}): Promise<InvokeResult> {
    const tool = await this.registry.detail(toolId, { signal: o.signal });
    this.validateInput(tool, input, o.maxDataUriBytes);
    const auth: AuthMode = o.auth ?? ((await this.client.hasKey()) ? 'apiKey' : 'x402');
    const payer = auth === 'x402' ? this.payer() : undefined;
    if (auth === 'x402' && !payer) {
      throw new ProviderError({
        provider: this.id,
        code: 'no_key',
        message: l10n.t(
          'No Seisoai API key is set and x402 payments are not available. Run "GenDeck: Set API Key…" or "GenDeck: Set Wallet Key (x402)".',
        ),
      });
    }
    if (auth === 'apiKey' && !(await this.client.hasKey())) {
      throw new ProviderError({
        provider: this.id,
        code: 'no_key',
        message: l10n.t('No Seisoai API key is set. Run "GenDeck: Set API Key…", or pay per request with x402.'),
      });
    }
    const resource = this.http.resolveUrl(`${API_PREFIX}/invoke/${encodeURIComponent(toolId)}`).href;
    let payment: PreparedPayment | undefined;
    let serverErrors = 0;
    for (;;) {
      const header = payment?.takeHeader();
      let res: HttpResponse<unknown>;
      try {
        res = await this.client.invoke(toolId, input, {
          auth: auth === 'apiKey',
          headers: header ? { [header.name]: header.value } : undefined,
          signal: o.signal,
          paid: !!payment,
        });
      } catch (err) {
        if (!payment) throw err;
        // The signed header left: unless the server says otherwise, it may be used, so it counts against the cap.
        await payment.settle({ status: 'unknown', error: describeError(err) });
        if (err instanceof ProviderError && err.status === 429) {
          throw new X402Error(
            'payment_unconfirmed',
            l10n.t(
              'Seisoai is rate limiting requests (429) and did not answer the paid request. The signed payment was not sent again; it counts against your daily x402 limit until it expires unused. Try again in a moment (you will be asked again).',
            ),
            true,
          );
        }
        throw err;
      }
      const settlement = readSettlement(res.headers);
      if (res.status >= 200 && res.status < 300) {
        if (payment)
          await payment.settle({ status: 'settled', header: settlement?.header, settlement: settlement?.settlement });
        const paid = payment && {
          amountUsdc: formatUsdc(payment.requirement.amount),
          payTo: payment.requirement.payTo,
          network: payment.network.label,
          transaction: settlement?.settlement?.transaction,
        };
        return { ...this.toResult(tool, input, res, auth, o.title), payment: paid };
      }
      const err = readErrorBody(res.raw);
      if (payment) {
        // One payment attempt per request: whatever went wrong, the signed header is not sent again. It counts as
        // spent unless the server verifiably refused it: a 402 re-challenge naming why (v2 PAYMENT-REQUIRED `error`,
        // v1 body `error`) with no successful settlement. Anything else may have moved the money.
        const settled = settlement?.settlement?.success === true;
        const refusal = res.status === 402 && !settled ? challengeError(res.headers, res.raw) : undefined;
        const status = settled ? 'settled' : refusal ? 'rejected' : 'unknown';
        await payment.settle({
          status,
          header: settlement?.header,
          settlement: settlement?.settlement,
          error: refusal ?? err?.message ?? `HTTP ${res.status}`,
        });
        if (res.status === 402) {
          if (refusal)
            throw new X402Error(
              'payment_rejected',
              l10n.t(
                'Seisoai refused the x402 payment: {0}. Nothing was paid, and it was not sent again.',
                oneLine(refusal),
              ),
              true,
            );
          throw new X402Error(
            'payment_unconfirmed',
            l10n.t(
              'Seisoai answered 402 to the paid request without saying why. The signed payment was not sent again; it counts against your daily x402 limit until it expires unused.',
            ),
            true,
          );
        }
        throw await this.policyError(tool, input, res.status, err, { paid: true });
      }
      if (res.status === 402 && auth === 'x402') {
        const challenge = parseChallenge(res.headers, res.raw);
        if (!challenge) throw await this.policyError(tool, input, 402, err, { paid: false });
        payment = await payer!.prepare(challenge, { resource, toolId });
        continue;
      }
      if (res.status === 500 && serverErrors < INVOKE_500_RETRIES) {
        // The server answered, so it did not take the request: a bounded retry is safe.
        const wait = backoffDelay(serverErrors, 400, 4000);
        serverErrors++;
        this.log.warn(
          `Seisoai invoke ${toolId}: server error (500), retry ${serverErrors}/${INVOKE_500_RETRIES} in ${wait} ms`,
        );
        await sleep(wait, o.signal);
        continue;
      }
      throw await this.policyError(tool, input, res.status, err, { paid: false, attempts: serverErrors + 1 });
    }
  }

  /** The documented error policy: each status becomes one clear error with what to do next. */
  private async policyError(
    tool: ToolDetail,
    input: Record<string, unknown>,
    status: number,
    body: ReturnType<typeof readErrorBody>,
    ctx: { paid: boolean; attempts?: number },
  ): Promise<SeisoaiPolicyError> {
    const said = body?.message;
    const base = { provider: this.id, status, toolId: tool.id } as const;
    const names = (list: ToolSummary[]) =>
      list
        .slice(0, 4)
        .map((t) => `${t.name} (${t.id})`)
        .join(', ');
    switch (status) {
      case 400: {
        // Re-fetch the exact schema and report which fields do not match it.
        let fresh: ToolDetail = tool;
        try {
          fresh = await this.registry.detail(tool.id, { fresh: true });
        } catch (e) {
          this.log.warn(`Seisoai: could not refetch the schema of ${tool.id}: ${describeError(e)}`);
        }
        const fields: FieldErrors = { ...(body?.fields ?? {}), ...validateValues(fresh.inputSchema, input) };
        const detail = Object.keys(fields).length
          ? describeFieldErrors(fields)
          : (body?.message ?? l10n.t('the input does not match the tool schema'));
        return new SeisoaiPolicyError({
          ...base,
          code: 'input_mismatch',
          policy: 'schema',
          fields,
          freshSchema: fresh.inputSchema,
          message: l10n.t(
            "Seisoai rejected the input for {0} (400): {1}. The tool's schema was fetched again; fix the marked fields.",
            tool.name,
            detail,
          ),
        });
      }
      case 402:
        return new SeisoaiPolicyError({
          ...base,
          code: body?.code ?? 'payment_required',
          policy: 'payment',
          message: said
            ? l10n.t(
                'Seisoai needs payment for {0} (402): {1}. Top up the credits of your API key, or remove the key to pay per request with x402.',
                tool.name,
                said,
              )
            : l10n.t(
                'Seisoai needs payment for {0} (402). Top up the credits of your API key, or remove the key to pay per request with x402.',
                tool.name,
              ),
        });
      case 404: {
        this.registry.invalidate();
        let listed = false;
        try {
          listed = (await this.registry.tools({ fresh: true })).some((t) => t.id === tool.id);
        } catch {
          /* the refresh is best effort */
        }
        const alternatives = listed ? [] : await this.registry.alternatives(tool.id, tool.category);
        return new SeisoaiPolicyError({
          ...base,
          code: body?.code ?? 'not_found',
          policy: 'not_found',
          alternatives,
          message: [
            said
              ? l10n.t('Seisoai could not find {0} (404): {1}.', tool.id, said)
              : l10n.t('Seisoai could not find {0} (404).', tool.id),
            listed
              ? l10n.t('The tool list was refreshed.')
              : l10n.t('The tool list was refreshed and no longer has it.'),
            alternatives.length ? l10n.t('Same category: {0}.', names(alternatives)) : undefined,
          ]
            .filter(Boolean)
            .join(' '),
        });
      }
      case 503: {
        const alternatives = await this.registry.alternatives(tool.id, tool.category, { fresh: true });
        return new SeisoaiPolicyError({
          ...base,
          code: body?.code ?? 'tool_disabled',
          policy: 'disabled',
          alternatives,
          message: [
            said
              ? l10n.t('{0} is disabled right now (503): {1}.', tool.name, said)
              : l10n.t('{0} is disabled right now (503).', tool.name),
            alternatives.length
              ? l10n.t('Other {0} tools: {1}.', categoryLabel(tool.category), names(alternatives))
              : l10n.t('No other {0} tool is available.', categoryLabel(tool.category)),
          ].join(' '),
        });
      }
      default: {
        const alternatives = status >= 500 ? await this.registry.alternatives(tool.id, tool.category) : [];
        const attempts = ctx.attempts && ctx.attempts > 1 ? ctx.attempts : undefined;
        return new SeisoaiPolicyError({
          ...base,
          code: body?.code ?? (status >= 500 ? 'server_error' : 'bad_request'),
          policy: 'server',
          retryable: false,
          alternatives,
          message: [
            said
              ? attempts
                ? l10n.t('Seisoai failed on {0} ({1}): {2} after {3} attempts.', tool.name, status, said, attempts)
                : l10n.t('Seisoai failed on {0} ({1}): {2}.', tool.name, status, said)
              : attempts
                ? l10n.t('Seisoai failed on {0} ({1}) after {2} attempts.', tool.name, status, attempts)
                : l10n.t('Seisoai failed on {0} ({1}).', tool.name, status),
            ctx.paid ? l10n.t('The paid request was not sent again.') : undefined,
            alternatives.length ? l10n.t('Try another tool: {0}.', names(alternatives)) : undefined,
          ]
            .filter(Boolean)
            .join(' '),
        });
      }
    }
  }

  private toResult(
    tool: ToolDetail,
    input: Record<string, unknown>,
    res: HttpResponse<unknown>,
    auth: AuthMode,
    title?: string,
  ): Omit<InvokeResult, 'payment'> {
    const parsed = invokeResponseSchema.safeParse(withoutNulls(res.raw));
    if (!parsed.success)
      throw new ProviderError({
        provider: this.id,
        status: res.status,
        code: 'bad_response',
        message: l10n.t('Seisoai sent an unexpected answer to invoke {0}.', tool.id),
      });
    return toInvokeResult(tool, input, parsed.data, res.raw, auth, { title, sandbox: this.isSandbox() });
  }

  async poll(job: Job, signal?: AbortSignal): Promise<JobPatch> {
    const meta = job.meta as unknown as SeisoaiJobMeta;
    const jobId = meta.jobId ?? job.id;
    const auth = meta.auth === 'apiKey';
    const { body, raw } = await this.client.jobStatus(
      { jobId, model: meta.model, statusUrl: meta.statusUrl },
      { auth, signal },
    );
    const word = body.status ?? body.job?.status;
    const status = statusFromWord(word) ?? 'running';
    const progressValue = body.progress ?? body.job?.progress;
    const patch: JobPatch = { remoteStatus: word, status, raw };
    if (status === 'queued') patch.progress = 'Waiting in queue';
    else if (status === 'running')
      patch.progress =
        typeof progressValue === 'number'
          ? `Generating ${Math.round(progressValue <= 1 ? progressValue * 100 : progressValue)}%`
          : (body.message ?? body.job?.message ?? 'Generating');
    else patch.progress = undefined;
    if (status === 'failed' || status === 'canceled') {
      patch.error = {
        code: 'job_failed',
        message: errorText(body.error ?? body.job?.error) ?? 'The Seisoai job failed.',
      };
      patch.finishedAt = new Date().toISOString();
    }
    if (status === 'succeeded') {
      const resultUrl = body.resultUrl ?? body.job?.resultUrl ?? meta.resultUrl;
      const result =
        body.result !== undefined
          ? body.result
          : (await this.client.jobResult({ jobId, model: meta.model, resultUrl }, { auth, signal })).result;
      patch.outputs = extractOutputs(result, meta.category ? CATEGORY_HINT[meta.category] : undefined);
      patch.finishedAt = new Date().toISOString();
      patch.raw = { status: raw, result };
    }
    return patch;
  }
}

/** An invoke answer as a job: finished at once (sync) or queued with its status/result URLs. */
export function toInvokeResult(
  tool: Pick<ToolDetail, 'id' | 'name' | 'category' | 'executionMode'>,
  input: Record<string, unknown>,
  r: InvokeResponse,
  raw: unknown,
  auth: AuthMode,
  o: { title?: string; sandbox?: boolean; agentId?: string } = {},
): Omit<InvokeResult, 'payment'> {
  const job = r.job;
  const jobId = job?.id ?? job?.jobId ?? job?.requestId ?? r.jobId;
  const statusUrl = job?.statusUrl ?? r.statusUrl;
  const resultUrl = job?.resultUrl ?? r.resultUrl;
  const queued = r.executionMode === 'queue' || (!!jobId && !!(statusUrl || resultUrl) && r.result === undefined);
  const prompt =
    typeof input.prompt === 'string' ? input.prompt : typeof input.text === 'string' ? input.text : undefined;
  const title = o.title ?? (prompt ? `${tool.name}: ${prompt.replace(/\s+/g, ' ').trim().slice(0, 50)}` : tool.name);
  const price = readPrice(r.price ?? r.pricing ?? r.cost);
  // Paid with x402 the price is USDC that left the wallet; with a key it is charged to the key's balance.
  const cost =
    price.usd !== undefined
      ? { amount: price.usd, unit: auth === 'x402' ? 'USDC' : 'USD' }
      : price.credits !== undefined
        ? { amount: price.credits, unit: 'credits' }
        : undefined;
  const meta: SeisoaiJobMeta = {
    toolId: tool.id,
    toolName: tool.name,
    category: tool.category,
    auth,
    agentId: o.agentId,
  };
  if (queued) {
    if (!jobId)
      throw new ProviderError({
        provider: 'seisoai',
        code: 'bad_response',
        message: l10n.t('Seisoai queued {0} but sent no job id.', tool.id),
      });
    Object.assign(meta, { jobId, model: job?.model ?? r.model ?? tool.id, statusUrl, resultUrl });
    const status = statusFromWord(job?.status ?? r.status);
    return {
      mode: 'queue',
      job: newJob({
        provider: 'seisoai',
        id: jobId,
        title,
        kind: `tool:${tool.id}`,
        status: status === 'running' ? 'running' : 'queued',
        progress: l10n.t('Waiting in queue'),
        request: elideDataUris(input),
        meta: meta as unknown as Record<string, unknown>,
        cost,
        sandbox: o.sandbox || undefined,
        raw,
      }),
    };
  }
  const result = r.result ?? r.outputs ?? r.data;
  const outputs: JobOutput[] = extractOutputs(result, CATEGORY_HINT[tool.category]);
  const id = r.requestId ?? r.id ?? jobId ?? `sync-${randomUUID()}`;
  const now = new Date().toISOString();
  return {
    mode: 'sync',
    job: newJob({
      provider: 'seisoai',
      id,
      title,
      kind: `tool:${tool.id}`,
      status: 'succeeded',
      request: elideDataUris(input),
      outputs,
      meta: meta as unknown as Record<string, unknown>,
      cost,
      finishedAt: now,
      sandbox: o.sandbox || undefined,
      raw,
    }),
  };
}
