import { mkdirSync, watch as watchFs, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from '../log';

export interface WatchFileOptions {
  /** Changes closer together than this are one call (default 100 ms). */
  debounceMs?: number;
  /** Also called this often whatever the watcher says (default 5 s; 0 = only when the watcher is unavailable). */
  pollMs?: number;
  log?: Logger;
  /** Names the file in the log's lines. */
  what?: string;
}

/**
 * Calls `onChange` when `file` may have changed: a watcher on its folder (which sees a new copy renamed over it, as
 * the writers here do), debounced, plus a periodic call (a watcher misses changes on some file systems); `onChange`
 * checks for itself whether anything changed. Plain Node, the timers never keep the process alive.
 */
export function watchFile(file: string, onChange: () => void, o: WatchFileOptions = {}): { dispose(): void } {
  const debounceMs = o.debounceMs ?? 100;
  const pollMs = o.pollMs ?? 5000;
  const what = o.what ?? basename(file);
  const name = basename(file);
  let timer: NodeJS.Timeout | undefined;
  let disposed = false;
  const soon = () => {
    if (disposed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      if (!disposed) onChange();
    }, debounceMs);
    timer.unref();
  };
  let watcher: FSWatcher | undefined;
  try {
    mkdirSync(dirname(file), { recursive: true });
    watcher = watchFs(dirname(file), { persistent: false }, (_event, changed) => {
      if (!changed || changed.toString() === name) soon();
    });
    watcher.on('error', (err) => {
      o.log?.warn(`${what}: watching ${dirname(file)} failed (${err.message}); checking it every few seconds.`);
      watcher?.close();
      watcher = undefined;
    });
  } catch (err) {
    o.log?.warn(`${what}: cannot watch ${dirname(file)} (${(err as Error).message}); checking it every few seconds.`);
  }
  const poll = pollMs > 0 || !watcher ? setInterval(soon, pollMs > 0 ? pollMs : 2000) : undefined;
  poll?.unref();
  return {
    dispose: () => {
      disposed = true;
      watcher?.close();
      if (timer) clearTimeout(timer);
      if (poll) clearInterval(poll);
    },
  };
}
