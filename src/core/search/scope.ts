import { relative, sep } from 'node:path';

const ALWAYS_SKIPPED = /[\\/](node_modules|\.git)[\\/]/;

/**
 * Which found files the video index takes in a workspace folder: never `node_modules` or `.git`, and not GenDeck's
 * own downloads (the folder `gendeck.downloadFolder` names) unless the include glob names that folder itself.
 */
export function indexScope(root: string, o: { downloadFolder: string; include: string }): (path: string) => boolean {
  const downloads = o.downloadFolder.replace(/\\/g, '/').replace(/^\.\/|\/+$/g, '');
  const takeDownloads = !downloads || o.include.includes(downloads);
  return (path) => {
    if (ALWAYS_SKIPPED.test(path)) return false;
    if (takeDownloads) return true;
    const rel = relative(root, path).split(sep).join('/');
    return !(rel === downloads || rel.startsWith(`${downloads}/`));
  };
}
