// Messages between the extension host and the preview webview. Shared by both bundles.

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
  index: number;
}

export interface PreviewJob {
  key: string;
  provider: string;
  title: string;
  kind: string;
  status: string;
  remoteStatus?: string;
  progress?: string;
  /** The provider's summary of a finished job (Seele). */
  summary?: string;
  cost?: string;
  error?: string;
  createdAt: string;
  finishedAt?: string;
  webUrl?: string;
  sandbox: boolean;
  outputs: PreviewOutput[];
  steps: { prompt: string; state: string; id?: string }[];
  /** The provider's last raw response, pretty-printed. */
  raw: string;
  canRetry: boolean;
}

export type ToWebview = { type: 'show'; job: PreviewJob } | { type: 'missing'; key: string };

export type FromWebview =
  | { type: 'ready' }
  | { type: 'download'; key: string; index?: number }
  | { type: 'retry'; key: string }
  | { type: 'openExternal'; url: string }
  | { type: 'copy'; text: string };

/** What the webview keeps across reloads (via getState/setState and the serializer). */
export interface PreviewState {
  key: string;
}

export function isFromWebview(v: unknown): v is FromWebview {
  if (!v || typeof v !== 'object') return false;
  const m = v as { type?: unknown; key?: unknown; url?: unknown; text?: unknown };
  switch (m.type) {
    case 'ready':
      return true;
    case 'download':
    case 'retry':
      return typeof m.key === 'string';
    case 'openExternal':
      return typeof m.url === 'string';
    case 'copy':
      return typeof m.text === 'string';
    default:
      return false;
  }
}
