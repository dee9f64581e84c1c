import * as vscode from 'vscode';
import type { Job } from '../../core/jobs/job';
import { oneLine } from '../../core/text';
import { pickStep, runSteps, textStep } from '../../commands/steps';
import { jobChoices, jobItem, jobKeyOf, withProgress } from '../../commands/util';
import { confirmSeele } from './confirm';
import { uploadHooks } from './newGame';
import type { CommandContext } from '../../commands/command';

const isSeele = (j: Job) => j.provider === 'seele';

interface StepAnswers {
  job?: Job;
  prompt?: string;
  files: string[];
}

/**
 * Jobs tree → "Add Follow-up Step…": [which job,] a prompt and optional files as one multi-step input, then a
 * confirmation; queued when the job is still generating.
 */
export async function addFollowUpStep(c: CommandContext, arg?: unknown): Promise<void> {
  const { g } = c;
  const key = jobKeyOf(arg);
  const given = key ? g.store.get(key) : undefined;
  if (key && !given) return;
  if (given && !isSeele(given))
    return void vscode.window.showInformationMessage(vscode.l10n.t('Follow-up steps are a Seele feature.'));
  const jobs = given
    ? []
    : jobChoices(
        g,
        isSeele,
        vscode.l10n.t('No Seele game to add a step to: start one with "New Game from Prompt (Seele)".'),
      );
  if (!jobs) return;
  const noFiles = vscode.l10n.t('No files');
  const keepLabel = (n: number) =>
    n === 1 ? vscode.l10n.t('Keep the 1 file chosen') : vscode.l10n.t('Keep the {0} files chosen', n);
  const refused = g.budget.refusal({ provider: 'seele', what: 'this step' });
  if (refused) return g.reportError(refused, vscode.l10n.t('Seele step not sent'));
  const answers = await runSteps<StepAnswers>(
    {
      title: (s) =>
        s.job ? vscode.l10n.t('Follow-up step for “{0}”', oneLine(s.job.title, 60)) : vscode.l10n.t('Follow-up step'),
      steps: [
        pickStep({
          name: vscode.l10n.t('Seele job'),
          skip: () => !!given,
          placeholder: vscode.l10n.t('Add a step to which Seele job?'),
          matchOnDescription: true,
          items: () => jobs.map(jobItem),
          selected: (s) => s.job?.title,
          accept: (item, s) => {
            s.job = item.job;
          },
        }),
        textStep({
          name: vscode.l10n.t('Prompt'),
          prompt: (s) =>
            s.job?.status === 'running'
              ? vscode.l10n.t(
                  'Describe the change (required). The job is still generating, so the step waits and is sent when it finishes.',
                )
              : vscode.l10n.t('Describe the change (required)'),
          placeholder: vscode.l10n.t('Add a day-night cycle and a boss battle'),
          value: (s) => s.prompt,
          validate: (v) => (v.trim() ? undefined : vscode.l10n.t('The prompt is empty.')),
          accept: (v, s) => (s.prompt = v.trim()),
        }),
        pickStep({
          name: vscode.l10n.t('Reference files (optional)'),
          items: (s) => [
            { label: noFiles, keep: false, choose: false },
            ...(s.files.length
              ? [
                  {
                    label: keepLabel(s.files.length),
                    description: s.files.map((f) => vscode.workspace.asRelativePath(f)).join(', '),
                    keep: true,
                    choose: false,
                  },
                ]
              : []),
            { label: vscode.l10n.t('Attach reference files…'), keep: false, choose: true },
          ],
          selected: (s) => (s.files.length ? keepLabel(s.files.length) : noFiles),
          accept: async (item, s) => {
            if (item.keep) return;
            if (!item.choose) {
              s.files = [];
              return;
            }
            const uris = await vscode.window.showOpenDialog({
              canSelectMany: true,
              canSelectFolders: false,
              openLabel: vscode.l10n.t('Attach to step'),
            });
            if (!uris?.length) return false; // dismissed: this question again
            s.files = uris.map((u) => u.fsPath);
          },
        }),
      ],
    },
    { job: given, files: [] },
  );
  if (!answers?.job || answers.prompt === undefined) return;
  const { job, prompt, files } = answers;
  // The job's model goes along so the step is generated the same way; the engine stays as it is.
  const req = job.request as { model?: string };
  const model = typeof req.model === 'string' ? req.model : undefined;
  const waits = job.status === 'running';
  const ok = await confirmSeele(g, {
    message: waits
      ? vscode.l10n.t('Queue a step for “{0}”?', oneLine(job.title, 80))
      : vscode.l10n.t('Send a step to “{0}”?', oneLine(job.title, 80)),
    prompt,
    settings: [
      model
        ? vscode.l10n.t('Model {0}, as the game was started; the engine stays as it is.', model)
        : vscode.l10n.t('Seele’s default model; the engine stays as it is.'),
      waits
        ? vscode.l10n.t('The game is still generating: the step waits in GenDeck and is sent when it finishes.')
        : undefined,
    ],
    files,
    button: vscode.l10n.t('Send Step'),
  });
  if (!ok) return;
  const result = await withProgress(g, vscode.l10n.t('Sending Seele step…'), (signal, progress) =>
    g.providers.seele.addStep(job.key, { prompt, model, files }, uploadHooks(files, signal, progress)),
  );
  if (!result) return;
  void vscode.window.showInformationMessage(
    result.queued
      ? vscode.l10n.t(
          '“{0}” is still generating: the step is queued and will be sent when it finishes. You can cancel it until then.',
          job.title,
        )
      : vscode.l10n.t('Step sent to “{0}”; the job is generating again.', job.title),
  );
}
