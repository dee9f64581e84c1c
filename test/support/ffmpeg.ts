import { join } from 'node:path';
import { resolveFfmpeg, runTool, type FfmpegTools } from '../../src/core/search/ffmpeg';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

/**
 * ffmpeg/ffprobe the way the product finds them (GENDECK_FFMPEG_PATH as the setting, then PATH, then the
 * npm dev dependencies). Rejects — so the calling test fails, never skips — when there is none.
 */
export function testTools(): Promise<FfmpegTools> {
  return resolveFfmpeg({ setting: process.env.GENDECK_FFMPEG_PATH, searchRoots: [REPO_ROOT] });
}

export interface VideoSpec {
  /** One colour per segment, e.g. ['red', '0x00ff00']; each lasts `segment` seconds. */
  colours: string[];
  segment?: number;
  /** Seconds of each colour, instead of one `segment` for all. */
  durations?: number[];
  width?: number;
  height?: number;
  fps?: number;
  /** Seconds of a 440 Hz tone; no audio stream when absent. */
  audioSeconds?: number;
}

/** Writes a small MPEG-4 clip made with lavfi: solid colours one after another, optionally a tone. */
export async function makeVideo(tools: FfmpegTools, file: string, s: VideoSpec): Promise<void> {
  const seg = s.segment ?? 0.5;
  const size = `${s.width ?? 160}x${s.height ?? 120}`;
  const fps = s.fps ?? 10;
  const args = ['-v', 'error', '-nostdin', '-y'];
  s.colours.forEach((c, i) =>
    args.push('-f', 'lavfi', '-i', `color=c=${c}:s=${size}:r=${fps}:d=${s.durations?.[i] ?? seg}`),
  );
  const n = s.colours.length;
  if (s.audioSeconds) args.push('-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=44100:duration=${s.audioSeconds}`);
  args.push(
    '-filter_complex',
    `${s.colours.map((_, i) => `[${i}:v]`).join('')}concat=n=${n}:v=1:a=0[v]`,
    '-map',
    '[v]',
  );
  if (s.audioSeconds) args.push('-map', `${n}:a`, '-c:a', 'aac', '-b:a', '64k');
  args.push('-c:v', 'mpeg4', '-q:v', '2', '-g', String(fps), '-pix_fmt', 'yuv420p', file);
  await runTool(tools.ffmpeg, args);
}
