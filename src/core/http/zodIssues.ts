import * as l10n from '@vscode/l10n';
import type { z } from 'zod';

/** "data.id: expected string; data.status: invalid option" — short enough for a notification. */
export function describeZodIssues(error: z.ZodError, max = 3): string {
  const parts = error.issues.slice(0, max).map((i) => {
    const path = i.path.map(String).join('.') || '(root)';
    return i.code === 'invalid_type' && /received undefined/.test(i.message)
      ? l10n.t('{0} is missing', path)
      : `${path}: ${i.message}`;
  });
  if (error.issues.length > max) parts.push(l10n.t('and {0} more', error.issues.length - max));
  return parts.join('; ');
}
