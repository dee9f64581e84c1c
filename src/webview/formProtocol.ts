// Messages between the extension host and the schema form webview (src/webview-ui/form). Shared by
// both bundles and by every provider whose input is a JSON schema (Seisoai tools, Seek workers).
import type { MediaKind, SchemaForm } from '../core/forms/schemaForm';

/** A media field's value while it names a local file the host holds; replaced by a data: URI on submit. */
export const FILE_REF_PREFIX = 'gendeck-file:';

export function isFileRef(v: unknown): v is string {
  return typeof v === 'string' && v.startsWith(FILE_REF_PREFIX);
}

export interface FileRefInfo {
  ref: string;
  name: string;
  bytes: number;
  kind: MediaKind;
  mime: string;
}

export interface FormInit {
  title: string;
  /** One line under the title (tool id, category …). */
  subtitle?: string;
  description?: string;
  form: SchemaForm;
  values: Record<string, unknown>;
  submitLabel: string;
  /** Largest inline file, so the page can say so. */
  maxInlineBytes: number;
  /** Short tags: "sandbox", "queue", "pays with x402" … */
  badges?: string[];
  /** Lines shown above the submit button (what happens when it is pressed). */
  notes?: string[];
  /** Whether the host computes a price for the current values. */
  priced: boolean;
}

export type ToForm =
  | { type: 'init'; init: FormInit; files: FileRefInfo[] }
  | { type: 'price'; text: string; pending?: boolean; error?: boolean }
  | { type: 'fileChosen'; field: string; index?: number; file: FileRefInfo }
  | { type: 'errors'; fields: Record<string, string>; message?: string }
  | { type: 'busy'; busy: boolean; message?: string }
  | { type: 'done'; message: string };

export type FromForm =
  | { type: 'ready' }
  | { type: 'changed'; values: Record<string, unknown> }
  | { type: 'pickFile'; field: string; kinds: MediaKind[]; index?: number }
  | { type: 'submit'; values: Record<string, unknown> }
  | { type: 'cancel' };

/** The webview state kept across a hide/show. */
export interface FormState {
  values: Record<string, unknown>;
}

export function isFromForm(v: unknown): v is FromForm {
  if (!v || typeof v !== 'object') return false;
  const m = v as Record<string, unknown>;
  const obj = (x: unknown) => !!x && typeof x === 'object' && !Array.isArray(x);
  switch (m.type) {
    case 'ready':
    case 'cancel':
      return true;
    case 'changed':
    case 'submit':
      return obj(m.values);
    case 'pickFile':
      return (
        typeof m.field === 'string' && Array.isArray(m.kinds) && (m.index === undefined || typeof m.index === 'number')
      );
    default:
      return false;
  }
}
