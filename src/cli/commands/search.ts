// `gendeck index DIR` and `gendeck search "query" [DIR]`: the editor's video index (core/search VideoIndex) over
// one folder, kept in the state folder (sandbox vectors apart from the real service's), never in DIR.
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { stateDir } from '../../core/fs/stateDir';
import { resolveWorkingFfmpeg, type FfmpegTools } from '../../core/search/ffmpeg';
import { VideoIndex, type UpdateStats } from '../../core/search/index';
import { formatRange } from '../../core/search/moments';
import { indexScope } from '../../core/search/scope';
import { list, num, positionals, UsageError } from '../args';
import type { Command, Context } from '../command';
import { EXIT } from '../exit';
import { table } from '../output';
import { requireKey, withHeadless } from '../session';
import type { Headless } from '../services';
import { DEFAULT_DOWNLOADS } from './jobs';

/** The videos the editor indexes by default (gendeck.search.include). */
const INCLUDE = '**/*.{mp4,mov,m4v,webm,mkv,avi}';
const VIDEO = /\.(mp4|mov|m4v|webm|mkv|avi)$/i;
/** As many files as the editor's search looks at in one folder. */
const MAX_FILES = 50_000;
/** ffmpeg and ffprobe for the CLI: these variables (a binary or a folder), then PATH, then the npm packages. */
const FFMPEG_VARS = { ffmpeg: 'GENDECK_FFMPEG', ffprobe: 'GENDECK_FFPROBE' };

/** `DIR` as an existing folder, absolute. */
async function folderArg(dir: string): Promise<string> {
  const root = resolve(dir);
  if (!(await stat(root).catch(() => undefined))?.isDirectory()) throw new UsageError(`${dir} is not a folder.`);
  return root;
}

/** Where the index of `root` lives: <state dir>/search/<sandbox|live>/<hash of the folder's path>. */
function indexFor(c: Context, h: Headless, root: string): VideoIndex {
  const id = createHash('sha256').update(root).digest('hex').slice(0, 16);
  const dir = join(stateDir(c.env), 'search', h.sandbox ? 'sandbox' : 'live', id);
  return new VideoIndex({ dir, root, log: h.log });
}

/** The videos below `root` the index takes (no node_modules or .git, no downloads folder); links are not followed. */
async function videosBelow(root: string): Promise<string[]> {
  const inScope = indexScope(root, { downloadFolder: DEFAULT_DOWNLOADS, include: INCLUDE });
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (found.length >= MAX_FILES) return;
      const p = join(dir, e.name);
      if (e.isDirectory() && inScope(join(p, 'x.mp4'))) await walk(p);
      else if (e.isFile() && VIDEO.test(e.name) && inScope(p)) found.push(p);
    }
  };
  await walk(root);
  return found.sort();
}

function ffmpeg(c: Context): Promise<FfmpegTools> {
  return resolveWorkingFfmpeg({
    setting: c.env[FFMPEG_VARS.ffmpeg],
    ffprobeSetting: c.env[FFMPEG_VARS.ffprobe],
    env: c.env as NodeJS.ProcessEnv,
    searchRoots: [join(__dirname, '..'), process.cwd()],
    names: FFMPEG_VARS,
  });
}

function summary(s: UpdateStats): string {
  const parts = [`${s.files} videos`];
  const counts: [number, string][] = [
    [s.embedded, 'indexed'],
    [s.renamed, 'renamed'],
    [s.copied, 'copies'],
    [s.retagged, 'tagged'],
    [s.removed, 'removed'],
    [s.unchanged, 'unchanged'],
    [s.failed.length, 'failed'],
  ];
  for (const [n, what] of counts) if (n) parts.push(`${n} ${what}`);
  return parts.join(', ');
}

export const index: Command = {
  name: 'index',
  summary: 'index the videos below DIR for search (Seeknetic; ffmpeg reads them locally)',
  usage: 'gendeck index DIR [--concurrency N] [--no-tags] [--sandbox] [--json]',
  help: `Brings the search index of DIR up to date, as the editor's "Index Workspace Videos": unchanged videos are
skipped, renamed ones keep their vectors, deleted ones are swept. Each new video is read with ffmpeg (12 frames at
224×224 and 10 s of audio), uploaded to Seeknetic as tensors, embedded and tagged. The index lives in
<state dir>/search/, never in DIR. Videos: ${INCLUDE}, not in node_modules, .git or ${DEFAULT_DOWNLOADS}.
  --concurrency N   videos processed at once (default 2)
  --no-tags         embeddings only, no tags
ffmpeg and ffprobe: ${FFMPEG_VARS.ffmpeg} / ${FFMPEG_VARS.ffprobe} (a binary or its folder), else PATH, else the npm
packages @ffmpeg-installer/ffmpeg and @ffprobe-installer/ffprobe. Exits 1 when a video could not be indexed.`,
  options: { concurrency: { type: 'string' }, 'no-tags': { type: 'boolean' } },
  async run(c) {
    const { DIR: dir } = positionals('index', c.args, ['DIR']);
    const root = await folderArg(dir!);
    const concurrency = num(c.values, 'concurrency', { integer: true, min: 1 });
    return withHeadless(c, async (h) => {
      requireKey(h, 'seeknetic');
      const tools = await ffmpeg(c);
      const idx = indexFor(c, h, root);
      try {
        await idx.load();
        const files = await videosBelow(root);
        const policy = h.providers.seeknetic.pollPolicy;
        const stats = await idx.update(files, {
          embedder: h.providers.seeknetic,
          tools,
          signal: c.signal,
          concurrency,
          tagging: c.values['no-tags'] !== true,
          embedOptions: { pollMs: policy.minMs * h.pollScale, maxPollMs: policy.maxMs * h.pollScale },
          onProgress: (p) =>
            c.out.progress(
              p.phase === 'scanning'
                ? `Checking ${files.length} videos…`
                : `${p.done} of ${p.total}${p.rel ? ` · ${p.rel}` : ''}`,
            ),
        });
        c.out.clear();
        for (const f of stats.failed) c.out.note(`gendeck: not indexed: ${f.rel}: ${f.message}`);
        if (c.global.json) c.out.object({ root, index: idx.dir, videos: idx.size, ...stats });
        c.out.line(`${root}: ${summary(stats)}.`);
        return stats.failed.length ? EXIT.jobFailed : EXIT.ok;
      } finally {
        c.out.clear();
        await idx.dispose();
      }
    });
  },
};

/** `--tag family=label`, repeated: a hit has one of the labels of every family named. */
function tagFilter(values: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of values) {
    const m = /^([^=]+)=(.+)$/.exec(t);
    if (!m) throw new UsageError(`--tag takes family=label (e.g. shot_size=close_up), not "${t}".`);
    (out[m[1].trim()] ??= []).push(m[2].trim());
  }
  return out;
}

export const search: Command = {
  name: 'search',
  summary: 'search the indexed videos of DIR (default: the current folder)',
  usage: 'gendeck search "QUERY" [DIR] [--limit N] [--tag FAMILY=LABEL]… [--sandbox] [--json]',
  help: `Encodes the query with Seeknetic once and ranks the videos of DIR's index by cosine similarity (exact top-k).
  --limit N              at most N results (default 20)
  --tag FAMILY=LABEL     only videos tagged LABEL in FAMILY (shot_size, camera_movement, shooting_angle); repeat
                         it to accept several labels or filter on several families
Index DIR first with gendeck index DIR (in the same mode: sandbox or real).`,
  options: { limit: { type: 'string' }, tag: { type: 'string', multiple: true } },
  async run(c) {
    const { QUERY: query, DIR: dir } = positionals('search', c.args, ['QUERY'], ['DIR']);
    if (!query!.trim()) throw new UsageError('The query is empty.');
    const root = await folderArg(dir ?? '.');
    const k = num(c.values, 'limit', { integer: true, min: 1 }) ?? 20;
    const tags = tagFilter(list(c.values, 'tag'));
    return withHeadless(c, async (h) => {
      const idx = indexFor(c, h, root);
      try {
        await idx.load();
        if (!idx.size)
          throw new UsageError(
            `${root} has no ${h.sandbox ? 'sandbox ' : ''}index yet: run gendeck index ${dir ?? '.'}${h.sandbox ? ' --sandbox' : ''} first.`,
          );
        requireKey(h, 'seeknetic');
        const { vector } = await h.providers.seeknetic.encodeQuery(query!, c.signal);
        const hits = await idx.search(vector, { k, tags });
        if (c.global.json)
          for (const hit of hits)
            c.out.object({
              path: hit.path,
              rel: hit.entry.rel,
              score: hit.score,
              duration: hit.entry.duration,
              start: hit.entry.start,
              end: hit.entry.end,
              tags: hit.entry.tags,
              thumbnail: hit.thumbnail,
            });
        if (!hits.length) c.out.note('gendeck: no video matches.');
        table(
          hits.map((hit) => [
            hit.score.toFixed(3),
            relative(process.cwd(), hit.path) || hit.path,
            // The moment for a video indexed as windows, else its length.
            hit.entry.start > 0 || (hit.entry.duration !== undefined && hit.entry.end < hit.entry.duration - 1e-3)
              ? formatRange(hit.entry.start, hit.entry.end)
              : hit.entry.duration !== undefined
                ? `${hit.entry.duration.toFixed(1)} s`
                : '',
            Object.values(hit.entry.tags).flat().join(', '),
          ]),
        ).forEach((l) => c.out.line(l));
        return EXIT.ok;
      } finally {
        await idx.dispose();
      }
    });
  },
};
