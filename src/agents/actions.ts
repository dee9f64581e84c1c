import * as l10n from '@vscode/l10n';
import { existsSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { SetupNeeded, ValidationError } from '../core/errors';
import { formatCharge, formatCost, isActive, TERMINAL, type Job } from '../core/jobs/job';
import type { ProviderId } from '../core/providerIds';
import { COST_UNITS, PROVIDER_IDS, PROVIDER_LABELS } from '../core/providers/index';
import type { LaunchInput, PreparedLaunch } from '../core/providers/launch';
import { CREDIT_RATES } from '../core/providers/seedancee2/contract';
import { DEFAULT_ENGINE, DEFAULT_MODEL, ENGINES, MODELS } from '../core/providers/seele/contract';
import { oneLine } from '../core/text';
import { budgetTodayLine } from '../views/spendModel';
import type { CapCost } from './chatBudget';
import type { AgentHost } from './host';
import { parseInput, type ToolInput, type ToolName } from './inputs';

// What each language-model tool does, without the editor: parse the input, check it, say what a spending call will
// cost (the confirmation), send it once, and answer in JSON the model can read. agents/tools.ts registers them.

/** What a spending tool asks the user before it runs: a title and one line each for what, cost and budgets. */
export interface Confirmation {
  title: string;
  lines: string[];
}

export interface Prepared {
  /** The progress line while the tool runs. */
  invocation: string;
  confirmation?: Confirmation;
}

export interface CallContext {
  /** The chat session the call belongs to (chatBudget.ts sessionOf). */
  session: string;
  signal: AbortSignal;
}

interface LaunchTool {
  provider: ProviderId;
  request(input: Record<string, unknown>): LaunchInput;
}

/** The generate tools: each provider that starts jobs from plain input, with the request its launcher takes. */
export const LAUNCH_TOOLS = {
  gendeck_generate_game: {
    provider: 'seele',
    request: ({ files, ...input }) => ({ input, files: files as string[] | undefined }),
  },
  gendeck_generate_video: {
    provider: 'seedancee2',
    request: ({ files, ...input }) => ({ input, files: files as string[] | undefined }),
  },
  gendeck_run_seisoai_tool: {
    provider: 'seisoai',
    request: (i) => ({
      target: i.tool as string,
      input: i.input as Record<string, unknown>,
      files: i.files as string[] | undefined,
    }),
  },
  gendeck_run_seekapi_worker: {
    provider: 'seekapi',
    request: (i) => ({
      target: i.worker as string,
      input: i.input as Record<string, unknown>,
      files: i.files as string[] | undefined,
    }),
  },
} satisfies Partial<Record<ToolName, LaunchTool>>;
export type LaunchToolName = keyof typeof LAUNCH_TOOLS;

/** The tool that starts a provider's jobs. */
export const GENERATE_TOOL: Partial<Record<ProviderId, LaunchToolName>> = Object.fromEntries(
  Object.entries(LAUNCH_TOOLS).map(([name, t]) => [t.provider, name]),
);

/** Tools that may spend money: each asks for confirmation with the cost, and counts against the caps. */
export const SPENDING_TOOLS: readonly ToolName[] = Object.keys(LAUNCH_TOOLS) as LaunchToolName[];

const DOES: Record<ProviderId, string> = {
  seele: 'game generation (three.js, Unity, Unreal projects)',
  seedancee2: 'text/image-to-video',
  seisoai: 'media tool gateway (images, video, audio, 3D, training): run a tool by id',
  seekapi: 'worker marketplace: run a worker by id',
  seeknetic: 'semantic search over the videos of the workspace',
};

/** The unit a provider's per-session cap is in: its cost unit (Seisoai's dollars, as its prices state them). */
export function capUnit(id: ProviderId): string | undefined {
  return id === 'seisoai' ? 'USD' : COST_UNITS[id];
}

const CACHE_MS = 5 * 60_000;

/** The tools, over one host. A prepared launch is kept a few minutes so the call that follows its confirmation sends what was confirmed. */
export class AgentActions {
  private readonly prepared = new Map<string, { at: number; launch: PreparedLaunch; files: string[] }>();

  constructor(private readonly host: AgentHost) {}

  /** The progress line and, for a spending tool, the confirmation; throws before any confirmation when it cannot go. */
  async prepare(name: ToolName, raw: unknown, ctx: CallContext): Promise<Prepared> {
    const input = parseInput(name, raw);
    if (name in LAUNCH_TOOLS) {
      const tool = LAUNCH_TOOLS[name as LaunchToolName];
      const { launch, files, confirmation } = await this.prepareLaunch(tool, input as Record<string, unknown>, ctx);
      this.prepared.set(cacheKey(name, input), { at: Date.now(), launch, files });
      this.sweep();
      return {
        invocation: l10n.t('Starting {0}…', oneLine(launch.summary, 120)),
        confirmation,
      };
    }
    return { invocation: this.invocationOf(name, input) };
  }

  /** Runs the tool; the JSON-able answer for the model. */
  async invoke(name: ToolName, raw: unknown, ctx: CallContext): Promise<unknown> {
    const input = parseInput(name, raw);
    switch (name) {
      case 'gendeck_list_providers':
        return this.listProviders(ctx);
      case 'gendeck_list_models':
        return this.listModels(input as ToolInput<'gendeck_list_models'>, ctx);
      case 'gendeck_get_input_schema': {
        const i = input as ToolInput<'gendeck_get_input_schema'>;
        const launcher = this.launcher(i.provider as ProviderId);
        return {
          provider: i.provider,
          target: i.target,
          schema: await launcher.inputSchema(i.target, ctx.signal),
          files: 'Local files go in `files` (workspace paths), not in the input; they fill the media fields.',
        };
      }
      case 'gendeck_estimate_cost':
        return this.estimate(input as ToolInput<'gendeck_estimate_cost'>, ctx);
      case 'gendeck_job_status':
        return this.status(input as ToolInput<'gendeck_job_status'>);
      case 'gendeck_wait_for_job':
        return this.wait(input as ToolInput<'gendeck_wait_for_job'>, ctx);
      case 'gendeck_download_outputs':
        return this.download(input as ToolInput<'gendeck_download_outputs'>);
      case 'gendeck_search_videos':
        return this.search(input as ToolInput<'gendeck_search_videos'>, ctx);
      default:
        return this.launch(name as LaunchToolName, input as Record<string, unknown>, ctx);
    }
  }

  private invocationOf(name: ToolName, input: unknown): string {
    const i = input as { job?: string; provider?: string; query?: string };
    switch (name) {
      case 'gendeck_wait_for_job':
        return l10n.t('Waiting for GenDeck job {0}…', String(i.job));
      case 'gendeck_download_outputs':
        return l10n.t('Downloading the outputs of {0}…', String(i.job));
      case 'gendeck_search_videos':
        return l10n.t('Searching the workspace videos for “{0}”…', oneLine(String(i.query), 80));
      case 'gendeck_estimate_cost':
        return l10n.t('Estimating the cost with {0}…', String(i.provider));
      default:
        return l10n.t('Asking GenDeck…');
    }
  }

  private launcher(id: ProviderId) {
    const l = this.host.launchers[id];
    if (!l)
      throw new ValidationError(
        l10n.t('{0} starts no jobs; for Seeknetic use gendeck_search_videos.', PROVIDER_LABELS[id]),
      );
    return l;
  }

  // ---- discovery ----

  private async listProviders(ctx: CallContext) {
    const sandbox = this.host.sandbox();
    const providers = await Promise.all(
      PROVIDER_IDS.map(async (id) => {
        const today = this.host.budget.today(id);
        return {
          id,
          label: PROVIDER_LABELS[id],
          does: DOES[id],
          keySet: await this.host.hasKey(id),
          costUnit: capUnit(id),
          start: GENERATE_TOOL[id] ?? (id === 'seeknetic' ? 'gendeck_search_videos' : undefined),
          target: this.host.launchers[id]?.target,
          dailyBudget: today ? budgetTodayLine(today.spent, today.budget) : undefined,
          chatSession: GENERATE_TOOL[id] ? this.host.chat.line(ctx.session, sandbox, id) : undefined,
        };
      }),
    );
    return {
      sandbox,
      note: sandbox
        ? 'The GenDeck sandbox is on: every provider is the local emulator and nothing real is spent.'
        : undefined,
      providers,
      howTo:
        'gendeck_list_models lists what a provider offers; gendeck_get_input_schema gives the exact input; gendeck_estimate_cost prices it; the generate tools start a job, gendeck_wait_for_job waits for it, gendeck_download_outputs saves its files into the workspace.',
    };
  }

  private async listModels(i: ToolInput<'gendeck_list_models'>, ctx: CallContext) {
    const id = i.provider as ProviderId;
    const match = (...texts: (string | undefined)[]) =>
      !i.filter || texts.some((t) => t?.toLowerCase().includes(i.filter!.toLowerCase()));
    const p = this.host.providers;
    switch (id) {
      case 'seele':
        return {
          provider: id,
          models: MODELS.filter((m) => match(m)),
          engines: ENGINES,
          defaults: { model: DEFAULT_MODEL, engine: DEFAULT_ENGINE },
          cost: 'Seele reports the koin a game used when it finishes.',
        };
      case 'seedancee2': {
        const { models, live } = await p.seedancee2.listModels(ctx.signal);
        return {
          provider: id,
          live,
          models: models.filter((m) => match(m.id)).map((m) => ({ ...m, creditsPerSecond: CREDIT_RATES[m.id] })),
        };
      }
      case 'seisoai': {
        const tools = await p.seisoai.registry.tools({ signal: ctx.signal });
        return {
          provider: id,
          tools: tools
            .filter((t) => match(t.id, t.name, t.category, t.rawCategory))
            .map((t) => ({
              id: t.id,
              name: t.name,
              category: t.category,
              description: t.description && oneLine(t.description, 300),
              enabled: t.enabled,
              executionMode: t.executionMode,
              price: t.price,
            })),
          next: 'gendeck_get_input_schema with provider seisoai and target <tool id> gives its exact input schema.',
        };
      }
      case 'seekapi': {
        const workers = [];
        let next: Parameters<typeof p.seekapi.listWorkers>[0];
        const seen = new Set<string>();
        for (let page = 0; page < 10; page++) {
          const r = await p.seekapi.listWorkers(next, ctx.signal);
          const fresh = r.workers.filter((w) => !seen.has(w.id));
          fresh.forEach((w) => seen.add(w.id));
          workers.push(...fresh.filter((w) => match(w.id, w.name, w.category)));
          if (!r.next || !fresh.length || workers.length >= 100) break;
          next = r.next;
        }
        return {
          provider: id,
          workers: workers.slice(0, 100).map((w) => ({
            id: w.id,
            name: w.name,
            category: w.category,
            description: w.description && oneLine(w.description, 300),
            pricing: w.pricing,
          })),
          next: 'gendeck_get_input_schema with provider seekapi and target <worker id> gives its exact input schema.',
        };
      }
      case 'seeknetic':
        return { provider: id, note: 'Seeknetic has no models to pick: use gendeck_search_videos.' };
    }
  }

  // ---- launching ----

  /** Checks the request (locally, the caps, the daily budget) and writes its confirmation; nothing is sent. */
  private async prepareLaunch(
    tool: LaunchTool,
    input: Record<string, unknown>,
    ctx: CallContext,
    o: { enforce: boolean } = { enforce: true },
  ) {
    const { provider } = tool;
    const label = PROVIDER_LABELS[provider];
    const launcher = this.launcher(provider);
    if (!(await this.host.hasKey(provider)))
      throw new SetupNeeded(
        l10n.t(
          'No {0} API key is set: the user can run "GenDeck: Set API Key…" or "GenDeck: Try the Sandbox" first.',
          label,
        ),
      );
    const req = tool.request(input);
    const files = await this.workspaceFiles(req.files ?? []);
    const launch = await launcher.prepare(
      { ...req, files },
      { signal: ctx.signal, auth: 'apiKey', maxInlineBytes: this.host.maxInlineBytes() },
    );
    const sandbox = this.host.sandbox();
    const refused =
      this.host.chat.refusal(ctx.session, sandbox, provider, capCost(launch)) ??
      this.host.budget.refusal({ provider, what: l10n.t('this job'), cost: launch.cost });
    if (refused && o.enforce) throw refused;
    const today = this.host.budget.today(provider);
    const budgets = [
      today ? budgetTodayLine(today.spent, today.budget) : undefined,
      this.host.chat.line(ctx.session, sandbox, provider),
      sandbox ? l10n.t('Sandbox: nothing real is spent.') : undefined,
    ].filter((l): l is string => !!l);
    const prompt = typeof req.input.prompt === 'string' ? req.input.prompt : undefined;
    const confirmation: Confirmation = {
      title: l10n.t('Start a {0} job?', label),
      lines: [
        oneLine(launch.summary, 300),
        prompt ? l10n.t('Prompt: {0}', oneLine(prompt, 300)) : undefined,
        files.length
          ? l10n.t('Files: {0}', files.map((f) => oneLine(this.host.relativePath(f), 200)).join(', '))
          : undefined,
        launch.cost ? l10n.t('Estimate: {0}.', formatCharge(launch.cost)) : l10n.t('Cost: not known before it runs.'),
        launch.costNote ? oneLine(launch.costNote, 300) : undefined,
        ...budgets,
      ].filter((l): l is string => !!l),
    };
    return { launch, files, confirmation, budgets, refused: refused?.message };
  }

  private async launch(name: LaunchToolName, input: Record<string, unknown>, ctx: CallContext) {
    const tool = LAUNCH_TOOLS[name];
    const key = cacheKey(name, input);
    const hit = this.prepared.get(key);
    this.prepared.delete(key);
    // Checked again here, whatever the confirmation said: a call without one (another extension's) meets the same caps.
    const { launch } = hit && Date.now() - hit.at < CACHE_MS ? hit : await this.prepareLaunch(tool, input, ctx);
    const sandbox = this.host.sandbox();
    const hold = this.host.chat.reserve(ctx.session, sandbox, tool.provider, capCost(launch));
    let job: Job;
    try {
      job = await launch.send(ctx.signal);
    } catch (err) {
      hold.release();
      throw err;
    }
    this.host.addJob(job);
    hold.commit(job.key);
    this.host.log.info(`Agent tool ${name} started ${job.key} (${launch.summary}).`);
    return {
      started: this.jobView(job),
      next: TERMINAL.has(job.status)
        ? 'It is done: gendeck_download_outputs saves its outputs into the workspace.'
        : `Call gendeck_wait_for_job with job "${job.key}" to wait for it, then gendeck_download_outputs.`,
    };
  }

  private async estimate(i: ToolInput<'gendeck_estimate_cost'>, ctx: CallContext) {
    const provider = i.provider as ProviderId;
    const name = GENERATE_TOOL[provider];
    if (!name) throw new ValidationError(l10n.t('{0} starts no jobs to estimate.', PROVIDER_LABELS[provider]));
    const target = this.host.launchers[provider]?.target;
    const input: Record<string, unknown> =
      target === 'tool'
        ? { tool: i.target, input: i.input, files: i.files }
        : target === 'worker'
          ? { worker: i.target, input: i.input, files: i.files }
          : { ...i.input, files: i.files };
    const parsed = parseInput(name, JSON.parse(JSON.stringify(input)));
    const { launch, budgets, refused } = await this.prepareLaunch(LAUNCH_TOOLS[name], parsed, ctx, {
      enforce: false,
    });
    return {
      provider,
      summary: launch.summary,
      estimate: launch.cost ? { ...launch.cost, text: formatCharge(launch.cost) } : undefined,
      costNote: launch.costNote,
      budgets,
      refused,
      start: refused
        ? 'It would be refused now (see refused); nothing was sent.'
        : `${name} with the same input starts it (the user confirms).`,
    };
  }

  /**
   * Local files as absolute paths inside an open workspace folder (symbolic links resolved), so a tool can never send
   * a file from elsewhere on the machine.
   */
  private async workspaceFiles(files: readonly string[]): Promise<string[]> {
    if (!files.length) return [];
    const folders = this.host.workspaceFolders();
    if (!folders.length)
      throw new SetupNeeded(l10n.t('Open a folder first: GenDeck tools send files from the workspace only.'));
    const roots = await Promise.all(folders.map((f) => realpath(f).catch(() => f)));
    const out: string[] = [];
    for (const f of files) {
      const abs = isAbsolute(f) ? f : resolve(folders[0], f);
      const real = await realpath(abs).catch(() => undefined);
      if (!real) throw new ValidationError(l10n.t('{0} does not exist.', f));
      if (!roots.some((r) => inside(r, real)))
        throw new ValidationError(l10n.t('{0} is outside the workspace; GenDeck tools send workspace files only.', f));
      out.push(real);
    }
    return out;
  }

  // ---- jobs ----

  /** A job named by its key, its provider id, or a unique prefix of either. */
  private findJob(ref: string): Job {
    const jobs = this.host.jobs.all();
    const exact = jobs.find((j) => j.key === ref || j.id === ref);
    if (exact) return exact;
    const hits = jobs.filter((j) => j.key.startsWith(ref) || j.id.startsWith(ref));
    if (hits.length === 1) return hits[0];
    throw new ValidationError(
      hits.length
        ? l10n.t('{0} names {1} GenDeck jobs; give its whole key.', ref, hits.length)
        : l10n.t('No GenDeck job {0}: gendeck_job_status without a job lists them.', ref),
    );
  }

  jobView(job: Job) {
    return {
      job: job.key,
      provider: job.provider,
      title: job.title,
      status: job.status,
      remoteStatus: job.remoteStatus,
      progress: job.progress,
      cost: formatCost(job),
      error: job.error?.message,
      sandbox: job.sandbox || undefined,
      createdAt: job.createdAt,
      finishedAt: job.finishedAt,
      webUrl: job.webUrl,
      outputs: job.outputs.map((o, index) => ({
        index,
        kind: o.kind,
        name: o.name ?? o.label,
        url: o.url?.startsWith('data:') ? '(inline data)' : o.url,
        file: o.localPath && existsSync(o.localPath) ? this.host.relativePath(o.localPath) : undefined,
        value:
          o.value === undefined
            ? undefined
            : oneLine(typeof o.value === 'string' ? o.value : JSON.stringify(o.value), 2000),
      })),
    };
  }

  private status(i: ToolInput<'gendeck_job_status'>) {
    if (i.job) return this.jobView(this.findJob(i.job));
    const jobs = this.host.jobs
      .all()
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, 20);
    return {
      jobs: jobs.map((j) => ({
        job: j.key,
        title: j.title,
        status: j.status,
        cost: formatCost(j),
        outputs: j.outputs.length,
      })),
    };
  }

  private async wait(i: ToolInput<'gendeck_wait_for_job'>, ctx: CallContext) {
    const key = this.findJob(i.job).key;
    const timeoutMs = (i.timeoutSeconds ?? 120) * 1000;
    const done = (j: Job | undefined) => !j || (TERMINAL.has(j.status) && !isActive(j));
    const finished = await new Promise<boolean>((resolvePromise, reject) => {
      const end = (v: boolean | Error) => {
        clearTimeout(timer);
        sub.dispose();
        ctx.signal.removeEventListener('abort', abort);
        if (v instanceof Error) reject(v);
        else resolvePromise(v);
      };
      const abort = () => end(abortError());
      const sub = this.host.jobs.onDidChange((keys) => {
        if (keys.includes(key) && done(this.host.jobs.get(key))) end(true);
      });
      const timer = setTimeout(() => end(false), timeoutMs);
      ctx.signal.addEventListener('abort', abort, { once: true });
      if (ctx.signal.aborted) abort();
      else if (done(this.host.jobs.get(key))) end(true);
      else this.host.kick([key]);
    });
    const job = this.host.jobs.get(key);
    if (!job) throw new ValidationError(l10n.t('Job {0} was removed from the list.', key));
    return {
      finished,
      ...this.jobView(job),
      next: finished
        ? job.status === 'succeeded'
          ? 'gendeck_download_outputs saves its outputs into the workspace.'
          : undefined
        : `Still ${job.status} after ${i.timeoutSeconds ?? 120} s; call gendeck_wait_for_job again to keep waiting.`,
    };
  }

  private async download(i: ToolInput<'gendeck_download_outputs'>) {
    const job = this.findJob(i.job);
    if (!job.outputs.length)
      throw new ValidationError(l10n.t('{0} has no outputs yet (it is {1}).', job.key, job.status));
    if (i.output !== undefined && !job.outputs[i.output])
      throw new ValidationError(l10n.t('{0} has no output {1}; it has {2}.', job.key, i.output, job.outputs.length));
    if (!this.host.workspaceFolders().length)
      throw new SetupNeeded(l10n.t('Open a folder first: GenDeck downloads outputs into the workspace.'));
    const outputs = i.output === undefined ? job.outputs : [job.outputs[i.output]];
    const files = await this.host.download(job, outputs);
    return {
      job: job.key,
      files: files.map((f) => ({ path: this.host.relativePath(f.path), reused: f.reused || undefined })),
    };
  }

  // ---- search ----

  private async search(i: ToolInput<'gendeck_search_videos'>, ctx: CallContext) {
    if (!this.host.searchVideos) throw new SetupNeeded(l10n.t('Video search is not available in this window.'));
    if (!(await this.host.hasKey('seeknetic')))
      throw new SetupNeeded(
        l10n.t('No Seeknetic API key is set: the user can run "GenDeck: Set API Key…" or try the sandbox.'),
      );
    const { indexed, hits } = await this.host.searchVideos(i.query, ctx.signal);
    return {
      query: i.query,
      indexed,
      note: indexed
        ? undefined
        : 'No workspace video is indexed yet: the user can run "GenDeck: Index Workspace Videos" first.',
      hits: hits.slice(0, i.maxResults ?? 10).map((h) => ({
        path: this.host.relativePath(h.path),
        score: Math.round(h.score * 1000) / 1000,
        duration: h.duration,
        start: h.start,
        end: h.end,
        tags: h.tags && Object.keys(h.tags).length ? h.tags : undefined,
      })),
    };
  }

  /** Drops prepared launches nobody sent. */
  private sweep(): void {
    const now = Date.now();
    for (const [k, v] of this.prepared) if (now - v.at > CACHE_MS) this.prepared.delete(k);
  }
}

function capCost(launch: PreparedLaunch): CapCost | undefined {
  return launch.cost && { amount: launch.cost.amount, unit: launch.cost.unit };
}

function cacheKey(name: string, input: unknown): string {
  return `${name}\0${JSON.stringify(input)}`;
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function abortError(): Error {
  const err = new Error(l10n.t('Cancelled.'));
  err.name = 'AbortError';
  return err;
}
