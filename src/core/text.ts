// Text that came from a server, made safe to show in one line of GenDeck's own UI.

/** Unicode bidi controls and other format characters that can make text display differently from what it is. */
const FORMAT_CHARS = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;
// Control characters (newlines, tabs, escapes) count as whitespace here.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001F\u007F-\u009F]/g;

/**
 * One line of at most `max` characters: control and format characters dropped or turned into spaces, runs of
 * whitespace collapsed, an ellipsis where it was cut. So a server cannot add lines or reorder text in a dialog.
 */
export function oneLine(text: string, max = 200): string {
  const flat = text.replace(FORMAT_CHARS, '').replace(CONTROL_CHARS, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
}
