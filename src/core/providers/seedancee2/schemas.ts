import { z } from 'zod';

// Response schemas: documented fields only; unknown fields are accepted (zod strips them from `data`, `raw` keeps them).

export const apiErrorSchema = z.object({ code: z.string(), message: z.string(), type: z.string().optional() });
export const errorBodySchema = z.object({ error: apiErrorSchema });

export const taskSchema = z.object({
  id: z.string().min(1),
  status: z.string().min(1),
  model: z.string().optional(),
  created_at: z.string().optional(),
  completed_at: z.string().optional(),
  credits_reserved: z.number().optional(),
  credits_charged: z.number().optional(),
  credits_refunded: z.number().optional(),
  output: z
    .object({
      video_url: z.string().optional(),
      thumbnail_url: z.string().optional(),
      last_frame_url: z.string().optional(),
    })
    .nullish(),
  error: apiErrorSchema.nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});
export type Task = z.infer<typeof taskSchema>;

export const taskResponseSchema = z.object({ data: taskSchema });
export const taskListResponseSchema = z.object({ data: z.array(taskSchema) });

export const modelSchema = z.object({
  id: z.string(),
  status: z.string().optional(),
  resolutions: z.array(z.string()).optional(),
  duration: z.object({ min: z.number(), max: z.number() }).optional(),
});
export type Model = z.infer<typeof modelSchema>;
export const modelsResponseSchema = z.object({ data: z.array(modelSchema) });

const usageCounts = z.object({
  total_jobs: z.number(),
  pending_jobs: z.number().optional(),
  processing_jobs: z.number().optional(),
  completed_jobs: z.number().optional(),
  failed_jobs: z.number().optional(),
  credits_charged: z.number(),
  credits_refunded: z.number().optional(),
  net_credits: z.number().optional(),
});
export const usageResponseSchema = z.object({
  data: z.object({
    range: z.object({ start: z.string().nullish(), end: z.string().nullish() }).optional(),
    summary: usageCounts,
    by_model: z.array(usageCounts.extend({ model: z.string() })).default([]),
    timeline: z.array(usageCounts.extend({ date: z.string() })).default([]),
  }),
});
export type Usage = z.infer<typeof usageResponseSchema>['data'];

// Request shape (validated locally before sending).
export interface VideoInput {
  prompt: string;
  generation_type?: 'omni_reference' | 'first_and_last_frames';
  image_urls?: string[];
  video_url?: string;
  video_urls?: string[];
  audio_urls?: string[];
  start_image_url?: string;
  end_image_url?: string;
  duration?: number;
  resolution?: string;
  aspect_ratio?: string;
  generate_audio?: boolean;
  watermark?: boolean;
  seed?: number;
  return_last_frame?: boolean;
}

export interface CreateVideoRequest {
  model: string;
  input: VideoInput;
  callback_url?: string;
  metadata?: Record<string, unknown>;
}
