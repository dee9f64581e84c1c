import { createHash, randomBytes } from 'node:crypto';
import {
  DTYPE_BYTES,
  EXPECTED_TENSORS,
  SERVICE_TENSORS,
  SERVICES,
  TENSOR_DTYPES,
  TENSOR_FIELDS,
  type TensorField,
  type TensorService,
} from './contract';
import { mulberry32 } from '../../emulation/prng';
import type { Router, RouteContext } from '../../emulation/router';
import { bearerOrHeader, json, type Emulator, type EmulatorContext } from '../../emulation/emulator';

// The sandbox's stand-in for Seeknetic's models: deterministic, cheap, and meaningful enough to search.
//  - Colour concepts: every sampled pixel is named (red, orange, …, white, gray, black) by hue/saturation/value;
//    a video's share of each name fills the first CONCEPTS.length dimensions.
//  - A fingerprint of the content (per frame, the mean colour of each quadrant; per second, the audio level)
//    is projected by a fixed random matrix into the remaining dimensions, small: similar frames → similar vectors.
//  - Text: colour words (and synonyms) point along their concept; every other word adds a small direction
//    derived from its hash. So "a red clip" finds the red video.
//  - Tags from the pixels: shot size from contrast, camera movement from frame-to-frame change, angle from
//    where the light is.

export const CONCEPTS = [
  'red',
  'orange',
  'yellow',
  'green',
  'cyan',
  'blue',
  'purple',
  'magenta',
  'white',
  'gray',
  'black',
] as const;
type Concept = (typeof CONCEPTS)[number];

const SYNONYMS: Record<string, Concept> = {
  red: 'red',
  crimson: 'red',
  scarlet: 'red',
  ruby: 'red',
  cherry: 'red',
  orange: 'orange',
  amber: 'orange',
  tangerine: 'orange',
  yellow: 'yellow',
  gold: 'yellow',
  golden: 'yellow',
  lemon: 'yellow',
  green: 'green',
  emerald: 'green',
  lime: 'green',
  grass: 'green',
  forest: 'green',
  cyan: 'cyan',
  teal: 'cyan',
  turquoise: 'cyan',
  aqua: 'cyan',
  blue: 'blue',
  navy: 'blue',
  azure: 'blue',
  sky: 'blue',
  ocean: 'blue',
  sea: 'blue',
  purple: 'purple',
  violet: 'purple',
  lavender: 'purple',
  magenta: 'magenta',
  pink: 'magenta',
  fuchsia: 'magenta',
  white: 'white',
  snow: 'white',
  bright: 'white',
  gray: 'gray',
  grey: 'gray',
  silver: 'gray',
  black: 'black',
  dark: 'black',
  night: 'black',
};

export const EMBEDDING_DIM = 64;
export const SANDBOX_MODEL = 'seeknetic-sandbox-v1';
const FINGERPRINT_WEIGHT = 0.15;
const WORD_WEIGHT = 0.3;

/** A deterministic stream of numbers in [-1, 1) from a seed. */
function seeded(seed: number): () => number {
  const next = mulberry32(seed);
  return () => next() * 2 - 1;
}

function hashDirection(word: string, dims: number): number[] {
  const next = seeded(createHash('sha256').update(word).digest().readUInt32LE(0));
  return Array.from({ length: dims }, next);
}

function unit(v: number[]): number[] {
  const n = Math.hypot(...v);
  return n > 0 ? v.map((x) => x / n) : v;
}

/** The colour name of one pixel. */
export function nameColour(r: number, g: number, b: number): Concept {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const v = max / 255;
  const s = max === 0 ? 0 : (max - min) / max;
  if (v < 0.2) return 'black';
  if (s < 0.25) return v > 0.8 ? 'white' : 'gray';
  let h: number;
  if (max === r) h = ((g - b) / (max - min) + 6) % 6;
  else if (max === g) h = (b - r) / (max - min) + 2;
  else h = (r - g) / (max - min) + 4;
  h *= 60;
  if (h < 15 || h >= 340) return 'red';
  if (h < 45) return 'orange';
  if (h < 70) return 'yellow';
  if (h < 160) return 'green';
  if (h < 200) return 'cyan';
  if (h < 260) return 'blue';
  if (h < 290) return 'purple';
  return 'magenta';
}

interface VideoFeatures {
  /** Share of sampled pixels per concept. */
  concepts: number[];
  /** Per frame, per quadrant, mean r/g/b in 0..1. */
  quadrants: number[];
  /** Mean luminance contrast (0..1). */
  contrast: number;
  /** Mean change of the quadrant colours between consecutive frames, and its horizontal/vertical share. */
  motion: number;
  horizontal: number;
  /** Mean luminance of the top minus the bottom half (−1..1). */
  topMinusBottom: number;
}

/** Reads a uint8 [1, F, 3, S, S] tensor. Samples every 4th pixel in each direction. */
export function videoFeatures(bytes: Uint8Array, frames: number, size: number): VideoFeatures {
  const plane = size * size;
  const counts = new Array<number>(CONCEPTS.length).fill(0);
  const quadrants: number[] = [];
  let contrast = 0;
  let topMinusBottom = 0;
  let samples = 0;
  for (let f = 0; f < frames; f++) {
    const base = f * 3 * plane;
    const q = new Array<number>(12).fill(0);
    const qn = new Array<number>(4).fill(0);
    let lumSum = 0;
    let lumSq = 0;
    let top = 0;
    let bottom = 0;
    let n = 0;
    for (let y = 0; y < size; y += 4) {
      for (let x = 0; x < size; x += 4) {
        const p = y * size + x;
        const r = bytes[base + p];
        const g = bytes[base + plane + p];
        const b = bytes[base + 2 * plane + p];
        counts[CONCEPTS.indexOf(nameColour(r, g, b))]++;
        const quad = (y < size / 2 ? 0 : 2) + (x < size / 2 ? 0 : 1);
        q[quad * 3] += r;
        q[quad * 3 + 1] += g;
        q[quad * 3 + 2] += b;
        qn[quad]++;
        const lum = (0.299 * r + 0.587 * g + 0.114 * b) / 255;
        lumSum += lum;
        lumSq += lum * lum;
        if (y < size / 2) top += lum;
        else bottom += lum;
        n++;
      }
    }
    samples += n;
    for (let i = 0; i < 12; i++) quadrants.push(q[i] / Math.max(1, qn[Math.floor(i / 3)]) / 255);
    const mean = lumSum / n;
    contrast += Math.sqrt(Math.max(0, lumSq / n - mean * mean));
    topMinusBottom += (top - bottom) / (n / 2);
  }
  let motion = 0;
  let horiz = 0;
  let vert = 0;
  for (let f = 1; f < frames; f++) {
    for (let i = 0; i < 12; i++) {
      const d = Math.abs(quadrants[f * 12 + i] - quadrants[(f - 1) * 12 + i]);
      motion += d;
      // Left/right quadrants changing differently reads as a pan, top/bottom as a tilt.
      const quad = Math.floor(i / 3);
      if (quad % 2 === 0) horiz += Math.abs(d - Math.abs(quadrants[f * 12 + i + 3] - quadrants[(f - 1) * 12 + i + 3]));
      if (quad < 2) vert += Math.abs(d - Math.abs(quadrants[f * 12 + i + 6] - quadrants[(f - 1) * 12 + i + 6]));
    }
  }
  const pairs = Math.max(1, frames - 1);
  return {
    concepts: counts.map((c) => c / Math.max(1, samples)),
    quadrants,
    contrast: contrast / frames,
    motion: motion / pairs / 12,
    horizontal: horiz + vert > 0 ? horiz / (horiz + vert) : 0.5,
    topMinusBottom: topMinusBottom / frames,
  };
}

/** Audio level per second of a float32 LE [1, 1, N] tensor at 22050 Hz (10 values). */
export function audioLevels(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const samples = Math.floor(bytes.byteLength / 4);
  const per = 22_050;
  const out: number[] = [];
  for (let s = 0; s < 10; s++) {
    let sum = 0;
    let n = 0;
    for (let i = s * per; i < Math.min(samples, (s + 1) * per); i += 7) {
      const v = view.getFloat32(i * 4, true);
      sum += v * v;
      n++;
    }
    out.push(n ? Math.sqrt(sum / n) : 0);
  }
  return out;
}

let projection: number[][] | undefined;
function project(features: number[]): number[] {
  const rest = EMBEDDING_DIM - CONCEPTS.length;
  if (!projection || projection[0].length !== features.length) {
    const next = seeded(20_240_611);
    projection = Array.from({ length: rest }, () =>
      Array.from({ length: features.length }, () => next() / Math.sqrt(features.length)),
    );
  }
  return projection.map((row) => row.reduce((s, w, i) => s + w * features[i], 0));
}

export function videoEmbedding(v: VideoFeatures, audio: number[] | undefined): number[] {
  const fingerprint = [...v.quadrants.map((x) => x - 0.5), ...(audio ?? new Array(10).fill(0))];
  return unit([...v.concepts, ...project(fingerprint).map((x) => x * FINGERPRINT_WEIGHT)]);
}

export function textEmbedding(text: string): number[] {
  const words = text.toLowerCase().match(/[a-z]+/g) ?? [];
  const v = new Array<number>(EMBEDDING_DIM).fill(0);
  for (const w of words) {
    const concept = SYNONYMS[w];
    if (concept) v[CONCEPTS.indexOf(concept)] += 1;
    else
      unit(hashDirection(w, EMBEDDING_DIM - CONCEPTS.length)).forEach(
        (x, i) => (v[CONCEPTS.length + i] += x * WORD_WEIGHT),
      );
  }
  return unit(v);
}

export function videoTags(v: VideoFeatures): Record<string, string> {
  return {
    shot_size: v.contrast < 0.08 ? 'close-up' : v.contrast < 0.2 ? 'medium shot' : 'wide shot',
    camera_movement: v.motion < 0.02 ? 'static' : v.horizontal >= 0.5 ? 'pan' : 'tilt',
    shooting_angle: v.topMinusBottom > 0.15 ? 'low angle' : v.topMinusBottom < -0.15 ? 'high angle' : 'eye level',
  };
}

interface StoredTensor {
  owner: string;
  service: TensorService;
  field: TensorField;
  video?: VideoFeatures;
  audio?: number[];
}

interface TaskRecord {
  id: string;
  owner: string;
  kind: 'embedding' | 'tagging';
  createdAt: number;
  fails: boolean;
  embedding?: number[];
  tags?: Record<string, string>;
}

const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Seeknetic in tensor mode (see core/providers/seeknetic/contract.ts for the reading of the doc):
 * uploads are checked field by field (shape, dtype, base64 and its decoded size; 413 above
 * `maxTensorBase64Bytes`), async tasks go pending → processing → completed as time passes
 * (`failNextTasks` makes the next ones fail), errors are FastAPI-shaped ({detail}).
 */
export class SeekneticEmulator implements Emulator {
  readonly id = 'seeknetic';
  readonly basePath = '/seeknetic';
  /** Largest base64 string accepted for one tensor (the real limit is not documented). */
  maxTensorBase64Bytes = 4 * 1024 * 1024;
  /** Successful tensor uploads, per service. */
  readonly uploads = { embedding: 0, tagging: 0 };
  /** The next this-many tasks fail. */
  failNextTasks = 0;
  readonly tensors = new Map<string, StoredTensor>();
  readonly tasks = new Map<string, TaskRecord>();
  private ctx!: EmulatorContext;

  errorBody(_status: number, code: string, message: string): unknown {
    return { detail: message, error_code: code };
  }

  register(router: Router, ctx: EmulatorContext): void {
    this.ctx = ctx;
    const p = this.basePath;
    router.add('POST', `${p}/files/upload/tensors`, (c) => this.withKey(c, (key) => this.upload(c, key)));
    router.add('POST', `${p}/video_embedding/encode_video/async`, (c) =>
      this.withKey(c, (key) => this.submit(c, key, 'embedding')),
    );
    router.add('POST', `${p}/video_tagging/async`, (c) => this.withKey(c, (key) => this.submit(c, key, 'tagging')));
    router.add('GET', `${p}/async_status/:id`, (c) => this.withKey(c, (key) => this.status(c, key)));
    router.add('POST', `${p}/video_embedding/encode_text`, (c) => this.withKey(c, () => this.encodeText(c)));
  }

  private fail(c: RouteContext, status: number, code: string, message: string): void {
    json(c.res, status, this.errorBody(status, code, message));
  }

  /** 422 in FastAPI's validation shape. */
  private invalid(c: RouteContext, loc: (string | number)[], msg: string): void {
    json(c.res, 422, { detail: [{ loc: ['body', ...loc], msg, type: 'value_error' }] });
  }

  private withKey(c: RouteContext, fn: (key: string) => void): void {
    const key = bearerOrHeader(c.req, 'x-api-key');
    if (!this.ctx.acceptsKey(key)) return this.fail(c, 401, 'invalid_api_key', 'Invalid API key');
    fn(key!);
  }

  private upload(c: RouteContext, key: string): void {
    const body = c.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body))
      return this.fail(c, 400, 'bad_request', 'Request body must be a JSON object');
    const service = body.service as TensorService;
    if (!(SERVICES as readonly string[]).includes(service))
      return this.invalid(c, ['service'], `service must be one of ${SERVICES.join(', ')}`);
    if (typeof body.request_id !== 'string' || !REQUEST_ID.test(body.request_id))
      return this.invalid(c, ['request_id'], 'request_id is required: 1-128 letters, digits, _ . : -');
    const allowed = SERVICE_TENSORS[service];
    const fields = TENSOR_FIELDS.filter((f) => body[f] !== undefined);
    for (const f of fields)
      if (![...allowed.required, ...allowed.optional].includes(f))
        return this.invalid(c, [f], `${f} is not used by the ${service} service`);
    for (const f of allowed.required)
      if (!fields.includes(f)) return this.invalid(c, [f], `${f} is required for the ${service} service`);
    const decoded = new Map<TensorField, Buffer>();
    for (const f of fields) {
      const t = body[f] as { data?: unknown; shape?: unknown; dtype?: unknown };
      if (!t || typeof t !== 'object') return this.invalid(c, [f], 'must be an object {data, shape, dtype}');
      if (typeof t.data !== 'string') return this.invalid(c, [f, 'data'], 'must be a base64 string');
      if (t.data.length > this.maxTensorBase64Bytes)
        return this.fail(
          c,
          413,
          'payload_too_large',
          `${f} is ${t.data.length} bytes of base64; the limit is ${this.maxTensorBase64Bytes}`,
        );
      if (!(TENSOR_DTYPES as readonly string[]).includes(t.dtype as string))
        return this.invalid(c, [f, 'dtype'], `dtype must be one of ${TENSOR_DTYPES.join(', ')}`);
      const expected = EXPECTED_TENSORS[f];
      if (!Array.isArray(t.shape) || !t.shape.every((n) => Number.isInteger(n) && n > 0))
        return this.invalid(c, [f, 'shape'], 'shape must be a list of positive integers');
      if (t.dtype !== expected.dtype)
        return this.invalid(c, [f, 'dtype'], `${f} must be ${expected.dtype} (got ${String(t.dtype)})`);
      if (JSON.stringify(t.shape) !== JSON.stringify(expected.shape))
        return this.invalid(
          c,
          [f, 'shape'],
          `${f} shape must be [${expected.shape.join(',')}] (got [${t.shape.join(',')}])`,
        );
      if (t.data.length % 4 !== 0 || !BASE64.test(t.data))
        return this.invalid(c, [f, 'data'], 'data is not valid base64');
      const bytes = Buffer.from(t.data, 'base64');
      const need = expected.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[expected.dtype];
      if (bytes.length !== need)
        return this.invalid(c, [f, 'data'], `data decodes to ${bytes.length} bytes; shape × dtype needs ${need}`);
      decoded.set(f, bytes);
    }
    const r2: Record<string, string> = {};
    const prefix = `tensors/${createHash('sha256').update(key).digest('hex').slice(0, 12)}/${body.request_id}`;
    for (const [f, bytes] of decoded) {
      const k = `${prefix}/${f}.bin`;
      const [, frames, , size] = EXPECTED_TENSORS.video_input.shape;
      this.tensors.set(k, {
        owner: key,
        service,
        field: f,
        video:
          f === 'video_input'
            ? videoFeatures(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), frames, size)
            : undefined,
        audio:
          f === 'audio_input' ? audioLevels(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length)) : undefined,
      });
      r2[f] = k;
    }
    this.uploads[service]++;
    json(c.res, 200, { request_id: body.request_id, service, r2_keys: r2 });
  }

  private tensor(key: string, owner: string, service: TensorService, field: TensorField): StoredTensor | string {
    const t = this.tensors.get(key);
    if (!t || t.owner !== owner) return `No uploaded tensor with key ${key}`;
    if (t.service !== service || t.field !== field)
      return `${key} was uploaded as ${t.service}/${t.field}, not ${service}/${field}`;
    return t;
  }

  private submit(c: RouteContext, key: string, kind: 'embedding' | 'tagging'): void {
    const body = c.body as { tensor?: Record<string, unknown>; video_url?: unknown } | undefined;
    if (!body || typeof body !== 'object')
      return this.fail(c, 400, 'bad_request', 'Request body must be a JSON object');
    let embedding: number[] | undefined;
    let tags: Record<string, string> | undefined;
    if (body.tensor !== undefined) {
      const t = body.tensor;
      if (!t || typeof t !== 'object') return this.invalid(c, ['tensor'], 'tensor must be an object of keys');
      if (typeof t.video_input_key !== 'string')
        return this.invalid(c, ['tensor', 'video_input_key'], 'video_input_key is required');
      const video = this.tensor(t.video_input_key, key, kind, 'video_input');
      if (typeof video === 'string') return this.invalid(c, ['tensor', 'video_input_key'], video);
      const second = kind === 'embedding' ? 'audio_input' : 'video_kwargs';
      const secondKey = t[`${second}_key`];
      let audio: StoredTensor | undefined;
      if (secondKey !== undefined) {
        if (typeof secondKey !== 'string') return this.invalid(c, ['tensor', `${second}_key`], 'must be a string');
        const s = this.tensor(secondKey, key, kind, second);
        if (typeof s === 'string') return this.invalid(c, ['tensor', `${second}_key`], s);
        audio = s;
      }
      if (kind === 'embedding') embedding = videoEmbedding(video.video!, audio?.audio);
      else tags = videoTags(video.video!);
    } else if (typeof body.video_url === 'string' && /^https?:\/\//.test(body.video_url)) {
      // No decoder in the sandbox: a URL is "seen" through the words of its file name.
      const words = decodeURIComponent(new URL(body.video_url).pathname).replace(/[^A-Za-z]+/g, ' ');
      embedding = textEmbedding(words);
      tags = { shot_size: 'medium shot', camera_movement: 'static', shooting_angle: 'eye level' };
    } else {
      return this.invalid(c, ['video_url'], 'video_url (http/https) or tensor keys are required');
    }
    const id = `${kind === 'embedding' ? 'emb' : 'tag'}_${randomBytes(10).toString('hex')}`;
    const fails = this.failNextTasks > 0;
    if (fails) this.failNextTasks--;
    this.tasks.set(id, {
      id,
      owner: key,
      kind,
      createdAt: this.ctx.now(),
      fails,
      embedding: kind === 'embedding' ? embedding : undefined,
      tags: kind === 'tagging' ? tags : undefined,
    });
    json(c.res, 200, { request_id: id, status: 'pending' });
  }

  /** The status now: a pure function of the time since submission (× the sandbox time scale). */
  private status(c: RouteContext, key: string): void {
    const t = this.tasks.get(c.params.id);
    if (!t || t.owner !== key) return this.fail(c, 404, 'not_found', `Task ${c.params.id} not found`);
    const elapsed = (this.ctx.now() - t.createdAt) / this.ctx.timing.scale;
    const status = elapsed < 300 ? 'pending' : elapsed < 1500 ? 'processing' : t.fails ? 'failed' : 'completed';
    const out: Record<string, unknown> = { request_id: t.id, status };
    if (status === 'failed') out.error_message = 'The model could not process this input';
    if (status === 'completed') {
      out.model = SANDBOX_MODEL;
      if (t.kind === 'embedding') out.embedding = t.embedding;
      else out.tags = t.tags;
    }
    json(c.res, 200, out);
  }

  private encodeText(c: RouteContext): void {
    const body = c.body as { text?: unknown } | undefined;
    if (!body || typeof body.text !== 'string' || !body.text.trim())
      return this.invalid(c, ['text'], 'text must be a non-empty string');
    if (body.text.length > 2000) return this.invalid(c, ['text'], 'text must be at most 2000 characters');
    json(c.res, 200, { embedding: textEmbedding(body.text), dimension: EMBEDDING_DIM, model: SANDBOX_MODEL });
  }
}
