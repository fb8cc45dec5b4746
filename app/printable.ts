// Text from a file, a server or a collector, made safe to show: control characters
// (C0, DEL, C1 — an ESC starts a terminal escape sequence), bidirectional overrides
// (which reorder what a person reads) and lone surrogates become visible \uXXXX
// escapes. The form is JSON's, so an escaped line of JSON stays valid JSON.
// Used for every line the CLI prints and for the status the window shows.

// eslint-disable-next-line no-control-regex -- control characters are exactly what is matched
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const LINE_BREAKS = /[\n\t]/g;

const escape = (ch: string) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** For terminal output: every unsafe character escaped; line breaks and tabs kept. */
export function printableLines(text: string): string {
  return text.replace(UNSAFE, escape);
}

/** For one-line display (status texts): line breaks and tabs escaped too. */
export function printable(text: string): string {
  return printableLines(text).replace(LINE_BREAKS, escape);
}

/** `value` with every string inside it made printable (objects and arrays copied). */
export function printableDeep<T>(value: T): T {
  if (typeof value === 'string') return printable(value) as T;
  if (Array.isArray(value)) return value.map((v) => printableDeep(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = printableDeep(v);
    return out as T;
  }
  return value;
}
