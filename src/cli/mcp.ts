// `gendeck mcp`: GenDeck as an MCP server over stdio. Stdout is the protocol; every log line goes to stderr.
import { join, resolve } from 'node:path';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { describeError } from '../core/errors';
import { stateDir } from '../core/fs/stateDir';
import type { Logger } from '../core/log';
import { PROVIDER_IDS, PROVIDERS } from '../core/providers/index';
import { AgentRoutes, AuditLog } from '../core/providers/seisoai/agents';
import { redactor } from '../core/redact';
import { version } from '../../package.json';
import { createMcpServer } from './mcp/server';
import { McpSession } from './mcp/session';
import { parseSpendCap, SpendLedger } from './mcp/spend';
import { Headless } from './services';

const USAGE = `Usage: gendeck mcp [--sandbox] [--root DIR] [--seisoai-agent AGENT_ID] [--pay-x402 --max-usd N]

GenDeck's MCP server over stdio (for VS Code agent mode, Claude Code, Gemini CLI, …).
  --sandbox              use the local sandbox (no keys, nothing real is charged)
  --root DIR             the folder downloads and video indexing stay inside (default: the working folder)
  --seisoai-agent ID     expose the tools that this exact Seisoai agent declares (agent routes are off otherwise);
                         every agent call is written to seisoai-agent-audit.jsonl in the state folder
  --pay-x402 --max-usd N let run_seisoai_tool pay per request with x402, at most N USD a payment and in 24 h
                         (needs SEISOAI_WALLET_KEY outside the sandbox)
Environment: the providers' keys (${PROVIDER_IDS.map((id) => PROVIDERS[id].envKey).join(', ')}),
  GENDECK_<PROVIDER>_BASE_URL, GENDECK_STATE_DIR,
  GENDECK_MCP_MAX_SPEND (the lifetime spend cap, e.g. "credits=500,USD=2,koin=100", or one number for every unit;
  required outside the sandbox for any paid call), GENDECK_SANDBOX_TIME_SCALE (the sandbox's clock, for tests).`;

interface McpArgs {
  sandbox: boolean;
  root: string;
  agent?: string;
  payX402: boolean;
  maxUsd?: number;
  help: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): McpArgs {
  const a: McpArgs = { sandbox: false, root: process.cwd(), payX402: false, help: false };
  const value = (i: number, flag: string) => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value.`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const take = () => inline ?? value(i++, flag);
    switch (flag) {
      case '--sandbox':
        a.sandbox = true;
        break;
      case '--root':
        a.root = resolve(take());
        break;
      case '--seisoai-agent':
        a.agent = take();
        break;
      case '--pay-x402':
        a.payX402 = true;
        break;
      case '--max-usd': {
        const n = Number(take());
        if (!Number.isFinite(n) || n <= 0) throw new UsageError('--max-usd takes an amount of USD above 0.');
        a.maxUsd = n;
        break;
      }
      case '--help':
      case '-h':
        a.help = true;
        break;
      default:
        throw new UsageError(`Unknown option ${arg}.`);
    }
  }
  if (a.payX402 && a.maxUsd === undefined)
    throw new UsageError('--pay-x402 needs --max-usd N (the most one payment may be).');
  if (!a.payX402 && a.maxUsd !== undefined) throw new UsageError('--max-usd goes with --pay-x402.');
  return a;
}

function stderrLogger(debug: boolean): Logger {
  const line = (level: string) => (m: string) => process.stderr.write(`gendeck mcp ${level}: ${m}\n`);
  const off = () => undefined;
  return {
    trace: debug ? line('trace') : off,
    debug: debug ? line('debug') : off,
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
  };
}

/** The MCP server over stdio (`gendeck mcp [--sandbox]`); resolves to the exit code when the client goes away. */
export async function runMcp(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let args: McpArgs;
  let ledger: SpendLedger;
  try {
    args = parseArgs(argv);
    if (args.help) {
      process.stderr.write(`${USAGE}\n`);
      return 0;
    }
    ledger = new SpendLedger(parseSpendCap(env.GENDECK_MCP_MAX_SPEND), args.sandbox);
  } catch (err) {
    process.stderr.write(`gendeck mcp: ${err instanceof Error ? err.message : String(err)}\n\n${USAGE}\n`);
    return 2;
  }
  const log = stderrLogger(!!env.GENDECK_MCP_DEBUG);
  if (args.payX402 && !args.sandbox && !env.SEISOAI_WALLET_KEY) {
    log.error('--pay-x402 needs SEISOAI_WALLET_KEY (the wallet that pays) outside the sandbox.');
    return 2;
  }
  const timeScale = Number(env.GENDECK_SANDBOX_TIME_SCALE) > 0 ? Number(env.GENDECK_SANDBOX_TIME_SCALE) : undefined;
  // The payer is made before the session that approves its payments.
  const bound: { session?: McpSession } = {};
  let h: Headless;
  try {
    h = await Headless.open({
      sandbox: args.sandbox,
      env,
      log,
      timeScale,
      x402: args.payX402
        ? {
            limits: { maxPerPaymentUsd: args.maxUsd!, maxPerDayUsd: args.maxUsd! },
            confirm: async (p) => bound.session?.confirmPayment(p) ?? false,
          }
        : undefined,
    });
  } catch (err) {
    log.error(`could not start: ${describeError(err)}`);
    return 1;
  }
  redactor.add(h.sandbox?.key);
  let agent;
  if (args.agent !== undefined) {
    const file = join(stateDir(env), args.sandbox ? 'seisoai-agent-audit-sandbox.jsonl' : 'seisoai-agent-audit.jsonl');
    try {
      agent = await new AgentRoutes(h.providers.seisoai, new AuditLog(file)).open(
        args.agent,
        'gendeck mcp --seisoai-agent: the user started the MCP server bound to this agent',
      );
      log.info(
        `Seisoai agent ${agent.agent.name} (${agent.agent.id}) bound: ${agent.agent.tools.join(', ') || 'no tools'}; audit log ${file}.`,
      );
    } catch (err) {
      log.error(`--seisoai-agent ${args.agent}: ${describeError(err)}`);
      await h.close();
      return 1;
    }
  }
  const session = (bound.session = new McpSession(h, ledger, {
    root: args.root,
    x402: args.payX402 ? { maxUsd: args.maxUsd! } : undefined,
    agent,
    log,
  }));
  const built = createMcpServer(session, { version, timeScale });
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((done) => {
    built.server.onclose = () => done();
    process.stdin.once('end', () => done());
    process.once('SIGTERM', () => done());
    process.once('SIGINT', () => done());
  });
  built.server.onerror = (err) => log.warn(`protocol: ${err.message}`);
  await built.server.connect(transport);
  log.info(
    `ready (${args.sandbox ? 'sandbox' : 'real providers'}; folder ${args.root}; spend cap ${ledger.cap?.source ?? (args.sandbox ? 'none' : 'unset: paid calls are refused')}).`,
  );
  await closed;
  await built.close().catch(() => undefined);
  await h.close().catch((err) => log.warn(`closing: ${describeError(err)}`));
  // Nothing left to do: a lingering socket or timer must not keep the process after the client went away.
  setTimeout(() => process.exit(process.exitCode ?? 0), 1500).unref();
  return 0;
}
