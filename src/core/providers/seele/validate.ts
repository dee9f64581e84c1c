import * as l10n from '@vscode/l10n';
import { ValidationError } from '../../errors';
import { ENGINES, MODELS } from './contract';
import type { CreateJobRequest } from './schemas';

/** Checks a job or step request against the documented fields before anything is sent. */
export function validateSeeleRequest(req: CreateJobRequest): void {
  const f: Record<string, string> = {};
  if (typeof req.prompt !== 'string' || !req.prompt.trim()) f.prompt = l10n.t('The prompt is empty.');
  if (req.model !== undefined && !(MODELS as readonly string[]).includes(req.model))
    f.model = l10n.t('Unknown Seele model "{0}". Choose one of {1}.', req.model, MODELS.join(', '));
  if (req.engine !== undefined && !(ENGINES as readonly string[]).includes(req.engine))
    f.engine = l10n.t('Unknown engine "{0}". Choose one of {1}.', req.engine, ENGINES.join(', '));
  if (req.generation_model !== undefined && (typeof req.generation_model !== 'string' || !req.generation_model.trim()))
    f.generation_model = l10n.t('The generation model, when given, must be a non-empty name.');
  if (
    req.file_ids !== undefined &&
    (!Array.isArray(req.file_ids) || req.file_ids.some((id) => typeof id !== 'string' || !id))
  )
    f.file_ids = l10n.t('file_ids must be a list of file ids.');
  const keys = Object.keys(f);
  if (keys.length)
    throw new ValidationError(
      keys.length === 1 ? f[keys[0]] : l10n.t('{0} problems: {1}', keys.length, Object.values(f).join(' ')),
      f,
    );
}
