// `gendeck <command> …`: finds the command, parses its arguments, runs it, and turns what went wrong into one
// message on stderr (a JSON error on stdout with --json) and the documented exit code.
import { describeError, isAbortError, ProviderError, ValidationError } from '../core/errors';
import { stateDir } from '../core/fs/stateDir';
import { PROVIDER_IDS, PROVIDERS } from '../core/providers/index';
import { redactor } from '../core/redact';
import { GLOBAL_OPTIONS, parse, UsageError } from './args';
import type { Command, Env } from './command';
import { apply, plan } from './commands/assets';
import { models, providers, tools, workers } from './commands/discovery';
import { cancel, download, jobs, status, wait } from './commands/jobs';
import { run } from './commands/run';
import { index, search } from './commands/search';
import { EXIT, exitCodeOf } from './exit';
import { Output } from './output';
import { baseUrlVar } from './services';
import { TIME_SCALE_VAR } from './session';

const COMMANDS: readonly Command[] = [
  providers,
  models,
  tools,
  workers,
  run,
  jobs,
  status,
  wait,
  cancel,
  download,
  index,
  search,
  plan,
  apply,
];

const GLOBAL_FLAGS = new Set(
  Object.entries(GLOBAL_OPTIONS).flatMap(([n, o]) => [`--${n}`, ...('short' in o ? [`-${o.short}`] : [])]),
);

function mainHelp(env: Env): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  const ids = PROVIDER_IDS.map((id) => PROVIDERS[id].envKey).join(', ');
  return `gendeck — Seele, Seedancee2, Seisoai, Seek API and Seeknetic from the command line (the GenDeck core).

Usage: gendeck <command> [options]        gendeck <command> --help for each

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join('\n')}
  ${'mcp'.padEnd(width)}the MCP server on stdio (gendeck mcp --help)

Options of every command:
  --sandbox   the built-in emulator of all five APIs, in this process: no key, nothing is paid
  --json      for scripts: one JSON object per line on stdout (per job, model, tool, worker, hit); logs on stderr
  --verbose   the providers' log lines on stderr
  -h, --help  this help, or a command's

Environment:
  keys          ${ids}; SEISOAI_WALLET_KEY for x402 (never an argument)
  base URLs     ${baseUrlVar('seele')}, … one per provider (default: the provider's own)
  state         GENDECK_STATE_DIR: jobs, sandbox, receipts, search index (now ${stateDir(env)})
  tests only    ${TIME_SCALE_VAR}: the in-process sandbox's clock speed (0.02 = fifty times faster)

Exit codes: 0 done, 1 the job failed (or a video was not indexed), 2 bad input, 3 authentication,
4 over the cost cap (nothing sent), 5 network or provider error, 6 still running when --timeout passed,
130 interrupted.`;
}

function commandHelp(c: Command): string {
  return `Usage: ${c.usage}\n\n${c.help}\n`;
}

/** A sentence of the core's that names an editor command ("Run "GenDeck: Set API Key…" to replace it."). */
const EDITOR_HINT = /\s*Run "GenDeck: [^"]+"[^.]*\./g;

/** The message for an error, redacted; a key problem names its environment variable instead of the editor's command. */
function messageOf(err: unknown): string {
  if (err instanceof ProviderError && err.code === 'no_key')
    return `No ${PROVIDERS[err.provider].label} key: set ${PROVIDERS[err.provider].envKey} in the environment, or add --sandbox.`;
  if (isAbortError(err)) return 'Interrupted; a job already accepted goes on (gendeck wait picks it up).';
  let text = describeError(err).replace(EDITOR_HINT, '');
  if (err instanceof ProviderError && (err.status === 401 || err.status === 403))
    text += ` Check ${PROVIDERS[err.provider].envKey}.`;
  const fields = err instanceof ValidationError || err instanceof ProviderError ? (err.fields ?? {}) : {};
  const unsaid = Object.entries(fields).filter(([, m]) => !text.includes(m));
  if (unsaid.length) text += unsaid.map(([f, m]) => `\n  ${f}: ${m}`).join('');
  return redactor.redact(text);
}

function fail(out: Output, err: unknown): number {
  const code = exitCodeOf(err);
  const message = messageOf(err);
  if (out.json)
    out.object({
      error: {
        exit: code,
        type: err instanceof Error ? err.name : 'Error',
        code: err instanceof ProviderError ? err.code : undefined,
        message,
        fields: err instanceof ValidationError || err instanceof ProviderError ? err.fields : undefined,
      },
    });
  out.error(message);
  return code;
}

/** The CLI's commands; `argv` without the node and script names. Resolves to the exit code. */
export async function runCli(argv: string[], env: Env = process.env): Promise<number> {
  const lead: string[] = [];
  let i = 0;
  while (i < argv.length && GLOBAL_FLAGS.has(argv[i])) lead.push(argv[i++]);
  const name = argv[i];
  const rest = [...lead, ...argv.slice(i + 1)];
  const out = new Output(argv.includes('--json'));
  if (name === undefined || name === 'help') {
    const cmd = COMMANDS.find((c) => c.name === argv[i + 1]);
    const asked = name === 'help' || lead.includes('--help') || lead.includes('-h');
    if (!asked) {
      out.note(mainHelp(env));
      return EXIT.badInput;
    }
    process.stdout.write(`${cmd ? commandHelp(cmd) : mainHelp(env)}\n`);
    return EXIT.ok;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) return fail(out, new UsageError(`Unknown command "${redactor.redact(name)}" (gendeck --help lists them).`));
  const ac = new AbortController();
  // The first Ctrl-C stops what runs (and closes the sandbox and the job store); a second one ends at once.
  const onSigint = () => (ac.signal.aborted ? process.exit(EXIT.interrupted) : ac.abort());
  process.on('SIGINT', onSigint);
  try {
    const parsed = parse(cmd.name, rest, cmd.options);
    if (parsed.global.help) {
      process.stdout.write(commandHelp(cmd));
      return EXIT.ok;
    }
    const { values, positionals: args, global } = parsed;
    return await cmd.run({ values, args, global, out, env, signal: ac.signal });
  } catch (err) {
    return fail(out, err);
  } finally {
    process.off('SIGINT', onSigint);
  }
}
