import { randomUUID } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import { ProviderError } from '../../errors';
import { sleep } from '../../http/backoff';
import { TokenBucket } from '../../http/rateLimit';
import type { PollPolicy } from '../../jobs/scheduler';
import { clientOptions, type KeyedService, type ProviderContext } from '../types';
import { SeekneticClient, wireTensor } from './client';
import { ASYNC_STATUSES, DEFAULT_MODEL_VERSION, EXPECTED_TENSORS } from './contract';
import { readTags, type AsyncStatus } from './schemas';

export interface WaitOptions {
  signal?: AbortSignal;
  /** First poll interval; grows by the provider's poll factor up to `maxPollMs`. */
  pollMs?: number;
  maxPollMs?: number;
  /** Give up after this long (the task may still finish on the server). */
  timeoutMs?: number;
}

export interface EmbedInput {
  /** uint8 [1, 12, 3, 224, 224]. */
  video: Uint8Array;
  /** float32 LE [1, 1, 220500]. */
  audio: Uint8Array;
}

export interface TagInput {
  video: Uint8Array;
  /** Seconds at which the 12 frames were taken. */
  times: number[];
}

/** A status read that may well work next time: not a refusal of the key or the request, not a cancel, not the task's own failure. */
function passingReadFailure(err: unknown): boolean {
  if (!(err instanceof ProviderError) || err.code === 'task_failed' || err.code === 'no_key') return false;
  return err.status === undefined || err.status === 429 || err.status >= 500 || err.code === 'bad_response';
}

/**
 * Seeknetic: video embeddings and tags for the workspace search index, text embeddings for queries.
 * A keyed service without jobs of its own in the Jobs view: `waitFor` polls its async requests itself.
 */
export class SeekneticProvider implements KeyedService {
  readonly id = 'seeknetic' as const;
  readonly client: SeekneticClient;
  /** How `waitFor` paces its polls. */
  readonly pollPolicy: PollPolicy;

  constructor(ctx: ProviderContext, o: { rateLimiter?: TokenBucket } = {}) {
    // Each key has its own QPS limit: stay under a modest one; 429s back off on top of this.
    this.client = new SeekneticClient({ ...clientOptions(ctx), rateLimiter: o.rateLimiter ?? new TokenBucket(8, 8) });
    this.pollPolicy = ctx.facts.pollPolicy;
  }

  get http() {
    return this.client.http;
  }

  async validateKey(key: string, o: { signal?: AbortSignal; baseUrl?: string } = {}): Promise<void> {
    await this.client.encodeText('key check', { key, ...o });
  }

  /**
   * Polls an async request until it completes; throws a ProviderError when it failed or took too long. A status
   * read that fails for a passing reason (the connection, a 5xx or 429, an unreadable answer) is read again at the
   * next interval — reading creates nothing — and only the deadline ends the wait, with that failure.
   */
  async waitFor(requestId: string, o: WaitOptions = {}): Promise<AsyncStatus> {
    let interval = o.pollMs ?? this.pollPolicy.minMs;
    const maxInterval = o.maxPollMs ?? this.pollPolicy.maxMs;
    const deadline = Date.now() + (o.timeoutMs ?? 15 * 60_000);
    let last: string | undefined;
    let readError: unknown;
    for (;;) {
      try {
        const { status } = await this.client.asyncStatus(requestId, o.signal);
        readError = undefined;
        last = status.status;
        if (status.status === ASYNC_STATUSES.completed) return status;
        if (status.status === ASYNC_STATUSES.failed) {
          throw new ProviderError({
            provider: this.id,
            code: 'task_failed',
            message:
              typeof status.error_message === 'string'
                ? l10n.t('Seeknetic could not process the video: {0}.', status.error_message)
                : l10n.t('Seeknetic could not process the video: the task failed without a reason.'),
          });
        }
      } catch (err) {
        if (!passingReadFailure(err)) throw err;
        readError = err;
      }
      if (Date.now() + interval > deadline) {
        throw (
          readError ??
          new ProviderError({
            provider: this.id,
            code: 'timeout',
            retryable: true,
            message:
              last === undefined
                ? l10n.t('Seeknetic did not finish request {0} in time (last status: not read yet).', requestId)
                : l10n.t('Seeknetic did not finish request {0} in time (last status: {1}).', requestId, last),
          })
        );
      }
      await sleep(interval, o.signal);
      interval = Math.min(maxInterval, Math.round(interval * this.pollPolicy.factor));
    }
  }

  /** Uploads the tensors, starts the embedding and waits for the vector. */
  async embedVideo(input: EmbedInput, o: WaitOptions = {}): Promise<{ vector: number[]; modelVersion: string }> {
    const requestId = `gendeck-emb-${randomUUID()}`;
    const keys = await this.client.uploadTensors(
      'embedding',
      requestId,
      {
        video_input: wireTensor(input.video, EXPECTED_TENSORS.video_input.shape, 'uint8'),
        audio_input: wireTensor(input.audio, EXPECTED_TENSORS.audio_input.shape, 'float32'),
      },
      o.signal,
    );
    const id = await this.client.submitEmbedding(
      { video_input_key: keys.video_input_key, audio_input_key: keys.audio_input_key },
      o.signal,
    );
    const done = await this.waitFor(id, o);
    if (!done.embedding?.length)
      throw new ProviderError({
        provider: this.id,
        code: 'bad_response',
        message: l10n.t('Seeknetic finished the embedding but returned no vector.'),
      });
    return { vector: done.embedding, modelVersion: done.model_version ?? done.model ?? DEFAULT_MODEL_VERSION };
  }

  /** Uploads frames + frame times, starts tagging and waits for the tags. */
  async tagVideo(input: TagInput, o: WaitOptions = {}): Promise<Record<string, string[]>> {
    const requestId = `gendeck-tag-${randomUUID()}`;
    const kwargs = new Float32Array(input.times);
    const keys = await this.client.uploadTensors(
      'tagging',
      requestId,
      {
        video_input: wireTensor(input.video, EXPECTED_TENSORS.video_input.shape, 'uint8'),
        video_kwargs: wireTensor(new Uint8Array(kwargs.buffer), EXPECTED_TENSORS.video_kwargs.shape, 'float32'),
      },
      o.signal,
    );
    const id = await this.client.submitTagging(
      { video_input_key: keys.video_input_key, video_kwargs_key: keys.video_kwargs_key },
      o.signal,
    );
    return readTags(await this.waitFor(id, o));
  }

  async encodeQuery(text: string, signal?: AbortSignal): Promise<{ vector: number[]; modelVersion: string }> {
    const r = await this.client.encodeText(text, { signal });
    return { vector: r.embedding, modelVersion: r.model ?? DEFAULT_MODEL_VERSION };
  }
}
