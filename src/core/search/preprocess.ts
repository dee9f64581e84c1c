import { z } from 'zod';
import { mapLimit } from './concurrency';
import { FfmpegMissingError, runTool, type FfmpegTools } from './ffmpeg';
import {
  AUDIO_BYTES,
  AUDIO_RATE,
  AUDIO_SECONDS,
  FRAME_BYTES,
  FRAME_COUNT,
  FRAME_SIZE,
  letterbox,
  parseRatio,
  toAudioTensor,
  toChannelFirst,
  windowFrameTimes,
  type TimeRange,
} from './layout';

// ffprobe's JSON: only the fields used here; everything else is tolerated.
const probeSchema = z.object({
  streams: z
    .array(
      z.object({
        index: z.number(),
        codec_type: z.string().optional(),
        width: z.number().optional(),
        height: z.number().optional(),
        avg_frame_rate: z.string().optional(),
        sample_aspect_ratio: z.string().optional(),
        duration: z.string().optional(),
        disposition: z.object({ attached_pic: z.number().optional() }).partial().optional(),
        tags: z.record(z.string(), z.string()).optional(),
        side_data_list: z.array(z.object({ rotation: z.number().optional() }).partial()).optional(),
      }),
    )
    .default([]),
  format: z.object({ duration: z.string().optional() }).partial().default({}),
});

export interface VideoProbe {
  /** Seconds of picture: the video stream's duration, else the file's. */
  duration: number;
  video: { index: number; width: number; height: number; sampleAspect: number; rotation: number; fps: number };
  /** Absent when the file has no audio stream. */
  audio?: { index: number };
}

/** Duration and streams of a video file (ffprobe JSON). Throws when there is no picture or no duration. */
export async function probeVideo(tools: FfmpegTools, file: string, signal?: AbortSignal): Promise<VideoProbe> {
  const { stdout } = await runTool(
    tools.ffprobe,
    ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file],
    { signal },
  );
  let json: unknown;
  try {
    json = JSON.parse(stdout.toString('utf8'));
  } catch {
    throw new Error('ffprobe did not print JSON.');
  }
  const p = probeSchema.parse(json);
  // A cover image in an audio file is a "video" stream too: skip it.
  const v = p.streams.find(
    (s) => s.codec_type === 'video' && !s.disposition?.attached_pic && (s.width ?? 0) > 0 && (s.height ?? 0) > 0,
  );
  if (!v) throw new Error('The file has no video stream.');
  const a = p.streams.find((s) => s.codec_type === 'audio');
  let duration = Number(v.duration ?? p.format.duration);
  if (!(duration > 0)) duration = await durationFromPackets(tools, file, v.index, signal);
  if (!(duration > 0)) throw new Error('The length of the video could not be read.');
  const rotation = v.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? Number(v.tags?.rotate ?? 0);
  return {
    duration,
    video: {
      index: v.index,
      width: v.width!,
      height: v.height!,
      sampleAspect: parseRatio(v.sample_aspect_ratio) ?? 1,
      rotation: Number.isFinite(rotation) ? rotation : 0,
      fps: parseRatio(v.avg_frame_rate) ?? 25,
    },
    audio: a ? { index: a.index } : undefined,
  };
}

/** For containers that do not state a duration (e.g. recorded WebM): the end of the last packet. Reads the whole index. */
async function durationFromPackets(
  tools: FfmpegTools,
  file: string,
  stream: number,
  signal?: AbortSignal,
): Promise<number> {
  const { stdout } = await runTool(
    tools.ffprobe,
    [
      '-v',
      'error',
      '-select_streams',
      String(stream),
      '-show_entries',
      'packet=pts_time,duration_time',
      '-of',
      'csv=p=0',
      file,
    ],
    { signal },
  );
  let end = 0;
  for (const line of stdout.toString('utf8').split(/\r?\n/)) {
    const [pts, dur] = line.split(',').map(Number);
    if (Number.isFinite(pts)) end = Math.max(end, pts + (Number.isFinite(dur) ? dur : 0));
  }
  return end;
}

/** The video filter that fits a frame into the 224 square (see `letterbox`). */
export function frameFilter(probe: VideoProbe): string {
  const box = letterbox(probe.video.width, probe.video.height, probe.video.sampleAspect, probe.video.rotation);
  return `scale=${box.width}:${box.height}:flags=area,setsar=1,pad=${FRAME_SIZE}:${FRAME_SIZE}:${box.x}:${box.y}:black`;
}

/**
 * Where to seek for the frame shown at `t`: an input seek returns the first frame at or after the seek
 * point, so the very last instants (inside the last frame's display time) are pulled back by one frame.
 */
export function seekTime(t: number, probe: VideoProbe): number {
  return Math.max(0, Math.min(t, probe.duration - 1 / probe.video.fps));
}

/**
 * All frames in one ffmpeg process: one input per instant, each opened with `-ss` before `-i` (an input
 * seek: jump to the keyframe before t and decode from there), so the cost does not grow with the length
 * of the video. Each input's first frame is fitted into the square; the frames are concatenated in order
 * and written as rgb24 224×224 H×W×C. Falls back to one process per frame, which steps back from an
 * instant that decodes nothing, when a file does not give all frames this way.
 */
export async function extractFrames(
  tools: FfmpegTools,
  file: string,
  probe: VideoProbe,
  times: number[],
  signal?: AbortSignal,
): Promise<Uint8Array[]> {
  const n = times.length;
  let out: Buffer | undefined;
  try {
    out = (await runTool(tools.ffmpeg, framesArgs(file, probe, times), { signal, maxStdout: FRAME_BYTES * (n + 1) }))
      .stdout;
  } catch (err) {
    if (signal?.aborted || err instanceof FfmpegMissingError) throw err;
  }
  if (out?.length === n * FRAME_BYTES)
    return times.map((_, i) => new Uint8Array(out!.buffer, out!.byteOffset + i * FRAME_BYTES, FRAME_BYTES));
  return mapLimit(times, 3, (t) => extractFrame(tools, file, probe, t, signal), signal);
}

/** ffmpeg's arguments for `extractFrames` (the benchmark's ffmpeg reference runs exactly these). */
export function framesArgs(file: string, probe: VideoProbe, times: number[]): string[] {
  const n = times.length;
  const inputs = times.flatMap((t) => ['-ss', seekTime(t, probe).toFixed(3), '-i', file]);
  const chains = times.map((_, i) => `[${i}:${probe.video.index}]trim=end_frame=1,${frameFilter(probe)}[f${i}]`);
  const graph = `${chains.join(';')};${times.map((_, i) => `[f${i}]`).join('')}concat=n=${n}:v=1:a=0,setpts=N/TB[v]`;
  return [
    '-v',
    'error',
    '-nostdin',
    ...inputs,
    '-filter_complex',
    graph,
    '-map',
    '[v]',
    '-vsync',
    'passthrough',
    '-frames:v',
    String(n),
    '-pix_fmt',
    'rgb24',
    '-f',
    'rawvideo',
    'pipe:1',
  ];
}

/** One frame at `t` seconds (input seek, as above), stepping back when nothing decodes there. */
export async function extractFrame(
  tools: FfmpegTools,
  file: string,
  probe: VideoProbe,
  t: number,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const args = (at: number) => [
    '-v',
    'error',
    '-nostdin',
    '-ss',
    at.toFixed(3),
    '-i',
    file,
    '-map',
    `0:${probe.video.index}`,
    '-frames:v',
    '1',
    '-vf',
    frameFilter(probe),
    '-pix_fmt',
    'rgb24',
    '-f',
    'rawvideo',
    'pipe:1',
  ];
  // A seek at the very end of some files decodes nothing; step back towards the start until a frame comes out.
  for (const at of [seekTime(t, probe), t * 0.9, Math.max(0, t - 1), 0]) {
    const { stdout } = await runTool(tools.ffmpeg, args(at), { signal, maxStdout: FRAME_BYTES * 2 });
    if (stdout.length === 0) continue;
    if (stdout.length !== FRAME_BYTES)
      throw new Error(`ffmpeg returned ${stdout.length} bytes for a frame; expected ${FRAME_BYTES}.`);
    return new Uint8Array(stdout.buffer, stdout.byteOffset, stdout.length);
  }
  throw new Error(`No frame could be decoded near ${t.toFixed(2)} s.`);
}

/**
 * Up to ten seconds of the first audio stream from `range.start` (an input seek; the whole window's audio when it
 * is shorter, never the next window's), mono 22050 Hz float32 LE, zero-padded; silence when there is none.
 * Without a range (a video indexed whole): the first ten seconds.
 */
export async function extractAudio(
  tools: FfmpegTools,
  file: string,
  probe: VideoProbe,
  signal?: AbortSignal,
  range?: TimeRange,
): Promise<Uint8Array> {
  if (!probe.audio) return toAudioTensor(new Uint8Array(0));
  const { stdout } = await runTool(tools.ffmpeg, audioArgs(file, probe.audio.index, range), {
    signal,
    maxStdout: AUDIO_BYTES * 2,
  });
  return toAudioTensor(new Uint8Array(stdout.buffer, stdout.byteOffset, stdout.length));
}

/** ffmpeg's arguments for `extractAudio` of stream `stream` (the benchmark's ffmpeg reference runs exactly these). */
export function audioArgs(file: string, stream: number, range?: TimeRange): string[] {
  const seek = range && range.start > 0 ? ['-ss', range.start.toFixed(3)] : [];
  const seconds = range ? Math.min(AUDIO_SECONDS, range.end - range.start) : AUDIO_SECONDS;
  return [
    '-v',
    'error',
    '-nostdin',
    ...seek,
    '-i',
    file,
    '-map',
    `0:${stream}`,
    '-t',
    seconds.toFixed(3).replace(/\.?0+$/, ''),
    '-ac',
    '1',
    '-ar',
    String(AUDIO_RATE),
    '-f',
    'f32le',
    'pipe:1',
  ];
}

export interface Preprocessed {
  probe: VideoProbe;
  /** The stretch of the video these tensors cover. */
  range: TimeRange;
  /** Seconds at which each frame was taken. */
  times: number[];
  /** The frames as ffmpeg gave them (rgb24 H×W×C), kept for the thumbnail. */
  frames: Uint8Array[];
  /** uint8 [1, 12, 3, 224, 224]. */
  video: Uint8Array;
  /** float32 LE [1, 1, 220500]. */
  audio: Uint8Array;
}

/** Everything Seeknetic needs from one video file indexed whole: a probe, then frames and audio side by side. */
export async function preprocessVideo(
  tools: FfmpegTools,
  file: string,
  o: { signal?: AbortSignal } = {},
): Promise<Preprocessed> {
  const probe = await probeVideo(tools, file, o.signal);
  return preprocessWindow(tools, file, probe, { start: 0, end: probe.duration }, o);
}

/**
 * The same tensors for one window of a video: 12 frames at the centres of the window's twelfths (input seeks inside
 * it) and the audio from its start. `audio: false` (tagging only) sends no audio, so none is decoded.
 */
export async function preprocessWindow(
  tools: FfmpegTools,
  file: string,
  probe: VideoProbe,
  range: TimeRange,
  o: { signal?: AbortSignal; audio?: boolean } = {},
): Promise<Preprocessed> {
  const times = windowFrameTimes(range);
  const whole = range.start === 0 && range.end >= probe.duration;
  const [frames, audio] = await Promise.all([
    extractFrames(tools, file, probe, times, o.signal),
    o.audio === false
      ? Promise.resolve(new Uint8Array(0))
      : extractAudio(tools, file, probe, o.signal, whole ? undefined : range),
  ]);
  return { probe, range, times, frames, video: toChannelFirst(frames), audio };
}

/** The frame shown for a result: the one at the middle of the video. */
export const THUMBNAIL_FRAME = Math.floor(FRAME_COUNT / 2);

/** A small JPEG of an rgb24 224×224 frame already extracted (no second decode of the video). */
export async function encodeJpeg(tools: FfmpegTools, rgb: Uint8Array, signal?: AbortSignal): Promise<Buffer> {
  const { stdout } = await runTool(
    tools.ffmpeg,
    [
      '-v',
      'error',
      '-nostdin',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      '-s',
      `${FRAME_SIZE}x${FRAME_SIZE}`,
      '-i',
      'pipe:0',
      '-frames:v',
      '1',
      '-c:v',
      'mjpeg',
      '-q:v',
      '5',
      '-f',
      'image2pipe',
      'pipe:1',
    ],
    { signal, input: rgb, maxStdout: 4 * FRAME_BYTES },
  );
  if (stdout.length < 4 || stdout[0] !== 0xff || stdout[1] !== 0xd8)
    throw new Error('ffmpeg did not produce a JPEG thumbnail.');
  return stdout;
}
