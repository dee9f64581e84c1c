/** The MCP server over stdio (`gendeck mcp [--sandbox]`); resolves to the exit code when the client goes away. */
export async function runMcp(argv: string[]): Promise<number> {
  process.stderr.write(`gendeck mcp: the MCP server is being built (${argv.join(' ')}).\n`);
  return 2;
}
