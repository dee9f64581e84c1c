// Every message between the extension host and its webview pages: the preview, the Search view and the schema
// form. Per page `<Page>ToHost` is a zod schema (and the type inferred from it): the host parses each inbound
// message with it (see ./messages.ts). `HostTo<Page>` is a type only: the pages trust their host frame (see
// webview-ui/dom.ts onHostMessage) and import this module with `import type`, so zod stays out of their bundles.
import { z } from 'zod';
import type { MediaKind, SchemaForm } from '../core/forms/schemaForm';

/** Caps on inbound strings: far above any real value, low enough that nothing huge reaches a sink. */
export const LIMITS = {
  /** A job key (`provider:id`). */
  key: 512,
  /** A URL opened in the browser. */
  url: 8192,
  /** Clipboard text: a job's raw response, pretty-printed (the HTTP client reads at most 16 MiB of JSON). */
  clipboard: 32 * 1024 * 1024,
  /** A search query. */
  query: 4096,
  /** A schema field name, a tag family or a tag label. */
  name: 256,
  /** Tag families, and labels per family, in a search filter. */
  tags: 256,
} as const;

const index = z.int().nonnegative();
const name = z.string().max(LIMITS.name);
/** A plain object (not an array, not null), as today's form values are. */
const values = z.record(z.string(), z.unknown());

// ---- Request / reply --------------------------------------------------------------------------------------------

/** The id a page gives a request; the host's `reply` carries it back. */
const requestId = index;

/**
 * The host's answer to the page request with the same `id`: the value, or why there is none (with the field
 * errors when the provider named fields). The host answers every request exactly once.
 */
export type Reply<T = unknown> =
  | { type: 'reply'; id: number; ok: true; value: T }
  | { type: 'reply'; id: number; ok: false; message: string; fields?: Record<string, string> };

/** The members of a page's `<Page>ToHost` union that are requests: those that carry an id. */
export type RequestOf<M> = Extract<M, { id: number }>;

// ---- Preview (webview-ui/main.ts ↔ previewPanel.ts) -------------------------------------------------------------

export interface PreviewOutput {
  kind: string;
  label: string;
  /** A URL the webview may load (media, images), already mapped for the webview. */
  src?: string;
  /** Poster image for a video, when the job has one. */
  poster?: string;
  /** The provider's URL, shown as text and offered as a link out. */
  url?: string;
  /** Set when the output may be shown in an iframe (https on the provider's hosts, or the sandbox). */
  frameSrc?: string;
  /** Inline text or JSON value. */
  text?: string;
  /** The provider's description of the output (e.g. a Seele artifact's), shown as text. */
  description?: string;
  /** Where the output's local copy is (workspace-relative), once it has one. */
  saved?: string;
  /** Whether it can become a file (it has a URL or a value): Save As, Copy Reference. */
  canSave: boolean;
  /** Served by the sandbox, which is off: not shown (no broken media), said so instead. */
  offline?: boolean;
  index: number;
}

export interface PreviewJob {
  key: string;
  provider: string;
  title: string;
  kind: string;
  status: string;
  /** The status as the views word it (the host's translation). */
  statusLabel: string;
  remoteStatus?: string;
  progress?: string;
  /** The provider's summary of a finished job (Seele). */
  summary?: string;
  cost?: string;
  error?: string;
  /** The full prompt, when it says more than the title. */
  prompt?: string;
  /** Parameters as "name value" (model, duration, resolution, ratio, engine, tool, worker …). */
  params: string[];
  createdAt: string;
  finishedAt?: string;
  webUrl?: string;
  sandbox: boolean;
  /** A sandbox job while the sandbox is off. */
  offline?: boolean;
  outputs: PreviewOutput[];
  steps: { prompt: string; state: string; stateLabel: string; id?: string }[];
  /** The provider's last raw response, pretty-printed. */
  raw: string;
  canRetry: boolean;
}

/** What the preview keeps across reloads (via getState/setState and the serializer). */
export interface PreviewState {
  key: string;
}

export type HostToPreview = { type: 'show'; job: PreviewJob } | { type: 'missing'; key: string };

const jobKey = z.string().min(1).max(LIMITS.key);

/** What the preview can do with an output's file: open its local copy, or the Jobs view's output commands. */
export const OUTPUT_ACTIONS = ['open', 'saveAs', 'copyPath', 'copyReference', 'reveal'] as const;

export const PreviewToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('download'), key: jobKey, index: index.optional() }),
  z.object({ type: z.literal('retry'), key: jobKey }),
  z.object({ type: z.literal('startSandbox') }),
  // The host opens http(s) URLs only (previewPanel.ts).
  z.object({ type: z.literal('openExternal'), url: z.string().max(LIMITS.url) }),
  z.object({ type: z.literal('copy'), text: z.string().max(LIMITS.clipboard) }),
  // What to do with one output's file (the same commands as on the Jobs view's output rows).
  z.object({ type: z.literal('output'), key: jobKey, index, action: z.enum(OUTPUT_ACTIONS) }),
]);
export type PreviewToHost = z.infer<typeof PreviewToHost>;

// ---- Search view (webview-ui/search.ts ↔ views/searchView.ts) ---------------------------------------------------

export interface SearchResultView {
  /** Index into the last result list; the host maps it back to a window of a file (the webview never names paths). */
  id: number;
  /** Path relative to its workspace folder (with the folder name when several are open). */
  name: string;
  /** Cosine similarity, −1 … 1 (shown in the label's tooltip). */
  score: number;
  /** Where the score sits among the query's other scores. */
  label: 'strong' | 'good' | 'weak';
  /** Below `gendeck.search.minScore`: behind "Show weaker matches". */
  weaker: boolean;
  /** "0:10–0:20": the moment, when the file is indexed as several windows. */
  range?: string;
  /** family → labels (shot_size, camera_movement, shooting_angle, …). */
  tags: Record<string, string[]>;
  /** A webview URI of the thumbnail JPEG. */
  thumbnail?: string;
  duration?: number;
}

export interface SearchStatusView {
  indexed: number;
  /** Windows of those videos (a short video is one). */
  moments?: number;
  folders: number;
  sandbox: boolean;
  /** "Indexing 3 of 10 · clip.mp4", when a run is going. */
  progress?: string;
  /** True when the run can be cancelled from the view (a background run or the command's). */
  busy: boolean;
  tags: Record<string, string[]>;
  /** Set when ffmpeg or ffprobe is missing: why, and the install line for this machine if one is known. */
  missingTools?: { message: string; install?: { manager: string; command: string } };
}

export type HostToSearch =
  | { type: 'status'; status: SearchStatusView }
  /** Hits grouped per file, best file first, each file's moments best first. `similar`: the query was a moment. */
  | { type: 'results'; query: string; groups: { name: string; results: SearchResultView[] }[]; similar?: boolean }
  | { type: 'searching'; query: string }
  | { type: 'error'; message: string }
  /** The results shown belong to another index (the sandbox was turned on or off): drop them. */
  | { type: 'clearResults' }
  /** The "Search Videos…" command filled in a query. */
  | { type: 'setQuery'; query: string };

/** family → labels; a family or label count above the cap is refused. */
const tagFilter = z
  .record(name, z.array(name).max(LIMITS.tags))
  .refine((t) => Object.keys(t).length <= LIMITS.tags, 'too many tag families');

export const SearchToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('search'), query: z.string().max(LIMITS.query), tags: tagFilter }),
  z.object({ type: z.literal('open'), id: index }),
  z.object({ type: z.literal('similar'), id: index }),
  z.object({ type: z.literal('index') }),
  z.object({ type: z.literal('cancel') }),
  // The ffmpeg banner's buttons.
  z.object({ type: z.literal('installFfmpeg') }),
  z.object({ type: z.literal('locateFfmpeg') }),
  z.object({ type: z.literal('checkFfmpeg') }),
]);
export type SearchToHost = z.infer<typeof SearchToHost>;

// ---- Schema form (webview-ui/form/* ↔ formPanel.ts) -------------------------------------------------------------

export interface FileRefInfo {
  /** An opaque `gendeck-file:` reference (./fileRef.ts) to a file the host read. */
  ref: string;
  name: string;
  bytes: number;
  kind: MediaKind;
  mime: string;
}

export interface FormInit {
  title: string;
  /** One line under the title (tool id, category …). */
  subtitle?: string;
  description?: string;
  form: SchemaForm;
  values: Record<string, unknown>;
  submitLabel: string;
  /** Largest inline file, so the page can say so. */
  maxInlineBytes: number;
  /** Short tags: "queue", "pays with x402" … */
  badges?: string[];
  /** Runs against the sandbox: the page adds its own marked badge. */
  sandbox?: boolean;
  /** Lines shown above the submit button (what happens when it is pressed). */
  notes?: string[];
  /** Whether the host computes a price for the current values. */
  priced: boolean;
}

/** The form page's state kept across a hide/show. */
export interface FormState {
  values: Record<string, unknown>;
}

export type HostToForm = { type: 'init'; init: FormInit; files: FileRefInfo[] } | Reply;

const mediaKind = z.enum(['image', 'video', 'audio']) satisfies z.ZodType<MediaKind>;

export const FormToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('cancel') }),
  // Requests (each answered by a Reply, see FormAnswers). Values may name local files by reference only.
  z.object({ type: z.literal('price'), id: requestId, values }),
  z.object({
    type: z.literal('pickFile'),
    id: requestId,
    field: name.min(1),
    kinds: z.array(mediaKind).min(1).max(3),
    index: index.optional(),
  }),
  z.object({ type: z.literal('submit'), id: requestId, values }),
]);
export type FormToHost = z.infer<typeof FormToHost>;

/** What the host answers each form request with: the price line, the file picked (null: none), the result line. */
export interface FormAnswers {
  price: string;
  pickFile: FileRefInfo | null;
  submit: string;
}
