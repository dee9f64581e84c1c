import { z } from 'zod';

// Response schemas: documented fields only. Unknown fields are accepted and stripped from `data`
// (the document warns that non-contract fields may appear); the raw body keeps them.

export const apiErrorSchema = z.object({ code: z.string(), message: z.string() });
export const errorBodySchema = z.object({ ok: z.literal(false), error: apiErrorSchema });
export type ApiError = z.infer<typeof apiErrorSchema>;

export type Envelope<T> = { ok: true; data: T } | { ok: false; error: ApiError };

/** `{ok:true, data}` or `{ok:false, error}`; a 2xx can still carry the second. */
export function envelope<T extends z.ZodType>(data: T) {
  return z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), data }), errorBodySchema]);
}

const metaSchema = z.object({ platform_url: z.string().nullish() }).nullish();

export const uploadSessionSchema = z.object({
  file_id: z.string().min(1),
  upload_url: z.url(),
  upload_url_expires_at: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date'),
  /** Headers the PUT must carry; anything that is not a string header value is left out. */
  upload_headers: z
    .record(z.string(), z.unknown())
    .nullish()
    .transform((h) =>
      Object.fromEntries(Object.entries(h ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string')),
    ),
  filename: z.string().nullish(),
  content_type: z.string().nullish(),
  size: z.number().nullish(),
});
export type UploadSession = z.infer<typeof uploadSessionSchema>;

export const acceptedSchema = z.object({
  job_id: z.string().min(1),
  step_id: z.string().nullish(),
  meta: metaSchema,
});
export type Accepted = z.infer<typeof acceptedSchema>;

export const artifactSchema = z.object({
  id: z.string().nullish(),
  name: z.string().nullish(),
  description: z.string().nullish(),
  urls: z.array(z.string()).nullish(),
});
export type Artifact = z.infer<typeof artifactSchema>;

export const jobStatusSchema = z.object({
  job_id: z.string().min(1),
  /** processing | finished documented; a failure word fails the job, any other word is shown as it is. */
  status: z.string().min(1),
  /** Not documented: what a real server may send with a failed job, a message or `{code, message}`. */
  error: z
    .union([z.string(), z.object({ code: z.string().nullish(), message: z.string().nullish() })])
    .nullish()
    .catch(undefined),
  current_operation: z.string().nullish(),
  summary: z.string().nullish(),
  total_koin: z.number().nullish(),
  artifacts: z.array(artifactSchema).nullish(),
  meta: metaSchema,
});
export type JobStatusBody = z.infer<typeof jobStatusSchema>;

export const uploadSessionResponse = envelope(uploadSessionSchema);
export const acceptedResponse = envelope(acceptedSchema);
export const jobStatusResponse = envelope(jobStatusSchema);

// Requests (validated locally before sending).

export interface CreateFileRequest {
  filename: string;
  content_type: string;
  size: number;
}

export interface CreateJobRequest {
  prompt: string;
  model?: string;
  engine?: string;
  generation_model?: string;
  file_ids?: string[];
}

export type CreateStepRequest = CreateJobRequest;
