// The window's settings, derived from the one table (app/config/fields.ts: the
// fields with a `form` part, and WINDOW_ONLY_FIELDS): their order in the form,
// the form's description the renderer builds itself from, what a managed file
// locks, and which form field a configuration key is. Pure data.
import { CONFIG_FIELDS, FORM_GROUPS, WINDOW_ONLY_FIELDS, type FormGroup, type FormSpec } from '../app/config/fields.ts';
import type { FormFieldView, SettingsFormView } from '../preload/contract.ts';

export interface WindowField extends FormSpec {
  /** Its name in the window, the contract and errors. */
  name: string;
  /** Its configuration key (and the settings store's), for a field that is a setting of the agent. */
  key?: string;
  /** Configuration keys that lock it when the managed file sets any of them. */
  lockedBy: readonly string[];
  /** The shell keeps it, not the settings store (start at login). */
  shell?: true;
}

const fromTable: WindowField[] = [
  ...CONFIG_FIELDS.flatMap((f) => (f.form ? [{ ...f.form, name: f.form.name ?? f.key, key: f.key, lockedBy: [f.key] }] : [])),
  ...WINDOW_ONLY_FIELDS,
];

/**
 * A group's fields as the form shows them: in the table's order, except that the fields
 * of a section (shown for one value of the group's choice) follow the choice, by section.
 */
function groupFields(group: FormGroup): WindowField[] {
  const inGroup = fromTable.filter((f) => f.group === group);
  const plain = inGroup.filter((f) => f.section === undefined && f.input !== 'choice');
  const choices = inGroup.filter((f) => f.input === 'choice');
  const sections = [...new Set(inGroup.flatMap((f) => (f.section === undefined ? [] : [f.section])))];
  return [...plain, ...choices, ...sections.flatMap((s) => inGroup.filter((f) => f.section === s))];
}

/** Every field of the window, top to bottom. */
export const WINDOW_FIELDS: readonly WindowField[] = FORM_GROUPS.flatMap(groupFields);

export function windowField(name: string): WindowField | undefined {
  return WINDOW_FIELDS.find((f) => f.name === name);
}

/** What the renderer builds the Settings form from (texts by key: settings.<group>, settings.<name>, …). */
export function settingsFormView(): SettingsFormView {
  return FORM_GROUPS.map((group) => ({
    group,
    fields: groupFields(group).map(({ name, input, section, hint, placeholder, min, max, options }): FormFieldView => ({
      name, input,
      ...(section !== undefined ? { section } : {}),
      ...(hint ? { hint } : {}),
      ...(placeholder ? { placeholder } : {}),
      ...(min !== undefined ? { min } : {}),
      ...(max !== undefined ? { max } : {}),
      ...(options ? { options: [...options] } : {}),
    })),
  }));
}

/** The window's fields locked by a managed file that sets these configuration keys (in the form's order). */
export function lockedFields(managedKeys: readonly string[]): string[] {
  const keys = new Set(managedKeys);
  return WINDOW_FIELDS.filter((f) => f.lockedBy.some((k) => keys.has(k))).map((f) => f.name);
}

/** Maps a configuration key named by a ConfigError (maybe dotted: allow.2) back to the form's field. */
export function formFieldForConfigKey(key: string): string {
  const top = key.split('.')[0] ?? key;
  return WINDOW_FIELDS.find((f) => f.key === top)?.name ?? top;
}
