import { extname } from 'node:path';

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/**
 * A file name that cannot leave its folder, upset any OS or pretend to be another: no separators, dots-only, control,
 * bidi/format characters or reserved names.
 */
export function safeFileName(name: string, fallback = 'download'): string {
  let s = name.normalize('NFC');
  try {
    s = decodeURIComponent(s);
  } catch {
    /* keep the raw text */
  }
  s = s.replace(/[\\/]+/g, '_');
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  s = s.replace(/[\u0000-\u001f\u007f-\u009f<>:"|?*]/g, '_');
  // Bidi controls and other invisible format characters: `\u202Egpj.exe` would display as `exe.jpg`.
  s = s.replace(/[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, '');
  s = s.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (WINDOWS_RESERVED.test(s)) s = `_${s}`;
  if (s.length > 120) {
    const ext = extname(s).slice(0, 12);
    s = s.slice(0, 120 - ext.length) + ext;
  }
  return s || fallback;
}

/** The last path segment of a URL, made safe; `fallback` when the URL has none. */
export function fileNameFromUrl(url: string, fallback: string): string {
  try {
    const seg = new URL(url).pathname.split('/').filter(Boolean).pop();
    return safeFileName(seg ?? '', fallback);
  } catch {
    return safeFileName(fallback);
  }
}

/** A folder name from a title: its letters and digits in lower case joined by hyphens, at most 48 characters. */
export function slugName(title: string, fallback: string): string {
  const words = title
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, '-');
  // By code point, so a letter outside the BMP is never cut in half.
  const slug = Array.from(words)
    .slice(0, 48)
    .join('')
    .replace(/^-+|-+$/g, '');
  return safeFileName(slug || fallback);
}
