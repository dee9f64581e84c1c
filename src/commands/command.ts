import type { GenDeck } from '../context';
import type { Job } from '../core/jobs/job';
import type { ProviderId } from '../core/providerIds';
import type { EditorUi } from '../views/ui';

/** What every command receives: the services, the shared UI, and each provider's way to run a job again. */
export interface CommandContext {
  readonly g: GenDeck;
  readonly ui: EditorUi;
  readonly reruns: ReadonlyMap<ProviderId, (job: Job) => Promise<void>>;
}

export type Command<C extends CommandContext = CommandContext> = (c: C, ...args: unknown[]) => unknown;
