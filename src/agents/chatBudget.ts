import * as l10n from '@vscode/l10n';
import { formatAmount, type Job } from '../core/jobs/job';
import type { ProviderId } from '../core/providerIds';

// What the language-model tools may spend in one chat session (`gendeck.agents.*`): a cap per provider in its own
// unit and a cap on the number of jobs, counted per chat session (the sandbox's apart from the real services'). A job
// counts what its provider reported it cost once it says, else the estimate it was started with; a job whose cost is
// not known before it ends (a Seele game) may start while the session is under its cap and counts when it reports.
// vscode-free, so it is tested in plain Node.

export const SPEND_SETTING = 'gendeck.agents.maxSpendPerChatSession';
export const JOBS_SETTING = 'gendeck.agents.maxJobsPerChatSession';

/** The session of tool calls made outside any chat (another extension calling `vscode.lm.invokeTool` itself). */
export const NO_CHAT_SESSION = 'window';

export interface SessionCaps {
  /** Per provider in `unit(provider)`; a provider without an entry has no spend cap (it has no per-job cost). */
  spend: Partial<Record<ProviderId, number>>;
  jobs: number;
}

export interface CapCost {
  amount: number;
  unit: string;
}

/** A chat session's spend with one provider: what is counted, how much of it is an estimate, jobs of unknown cost. */
export interface SessionSpend {
  amount: number;
  estimated: number;
  unknown: number;
}

interface Entry {
  provider: ProviderId;
  /** The estimate it was started with, in the cap's unit. */
  estimate?: number;
  /** Set once the provider took it. */
  jobKey?: string;
}

export interface ChatBudgetOptions {
  caps(): SessionCaps;
  /** The unit a provider's cap is in (its cost unit). */
  unit(provider: ProviderId): string | undefined;
  label(provider: ProviderId): string;
  /** The job as it is now (its reported cost), when it is still in the list. */
  job(key: string): Job | undefined;
}

/** A tool call that would pass a per-session cap, refused before anything is sent. */
export class SessionCapExceeded extends Error {
  constructor(
    message: string,
    readonly setting: string,
  ) {
    super(message);
    this.name = 'SessionCapExceeded';
  }
}

/** USD and USDC are the same dollars for a cap (Seisoai states dollars; x402 pays them in USDC). */
function sameUnit(a: string, b: string): boolean {
  const norm = (u: string) => (/^usdc?$/i.test(u) ? 'usd' : u.toLowerCase());
  return norm(a) === norm(b);
}

/** A cost in the cap's unit, or undefined when it is in another (a Seisoai price only in credits) or not known. */
export function inUnit(cost: CapCost | undefined, unit: string | undefined): number | undefined {
  return cost && unit && sameUnit(cost.unit, unit) ? cost.amount : undefined;
}

/**
 * The session a tool call belongs to, as far as the editor says: the chat session id or resource of the prepare
 * options (proposed API, present at run time in recent editors), else the one inside the invocation token, else the
 * window's (no chat). The token is opaque by contract; only a string id or a URI-like resource is read from it.
 */
export function sessionOf(options: unknown): string {
  const o = (options ?? {}) as Record<string, unknown>;
  const token = (o.toolInvocationToken ?? {}) as Record<string, unknown>;
  for (const v of [o.chatSessionId, o.chatSessionResource, token.sessionId, token.sessionResource]) {
    if (typeof v === 'string' && v) return `chat:${v}`;
    const r = v as { scheme?: unknown; authority?: unknown; path?: unknown } | undefined;
    if (r && typeof r === 'object' && typeof r.scheme === 'string' && typeof r.path === 'string')
      return `chat:${r.scheme}://${typeof r.authority === 'string' ? r.authority : ''}${r.path}`;
  }
  return NO_CHAT_SESSION;
}

/** A place held under the caps while a job is being sent: committed with the job's key, or released. */
export interface Reservation {
  commit(jobKey: string): void;
  release(): void;
}

/** The per-chat-session caps of the language-model tools. */
export class ChatBudget {
  private readonly sessions = new Map<string, Entry[]>();

  constructor(private readonly o: ChatBudgetOptions) {}

  private entries(session: string, sandbox: boolean): Entry[] {
    const key = `${sandbox ? 'sandbox' : 'real'}\0${session}`;
    let list = this.sessions.get(key);
    if (!list) this.sessions.set(key, (list = []));
    return list;
  }

  /** What the session has spent with a provider so far (jobs being sent count with their estimate). */
  spent(session: string, sandbox: boolean, provider: ProviderId): SessionSpend {
    const unit = this.o.unit(provider);
    const out: SessionSpend = { amount: 0, estimated: 0, unknown: 0 };
    for (const e of this.entries(session, sandbox)) {
      if (e.provider !== provider) continue;
      const job = e.jobKey ? this.o.job(e.jobKey) : undefined;
      const reported = job?.cost && inUnit(job.cost, unit);
      if (job?.cost && reported !== undefined) {
        const amount = Math.max(0, reported - (job.cost.refunded ?? 0));
        out.amount += amount;
        if (job.cost.estimated) out.estimated += amount;
      } else if (e.estimate !== undefined) {
        out.amount += e.estimate;
        out.estimated += e.estimate;
      } else out.unknown++;
    }
    return out;
  }

  /** Jobs the session's tools started (or are sending), every provider. */
  jobs(session: string, sandbox: boolean): number {
    return this.entries(session, sandbox).length;
  }

  /** Why this job may not be started in this session now, or undefined. `cost` is the estimate, when there is one. */
  refusal(session: string, sandbox: boolean, provider: ProviderId, cost?: CapCost): SessionCapExceeded | undefined {
    const caps = this.o.caps();
    const label = this.o.label(provider);
    const started = this.jobs(session, sandbox);
    if (started + 1 > caps.jobs)
      return new SessionCapExceeded(
        caps.jobs === 0
          ? l10n.t('GenDeck tools may not start jobs: {0} is 0.', JOBS_SETTING)
          : l10n.t(
              'This chat session has started {0} GenDeck jobs, as many as {1} allows; raise it to start more.',
              started,
              JOBS_SETTING,
            ),
        JOBS_SETTING,
      );
    const cap = caps.spend[provider];
    const unit = this.o.unit(provider);
    if (cap === undefined || !unit) return undefined;
    if (cap === 0)
      return new SessionCapExceeded(
        l10n.t('GenDeck tools may not spend with {0}: {1}.{2} is 0.', label, SPEND_SETTING, provider),
        SPEND_SETTING,
      );
    const spent = this.spent(session, sandbox, provider);
    const amount = inUnit(cost, unit);
    if (amount === undefined) {
      if (spent.amount < cap) return undefined;
      return new SessionCapExceeded(
        l10n.t(
          'This chat session has spent {0} of its {1} {2} with {3} ({4}.{5}), and the cost of this job is not known before it runs.',
          formatAmount(spent.amount, unit),
          formatAmount(cap, unit),
          unit,
          label,
          SPEND_SETTING,
          provider,
        ),
        SPEND_SETTING,
      );
    }
    if (spent.amount + amount <= cap) return undefined;
    return new SessionCapExceeded(
      l10n.t(
        'This job (~{0} {1}) would bring this chat session past its {2} {1} with {3}: {4} spent so far ({5}.{6}).',
        formatAmount(amount, unit),
        unit,
        formatAmount(cap, unit),
        label,
        formatAmount(spent.amount, unit),
        SPEND_SETTING,
        provider,
      ),
      SPEND_SETTING,
    );
  }

  /** Holds a place under the caps for a job about to be sent; throws SessionCapExceeded when it does not fit. */
  reserve(session: string, sandbox: boolean, provider: ProviderId, cost?: CapCost): Reservation {
    const refused = this.refusal(session, sandbox, provider, cost);
    if (refused) throw refused;
    const list = this.entries(session, sandbox);
    const entry: Entry = { provider, estimate: inUnit(cost, this.o.unit(provider)) };
    list.push(entry);
    return {
      commit: (jobKey) => {
        entry.jobKey = jobKey;
      },
      release: () => {
        const i = list.indexOf(entry);
        if (i >= 0 && !entry.jobKey) list.splice(i, 1);
      },
    };
  }

  /** The confirmation's line: "This chat session: ~20 of 200 credits with Seedancee2, 1 of 10 jobs (…)." */
  line(session: string, sandbox: boolean, provider: ProviderId): string {
    const caps = this.o.caps();
    const cap = caps.spend[provider];
    const unit = this.o.unit(provider);
    const jobs = this.jobs(session, sandbox);
    const where = session === NO_CHAT_SESSION ? l10n.t('Outside a chat') : l10n.t('This chat session');
    if (cap === undefined || !unit) return l10n.t('{0}: {1} of {2} jobs ({3}).', where, jobs, caps.jobs, JOBS_SETTING);
    const s = this.spent(session, sandbox, provider);
    const spent = `${s.estimated ? '~' : ''}${formatAmount(s.amount, unit)}`;
    const unknown = s.unknown ? l10n.t(' (and {0} job(s) whose cost is not reported yet)', s.unknown) : '';
    return l10n.t(
      '{0}: {1} of {2} {3} with {4}{5}, {6} of {7} jobs ({8}).',
      where,
      spent,
      formatAmount(cap, unit),
      unit,
      this.o.label(provider),
      unknown,
      jobs,
      caps.jobs,
      SPEND_SETTING,
    );
  }
}
