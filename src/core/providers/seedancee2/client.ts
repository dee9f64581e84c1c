import * as l10n from '@vscode/l10n';
import { HttpClient, type HttpClientOptions } from '../../http/client';
import {
  errorBodySchema,
  modelsResponseSchema,
  taskListResponseSchema,
  taskResponseSchema,
  usageResponseSchema,
  type CreateVideoRequest,
  type Model,
  type Task,
  type Usage,
} from './schemas';

/** Typed calls to the Seedancee2 API, one method per documented endpoint. */
export class Seedancee2Client {
  readonly http: HttpClient;

  constructor(opts: Omit<HttpClientOptions, 'parseErrorBody'>) {
    this.http = new HttpClient({
      ...opts,
      parseErrorBody: (_status, body) => {
        const r = errorBodySchema.safeParse(body);
        return r.success ? { code: r.data.error.code, message: r.data.error.message } : undefined;
      },
      explainStatus: (status, code, message) => {
        if (code === 'model_not_found')
          return message
            ? l10n.t('Seedancee2 does not know that model or it is inactive: {0}', message)
            : l10n.t('Seedancee2 does not know that model or it is inactive.');
        if (code === 'task_not_found')
          return message ? l10n.t('Seedancee2 has no such task: {0}', message) : l10n.t('Seedancee2 has no such task.');
        if (status === 400 && message) return l10n.t('Seedancee2 rejected the request: {0}', message);
        return undefined;
      },
    });
  }

  async createVideo(req: CreateVideoRequest, signal?: AbortSignal): Promise<{ task: Task; raw: unknown }> {
    const r = await this.http.request({
      method: 'POST',
      path: '/v1/videos/generations',
      body: req,
      schema: taskResponseSchema,
      signal,
    });
    return { task: r.data.data, raw: r.raw };
  }

  async getVideo(id: string, signal?: AbortSignal): Promise<{ task: Task; raw: unknown }> {
    const r = await this.http.request({
      method: 'GET',
      path: `/v1/videos/generations/${encodeURIComponent(id)}`,
      schema: taskResponseSchema,
      signal,
    });
    return { task: r.data.data, raw: r.raw };
  }

  async listVideos(q: { status?: string; limit?: number } = {}, signal?: AbortSignal): Promise<Task[]> {
    const r = await this.http.request({
      method: 'GET',
      path: '/v1/videos/generations',
      query: q,
      schema: taskListResponseSchema,
      signal,
    });
    return r.data.data;
  }

  async listModels(o: { key?: string; signal?: AbortSignal; baseUrl?: string } = {}): Promise<Model[]> {
    const r = await this.http.request({
      method: 'GET',
      path: '/v1/models',
      schema: modelsResponseSchema,
      key: o.key,
      signal: o.signal,
      baseUrl: o.baseUrl,
    });
    return r.data.data;
  }

  async usage(q: { start?: string; end?: string; limit?: number } = {}, signal?: AbortSignal): Promise<Usage> {
    const r = await this.http.request({
      method: 'GET',
      path: '/v1/usage',
      query: q,
      schema: usageResponseSchema,
      signal,
    });
    return r.data.data;
  }
}
