// A settings field's label, by its name in the window and the contract: what a
// person reads in an error or a "locked" note instead of the internal key. The
// words are the catalogues' (field.<name>; an option's: settings.<name>.<option>);
// main words errors in English, the window in its own language. Imports only the
// English catalogue (pure data): main (through the contract) and the renderer take it.
import en from '../locales/en.json' with { type: 'json' };

/**
 * The label of a field path such as `intervalMinutes`, `pii.ip` or `allow.3`, with the
 * texts of one catalogue. Keys the form does not have (settings only the administrator's
 * file can set, e.g. caFile) keep their configuration name: that is what IT writes in the file.
 */
export function labelIn(text: (key: string) => string | undefined, path: string): string {
  const [top = '', sub] = path.split('.');
  const label = text(`field.${top}`);
  if (label === undefined) return path;
  const option = sub === undefined ? undefined : text(`settings.${top}.${sub}`);
  return option === undefined ? label : `${label} (${option})`;
}

const english: Readonly<Record<string, string>> = en;

/** The English label (what main words its errors with). */
export function fieldLabel(path: string): string {
  return labelIn((key) => (Object.hasOwn(english, key) ? english[key] : undefined), path);
}
