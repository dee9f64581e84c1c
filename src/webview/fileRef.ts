// Local-file references in the schema form's values. No zod here: the form page imports this at runtime.

/** A media field's value while it names a local file the host holds; replaced by a data: URI on submit. */
export const FILE_REF_PREFIX = 'gendeck-file:';

export function isFileRef(v: unknown): v is string {
  return typeof v === 'string' && v.startsWith(FILE_REF_PREFIX);
}
