import type { OutputKind } from '../jobs/job';

// What an output is, for every provider: its content type decides, else the extension of its URL,
// else the extension of its file name, else the words of the key or name it comes with.

const BY_EXTENSION: [OutputKind, string][] = [
  ['image', 'png jpg jpeg webp gif bmp svg tif tiff avif'],
  ['video', 'mp4 webm mov m4v mkv'],
  ['audio', 'wav mp3 flac ogg m4a aac opus'],
  ['model', 'glb gltf obj fbx usdz stl ply'],
  ['html', 'html htm xhtml'],
  ['archive', 'zip tar tgz gz 7z rar unitypackage'],
  ['json', 'json'],
  ['text', 'txt md srt vtt'],
  // Model weights are one tensor file, not an archive (downloads would name them .zip) nor a 3D model.
  ['file', 'safetensors'],
];
const EXTENSIONS = new Map(BY_EXTENSION.flatMap(([kind, exts]) => exts.split(' ').map((e) => [e, kind] as const)));

/** application/… subtypes of archives that do not end in "zip" (zip, x-zip, gzip, x-gzip, …+zip do). */
const ARCHIVE_SUBTYPES = new Set(['x-zip-compressed', 'x-tar', 'x-gtar', 'x-7z-compressed', 'vnd.rar', 'x-rar-compressed']);

/** Tried in order on the lower-cased words of a key or name ("audio_file", "Browser playable preview"). */
const BY_WORDS: [RegExp, OutputKind][] = [
  [words('playable|play in (?:the )?browser|web ?build|web ?gl'), 'html'],
  // A container beats what it contains: "Model package" is an archive.
  [words('project|package|archive|zip|bundle|unitypackage'), 'archive'],
  // Pictures of something beat the something: "video_thumbnail" is an image.
  [words('thumbnail|poster|screenshot|cover|sprite|frame|mask'), 'image'],
  [words('3d|model|mesh|glb|gltf|fbx|obj'), 'model'],
  [words('video|trailer'), 'video'],
  [words('audio|voice|speech|music|song|sound|wav|mp3|stem|vocal'), 'audio'],
  [words('image|img|photo|picture'), 'image'],
  // Words that only decide when nothing above does: "audio clip", "voice recording", "preview image".
  [words('clip|recording'), 'video'],
  [words('preview'), 'html'],
  [words('source'), 'archive'],
];

/** Whole words (plurals too) of a normalised text. */
function words(alternatives: string): RegExp {
  return new RegExp(`\\b(?:${alternatives})(?:e?s)?\\b`);
}

function fromContentType(contentType: string): OutputKind | undefined {
  const [type, sub = ''] = contentType.split(';')[0].trim().toLowerCase().split('/');
  if (type === 'image' || type === 'video' || type === 'audio') return type;
  if (type === 'model' || sub.includes('gltf')) return 'model';
  if (sub === 'html' || sub === 'xhtml+xml') return 'html';
  if (sub === 'json' || sub.endsWith('+json')) return 'json';
  if (sub.endsWith('zip') || ARCHIVE_SUBTYPES.has(sub)) return 'archive';
  if (type === 'text') return 'text';
  return undefined; // application/octet-stream and the like say nothing
}

/** By the extension of a file name or URL path ("mesh.glb", "/a/b/clip.MP4"). */
function fromExtension(pathOrName: string): OutputKind | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(pathOrName)?.[1];
  return ext ? EXTENSIONS.get(ext.toLowerCase()) : undefined;
}

/** A data: URI by its media type, any other URL by the extension of its path (query and fragment ignored). */
function fromUrl(url: string): OutputKind | undefined {
  const data = /^data:([^;,]*)/i.exec(url);
  if (data) return fromContentType(data[1]);
  try {
    return fromExtension(new URL(url).pathname);
  } catch {
    return fromExtension(url.split(/[?#]/)[0]);
  }
}

function fromWords(text: string): OutputKind | undefined {
  const normal = text
    .replace(/([a-z])([A-Z])/g, '$1 $2') // camelCase keys
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ');
  return BY_WORDS.find(([re]) => re.test(normal))?.[1];
}

/** What is known about an output; any of it may be missing. */
export interface KindClues {
  contentType?: string;
  url?: string;
  fileName?: string;
  /** A JSON key, or a name and description: weaker than everything else. */
  words?: string;
}

/** The output kind the clues point to, strongest first; undefined when none of them says. */
export function outputKind(c: KindClues): OutputKind | undefined {
  return (
    (c.contentType ? fromContentType(c.contentType) : undefined) ??
    (c.url ? fromUrl(c.url) : undefined) ??
    (c.fileName ? fromExtension(c.fileName) : undefined) ??
    (c.words ? fromWords(c.words) : undefined)
  );
}
