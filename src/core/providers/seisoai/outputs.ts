import type { JobOutput, OutputKind } from '../../jobs/job';

// Tool results have no fixed shape: each tool returns its own object (images[], video, audio_file,
// model_glb, text …). Outputs are found by walking it and typed by media.

const EXT_KIND: [RegExp, OutputKind][] = [
  [/\.(png|jpe?g|webp|gif|bmp|tiff?|avif)$/i, 'image'],
  [/\.(mp4|webm|mov|m4v|mkv)$/i, 'video'],
  [/\.(wav|mp3|flac|ogg|m4a|aac|opus)$/i, 'audio'],
  [/\.(glb|gltf|obj|fbx|usdz|stl|ply)$/i, 'model'],
  [/\.(html?)$/i, 'html'],
  [/\.(zip|tar|gz|safetensors)$/i, 'archive'],
  [/\.json$/i, 'json'],
  [/\.(txt|srt|vtt)$/i, 'text'],
];

function kindFromMime(mime: string | undefined): OutputKind | undefined {
  if (!mime) return undefined;
  const m = mime.toLowerCase();
  if (m.startsWith('image/')) return 'image';
  if (m.startsWith('video/')) return 'video';
  if (m.startsWith('audio/')) return 'audio';
  if (m.startsWith('model/') || m.includes('gltf')) return 'model';
  if (m === 'text/html') return 'html';
  if (m === 'application/json') return 'json';
  if (m.startsWith('text/')) return 'text';
  if (m.includes('zip')) return 'archive';
  return undefined;
}

function kindFromKey(key: string): OutputKind | undefined {
  const k = key.toLowerCase();
  if (/glb|gltf|mesh|model|obj|fbx|3d/.test(k)) return 'model';
  if (/video|clip/.test(k)) return 'video';
  if (/audio|voice|speech|music|song|sound|wav|mp3|stem|vocals/.test(k)) return 'audio';
  if (/image|img|photo|picture|thumbnail|poster|mask|frame/.test(k)) return 'image';
  return undefined;
}

function kindFromUrl(url: string): OutputKind | undefined {
  if (/^data:/i.test(url)) return kindFromMime(/^data:([^;,]+)/i.exec(url)?.[1]);
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    /* keep it */
  }
  return EXT_KIND.find(([re]) => re.test(path))?.[1];
}

const isUrl = (v: unknown): v is string => typeof v === 'string' && /^(https?:\/\/|data:[a-z]+\/)/i.test(v);
const TEXT_KEYS = /^(text|texts|transcript|transcription|captions?|lyrics|content|output_text|description)( \d+)?$/i;

/**
 * Every output in a tool result: URLs (typed by content type, extension or the key they sit
 * under) and text fields. When nothing is found the whole result is one JSON output.
 */
export function extractOutputs(result: unknown, hint?: OutputKind): JobOutput[] {
  const out: JobOutput[] = [];
  const seen = new Set<string>();
  const add = (o: JobOutput) => {
    const id = o.url ?? JSON.stringify(o.value);
    if (seen.has(id)) return;
    seen.add(id);
    out.push(o);
  };
  const walk = (v: unknown, key: string, depth: number): void => {
    if (depth > 6 || v === null || v === undefined) return;
    if (isUrl(v)) {
      const kind = kindFromUrl(v) ?? kindFromKey(key) ?? hint ?? 'file';
      add({ kind, url: v, label: labelFor(key, kind) });
      return;
    }
    if (typeof v === 'string') {
      if (TEXT_KEYS.test(key) && v.trim()) add({ kind: 'text', value: v, label: labelFor(key, 'text') });
      return;
    }
    if (Array.isArray(v)) {
      // Several items under one key are told apart: "Images 1", "Images 2".
      const items = v.slice(0, 100);
      items.forEach((item, i) => walk(item, items.length > 1 ? `${key} ${i + 1}` : key, depth + 1));
      return;
    }
    if (typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    const url = [o.url, o.uri, o.href, o.download_url, o.downloadUrl].find(isUrl);
    if (url) {
      const mime = [o.content_type, o.contentType, o.mime_type, o.mimeType, o.type].find(
        (x): x is string => typeof x === 'string' && x.includes('/'),
      );
      const kind = kindFromMime(mime) ?? kindFromUrl(url) ?? kindFromKey(key) ?? hint ?? 'file';
      const name = [o.file_name, o.fileName, o.filename, o.name].find((x): x is string => typeof x === 'string');
      add({ kind, url, name, label: labelFor(key, kind) });
      return;
    }
    for (const [k, child] of Object.entries(o)) walk(child, k, depth + 1);
  };
  walk(result, '', 0);
  if (!out.length && result !== undefined && result !== null)
    out.push({ kind: 'json', value: result, label: 'Result' });
  return out;
}

function labelFor(key: string, kind: OutputKind): string {
  const k = key.replace(/[_-]+/g, ' ').trim();
  if (k) return k[0].toUpperCase() + k.slice(1);
  return kind[0].toUpperCase() + kind.slice(1);
}
