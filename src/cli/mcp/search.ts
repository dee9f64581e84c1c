// Video search for agents: the same VideoIndex as the editor's (core/search), one per folder, kept in the state folder
// (sandbox and real vectors apart), ffmpeg found as the editor finds it (GENDECK_FFMPEG_PATH / GENDECK_FFPROBE_PATH,
// PATH, the npm binaries).
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { z } from 'zod';
import { stateDir } from '../../core/fs/stateDir';
import { resolveWorkingFfmpeg, type FfmpegTools } from '../../core/search/ffmpeg';
import { VideoIndex, type UpdateStats } from '../../core/search/index';
import { formatRange } from '../../core/search/moments';
import { fileLink } from './jobs';
import type { McpSession } from './session';
import { Refused, type ToolDef } from './toolkit';

const VIDEO_EXTENSIONS = new Set(['.mp4', '.webm', '.mov', '.m4v', '.mkv']);
const SKIPPED = new Set(['node_modules', '.git']);
const MAX_FILES = 50_000;

async function findVideos(dir: string, out: string[] = []): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (out.length >= MAX_FILES) break;
    const p = join(dir, e.name);
    if (e.isDirectory() && !SKIPPED.has(e.name) && !e.name.startsWith('.')) await findVideos(p, out);
    else if (e.isFile() && VIDEO_EXTENSIONS.has(extname(e.name).toLowerCase())) out.push(p);
  }
  return out;
}

export function summarizeStats(s: UpdateStats): string {
  const parts = [`${s.files} videos`];
  if (s.embedded) parts.push(`${s.embedded} indexed`);
  if (s.renamed) parts.push(`${s.renamed} renamed`);
  if (s.copied) parts.push(`${s.copied} copies`);
  if (s.retagged) parts.push(`${s.retagged} tagged`);
  if (s.removed) parts.push(`${s.removed} removed`);
  if (s.unchanged) parts.push(`${s.unchanged} unchanged`);
  if (s.failed.length) parts.push(`${s.failed.length} failed`);
  return parts.join(', ');
}

/** The folder's index and ffmpeg, each made once per server. */
export class HeadlessVideoSearch {
  private readonly indexes = new Map<string, VideoIndex>();
  private tools: Promise<FfmpegTools> | undefined;
  /** Hosts the user agreed to send frames to (asked once per server, outside the sandbox). */
  readonly consented = new Set<string>();

  constructor(
    private readonly s: McpSession,
    private readonly timeScale = 1,
  ) {}

  ffmpeg(): Promise<FfmpegTools> {
    const env = this.s.h.env;
    this.tools ??= resolveWorkingFfmpeg({
      setting: env.GENDECK_FFMPEG_PATH || undefined,
      ffprobeSetting: env.GENDECK_FFPROBE_PATH || undefined,
      searchRoots: [join(__dirname, '..'), process.cwd()],
    });
    this.tools.catch(() => (this.tools = undefined));
    return this.tools;
  }

  async index(folder: string): Promise<VideoIndex> {
    const mode = this.s.sandbox ? 'sandbox' : 'live';
    const id = createHash('sha256').update(folder).digest('hex').slice(0, 16);
    const dir = join(stateDir(this.s.h.env), 'search', mode, id);
    let index = this.indexes.get(dir);
    if (!index) {
      index = new VideoIndex({ dir, root: folder, log: this.s.log });
      await index.load();
      this.indexes.set(dir, index);
    }
    return index;
  }

  async update(
    folder: string,
    o: { signal: AbortSignal; onProgress: (done: number, total: number, rel?: string) => void },
  ) {
    const tools = await this.ffmpeg();
    const index = await this.index(folder);
    const files = await findVideos(folder);
    const policy = this.s.h.providers.seeknetic.pollPolicy;
    const scale = this.s.sandbox ? Math.min(1, this.timeScale) : 1;
    const stats = await index.update(files, {
      embedder: this.s.h.providers.seeknetic,
      tools,
      signal: o.signal,
      embedOptions: { pollMs: Math.max(10, policy.minMs * scale), maxPollMs: Math.max(20, policy.maxMs * scale) },
      onProgress: (p) => p.phase === 'indexing' && o.onProgress(p.done, p.total, p.rel),
    });
    return { index, stats };
  }

  async dispose(): Promise<void> {
    for (const i of this.indexes.values()) await i.dispose();
  }
}

export function searchTools(s: McpSession, search: HeadlessVideoSearch): ToolDef<unknown>[] {
  const folderField = z
    .string()
    .optional()
    .describe("The folder whose videos are indexed, inside the server's folder (default: the server's folder itself).");
  const indexIn = z.strictObject({ folder: folderField });
  const indexOut = z.object({
    folder: z.string(),
    indexed: z.number().int(),
    files: z.number().int(),
    embedded: z.number().int(),
    unchanged: z.number().int(),
    renamed: z.number().int(),
    removed: z.number().int(),
    failed: z.array(z.object({ file: z.string(), message: z.string() })),
  });
  const indexVideos: ToolDef<z.infer<typeof indexIn>> = {
    name: 'index_videos',
    title: 'Index the videos of a folder',
    description:
      'Builds or updates the semantic search index of the videos in a folder (mp4, webm, mov, m4v, mkv): 12 small frames and 10 s of audio of each new or changed video are sent to Seeknetic for a vector and tags; the index stays on this machine. Unchanged files are skipped. Needs ffmpeg. Sends progress notifications.',
    input: indexIn,
    output: indexOut,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    run: async (a, ctx) => {
      const folder = s.inside(a.folder, '.');
      await search.ffmpeg(); // missing ffmpeg is said before anything is read or sent
      if (!s.sandbox && ctx.canElicit) {
        const host = new URL(s.h.providers.seeknetic.http.resolveUrl('/').href).host;
        if (!search.consented.has(host)) {
          const ok = await ctx.confirm(
            `Indexing sends 12 small frames (224×224) and the first 10 s of audio of every new video in ${folder} to Seeknetic (${host}) to compute search vectors and tags. The index itself stays on this machine. Accept to index.`,
          );
          if (!ok) throw new Refused('The user declined sending video frames to Seeknetic. Nothing was sent.');
          search.consented.add(host);
        }
      }
      const { index, stats } = await search.update(folder, {
        signal: ctx.signal,
        onProgress: (done, total, rel) =>
          void ctx.progress(`${done} of ${total}${rel ? ` · ${rel}` : ''}`, done, total),
      });
      return {
        structured: {
          folder,
          indexed: index.size,
          files: stats.files,
          embedded: stats.embedded,
          unchanged: stats.unchanged,
          renamed: stats.renamed,
          removed: stats.removed,
          failed: stats.failed.map((f) => ({ file: f.rel, message: f.message })),
        },
        text: `Index of ${folder}: ${summarizeStats(stats)}; ${index.size} videos searchable.${stats.failed.length ? `\nNot indexed: ${stats.failed.map((f) => `${f.rel}: ${f.message}`).join('; ')}` : ''}`,
      };
    },
  };

  const searchIn = z.strictObject({
    query: z.string().min(1).describe('What the video shows, in words.'),
    folder: folderField,
    k: z.number().int().min(1).max(50).optional().describe('At most this many hits (default 10).'),
    tags: z
      .record(z.string(), z.array(z.string()))
      .optional()
      .describe('Tag filters: family (shot_size, camera_movement, shooting_angle) → accepted labels.'),
  });
  const searchOut = z.object({
    folder: z.string(),
    hits: z.array(
      z.object({
        path: z.string(),
        file: z.string(),
        /** The matching moment (window) of the video, seconds. */
        start: z.number(),
        end: z.number(),
        score: z.number(),
        tags: z.record(z.string(), z.array(z.string())),
        thumbnail: z.string().optional(),
      }),
    ),
  });
  const searchVideos: ToolDef<z.infer<typeof searchIn>> = {
    name: 'search_videos',
    title: 'Search videos by meaning',
    description:
      'Finds the indexed videos of a folder closest to a text query (exact cosine top-k over the local index; index_videos first). Returns paths, scores, tags and file:// links.',
    input: searchIn,
    output: searchOut,
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    run: async (a, ctx) => {
      const folder = s.inside(a.folder, '.');
      const index = await search.index(folder);
      if (!index.size) throw new Refused(`No video of ${folder} is indexed yet: call index_videos first.`);
      const { vector } = await s.h.providers.seeknetic.encodeQuery(a.query, ctx.signal);
      const hits = (await index.search(vector, { k: a.k ?? 10, tags: a.tags })).map((h) => ({
        path: h.path,
        file: h.entry.rel,
        start: h.entry.start,
        end: h.entry.end,
        score: Math.round(h.score * 10000) / 10000,
        tags: h.entry.tags,
        thumbnail: h.thumbnail,
      }));
      return {
        structured: { folder, hits },
        text: hits.length
          ? hits.map((h, i) => `${i + 1}. ${h.file} ${formatRange(h.start, h.end)} (score ${h.score})`).join('\n')
          : 'No video matches those tags.',
        links: hits.map((h) => fileLink(s, h.path, { description: `score ${h.score}` })),
      };
    },
  };
  return [indexVideos, searchVideos];
}
