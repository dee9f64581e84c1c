import * as l10n from '@vscode/l10n';
import { ProviderError } from '../../errors';
import { HttpClient, type HttpClientOptions } from '../../http/client';
import { PATHS, RETRY_POST_STATUSES, type TensorDtype, type TensorField, type TensorService } from './contract';
import {
  asyncStatusSchema,
  encodeTextResponseSchema,
  readErrorBody,
  readTensorKeys,
  submitResponseSchema,
  uploadResponseSchema,
  type AsyncStatus,
  type TensorKeys,
} from './schemas';

/** A tensor as it goes over the wire: raw C-order bytes (little-endian), base64-encoded. */
export interface WireTensor {
  data: string;
  shape: number[];
  dtype: TensorDtype;
}

export function wireTensor(bytes: Uint8Array, shape: readonly number[], dtype: TensorDtype): WireTensor {
  return {
    data: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
    shape: [...shape],
    dtype,
  };
}

export type UploadTensors = Partial<Record<TensorField, WireTensor>>;

/** Typed calls to the Seeknetic API, one per documented endpoint; see contract.ts for the tensor-mode reading. */
export class SeekneticClient {
  readonly http: HttpClient;

  constructor(opts: Omit<HttpClientOptions, 'parseErrorBody'>) {
    this.http = new HttpClient({
      ...opts,
      parseErrorBody: (_status, body) => readErrorBody(body),
      explainStatus: (status, _code, message) => {
        if (status === 413)
          return message
            ? l10n.t(
                "Seeknetic refused the upload as too large (413): {0} GenDeck sends 12 frames at 224x224 and 10 s of audio per video; if this persists, the service's size limit is lower than that.",
                message,
              )
            : l10n.t(
                "Seeknetic refused the upload as too large (413). GenDeck sends 12 frames at 224x224 and 10 s of audio per video; if this persists, the service's size limit is lower than that.",
              );
        if (status === 402)
          return message
            ? l10n.t(
                'Seeknetic says the quota is used up (402): {0} Check usage and billing, then index again.',
                message,
              )
            : l10n.t('Seeknetic says the quota is used up (402). Check usage and billing, then index again.');
        if (status === 422 || status === 400)
          return message
            ? l10n.t('Seeknetic rejected the request ({0}): {1}', status, message)
            : l10n.t('Seeknetic rejected the request ({0}).', status);
        if (status === 504)
          return message ? l10n.t('Seeknetic timed out (504): {0}', message) : l10n.t('Seeknetic timed out (504).');
        if (status === 502)
          return message
            ? l10n.t("Seeknetic's upstream service is unavailable (502): {0}", message)
            : l10n.t("Seeknetic's upstream service is unavailable (502).");
        return undefined;
      },
    });
  }

  /** Stores tensors for one service; returns the key of each tensor sent. POST: retried only on 429/502/504. */
  async uploadTensors(
    service: TensorService,
    requestId: string,
    tensors: UploadTensors,
    signal?: AbortSignal,
  ): Promise<TensorKeys> {
    const r = await this.http.request({
      method: 'POST',
      path: PATHS.upload,
      body: { service, request_id: requestId, ...tensors },
      schema: uploadResponseSchema,
      retryStatuses: RETRY_POST_STATUSES,
      signal,
      timeoutMs: 120_000,
    });
    const keys = readTensorKeys(r.data);
    const missing = (Object.keys(tensors) as TensorField[]).filter((f) => !keys[`${f}_key`]);
    if (missing.length) {
      throw new ProviderError({
        provider: 'seeknetic',
        status: r.status,
        code: 'bad_response',
        message: l10n.t('Seeknetic accepted the upload but returned no key for {0}.', missing.join(', ')),
      });
    }
    return keys;
  }

  /** Starts embedding uploaded tensors; returns the request id to poll. */
  async submitEmbedding(
    keys: Pick<TensorKeys, 'video_input_key' | 'audio_input_key'>,
    signal?: AbortSignal,
  ): Promise<string> {
    const r = await this.http.request({
      method: 'POST',
      path: PATHS.encodeVideoAsync,
      body: { tensor: keys },
      schema: submitResponseSchema,
      retryStatuses: RETRY_POST_STATUSES,
      signal,
    });
    return r.data.request_id;
  }

  /** Starts tagging uploaded tensors; returns the request id to poll. */
  async submitTagging(
    keys: Pick<TensorKeys, 'video_input_key' | 'video_kwargs_key'>,
    signal?: AbortSignal,
  ): Promise<string> {
    const r = await this.http.request({
      method: 'POST',
      path: PATHS.taggingAsync,
      body: { tensor: keys },
      schema: submitResponseSchema,
      retryStatuses: RETRY_POST_STATUSES,
      signal,
    });
    return r.data.request_id;
  }

  async asyncStatus(requestId: string, signal?: AbortSignal): Promise<{ status: AsyncStatus; raw: unknown }> {
    const r = await this.http.request({
      method: 'GET',
      path: PATHS.asyncStatus(requestId),
      schema: asyncStatusSchema,
      signal,
    });
    return { status: r.data, raw: r.raw };
  }

  /** A query embedding. No side effects on the server, so it is safe to repeat after any failure. */
  async encodeText(
    text: string,
    o: { key?: string; baseUrl?: string; signal?: AbortSignal } = {},
  ): Promise<{ embedding: number[]; model?: string }> {
    const r = await this.http.request({
      method: 'POST',
      path: PATHS.encodeText,
      body: { text },
      schema: encodeTextResponseSchema,
      idempotent: true,
      key: o.key,
      baseUrl: o.baseUrl,
      signal: o.signal,
    });
    return { embedding: r.data.embedding, model: r.data.model_version ?? r.data.model ?? undefined };
  }
}
