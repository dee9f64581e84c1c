import type { GlobalFlags, OptionSpec, Values } from './args';
import type { Output } from './output';

export type Env = Readonly<Record<string, string | undefined>>;

/** What a command runs with: its parsed arguments, the global flags, the output, the environment, Ctrl-C. */
export interface Context {
  values: Values;
  args: string[];
  global: GlobalFlags;
  out: Output;
  env: Env;
  /** Aborted by Ctrl-C. */
  signal: AbortSignal;
}

/** One `gendeck <name>` command: its help and options, and what it does; resolves to the exit code. */
export interface Command {
  name: string;
  /** Its line in `gendeck --help`. */
  summary: string;
  /** `gendeck <name> --help`, after the usage line(s). */
  usage: string;
  help: string;
  options: OptionSpec;
  run(c: Context): Promise<number>;
}
