// Command-line parsing with node:util parseArgs: the options every command takes, each command's own, and the
// checks that turn a typo into exit code 2 with the command's help named.
import { readFile } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { redactor } from '../core/redact';

/** A command line that cannot be run as written (exit 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Taken by every command, before or after its name. */
export const GLOBAL_OPTIONS = {
  sandbox: { type: 'boolean' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

export interface GlobalFlags {
  sandbox: boolean;
  json: boolean;
  verbose: boolean;
  help: boolean;
}

export type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface Parsed {
  values: Values;
  positionals: string[];
  global: GlobalFlags;
}

/** Parses one command's arguments (its options plus the global ones); unknown options are usage errors. */
export function parse(command: string, argv: string[], options: OptionSpec): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...GLOBAL_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    });
    return {
      values,
      positionals,
      global: {
        sandbox: values.sandbox === true,
        json: values.json === true,
        verbose: values.verbose === true,
        help: values.help === true,
      },
    };
  } catch (err) {
    // parseArgs quotes what it could not read, which may be a key pasted by mistake.
    const message = redactor.redact(err instanceof Error ? err.message : String(err));
    const keyHint = /'--?[\w-]*(key|token|secret)/i.test(message)
      ? ' Keys are read from the environment only (gendeck --help names the variables).'
      : '';
    throw new UsageError(`${message} (gendeck ${command} --help)${keyHint}`);
  }
}

/** A string option, when given. */
export function str(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/** A repeatable string option, in order. */
export function list(values: Values, name: string): string[] {
  const v = values[name];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
}

/** A number option, when given; anything else than a finite number (within `min`) is a usage error. */
export function num(values: Values, name: string, o: { integer?: boolean; min?: number } = {}): number | undefined {
  const raw = str(values, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  const bad = !raw.trim() || !Number.isFinite(n) || (o.integer && !Number.isInteger(n)) || n < (o.min ?? -Infinity);
  if (bad)
    throw new UsageError(
      `--${name} takes ${o.integer ? 'a whole number' : 'a number'}${o.min !== undefined ? ` of at least ${o.min}` : ''}, not "${raw}".`,
    );
  return n;
}

/** The JSON object of `--input JSON` or `--input-file FILE` (one of them), or `{}` when neither is given. */
export async function jsonInput(values: Values): Promise<Record<string, unknown>> {
  const inline = str(values, 'input');
  const file = str(values, 'input-file');
  if (inline !== undefined && file !== undefined) throw new UsageError('Give --input or --input-file, not both.');
  if (inline === undefined && file === undefined) return {};
  let text: string;
  if (file !== undefined) {
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new UsageError(`--input-file ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? err}).`);
    }
  } else text = inline!;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file ? `--input-file ${file}` : '--input'} is not JSON: ${(err as Error).message}.`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new UsageError(`${file ? `--input-file ${file}` : '--input'} must be a JSON object ({"field": value, …}).`);
  return value as Record<string, unknown>;
}

/** Exactly the positionals a command takes: `names` required, `optional` after them. */
export function positionals(
  command: string,
  got: string[],
  names: string[],
  optional: string[] = [],
): Record<string, string | undefined> {
  if (got.length < names.length)
    throw new UsageError(
      `gendeck ${command} needs ${names.slice(got.length).join(' and ')} (gendeck ${command} --help).`,
    );
  if (got.length > names.length + optional.length)
    throw new UsageError(
      `gendeck ${command} takes ${[...names, ...optional.map((o) => `[${o}]`)].join(' ') || 'no arguments'}; "${redactor.redact(got[names.length + optional.length])}" is one too many (gendeck ${command} --help).`,
    );
  return Object.fromEntries([...names, ...optional].map((n, i) => [n, got[i]]));
}
