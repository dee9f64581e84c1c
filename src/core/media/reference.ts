import type { OutputKind } from '../jobs/job';

/** How a file is referenced in the language of the file it goes into. */
export type ReferenceStyle = 'markdown' | 'html' | 'css' | 'path';

const STYLE_BY_LANGUAGE: Record<string, ReferenceStyle> = {
  markdown: 'markdown',
  mdx: 'markdown',
  html: 'html',
  vue: 'html',
  svelte: 'html',
  astro: 'html',
  php: 'html',
  javascriptreact: 'html',
  typescriptreact: 'html',
  css: 'css',
  scss: 'css',
  sass: 'css',
  less: 'css',
};

/** The style for a VS Code language id; a plain path for any other (and with no editor open). */
export function referenceStyle(languageId: string | undefined): ReferenceStyle {
  return (languageId && STYLE_BY_LANGUAGE[languageId]) || 'path';
}

/** `path` with forward slashes and, where it becomes a URL (Markdown, HTML, CSS), each segment percent-encoded. */
function urlPath(path: string): string {
  const posix = path.replace(/\\/g, '/');
  return posix
    .split('/')
    .map((seg) => (seg === '.' || seg === '..' ? seg : encodeURIComponent(seg)))
    .join('/');
}

/** Text safe inside a Markdown link label or an HTML attribute. */
function plainText(s: string): string {
  return s.replace(/[[\]<>"`\\\r\n]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * A reference to a file at `relPath` (relative to the file it goes into) in `style`: Markdown `![alt](p)` for an
 * image and `[alt](p)` for anything else; HTML `<img>`, `<video controls>`, `<audio controls>` or a link; CSS
 * `url("p")`; otherwise the relative path itself.
 */
export function referenceFor(kind: OutputKind, relPath: string, style: ReferenceStyle, alt: string): string {
  const text = plainText(alt) || 'output';
  if (style === 'path') return relPath.replace(/\\/g, '/');
  const p = urlPath(relPath);
  if (style === 'css') return `url("${p}")`;
  if (style === 'markdown') return kind === 'image' ? `![${text}](${p})` : `[${text}](${p})`;
  switch (kind) {
    case 'image':
      return `<img src="${p}" alt="${text}">`;
    case 'video':
      return `<video src="${p}" controls></video>`;
    case 'audio':
      return `<audio src="${p}" controls></audio>`;
    default:
      return `<a href="${p}">${text}</a>`;
  }
}
