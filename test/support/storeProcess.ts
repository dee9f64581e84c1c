// Runs test/support/storeWriter.ts as a child process (real files, a real second process) and reads what it says.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface WriterLine {
  saved?: string;
  patched?: string;
  progress?: string;
  done?: boolean;
  final?: unknown;
  error?: string;
}

export interface Writer {
  proc: ChildProcess;
  lines: WriterLine[];
  /** Keys it said are on disk. */
  saved(): string[];
  /** Resolves with the first line `test` accepts (rejects when the process ends first or after `ms`). */
  until(test: (l: WriterLine) => boolean, ms?: number): Promise<WriterLine>;
  exited: Promise<number | null>;
}

/** Starts a writer: `count` jobs `<name>-<i>` (0: forever), each `pad` bytes larger than a bare job. */
export function startWriter(file: string, name: string, count: number, pad = 0): Writer {
  const script = join(__dirname, 'storeWriter.js');
  const proc = spawn(process.execPath, [script, file, name, String(count), String(pad)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: WriterLine[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: proc.stdout! }).on('line', (text) => {
    try {
      lines.push(JSON.parse(text) as WriterLine);
    } catch {
      lines.push({ error: `not JSON: ${text}` });
    }
    for (const w of waiters) w();
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const until = (test: (l: WriterLine) => boolean, ms = 30_000) =>
    new Promise<WriterLine>((resolve, reject) => {
      const check = () => {
        const hit = lines.find(test);
        const failed = lines.find((l) => l.error);
        if (hit || failed) {
          waiters.delete(check);
          clearTimeout(timer);
          if (failed && !hit) reject(new Error(`${name}: ${failed.error}`));
          else resolve(hit!);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`${name}: no such line after ${ms} ms (${lines.length} lines)`));
      }, ms);
      waiters.add(check);
      void exited.then(() => setTimeout(check, 50));
      check();
    });
  return { proc, lines, saved: () => lines.flatMap((l) => (l.saved ? [l.saved] : [])), until, exited };
}
