import { z } from 'zod';
import { TENSOR_FIELDS, type TensorField } from './contract';

// Response schemas: documented fields, plus the tolerant readings contract.ts explains. Unknown fields pass.

/** FastAPI-style errors ({detail}), and the other usual shapes, for the message a user sees. */
export const errorBodySchema = z.union([
  z.object({
    detail: z.union([
      z.string(),
      z.array(z.object({ msg: z.string(), loc: z.array(z.union([z.string(), z.number()])).optional() })),
    ]),
    error_code: z.string().optional(),
    code: z.string().optional(),
  }),
  z.object({ error: z.object({ code: z.string().optional(), message: z.string() }) }),
  z.object({ error: z.string(), message: z.string().optional(), code: z.string().optional() }),
  z.object({ message: z.string(), code: z.string().optional() }),
]);

export function readErrorBody(body: unknown): { code?: string; message?: string } | undefined {
  const r = errorBodySchema.safeParse(body);
  if (!r.success) return undefined;
  const b = r.data;
  if ('detail' in b) {
    const message =
      typeof b.detail === 'string'
        ? b.detail
        : b.detail
            .map((d) => (d.loc?.length ? `${d.loc.filter((l) => l !== 'body').join('.')}: ${d.msg}` : d.msg))
            .join('; ');
    return { code: b.error_code ?? b.code, message };
  }
  if ('error' in b) {
    if (typeof b.error === 'object') return { code: b.error.code, message: b.error.message };
    const flat = b as { error: string; message?: string; code?: string };
    return { code: flat.code ?? flat.error, message: flat.message ?? flat.error };
  }
  return { code: b.code, message: b.message };
}

const keyString = z.string().min(1);

export const uploadResponseSchema = z.object({
  request_id: z.string().optional(),
  /** Values that are not strings (extra fields) are ignored. */
  r2_keys: z.record(z.string(), z.unknown()).optional(),
  video_input_key: keyString.optional(),
  audio_input_key: keyString.optional(),
  video_kwargs_key: keyString.optional(),
});
export type UploadResponse = z.infer<typeof uploadResponseSchema>;

export type TensorKeys = Partial<Record<`${TensorField}_key`, string>>;

/** The storage key of each uploaded tensor, whichever of the readings in contract.ts the answer uses. */
export function readTensorKeys(r: UploadResponse): TensorKeys {
  const out: TensorKeys = {};
  const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  for (const f of TENSOR_FIELDS) {
    const k = text(r.r2_keys?.[f]) ?? text(r.r2_keys?.[`${f}_key`]) ?? r[`${f}_key`];
    if (k) out[`${f}_key`] = k;
  }
  return out;
}

export const submitResponseSchema = z.object({ request_id: z.string().min(1), status: z.string().optional() });

const label = z.union([
  z.string(),
  z.object({ label: z.string() }),
  z.object({ name: z.string() }),
  z.object({ value: z.string() }),
]);
const tagValue = z.union([label, z.array(label)]);
const tagMap = z.record(z.string(), z.unknown());

export const asyncStatusSchema = z.object({
  status: z.string().min(1),
  request_id: z.string().optional(),
  embedding: z.array(z.number()).nullish(),
  error_message: z.string().nullish(),
  /** Tagging results: not named by the doc; `tags`, `result.tags` or `result` are read. */
  tags: tagMap.nullish(),
  result: z.union([tagMap, z.array(z.unknown()), z.string(), z.number()]).nullish(),
  model: z.string().nullish(),
  model_version: z.string().nullish(),
});
export type AsyncStatus = z.infer<typeof asyncStatusSchema>;

export const encodeTextResponseSchema = z.object({
  embedding: z.array(z.number()).min(1),
  model: z.string().nullish(),
  model_version: z.string().nullish(),
});

const FAMILY_ALIASES: Record<string, string> = {
  shot: 'shot_size',
  shot_type: 'shot_size',
  shot_scale: 'shot_size',
  camera_motion: 'camera_movement',
  movement: 'camera_movement',
  camera_move: 'camera_movement',
  angle: 'shooting_angle',
  camera_angle: 'shooting_angle',
  shot_angle: 'shooting_angle',
};

function labelText(v: z.infer<typeof label>): string {
  if (typeof v === 'string') return v;
  if ('label' in v) return v.label;
  if ('name' in v) return v.name;
  return v.value;
}

/**
 * Tags from a completed tagging status, as family → labels (families snake_cased, known synonyms folded
 * into shot_size / camera_movement / shooting_angle). Values that are not text are left out.
 */
export function readTags(s: AsyncStatus): Record<string, string[]> {
  const result =
    s.result && typeof s.result === 'object' && !Array.isArray(s.result)
      ? (s.result as Record<string, unknown>)
      : undefined;
  const nested =
    result?.tags && typeof result.tags === 'object' && !Array.isArray(result.tags)
      ? (result.tags as Record<string, unknown>)
      : undefined;
  const source = s.tags ?? nested ?? result ?? {};
  const out: Record<string, string[]> = {};
  for (const [rawKey, rawValue] of Object.entries(source)) {
    const v = tagValue.safeParse(rawValue);
    if (!v.success) continue;
    const key = rawKey
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_');
    const family = FAMILY_ALIASES[key] ?? key;
    const labels = (Array.isArray(v.data) ? v.data : [v.data])
      .map(labelText)
      .map((t) => t.trim())
      .filter(Boolean);
    if (labels.length) out[family] = [...new Set([...(out[family] ?? []), ...labels])];
  }
  return out;
}
