// Seeknetic as documented (api-docs/seeknetic.txt), and how GenDeck reads the parts the doc leaves thin.
//
// Tensor mode, as GenDeck reads it:
//  1. POST /files/upload/tensors {service, request_id, video_input?, audio_input?, video_kwargs?}, each tensor
//     {data: base64 of the raw C-order bytes (little-endian for float32), shape, dtype}. One upload per service:
//       embedding: video_input uint8 [1,12,3,224,224] + audio_input float32 [1,1,220500];
//       tagging:   video_input uint8 [1,12,3,224,224] + video_kwargs float32 [1,12] (the frame times, seconds).
//     The answer carries the storage keys ("r2_keys") of what was stored. The doc does not spell out their
//     shape, so any of {r2_keys: {video_input, …}}, {r2_keys: {video_input_key, …}} or top-level
//     {video_input_key, …} is read (see `readTensorKeys`).
//  2. POST /video_embedding/encode_video/async {tensor: {video_input_key, audio_input_key}} and
//     POST /video_tagging/async {tensor: {video_input_key, video_kwargs_key}}: the dotted names in the doc
//     (`tensor.video_input_key`) are read as a nested `tensor` object. Each answers {request_id}.
//  3. GET /async_status/{request_id} until status is `completed` (embedding: number[]; tagging: tags) or
//     `failed` (error_message). Any other status word means "still working".
//  4. POST /video_embedding/encode_text {text} → {embedding: number[]} for a query.

export const SERVICES = ['embedding', 'tagging'] as const;
export type TensorService = (typeof SERVICES)[number];

export const TENSOR_DTYPES = ['uint8', 'float32'] as const;
export type TensorDtype = (typeof TENSOR_DTYPES)[number];
export const DTYPE_BYTES: Record<TensorDtype, number> = { uint8: 1, float32: 4 };

export const TENSOR_FIELDS = ['video_input', 'audio_input', 'video_kwargs'] as const;
export type TensorField = (typeof TENSOR_FIELDS)[number];

/** The shapes GenDeck sends (and the sandbox insists on). */
export const EXPECTED_TENSORS: Record<TensorField, { shape: readonly number[]; dtype: TensorDtype }> = {
  video_input: { shape: [1, 12, 3, 224, 224], dtype: 'uint8' },
  audio_input: { shape: [1, 1, 220_500], dtype: 'float32' },
  video_kwargs: { shape: [1, 12], dtype: 'float32' },
};

/** Which tensors each service takes. */
export const SERVICE_TENSORS: Record<TensorService, { required: TensorField[]; optional: TensorField[] }> = {
  embedding: { required: ['video_input'], optional: ['audio_input'] },
  tagging: { required: ['video_input'], optional: ['video_kwargs'] },
};

export const ASYNC_STATUSES = { completed: 'completed', failed: 'failed' } as const;

export const PATHS = {
  upload: '/files/upload/tensors',
  encodeVideoAsync: '/video_embedding/encode_video/async',
  taggingAsync: '/video_tagging/async',
  asyncStatus: (id: string) => `/async_status/${encodeURIComponent(id)}`,
  encodeText: '/video_embedding/encode_text',
} as const;

/** Statuses after which a POST is sent again: the server answered and did not take it. Never a lost connection. */
export const RETRY_POST_STATUSES = [429, 502, 504] as const;

/** Used as the model version when the service does not name its model. Bump to force a re-embed. */
export const DEFAULT_MODEL_VERSION = 'seeknetic-video-embedding';
