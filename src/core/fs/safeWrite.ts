import * as l10n from '@vscode/l10n';
import { constants } from 'node:fs';
import { lstat, mkdir, open, realpath, type FileHandle } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/** A write GenDeck refused because it would land outside its folder or go through a link. */
export class UnsafePathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafePathError';
  }
}

// O_NOFOLLOW is POSIX only; O_EXCL already refuses any existing name, a link included.
const EXCLUSIVE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

function inside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!!rel && !rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * `folder` (absolute, or relative to `root`) made to exist inside `root`, never through a symbolic link: each missing
 * level is created on its own, an existing level must be a real directory, and the real path must stay below the real
 * path of `root`. A cloned repository can ship `gendeck-outputs/` as a link to anywhere; that is refused. Each level
 * this call made is pushed to `created` (outermost first), so a caller can take them back.
 */
export async function ensureFolderInside(root: string, folder: string, created?: string[]): Promise<string> {
  const rootReal = await realpath(root);
  const target = resolve(root, folder);
  if (!inside(resolve(root), target))
    throw new UnsafePathError(
      l10n.t('{0} is outside {1}; GenDeck writes only inside the workspace folder.', folder, root),
    );
  let current = rootReal;
  for (const part of relative(resolve(root), target).split(sep).filter(Boolean)) {
    current = join(current, part);
    const st = await lstat(current).catch((e: NodeJS.ErrnoException) =>
      e.code === 'ENOENT' ? undefined : Promise.reject(e),
    );
    if (!st) {
      const made = await mkdir(current).then(
        () => true,
        (e: NodeJS.ErrnoException) => (e.code === 'EEXIST' ? false : Promise.reject(e)),
      );
      if (made) created?.push(current);
    } else if (st.isSymbolicLink())
      throw new UnsafePathError(
        l10n.t(
          '{0} is a symbolic link; GenDeck does not write through links. Remove it or choose another folder.',
          current,
        ),
      );
    else if (!st.isDirectory()) throw new UnsafePathError(l10n.t('{0} is not a folder.', current));
  }
  const real = await realpath(current);
  if (!inside(rootReal, real))
    throw new UnsafePathError(
      l10n.t('{0} resolves outside {1}; GenDeck writes only inside the workspace folder.', folder, root),
    );
  return real;
}

/** True when something (a file, a folder, a link, even a dangling one) has this name. */
export async function nameTaken(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** Creates `path` for writing only if nothing has that name, never following a link. */
export async function createExclusive(path: string): Promise<FileHandle> {
  try {
    return await open(path, EXCLUSIVE, 0o644);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ELOOP')
      throw new UnsafePathError(l10n.t('{0} already exists (or is a link); GenDeck does not write over it.', path));
    throw e;
  }
}

/** The n-th name freePath tries for `safeName`: the name itself, then `name (2).ext`, `name (3).ext` … */
export function numberedName(safeName: string, n: number): string {
  if (n === 1) return safeName;
  const dot = safeName.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [safeName.slice(0, dot), safeName.slice(dot)] : [safeName, ''];
  return `${stem} (${n})${ext}`;
}

/** `dir/name`, or `dir/name (2).ext` … while that name or its `.part` is taken by anything, a dangling link included. */
export async function freePath(dir: string, safeName: string): Promise<string> {
  let candidate = join(dir, safeName);
  for (
    let i = 2;
    (await nameTaken(candidate)) ||
    (await nameTaken(`${candidate}.part`)) ||
    (await nameTaken(`${candidate}.gendeck.json`));
    i++
  ) {
    candidate = join(dir, numberedName(safeName, i));
  }
  return candidate;
}
