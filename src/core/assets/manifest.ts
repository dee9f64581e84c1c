import * as l10n from '@vscode/l10n';
// The assets manifest, `gendeck.assets.json` (comments allowed): the generated files a project wants, each with the
// provider request that makes it. Read with jsonc-parser (the parser VS Code itself uses), checked with zod; every
// problem carries the offset and length of the text it is about, so the editor can underline it.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute, normalize, resolve, sep } from 'node:path';
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { z } from 'zod';
import type { LaunchInput } from '../jobs/launch';

export const MANIFEST_NAME = 'gendeck.assets.json';
export const LOCK_NAME = 'gendeck.lock.json';
export const MAX_VARIANTS = 8;

/** A path inside the manifest's folder, written with forward slashes: no `..`, not absolute. */
const relativePath = z
  .string()
  .min(1)
  .refine((p) => !isAbsolute(p) && !/^[a-zA-Z]:/.test(p) && !normalize(p).split(/[\\/]/).includes('..'), {
    message: 'A path inside the workspace folder, relative to the manifest (no "..", not absolute).',
  });

export const assetEntrySchema = z
  .object({
    /** The asset's name in the lock, the plan and the CLI's --only. */
    id: z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/,
        'Letters, digits, ".", "_" and "-", starting with a letter or digit.',
      ),
    /** Where the output goes, relative to the manifest. */
    out: relativePath,
    provider: z.string().min(1),
    /** Seedancee2 model (mini, fast, pro …); Seele model. */
    model: z.string().min(1).optional(),
    /** Seele engine (threejs, unity, unreal). */
    engine: z.string().min(1).optional(),
    /** Seisoai tool id. */
    tool: z.string().min(1).optional(),
    /** Seek API worker id. */
    worker: z.string().min(1).optional(),
    prompt: z.string().min(1).optional(),
    /** The provider's own request fields (Seedancee2 input fields; a tool's or worker's input). */
    params: z.record(z.string(), z.unknown()).optional(),
    /** Same as params (a tool's or worker's input, as their schemas name it). */
    input: z.record(z.string(), z.unknown()).optional(),
    /** Local files sent with the request, relative to the manifest; their bytes are part of the spec hash. */
    inputs: z.array(relativePath).max(16).optional(),
    /** Which output to keep when a job makes several: an output's name, label or kind (Seele: "html", "archive" …). */
    artifact: z.string().min(1).optional(),
    variants: z.number().int().min(1).max(MAX_VARIANTS).optional(),
  })
  .strict();

export type AssetEntry = z.infer<typeof assetEntrySchema>;

const manifestSchema = z
  .object({
    $schema: z.string().optional(),
    /** How many assets are made at once (each provider's own rate limits apply below this). */
    concurrency: z.number().int().min(1).max(16).optional(),
    assets: z.array(z.unknown()),
  })
  .strict();

export interface ManifestProblem {
  message: string;
  /** Where in the text (offset, length); the whole file when unknown. */
  offset: number;
  length: number;
  /** The asset it is about, when it is about one. */
  id?: string;
  /** The index of the entry in `assets`. */
  index?: number;
  severity: 'error' | 'warning';
}

export interface ManifestAsset {
  entry: AssetEntry;
  index: number;
  /** The entry's span in the text. */
  offset: number;
  length: number;
}

export interface Manifest {
  assets: ManifestAsset[];
  concurrency?: number;
  problems: ManifestProblem[];
  /** The parse tree, to place a problem found later (by the provider's checks) on its field. */
  tree: Node | undefined;
}

/** A span for a path below `assets[index]`, the deepest node that exists. */
export function spanOf(tree: Node | undefined, path: (string | number)[]): { offset: number; length: number } {
  if (!tree) return { offset: 0, length: 0 };
  for (let n = path.length; n >= 0; n--) {
    const node = findNodeAtLocation(tree, path.slice(0, n));
    if (node) {
      // A property's value node: underline the key and value together.
      const target = node.parent?.type === 'property' ? node.parent : node;
      return { offset: target.offset, length: target.length };
    }
  }
  return { offset: tree.offset, length: tree.length };
}

/** Reads the manifest's text; never throws on bad content, only reports it. */
export function parseManifest(text: string): Manifest {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const problems: ManifestProblem[] = errors.map((e) => ({
    message: l10n.t('Not valid JSON: {0}.', printParseErrorCode(e.error)),
    offset: e.offset,
    length: Math.max(1, e.length),
    severity: 'error',
  }));
  const out: Manifest = { assets: [], problems, tree };
  if (!tree) return out;
  const value = nodeValue(tree);
  const top = manifestSchema.safeParse(value);
  if (!top.success) {
    for (const issue of top.error.issues)
      problems.push({
        message: issueMessage(issue),
        ...spanOf(tree, issue.path as (string | number)[]),
        severity: 'error',
      });
    if (!Array.isArray((value as { assets?: unknown })?.assets)) return out;
  }
  out.concurrency = top.success ? top.data.concurrency : undefined;
  const raw = (value as { assets: unknown[] }).assets;
  const seen = new Map<string, number>();
  raw.forEach((item, index) => {
    const span = spanOf(tree, ['assets', index]);
    const parsed = assetEntrySchema.safeParse(item);
    const id = typeof (item as { id?: unknown })?.id === 'string' ? (item as { id: string }).id : undefined;
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push({
          message: issueMessage(issue),
          ...spanOf(tree, ['assets', index, ...(issue.path as (string | number)[])]),
          id,
          index,
          severity: 'error',
        });
      return;
    }
    const e = parsed.data;
    if (seen.has(e.id)) {
      problems.push({
        message: l10n.t('The id {0} is used twice; each asset needs its own.', e.id),
        ...spanOf(tree, ['assets', index, 'id']),
        id: e.id,
        index,
        severity: 'error',
      });
      return;
    }
    seen.set(e.id, index);
    out.assets.push({ entry: e, index, ...span });
  });
  // Two assets writing one file would overwrite each other.
  const outs = new Map<string, string>();
  for (const a of out.assets) {
    const key = normalize(a.entry.out).toLowerCase();
    const other = outs.get(key);
    if (other)
      problems.push({
        message: l10n.t('{0} writes to the same file as {1}.', a.entry.id, other),
        ...spanOf(tree, ['assets', a.index, 'out']),
        id: a.entry.id,
        index: a.index,
        severity: 'error',
      });
    else outs.set(key, a.entry.id);
  }
  const bad = new Set(problems.filter((p) => p.index !== undefined).map((p) => p.index));
  out.assets = out.assets.filter((a) => !bad.has(a.index));
  return out;
}

function nodeValue(node: Node): unknown {
  switch (node.type) {
    case 'object':
      return Object.fromEntries(
        (node.children ?? [])
          .filter((c) => c.children?.length === 2)
          .map((c) => [c.children![0].value, nodeValue(c.children![1])]),
      );
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

function issueMessage(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  if (issue.code === 'unrecognized_keys') return l10n.t('Unknown field {0}.', issue.keys.join(', '));
  return `${where}${issue.message}`;
}

/** The request an entry stands for, as a launcher takes it (`files` absolute). */
export function launchInputOf(entry: AssetEntry, manifestDir: string): LaunchInput {
  const input: Record<string, unknown> = { ...(entry.params ?? {}), ...(entry.input ?? {}) };
  if (entry.prompt !== undefined) input.prompt = entry.prompt;
  if (entry.model !== undefined) input.model = entry.model;
  if (entry.engine !== undefined) input.engine = entry.engine;
  return {
    target: entry.tool ?? entry.worker,
    input,
    files: entry.inputs?.map((f) => resolveInside(manifestDir, f)),
  };
}

/** `rel` below `dir`; throws when it would leave it (the schema refuses such paths already). */
export function resolveInside(dir: string, rel: string): string {
  const abs = resolve(dir, rel);
  if (abs !== dir && !abs.startsWith(dir.endsWith(sep) ? dir : dir + sep))
    throw new Error(l10n.t('{0} is outside the manifest folder.', rel));
  return abs;
}

/** JSON with keys sorted at every level: the same fields always hash the same. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

export async function sha256File(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

/**
 * The spec hash: every field that decides what is made (not `id` or `out`), and the bytes of each input file. An
 * input file that cannot be read is an error: the asset cannot be made as written.
 */
export async function specHash(entry: AssetEntry, manifestDir: string): Promise<string> {
  const fields: Partial<AssetEntry> = { ...entry };
  delete fields.id;
  delete fields.out;
  const files: { path: string; sha256: string }[] = [];
  for (const f of entry.inputs ?? []) files.push({ path: f, sha256: await sha256File(resolveInside(manifestDir, f)) });
  const text = stableJson({ v: 1, ...fields, variants: entry.variants ?? 1, inputs: files });
  return createHash('sha256').update(text).digest('hex');
}
