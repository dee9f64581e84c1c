import type { OutputKind } from '../jobs/job';
import { outputKind } from './kinds';

// Provider results with no fixed shape (Seisoai tools, Seek API workers) are walked for what they
// hold: media URLs, { url, content_type, file_name } objects and text fields.

/**
 * Where a find sits: `key` is the key it is under, numbered when its array holds several ("images 2");
 * `path` is its JSON path ("images[1]").
 */
interface Place {
  key: string;
  path: string;
}
interface FoundUrl extends Place {
  url: string;
  /** From the content type, the URL, the file name, and with `keyHints` the key; undefined when none says. */
  kind: OutputKind | undefined;
  name?: string;
}
interface FoundText extends Place {
  text: string;
}
export type Found = FoundUrl | FoundText;

export interface WalkOptions {
  /** Let the key a URL sits under type it ("audio_file" → audio) when nothing stronger does. */
  keyHints?: boolean;
}

const MAX_DEPTH = 8;
/** Items read from each array. */
const MAX_ITEMS = 100;
/** The fields that make an object one media item: { url, content_type, file_name }. */
const URL_KEYS = ['url', 'uri', 'href', 'download_url', 'downloadUrl'];
const CONTENT_TYPE_KEYS = ['content_type', 'contentType', 'mime_type', 'mimeType', 'type'];
const FILE_NAME_KEYS = ['file_name', 'fileName', 'filename', 'name'];
const TEXT_KEYS = /^(text|texts|transcript|transcription|captions?|lyrics|content|output_text|description)$/i;

const isString = (v: unknown): v is string => typeof v === 'string';
const isUrl = (v: unknown): boolean =>
  isString(v) && (/^https?:\/\//i.test(v) ? v.length <= 4096 : /^data:[a-z]+\//i.test(v));

/** Every URL (once) and every non-empty text field in a result, in document order. */
export function walkResult(result: unknown, o: WalkOptions = {}): Found[] {
  const found: Found[] = [];
  const seen = new Set<string>();
  const add = (id: string, f: Found) => {
    if (seen.has(id)) return;
    seen.add(id);
    found.push(f);
  };
  // Beneath a media object texts describe it and are not outputs of their own; its other URLs still are.
  const walk = (v: unknown, key: string, at: Place, depth: number, inMedia = false): void => {
    if (depth > MAX_DEPTH || v === null || v === undefined) return;
    const words = o.keyHints ? key : undefined;
    if (isString(v)) {
      if (isUrl(v)) add(v, { ...at, url: v, kind: outputKind({ url: v, words }) });
      else if (!inMedia && TEXT_KEYS.test(key) && v.trim()) add(v, { ...at, text: v });
      return;
    }
    if (Array.isArray(v)) {
      const items = v.slice(0, MAX_ITEMS);
      items.forEach((item, i) => {
        const place = { key: items.length > 1 ? `${at.key} ${i + 1}`.trim() : at.key, path: `${at.path}[${i}]` };
        walk(item, key, place, depth + 1, inMedia);
      });
      return;
    }
    if (typeof v !== 'object') return;
    const obj = v as Record<string, unknown>;
    const urlKey = URL_KEYS.find((k) => isUrl(obj[k]));
    let rest = Object.entries(obj);
    if (urlKey) {
      const url = obj[urlKey] as string;
      const contentType = CONTENT_TYPE_KEYS.map((k) => obj[k]).find((x): x is string => isString(x) && x.includes('/'));
      const name = FILE_NAME_KEYS.map((k) => obj[k]).find(isString);
      add(url, { ...at, url, kind: outputKind({ contentType, url, fileName: name, words }), ...(name ? { name } : {}) });
      rest = rest.filter(([k]) => k !== urlKey && !CONTENT_TYPE_KEYS.includes(k) && !FILE_NAME_KEYS.includes(k));
    }
    for (const [k, child] of rest) {
      walk(child, k, { key: k, path: at.path ? `${at.path}.${k}` : k }, depth + 1, inMedia || !!urlKey);
    }
  };
  walk(result, '', { key: '', path: '' }, 0);
  return found;
}
