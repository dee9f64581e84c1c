import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { ValidationError } from '../errors';

export type MediaKind = 'image' | 'video' | 'audio';

interface Signature {
  kind: MediaKind;
  mime: string;
  test: (b: Buffer) => boolean;
}

const ascii = (b: Buffer, at: number, s: string) => b.subarray(at, at + s.length).toString('latin1') === s;

/** Magic numbers of the formats the providers document. */
const SIGNATURES: Signature[] = [
  { kind: 'image', mime: 'image/png', test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { kind: 'image', mime: 'image/jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { kind: 'image', mime: 'image/gif', test: (b) => ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a') },
  { kind: 'image', mime: 'image/webp', test: (b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP') },
  { kind: 'image', mime: 'image/bmp', test: (b) => ascii(b, 0, 'BM') },
  { kind: 'image', mime: 'image/tiff', test: (b) => ascii(b, 0, 'II*\u0000') || ascii(b, 0, 'MM\u0000*') },
  { kind: 'audio', mime: 'audio/wav', test: (b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WAVE') },
  { kind: 'audio', mime: 'audio/mpeg', test: (b) => ascii(b, 0, 'ID3') || (b[0] === 0xff && (b[1] & 0xe0) === 0xe0) },
  { kind: 'audio', mime: 'audio/flac', test: (b) => ascii(b, 0, 'fLaC') },
  { kind: 'audio', mime: 'audio/ogg', test: (b) => ascii(b, 0, 'OggS') },
  // An MP4 whose brand says audio only (M4A, M4B audiobook) before any other MP4.
  { kind: 'audio', mime: 'audio/mp4', test: (b) => ascii(b, 4, 'ftypM4A ') || ascii(b, 4, 'ftypM4B ') },
  { kind: 'video', mime: 'video/mp4', test: (b) => ascii(b, 4, 'ftyp') },
  { kind: 'video', mime: 'video/webm', test: (b) => b.subarray(0, 4).equals(Buffer.from([0x1a, 0x45, 0xdf, 0xa3])) },
];

/** What a file is, from its first bytes; undefined when it is none of the known media formats. */
export async function sniffMedia(path: string): Promise<{ kind: MediaKind; mime: string } | undefined> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(16);
    await fh.read(head, 0, 16, 0);
    const sig = SIGNATURES.find((s) => s.test(head));
    return sig && { kind: sig.kind, mime: sig.mime };
  } finally {
    await fh.close();
  }
}

export const DEFAULT_DATA_URI_MAX_BYTES = 10 * 1024 * 1024;

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 2 : 1)} MB`;

/** Reads a local media file as a data: URI, after checking its size (before reading) and its type. */
export async function fileToDataUri(path: string, o: { kinds: MediaKind[]; maxBytes?: number }): Promise<{ uri: string; mime: string; kind: MediaKind; bytes: number }> {
  const name = basename(path);
  const max = o.maxBytes ?? DEFAULT_DATA_URI_MAX_BYTES;
  const { size, isFile } = await stat(path).then((s) => ({ size: s.size, isFile: s.isFile() }));
  if (!isFile) throw new ValidationError(`${name} is not a file.`);
  if (size > max) {
    throw new ValidationError(`${name} is ${mb(size)}; files sent inline may be at most ${mb(max)}. Use an https URL for larger media.`, { file: name });
  }
  const sniffed = await sniffMedia(path);
  if (!sniffed || !o.kinds.includes(sniffed.kind)) {
    throw new ValidationError(`${name} is not ${o.kinds.map((k) => (k === 'image' ? 'an image' : `a${k === 'audio' ? 'n' : ''} ${k}`)).join(' or ')} GenDeck can send (expected ${o.kinds.join('/')} formats such as PNG, JPEG, WebP, MP4, WAV).`, { file: name });
  }
  const { readFile } = await import('node:fs/promises');
  const data = await readFile(path);
  return { uri: `data:${sniffed.mime};base64,${data.toString('base64')}`, mime: sniffed.mime, kind: sniffed.kind, bytes: size };
}
