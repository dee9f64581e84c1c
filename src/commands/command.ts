import type { CommandId } from '../commandIds';
import type { GenDeck } from '../context';
import type { Job } from '../core/jobs/job';
import type { ProviderId } from '../core/providerIds';
import type { EditorUi } from '../views/ui';

/** One thing a provider's feature can start (New…): a label, a line more, and the command that does it. */
export interface JobStart {
  readonly provider: ProviderId;
  readonly label: string;
  readonly detail?: string;
  readonly command: CommandId;
}

/**
 * What every command receives: the services, the shared UI, each provider's way to run a job again, and what each
 * provider can start.
 */
export interface CommandContext {
  readonly g: GenDeck;
  readonly ui: EditorUi;
  readonly reruns: ReadonlyMap<ProviderId, (job: Job) => Promise<void>>;
  readonly starts: readonly JobStart[];
}

export type Command<C extends CommandContext = CommandContext> = (c: C, ...args: unknown[]) => unknown;
