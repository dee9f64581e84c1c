import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, dirname, join, resolve } from 'node:path';

/**
 * Where ffmpeg and ffprobe come from, in this order, each tool on its own:
 *  1. the settings: `gendeck.ffmpegPath` (the ffmpeg binary, or a folder holding both) and `gendeck.ffprobePath`
 *     (the ffprobe binary or its folder; empty = beside ffmpeg). A setting that is set but wrong is an error,
 *     never a silent fall-through;
 *  2. PATH;
 *  3. the npm packages `@ffmpeg-installer/ffmpeg` + `@ffprobe-installer/ffprobe`, whose per-platform
 *     packages (`@ffmpeg-installer/linux-x64`, …, each in its own folder) hold the binaries, found in a
 *     `node_modules` at or above one of `searchRoots` (the extension folder, the repository). They are dev
 *     dependencies: the tests use them on a clean machine, and the VSIX does not ship them.
 */
export interface FfmpegResolveOptions {
  /** The `gendeck.ffmpegPath` setting, if any. */
  setting?: string;
  /** The `gendeck.ffprobePath` setting, if any. */
  ffprobeSetting?: string;
  env?: NodeJS.ProcessEnv;
  /** Folders whose `node_modules` (or an ancestor's) may hold the npm binaries. */
  searchRoots?: string[];
  platform?: NodeJS.Platform;
  arch?: string;
  /** What messages call the two settings (the CLI's environment variables); the editor's settings by default. */
  names?: SettingNames;
}

/** The names of the ffmpeg and ffprobe settings, as the user sets them. */
export interface SettingNames {
  ffmpeg: string;
  ffprobe: string;
}

export type ToolSource = 'setting' | 'path' | 'npm';
export type ToolName = 'ffmpeg' | 'ffprobe';

export interface FfmpegTools {
  ffmpeg: string;
  ffprobe: string;
  source: { ffmpeg: ToolSource; ffprobe: ToolSource };
}

/** ffmpeg or ffprobe could not be found or run; the message says how to fix it. */
export class FfmpegMissingError extends Error {
  readonly tool: ToolName;
  constructor(tool: ToolName, message: string) {
    super(message);
    this.name = 'FfmpegMissingError';
    this.tool = tool;
  }
}

export const FFMPEG_SETTING = 'gendeck.ffmpegPath';
export const FFPROBE_SETTING = 'gendeck.ffprobePath';
const SETTINGS: SettingNames = { ffmpeg: FFMPEG_SETTING, ffprobe: FFPROBE_SETTING };

export interface InstallCommand {
  /** The package manager, e.g. "apt". */
  manager: string;
  /** One shell line that installs ffmpeg and ffprobe. */
  command: string;
}

/** Package managers in the order they are preferred on each platform, with the line that installs ffmpeg (ffprobe comes with it). */
const MANAGERS: Record<string, { bin: string; manager: string; command: string; sudo: boolean }[]> = {
  linux: [
    { bin: 'apt-get', manager: 'apt', command: 'apt-get install -y ffmpeg', sudo: true },
    { bin: 'dnf', manager: 'dnf', command: 'dnf install -y ffmpeg-free', sudo: true },
    { bin: 'pacman', manager: 'pacman', command: 'pacman -S --needed --noconfirm ffmpeg', sudo: true },
    { bin: 'zypper', manager: 'zypper', command: 'zypper install -y ffmpeg', sudo: true },
    { bin: 'apk', manager: 'apk', command: 'apk add ffmpeg', sudo: true },
    { bin: 'brew', manager: 'brew', command: 'brew install ffmpeg', sudo: false },
  ],
  darwin: [
    { bin: 'brew', manager: 'brew', command: 'brew install ffmpeg', sudo: false },
    { bin: 'port', manager: 'port', command: 'port install ffmpeg', sudo: true },
  ],
  win32: [
    {
      bin: 'winget',
      manager: 'winget',
      command: 'winget install --id Gyan.FFmpeg -e --accept-source-agreements --accept-package-agreements',
      sudo: false,
    },
    { bin: 'choco', manager: 'choco', command: 'choco install ffmpeg -y', sudo: false },
    { bin: 'scoop', manager: 'scoop', command: 'scoop install ffmpeg', sudo: false },
  ],
};

/**
 * The line that installs ffmpeg with the first package manager found on PATH (apt, dnf, pacman, zypper, apk or
 * brew on Linux; brew or MacPorts on macOS; winget, choco or scoop on Windows), `sudo` added where the manager
 * needs root and we are not root. Undefined when none is found.
 */
export async function ffmpegInstallCommand(
  o: { env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform; isRoot?: boolean } = {},
): Promise<InstallCommand | undefined> {
  const platform = o.platform ?? process.platform;
  const env = o.env ?? process.env;
  const isRoot = o.isRoot ?? (typeof process.getuid === 'function' && process.getuid() === 0);
  for (const m of MANAGERS[platform] ?? []) {
    if (await fromPath(m.bin, env, platform))
      return { manager: m.manager, command: m.sudo && !isRoot ? `sudo ${m.command}` : m.command };
  }
  return undefined;
}

export function howToInstallFfmpeg(platform: NodeJS.Platform = process.platform, names = SETTINGS): string {
  const install =
    platform === 'darwin'
      ? '`brew install ffmpeg`'
      : platform === 'win32'
        ? '`winget install ffmpeg`'
        : "`sudo apt install ffmpeg` (or your distribution's package)";
  return `Install ffmpeg with ${install} so ffmpeg and ffprobe are on PATH, or set "${names.ffmpeg}" to the ffmpeg binary (and "${names.ffprobe}" when ffprobe is elsewhere), then try again.`;
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

/** A tool from a setting that names a binary or a folder; `besideOf` is the ffmpeg setting ffprobe falls back to. */
async function fromSetting(
  tool: ToolName,
  setting: string,
  platform: NodeJS.Platform,
  names: SettingNames,
  besideOf?: string,
): Promise<string> {
  const p = resolve(setting);
  const name = besideOf ? names.ffmpeg : names[tool];
  let candidate: string;
  try {
    const s = await stat(p);
    candidate = s.isDirectory() ? join(p, exe(tool, platform)) : besideOf ? join(dirname(p), exe(tool, platform)) : p;
  } catch {
    throw new FfmpegMissingError(
      tool,
      `"${name}" is set to ${setting}, which does not exist. Point it at the ${besideOf ? 'ffmpeg' : tool} binary or clear it to use ${tool} from PATH.`,
    );
  }
  if (!(await isExecutableFile(candidate, platform))) {
    const hint = besideOf ? ` Set "${names.ffprobe}" when ffprobe is in another folder.` : '';
    throw new FfmpegMissingError(
      tool,
      `${tool} was not found at ${candidate} (from "${name}"), or it is not executable.${hint} ${howToInstallFfmpeg(platform, names)}`,
    );
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

async function fromNpm(
  tool: ToolName,
  roots: string[],
  platform: NodeJS.Platform,
  arch: string,
): Promise<string | undefined> {
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

async function resolveTool(tool: ToolName, o: FfmpegResolveOptions): Promise<{ path: string; source: ToolSource }> {
  const platform = o.platform ?? process.platform;
  const names = o.names ?? SETTINGS;
  const own = (tool === 'ffmpeg' ? o.setting : o.ffprobeSetting)?.trim();
  if (own) return { path: await fromSetting(tool, own, platform, names), source: 'setting' };
  const ffmpegSetting = o.setting?.trim();
  if (tool === 'ffprobe' && ffmpegSetting)
    return { path: await fromSetting(tool, ffmpegSetting, platform, names, ffmpegSetting), source: 'setting' };
  const onPath = await fromPath(tool, o.env ?? process.env, platform);
  if (onPath) return { path: onPath, source: 'path' };
  const npm = await fromNpm(tool, o.searchRoots ?? [], platform, o.arch ?? process.arch);
  if (npm) return { path: npm, source: 'npm' };
  throw new FfmpegMissingError(
    tool,
    `${tool} was not found: video search needs ffmpeg and ffprobe to read frames and audio. Looked at the "${names[tool]}" setting (not set), PATH, and the npm package @${tool}-installer/${platform}-${o.arch ?? process.arch} (not installed). ${howToInstallFfmpeg(platform, names)}`,
  );
}

/** Finds ffmpeg and ffprobe (settings → PATH → npm); throws FfmpegMissingError with how to fix it. */
export async function resolveFfmpeg(o: FfmpegResolveOptions = {}): Promise<FfmpegTools> {
  const [ffmpeg, ffprobe] = await Promise.all([resolveTool('ffmpeg', o), resolveTool('ffprobe', o)]);
  return { ffmpeg: ffmpeg.path, ffprobe: ffprobe.path, source: { ffmpeg: ffmpeg.source, ffprobe: ffprobe.source } };
}

/**
 * Runs `<bin> -version` and checks that it is the tool it claims to be (its first line reads "ffmpeg version …" or
 * "ffprobe version …"). Resolves with that first line; throws FfmpegMissingError naming the file otherwise.
 */
export async function checkTool(tool: ToolName, bin: string, timeoutMs = 15_000): Promise<string> {
  const signal = AbortSignal.timeout(timeoutMs);
  let first: string;
  try {
    const { stdout } = await runTool(bin, ['-version'], { signal, maxStdout: 1 << 20 });
    first = stdout.toString('utf8').split(/\r?\n/)[0].trim();
  } catch (e) {
    if (e instanceof FfmpegMissingError) throw new FfmpegMissingError(tool, e.message);
    const why = signal.aborted
      ? `did not answer within ${timeoutMs / 1000} s`
      : e instanceof Error
        ? e.message
        : String(e);
    throw new FfmpegMissingError(
      tool,
      `${bin} is not a working ${tool}: \`${tool} -version\` ${signal.aborted ? why : `failed (${why})`}.`,
    );
  }
  if (!new RegExp(`^${tool} version\\b`, 'i').test(first)) {
    throw new FfmpegMissingError(tool, `${bin} is not ${tool}: \`-version\` printed "${first.slice(0, 120)}".`);
  }
  return first;
}

/** Finds both tools and checks that each runs (`-version`); the versions come back with them. */
export async function resolveWorkingFfmpeg(
  o: FfmpegResolveOptions = {},
): Promise<FfmpegTools & { versions: { ffmpeg: string; ffprobe: string } }> {
  const tools = await resolveFfmpeg(o);
  const [ffmpeg, ffprobe] = await Promise.all([checkTool('ffmpeg', tools.ffmpeg), checkTool('ffprobe', tools.ffprobe)]);
  return { ...tools, versions: { ffmpeg, ffprobe } };
}

export interface RunResult {
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs a tool with arguments (never a shell), collecting stdout as bytes. Kills it when `signal` aborts.
 * `input` is written to stdin. A non-zero exit rejects with the tail of stderr.
 */
export function runTool(
  bin: string,
  args: string[],
  o: { signal?: AbortSignal; input?: Uint8Array; maxStdout?: number } = {},
): Promise<RunResult> {
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
        reject(
          e.code === 'ENOENT' || e.code === 'EACCES'
            ? new FfmpegMissingError(
                name === 'ffprobe' ? 'ffprobe' : 'ffmpeg',
                `${name} could not be started at ${bin} (${e.code}). ${howToInstallFfmpeg()}`,
              )
            : e,
        ),
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
