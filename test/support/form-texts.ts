// The catalogue keys the window takes for a settings field: its label and error label,
// its hint, placeholder, "not set" word, secret words and options (the convention of
// renderer/settings-form-build.ts, renderer/settings-form.ts and preload/field-labels.ts).
import type { WindowField } from '../../main/settings-fields.ts';

export function formTextKeys(f: WindowField): string[] {
  return [
    `settings.${f.name}`, `field.${f.name}`,
    ...(f.hint ? [`settings.${f.name}Hint`] : []),
    ...(f.placeholder ? [`settings.${f.name}Placeholder`] : []),
    ...(f.input === 'masked' ? [`settings.${f.name}NotSet`] : []),
    ...(f.input === 'secret' ? ['settings.secretPlaceholder', 'settings.secretSet', 'settings.secretNotSet'] : []),
    ...(f.options ?? []).map((o) => `settings.${f.name}.${o}`),
  ];
}
