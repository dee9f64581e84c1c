// The tensor layout Seeknetic expects, as pure functions: which instants are sampled, how a frame is
// fitted into 224x224, how frames and audio become the bytes that are uploaded. No I/O here.

/** Frames sampled per video. */
export const FRAME_COUNT = 12;
/** Side of the square each frame is fitted into. */
export const FRAME_SIZE = 224;
/** RGB. */
export const CHANNELS = 3;
/** Bytes of one frame as ffmpeg writes it (rgb24, height × width × 3, row-major). */
export const FRAME_BYTES = FRAME_SIZE * FRAME_SIZE * CHANNELS;
/** Bytes of the uint8 tensor [1, 12, 3, 224, 224]. */
export const VIDEO_BYTES = FRAME_COUNT * FRAME_BYTES;

export const AUDIO_RATE = 22_050;
export const AUDIO_SECONDS = 10;
export const AUDIO_SAMPLES = AUDIO_RATE * AUDIO_SECONDS;
/** Bytes of the float32 tensor [1, 1, 220500], mono, little-endian. */
export const AUDIO_BYTES = AUDIO_SAMPLES * 4;

/**
 * Bumped whenever anything below (or the ffmpeg arguments in preprocess.ts) changes what is sent,
 * so indexed videos are embedded again.
 */
export const PREPROCESS_VERSION = 1;

/**
 * The instants to sample: the centres of FRAME_COUNT equal segments of [0, duration).
 * Segment i spans [i·d/12, (i+1)·d/12), so frame i is taken at (i + ½)·d/12. Never the very first
 * or last instant, where fades and black frames live.
 */
export function frameTimes(durationSec: number, count: number = FRAME_COUNT): number[] {
  if (!Number.isFinite(durationSec) || durationSec <= 0)
    throw new RangeError(`A video duration must be a positive number of seconds (got ${durationSec}).`);
  const seg = durationSec / count;
  return Array.from({ length: count }, (_, i) => (i + 0.5) * seg);
}

/**
 * Frames (each rgb24 H×W×C, as ffmpeg's rawvideo writes them) → one channel-first buffer laid out
 * [frame][channel][y][x], i.e. the uint8 tensor [1, 12, 3, 224, 224] in C order.
 * Byte (f, c, y, x) lands at ((f·3 + c)·224 + y)·224 + x.
 */
export function toChannelFirst(frames: readonly Uint8Array[], size: number = FRAME_SIZE): Uint8Array {
  const plane = size * size;
  const frameBytes = plane * CHANNELS;
  const out = new Uint8Array(frames.length * frameBytes);
  frames.forEach((hwc, f) => {
    if (hwc.length !== frameBytes)
      throw new RangeError(`Frame ${f} has ${hwc.length} bytes; a ${size}x${size} rgb24 frame has ${frameBytes}.`);
    const base = f * frameBytes;
    for (let p = 0, src = 0; p < plane; p++, src += CHANNELS) {
      out[base + p] = hwc[src];
      out[base + plane + p] = hwc[src + 1];
      out[base + 2 * plane + p] = hwc[src + 2];
    }
  });
  return out;
}

/** Reads pixel (x, y) of frame f back out of a channel-first buffer: [r, g, b]. */
export function pixelAt(
  chw: Uint8Array,
  f: number,
  x: number,
  y: number,
  size: number = FRAME_SIZE,
): [number, number, number] {
  const plane = size * size;
  const base = f * plane * CHANNELS + y * size + x;
  return [chw[base], chw[base + plane], chw[base + 2 * plane]];
}

/**
 * Mono float32 little-endian samples (as ffmpeg's f32le writes them) → exactly AUDIO_BYTES: the first
 * ten seconds, zero-padded when shorter. An empty input (no audio stream) gives ten seconds of silence.
 */
export function toAudioTensor(f32le: Uint8Array): Uint8Array {
  const out = new Uint8Array(AUDIO_BYTES);
  const usable = Math.min(f32le.length - (f32le.length % 4), AUDIO_BYTES);
  out.set(f32le.subarray(0, usable));
  return out;
}

/** Where a picture of width×height lands inside the 224 square: fitted whole, centred, black bars around. */
export interface Letterbox {
  /** Scaled picture size. */
  width: number;
  height: number;
  /** Offset of its top-left corner inside the square. */
  x: number;
  y: number;
}

/**
 * Letterboxing, not squashing: the whole picture is kept at its display aspect ratio (pixel aspect
 * ratio and a ±90° rotation applied, as ffmpeg's autorotate shows it) and padded with black to a square.
 * Shot size and angle tags depend on geometry a squash would distort.
 */
export function letterbox(
  width: number,
  height: number,
  sampleAspect = 1,
  rotation = 0,
  size: number = FRAME_SIZE,
): Letterbox {
  let w = width * (sampleAspect > 0 && Number.isFinite(sampleAspect) ? sampleAspect : 1);
  let h = height;
  if (Math.abs(Math.round(rotation / 90)) % 2 === 1) [w, h] = [h, w];
  if (!(w > 0 && h > 0)) return { width: size, height: size, x: 0, y: 0 };
  const scale = Math.min(size / w, size / h);
  const sw = Math.max(1, Math.min(size, Math.round(w * scale)));
  const sh = Math.max(1, Math.min(size, Math.round(h * scale)));
  return { width: sw, height: sh, x: Math.floor((size - sw) / 2), y: Math.floor((size - sh) / 2) };
}

/** "16:9" / "16/9" / "0:1" → a number (undefined when unset or unreadable). */
export function parseRatio(text: string | undefined): number | undefined {
  const m = /^(\d+(?:\.\d+)?)[:/](\d+(?:\.\d+)?)$/.exec(text ?? '');
  if (!m) return undefined;
  const n = Number(m[1]);
  const d = Number(m[2]);
  return n > 0 && d > 0 ? n / d : undefined;
}

/** A stretch of a video indexed as one entry, in seconds: [start, end). */
export interface TimeRange {
  start: number;
  end: number;
}

export interface Windowing {
  /** Length of a window in seconds; a video no longer than this stays one entry. */
  windowSeconds: number;
  /** At most this many windows per file: a longer video gets longer windows, still covering it whole. */
  maxWindows: number;
}

export const DEFAULT_WINDOWING: Windowing = { windowSeconds: 10, maxWindows: 120 };

/** A last window shorter than this is folded into the one before it (a few frames of tail make no moment). */
export const MIN_TAIL_SECONDS = 1;

/**
 * The consecutive windows a video of `durationSec` is indexed as: [0, w), [w, 2w), …, the last one ending at the
 * duration (a partial window of at least MIN_TAIL_SECONDS, else merged into the previous). A video no longer than
 * a window is one window [0, duration). More than `maxWindows` windows → the window grows to duration / maxWindows.
 */
export function windowRanges(durationSec: number, w: Windowing = DEFAULT_WINDOWING): TimeRange[] {
  if (!Number.isFinite(durationSec) || durationSec <= 0)
    throw new RangeError(`A video duration must be a positive number of seconds (got ${durationSec}).`);
  const max = Math.max(1, Math.floor(w.maxWindows));
  let len = w.windowSeconds > 0 ? w.windowSeconds : durationSec;
  if (durationSec <= len) return [{ start: 0, end: durationSec }];
  if (Math.ceil(durationSec / len - 1e-9) > max) len = durationSec / max;
  const out: TimeRange[] = [];
  for (let start = 0; start < durationSec - 1e-9; start += len) {
    out.push({ start: round3(start), end: round3(Math.min(durationSec, start + len)) });
    if (out.length === max) {
      out[out.length - 1].end = round3(durationSec);
      break;
    }
  }
  const last = out[out.length - 1];
  if (out.length > 1 && last.end - last.start < MIN_TAIL_SECONDS) {
    out.pop();
    out[out.length - 1].end = last.end;
  }
  return out;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** The sample instants of a window: frameTimes over its length, shifted to its start. */
export function windowFrameTimes(r: TimeRange, count: number = FRAME_COUNT): number[] {
  return frameTimes(r.end - r.start, count).map((t) => r.start + t);
}
