import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, dirname, join, resolve } from 'node:path';

/**
 * Where ffmpeg and ffprobe come from, in this order, each tool on its own:
 *  1. the `gendeck.ffmpegPath` setting: the ffmpeg binary (ffprobe is expected beside it) or a folder holding both;
 *     when it is set but wrong, that is an error (not a silent fall-through);
 *  2. PATH;
 *  3. the npm packages `@ffmpeg-installer/ffmpeg` + `@ffprobe-installer/ffprobe`, whose per-platform
 *     packages (`@ffmpeg-installer/linux-x64`, …) hold the binaries, found in a `node_modules` at or above
 *     one of `searchRoots` (the extension folder, the repository). They are dev dependencies: the tests use
 *     them on a clean machine, and the VSIX does not ship them.
 */
export interface FfmpegResolveOptions {
  /** The `gendeck.ffmpegPath` setting, if any. */
  setting?: string;
  env?: NodeJS.ProcessEnv;
  /** Folders whose `node_modules` (or an ancestor's) may hold the npm binaries. */
  searchRoots?: string[];
  platform?: NodeJS.Platform;
  arch?: string;
}

export type ToolSource = 'setting' | 'path' | 'npm';

export interface FfmpegTools {
  ffmpeg: string;
  ffprobe: string;
  source: { ffmpeg: ToolSource; ffprobe: ToolSource };
}

/** ffmpeg or ffprobe could not be found or run; the message says how to fix it. */
export class FfmpegMissingError extends Error {
  readonly tool: 'ffmpeg' | 'ffprobe';
  constructor(tool: 'ffmpeg' | 'ffprobe', message: string) {
    super(message);
    this.name = 'FfmpegMissingError';
    this.tool = tool;
  }
}

export const FFMPEG_SETTING = 'gendeck.ffmpegPath';

export function howToInstallFfmpeg(platform: NodeJS.Platform = process.platform): string {
  const install =
    platform === 'darwin' ? '`brew install ffmpeg`' : platform === 'win32' ? '`winget install ffmpeg`' : '`sudo apt install ffmpeg` (or your distribution\'s package)';
  return `Install ffmpeg with ${install} so ffmpeg and ffprobe are on PATH, or set "${FFMPEG_SETTING}" to the ffmpeg binary (ffprobe beside it), then try again.`;
}

async function isExecutableFile(p: string, platform: NodeJS.Platform): Promise<boolean> {
  try {
    const s = await stat(p);
    if (!s.isFile()) return false;
    if (platform !== 'win32') await access(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function exe(name: string, platform: NodeJS.Platform): string {
  return platform === 'win32' ? `${name}.exe` : name;
}

async function fromSetting(tool: 'ffmpeg' | 'ffprobe', setting: string, platform: NodeJS.Platform): Promise<string> {
  const p = resolve(setting);
  let candidate: string;
  try {
    const s = await stat(p);
    candidate = s.isDirectory() ? join(p, exe(tool, platform)) : tool === 'ffmpeg' ? p : join(dirname(p), exe('ffprobe', platform));
  } catch {
    throw new FfmpegMissingError(tool, `"${FFMPEG_SETTING}" is set to ${setting}, which does not exist. Point it at the ffmpeg binary (ffprobe beside it) or clear it to use ffmpeg from PATH.`);
  }
  if (!(await isExecutableFile(candidate, platform))) {
    throw new FfmpegMissingError(tool, `${tool} was not found at ${candidate} (from "${FFMPEG_SETTING}"), or it is not executable. ${howToInstallFfmpeg(platform)}`);
  }
  return candidate;
}

async function fromPath(tool: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Promise<string | undefined> {
  const dirs = (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean);
  for (const d of dirs) {
    const p = join(d, exe(tool, platform));
    if (await isExecutableFile(p, platform)) return p;
  }
  return undefined;
}

async function fromNpm(tool: 'ffmpeg' | 'ffprobe', roots: string[], platform: NodeJS.Platform, arch: string): Promise<string | undefined> {
  const pkg = `@${tool}-installer/${platform}-${arch}`;
  const seen = new Set<string>();
  for (const root of roots) {
    for (let dir = resolve(root); !seen.has(dir); dir = dirname(dir)) {
      seen.add(dir);
      const p = join(dir, 'node_modules', pkg, exe(tool, platform));
      if (await isExecutableFile(p, platform)) return p;
    }
  }
  return undefined;
}

async function resolveTool(tool: 'ffmpeg' | 'ffprobe', o: FfmpegResolveOptions): Promise<{ path: string; source: ToolSource }> {
  const platform = o.platform ?? process.platform;
  if (o.setting?.trim()) return { path: await fromSetting(tool, o.setting.trim(), platform), source: 'setting' };
  const onPath = await fromPath(tool, o.env ?? process.env, platform);
  if (onPath) return { path: onPath, source: 'path' };
  const npm = await fromNpm(tool, o.searchRoots ?? [], platform, o.arch ?? process.arch);
  if (npm) return { path: npm, source: 'npm' };
  throw new FfmpegMissingError(
    tool,
    `${tool} was not found: video search needs ffmpeg and ffprobe to read frames and audio. Looked at the "${FFMPEG_SETTING}" setting (not set), PATH, and the npm package @${tool}-installer/${platform}-${o.arch ?? process.arch} (not installed). ${howToInstallFfmpeg(platform)}`,
  );
}

/** Finds ffmpeg and ffprobe (setting → PATH → npm); throws FfmpegMissingError with how to fix it. */
export async function resolveFfmpeg(o: FfmpegResolveOptions = {}): Promise<FfmpegTools> {
  const [ffmpeg, ffprobe] = await Promise.all([resolveTool('ffmpeg', o), resolveTool('ffprobe', o)]);
  return { ffmpeg: ffmpeg.path, ffprobe: ffprobe.path, source: { ffmpeg: ffmpeg.source, ffprobe: ffprobe.source } };
}

export interface RunResult {
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs a tool with arguments (never a shell), collecting stdout as bytes. Kills it when `signal` aborts.
 * `input` is written to stdin. A non-zero exit rejects with the tail of stderr.
 */
export function runTool(bin: string, args: string[], o: { signal?: AbortSignal; input?: Uint8Array; maxStdout?: number } = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    if (o.signal?.aborted) return reject(o.signal.reason ?? new DOMException('Aborted', 'AbortError'));
    const name = /ffprobe/i.test(bin) ? 'ffprobe' : /ffmpeg/i.test(bin) ? 'ffmpeg' : bin;
    const child = spawn(bin, args, { stdio: [o.input ? 'pipe' : 'ignore', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      o.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      child.kill('SIGKILL');
      finish(() => reject(o.signal?.reason ?? new DOMException('Aborted', 'AbortError')));
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout!.on('data', (c: Buffer) => {
      outBytes += c.length;
      if (o.maxStdout !== undefined && outBytes > o.maxStdout) {
        child.kill('SIGKILL');
        finish(() => reject(new Error(`${name} wrote more than ${o.maxStdout} bytes.`)));
        return;
      }
      out.push(c);
    });
    child.stderr!.on('data', (c: Buffer) => {
      if (err.length < 16_384) err += c.toString('utf8');
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      finish(() =>
        reject(e.code === 'ENOENT' || e.code === 'EACCES' ? new FfmpegMissingError(name === 'ffprobe' ? 'ffprobe' : 'ffmpeg', `${name} could not be started at ${bin} (${e.code}). ${howToInstallFfmpeg()}`) : e),
      );
    });
    child.on('close', (code, sig) => {
      finish(() => {
        if (code === 0) resolvePromise({ stdout: Buffer.concat(out), stderr: err });
        else reject(new Error(`${name} failed (${code ?? sig}): ${lastLines(err) || 'no error output'}`));
      });
    });
    if (o.input && child.stdin) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(o.input);
    }
  });
}

function lastLines(text: string, n = 3): string {
  return text.trim().split(/\r?\n/).slice(-n).join(' / ').slice(0, 500);
}
