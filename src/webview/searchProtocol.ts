// Messages between the extension host and the Search view (webview view `gendeck.search`). Shared by both bundles.

export interface SearchResultView {
  /** Index into the last result list; the host maps it back to a file (the webview never names paths). */
  id: number;
  /** Path relative to its workspace folder (with the folder name when several are open). */
  name: string;
  /** Cosine similarity, −1 … 1. */
  score: number;
  /** family → labels (shot_size, camera_movement, shooting_angle, …). */
  tags: Record<string, string[]>;
  /** A webview URI of the thumbnail JPEG. */
  thumbnail?: string;
  duration?: number;
}

export interface SearchStatusView {
  indexed: number;
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

export type ToSearchView =
  | { type: 'status'; status: SearchStatusView }
  | { type: 'results'; query: string; results: SearchResultView[] }
  | { type: 'searching'; query: string }
  | { type: 'error'; message: string }
  /** The "Search Videos…" command filled in a query. */
  | { type: 'setQuery'; query: string };

export type FromSearchView =
  | { type: 'ready' }
  | { type: 'search'; query: string; tags: Record<string, string[]> }
  | { type: 'open'; id: number }
  | { type: 'index' }
  | { type: 'cancel' }
  /** The ffmpeg banner's buttons. */
  | { type: 'installFfmpeg' }
  | { type: 'locateFfmpeg' }
  | { type: 'checkFfmpeg' };

export function isFromSearchView(v: unknown): v is FromSearchView {
  if (!v || typeof v !== 'object') return false;
  const m = v as { type?: unknown; query?: unknown; tags?: unknown; id?: unknown };
  switch (m.type) {
    case 'ready':
    case 'index':
    case 'cancel':
    case 'installFfmpeg':
    case 'locateFfmpeg':
    case 'checkFfmpeg':
      return true;
    case 'search':
      return (
        typeof m.query === 'string' &&
        !!m.tags &&
        typeof m.tags === 'object' &&
        Object.values(m.tags as Record<string, unknown>).every(
          (l) => Array.isArray(l) && l.every((x) => typeof x === 'string'),
        )
      );
    case 'open':
      return typeof m.id === 'number' && Number.isInteger(m.id);
    default:
      return false;
  }
}
