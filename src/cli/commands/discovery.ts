// What there is to run, read live: the providers, Seedancee2's models, Seisoai's tools, Seek API's workers.
import { PROVIDER_IDS, PROVIDER_LABELS, PROVIDERS } from '../../core/providers/index';
import { CREDIT_RATES } from '../../core/providers/seedancee2/contract';
import { describePricing } from '../../core/providers/seekapi/provider';
import type { WorkerSummary } from '../../core/providers/seekapi/schemas';
import { CATEGORIES } from '../../core/providers/seisoai/contract';
import type { Price } from '../../core/providers/seisoai/schemas';
import { oneLine } from '../../core/text';
import { positionals, str, UsageError } from '../args';
import type { Command, Context } from '../command';
import { EXIT } from '../exit';
import { table } from '../output';
import { requireKey, withHeadless } from '../session';
import { baseUrlVar } from '../services';

/** The one provider a listing is about: named, or left out. */
function onlyProvider(c: Context, command: string, expected: string, target?: string): string | undefined {
  const p = positionals(command, c.args, [], ['PROVIDER', ...(target ? [target] : [])]);
  if (p.PROVIDER !== undefined && p.PROVIDER !== expected)
    throw new UsageError(
      `gendeck ${command} is about ${expected} only, not "${p.PROVIDER}" (gendeck ${command} --help).`,
    );
  return target ? p[target] : undefined;
}

export const providers: Command = {
  name: 'providers',
  summary: 'the five providers: base URL, key variable and whether it is set, what `run` takes',
  usage: 'gendeck providers [--sandbox] [--json]',
  help: `Lists each provider with the base URL in use (GENDECK_<PROVIDER>_BASE_URL, the sandbox's with --sandbox, else the
provider's own), the environment variable its key is read from and whether it is set (never the key), and what
\`gendeck run\` starts there.`,
  options: {},
  async run(c) {
    positionals('providers', c.args, []);
    return withHeadless(c, async (h) => {
      const rows = PROVIDER_IDS.map((id) => {
        const launcher = h.launcher(id);
        return {
          id,
          label: PROVIDER_LABELS[id],
          baseUrl: h.providers[id].http.baseUrl,
          baseUrlVar: baseUrlVar(id),
          envKey: PROVIDERS[id].envKey,
          keySet: !!c.env[PROVIDERS[id].envKey],
          run: launcher ? (launcher.target ?? 'prompt') : null,
          costUnit: PROVIDERS[id].costUnit ?? null,
        };
      });
      if (c.global.json) rows.forEach((r) => c.out.object(r));
      const key = (r: (typeof rows)[number]) => (h.sandbox ? 'sandbox key' : r.keySet ? 'set' : 'not set');
      table([
        ['PROVIDER', 'RUN', 'KEY', '', 'BASE URL'],
        ...rows.map((r) => [r.id, r.run ?? 'index/search', r.envKey, key(r), r.baseUrl]),
      ]).forEach((l) => c.out.line(l));
      return EXIT.ok;
    });
  },
};

export const models: Command = {
  name: 'models',
  summary: "Seedancee2's live models: resolutions, durations, credits per second",
  usage: 'gendeck models [seedancee2] [--sandbox] [--json]',
  help: `Reads GET /v1/models (the documented table when the list cannot be read, said on stderr) with the credit rate of
each resolution: a video costs duration × rate credits.`,
  options: {},
  async run(c) {
    onlyProvider(c, 'models', 'seedancee2');
    return withHeadless(c, async (h) => {
      requireKey(h, 'seedancee2');
      const { models: list, live } = await h.providers.seedancee2.listModels(c.signal);
      if (!live)
        c.out.note('gendeck: warning: the live model list could not be read; these are the documented models.');
      const rows = list.map((m) => ({ ...m, live, rates: CREDIT_RATES[m.id] ?? {} }));
      if (c.global.json) rows.forEach((r) => c.out.object(r));
      table([
        ['MODEL', 'STATUS', 'DURATION', 'CREDITS PER SECOND'],
        ...rows.map((m) => [
          m.id,
          m.status ?? '',
          m.duration ? `${m.duration.min}–${m.duration.max} s` : '',
          (m.resolutions ?? Object.keys(m.rates)).map((r) => `${r} ${m.rates[r] ?? '?'}`).join(', '),
        ]),
      ]).forEach((l) => c.out.line(l));
      return EXIT.ok;
    });
  },
};

function priceText(p: Omit<Price, 'raw'> | undefined): string {
  if (!p || (p.usd === undefined && p.credits === undefined)) return 'price on input';
  return [p.usd !== undefined ? `$${p.usd}` : '', p.credits !== undefined ? `${p.credits} credits` : '']
    .filter(Boolean)
    .join(' · ');
}

export const tools: Command = {
  name: 'tools',
  summary: "Seisoai's live tools by category (--category …); one tool's input schema and price",
  usage: 'gendeck tools [seisoai] [TOOL_ID] [--category CATEGORY] [--sandbox] [--json]',
  help: `Without TOOL_ID: every tool of the live registry (GET /tools), by category, with its price and mode.
  --category C   only tools of C: ${CATEGORIES.join(', ')}
With TOOL_ID: the tool's exact input schema (what --input of \`gendeck run seisoai TOOL_ID\` must match).`,
  options: { category: { type: 'string' } },
  async run(c) {
    const toolId = onlyProvider(c, 'tools', 'seisoai', 'TOOL_ID');
    const wanted = str(c.values, 'category');
    const category = wanted && CATEGORIES.find((k) => k.toLowerCase() === wanted.toLowerCase());
    if (wanted && !category)
      throw new UsageError(`No Seisoai category "${wanted}"; the categories are ${CATEGORIES.join(', ')}.`);
    return withHeadless(c, async (h) => {
      requireKey(h, 'seisoai');
      const registry = h.providers.seisoai.registry;
      if (toolId) {
        const tool = await registry.detail(toolId, { signal: c.signal });
        if (c.global.json) c.out.object({ ...tool, raw: undefined });
        c.out.line(`${tool.id}  ${tool.name}  (${tool.category}${tool.enabled ? '' : ', disabled'})`);
        if (tool.description) c.out.line(oneLine(tool.description, 300));
        c.out.line(JSON.stringify(tool.inputSchema, null, 2));
        return EXIT.ok;
      }
      const groups = (await registry.grouped({ signal: c.signal })).filter((g) => !category || g.category === category);
      for (const g of groups) {
        if (c.global.json) g.tools.forEach((t) => c.out.object(t));
        c.out.line(g.category);
        table(
          g.tools.map((t) => [
            t.id,
            t.name,
            priceText(t.price),
            [t.executionMode, t.enabled ? '' : 'disabled'].filter(Boolean).join(', '),
          ]),
        ).forEach((l) => c.out.line(`  ${l}`));
      }
      if (!groups.length) c.out.note(`gendeck: no Seisoai tools${category ? ` in ${category}` : ''}.`);
      return EXIT.ok;
    });
  },
};

/** The editor's filter pulls at most this many pages; so does the CLI (the API documents no search). */
const WORKER_PAGES = 20;

export const workers: Command = {
  name: 'workers',
  summary: "Seek API's workers (--filter TEXT); one worker's input schema and pricing",
  usage: 'gendeck workers [seekapi] [WORKER_ID] [--filter TEXT] [--sandbox] [--json]',
  help: `Without WORKER_ID: the marketplace's workers (every page, at most ${WORKER_PAGES}) with their pricing.
  --filter TEXT   only workers whose name, id or category contains TEXT
With WORKER_ID: the worker's input schema (what --input of \`gendeck run seekapi WORKER_ID\` must match).`,
  options: { filter: { type: 'string' } },
  async run(c) {
    const workerId = onlyProvider(c, 'workers', 'seekapi', 'WORKER_ID');
    const filter = str(c.values, 'filter')?.trim().toLowerCase();
    return withHeadless(c, async (h) => {
      requireKey(h, 'seekapi');
      const seek = h.providers.seekapi;
      if (workerId) {
        const w = await seek.getWorker(workerId, { signal: c.signal });
        if (c.global.json) c.out.object(w);
        c.out.line(`${w.id}  ${w.name}  (${describePricing(w.pricing)})`);
        if (w.description) c.out.line(oneLine(w.description, 300));
        c.out.line(JSON.stringify(w.inputSchema, null, 2));
        return EXIT.ok;
      }
      const all: WorkerSummary[] = [];
      let page = await seek.listWorkers(undefined, c.signal);
      for (let n = 1; ; n++) {
        const known = new Set(all.map((w) => w.id));
        const fresh = page.workers.filter((w) => !known.has(w.id));
        all.push(...fresh);
        // A page that adds nothing new ends the list (a server that ignores the page parameter).
        if (!page.next || !fresh.length || n >= WORKER_PAGES) break;
        page = await seek.listWorkers(page.next, c.signal);
      }
      const shown = all.filter(
        (w) => !filter || [w.name, w.id, w.category ?? ''].some((s) => s.toLowerCase().includes(filter)),
      );
      if (c.global.json) shown.forEach((w) => c.out.object(w));
      table(shown.map((w) => [w.id, w.name, w.category ?? '', describePricing(w.pricing)])).forEach((l) =>
        c.out.line(l),
      );
      if (!shown.length) c.out.note(`gendeck: no Seek API workers${filter ? ` match "${filter}"` : ''}.`);
      return EXIT.ok;
    });
  },
};
