import * as l10n from '@vscode/l10n';
import type { z } from 'zod';
import { ProviderError } from '../../errors';
import { HttpClient, type HttpClientOptions } from '../../http/client';
import { uploadFile, type TransferProgress } from '../../http/transfer';
import { API_PREFIX, JOB_ALREADY_PROCESSING, needsSubscription } from './contract';
import {
  acceptedResponse,
  errorBodySchema,
  jobStatusResponse,
  uploadSessionResponse,
  type Accepted,
  type CreateFileRequest,
  type CreateJobRequest,
  type CreateStepRequest,
  type Envelope,
  type JobStatusBody,
  type UploadSession,
} from './schemas';

export type SeeleClientOptions = Omit<HttpClientOptions, 'parseErrorBody' | 'explainStatus'>;

/** Seele's words for a status, whatever the request was. Request-specific wording (403, 502 on POST) is added by the caller. */
export function explainSeeleStatus(
  status: number,
  code: string | undefined,
  message: string | undefined,
): string | undefined {
  if (status === 401)
    return message
      ? l10n.t(
          'Seele rejected the API key (401): {0} Run "GenDeck: Set API Key…" and choose Seele to set a valid key.',
          message,
        )
      : l10n.t('Seele rejected the API key (401). Run "GenDeck: Set API Key…" and choose Seele to set a valid key.');
  if (status === 403)
    return message
      ? l10n.t(
          'Seele refused the request (403): {0} Seele02-pro and the unreal engine are for Seele subscription users only.',
          message,
        )
      : l10n.t(
          'Seele refused the request (403). Seele02-pro and the unreal engine are for Seele subscription users only.',
        );
  if (status === 409 && code === JOB_ALREADY_PROCESSING)
    return l10n.t('The Seele job is still generating; a new step can only be sent once it has finished.');
  if (status === 404) return message ? l10n.t('Seele has no such job: {0}', message) : l10n.t('Seele has no such job.');
  if (status === 400)
    return message ? l10n.t('Seele rejected the request: {0}', message) : l10n.t('Seele rejected the request.');
  if (status === 502)
    return message ? l10n.t("Seele's gateway failed (502): {0}", message) : l10n.t("Seele's gateway failed (502).");
  return undefined;
}

/** Typed calls to the Seele public API, one method per documented endpoint (all under /v2/api). */
export class SeeleClient {
  readonly http: HttpClient;
  private readonly dispatcher: SeeleClientOptions['dispatcher'];

  constructor(opts: SeeleClientOptions) {
    this.dispatcher = opts.dispatcher;
    this.http = new HttpClient({
      ...opts,
      parseErrorBody: (_status, body) => {
        const r = errorBodySchema.safeParse(body);
        return r.success ? { code: r.data.error.code, message: r.data.error.message } : undefined;
      },
      explainStatus: explainSeeleStatus,
    });
  }

  /** POST /files: a temporary upload session and the file_id it will become. */
  async createUploadSession(req: CreateFileRequest, signal?: AbortSignal): Promise<UploadSession> {
    const r = await this.post(`${API_PREFIX}/files`, req, uploadSessionResponse, signal, 'upload session');
    return r.data;
  }

  /** PUT of the raw bytes to a presigned upload URL: streamed from disk, no key sent. */
  async putFile(
    session: UploadSession,
    path: string,
    o: { onProgress?: (p: TransferProgress) => void; signal?: AbortSignal } = {},
  ): Promise<void> {
    await uploadFile(session.upload_url, path, {
      provider: 'seele',
      label: this.http.label,
      method: 'PUT',
      headers: { ...(session.upload_headers ?? {}) },
      onProgress: o.onProgress,
      signal: o.signal,
      dispatcher: this.dispatcher,
    });
  }

  /** POST /jobs: sent once; a lost connection is reported, never repeated. */
  async createJob(req: CreateJobRequest, signal?: AbortSignal): Promise<{ accepted: Accepted; raw: unknown }> {
    try {
      return await this.post(`${API_PREFIX}/jobs`, req, acceptedResponse, signal, 'job');
    } catch (err) {
      throw subscriptionError(err, req);
    }
  }

  /** POST /jobs/{id}/steps: 409 JOB_ALREADY_PROCESSING while the job is generating. */
  async createStep(
    jobId: string,
    req: CreateStepRequest,
    signal?: AbortSignal,
  ): Promise<{ accepted: Accepted; raw: unknown }> {
    try {
      return await this.post(
        `${API_PREFIX}/jobs/${encodeURIComponent(jobId)}/steps`,
        req,
        acceptedResponse,
        signal,
        'step',
      );
    } catch (err) {
      throw subscriptionError(err, req);
    }
  }

  /** GET /jobs/{id}: retried with backoff on 5xx and lost connections (it is safe to repeat). */
  async getJob(
    jobId: string,
    o: { key?: string; baseUrl?: string; signal?: AbortSignal } = {},
  ): Promise<{ job: JobStatusBody; raw: unknown }> {
    const r = await this.http.request({
      method: 'GET',
      path: `${API_PREFIX}/jobs/${encodeURIComponent(jobId)}`,
      schema: jobStatusResponse,
      key: o.key,
      baseUrl: o.baseUrl,
      signal: o.signal,
    });
    return { job: unwrap(r.data, r.status), raw: r.raw };
  }

  private async post<T>(
    path: string,
    body: unknown,
    schema: z.ZodType<Envelope<T>>,
    signal: AbortSignal | undefined,
    what: 'upload session' | 'job' | 'step',
  ): Promise<{ data: T; accepted: T; raw: unknown }> {
    try {
      const r = await this.http.request({ method: 'POST', path, body, schema, signal });
      const data = unwrap(r.data, r.status);
      return { data, accepted: data, raw: r.raw };
    } catch (err) {
      if (err instanceof ProviderError && err.status !== undefined && err.status >= 500) {
        // A POST is never sent twice: a gateway error may or may not have let it through.
        throw new ProviderError({
          provider: 'seele',
          status: err.status,
          code: err.code,
          maybeAccepted: what !== 'upload session',
          message:
            what === 'upload session'
              ? l10n.t('{0} GenDeck did not send the upload session request again.', err.message)
              : what === 'job'
                ? l10n.t(
                    '{0} GenDeck did not send the job request again; it may or may not have been taken, so check the Jobs view (or the Seele workspace) before trying again.',
                    err.message,
                  )
                : l10n.t(
                    '{0} GenDeck did not send the step request again; it may or may not have been taken, so check the Jobs view (or the Seele workspace) before trying again.',
                    err.message,
                  ),
        });
      }
      throw err;
    }
  }
}

function unwrap<T>(body: Envelope<T>, status: number): T {
  if (body.ok) return body.data;
  throw new ProviderError({
    provider: 'seele',
    status,
    code: body.error.code,
    message: l10n.t('Seele reported an error ({0}): {1}', body.error.code, body.error.message),
  });
}

/** A 403 on create/step names the option that needs a subscription. */
function subscriptionError(err: unknown, req: CreateJobRequest): unknown {
  if (!(err instanceof ProviderError) || err.status !== 403) return err;
  const { model, engine } = needsSubscription(req);
  const message =
    model && engine
      ? l10n.t(
          'Seele refused the {0} model and the {1} engine (403): they need a Seele subscription. Choose Seele02-flash (or a Seele01 model) and the threejs or unity engine, or subscribe to Seele.',
          model,
          engine,
        )
      : model
        ? l10n.t(
            'Seele refused the {0} model (403): it needs a Seele subscription. Choose Seele02-flash (or a Seele01 model), or subscribe to Seele.',
            model,
          )
        : engine
          ? l10n.t(
              'Seele refused the {0} engine (403): it needs a Seele subscription. Choose the threejs or unity engine, or subscribe to Seele.',
              engine,
            )
          : err.message;
  return new ProviderError({
    provider: 'seele',
    status: 403,
    code: err.code === 'forbidden' ? 'subscription_required' : err.code,
    message,
  });
}
