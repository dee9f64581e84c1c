#!/usr/bin/env node
// `gendeck`: the CLI (`gendeck <command> …`) and the MCP server (`gendeck mcp`), both over src/cli/services.ts.
import { runCli } from './cli';
import { runMcp } from './mcp';

const argv = process.argv.slice(2);
void (argv[0] === 'mcp' ? runMcp(argv.slice(1)) : runCli(argv)).then((code) => {
  process.exitCode = code;
});
