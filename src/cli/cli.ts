/** The CLI's commands; `argv` without the node and script names. Resolves to the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  process.stderr.write(`gendeck: the CLI is being built (${argv.join(' ')}).\n`);
  return 2;
}
