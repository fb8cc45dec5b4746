// The Settings form, built from main's description of it (getSettingsForm: the
// one settings table, app/config/fields.ts): a fieldset per group, each field as
// its input kind is shown. Its texts by key: settings.<group> (legend),
// settings.<name> (label), settings.<name>Hint, settings.<name>Placeholder,
// settings.<name>.<option>. The HTML has only the form and its buttons.
import type { FormFieldView, SettingsFormView } from '../preload/contract.ts';
import { h } from './dom.ts';
import { tr } from './i18n.ts';

/** A text of the catalogue; a key it lacks shows as itself (locales/catalogues.test.ts finds it first). */
const text = (key: string): string => (tr.has(key) ? tr.t(key) : key);

function options(f: FormFieldView): HTMLElement[] {
  const labelId = `${f.name}-label`;
  const choice = f.input === 'choice';
  const option = (o: string) => h('label', choice ? {} : { class: 'check' },
    h('input', choice ? { type: 'radio', name: f.name, value: o } : { name: `${f.name}.${o}`, type: 'checkbox' }), ' ', h('span', {}, text(`settings.${f.name}.${o}`)));
  return [
    h('span', { class: 'field-label', id: labelId }, text(`settings.${f.name}`)),
    h('div', choice ? { class: 'radios', role: 'radiogroup', 'aria-labelledby': labelId } : { class: 'checks', role: 'group', 'aria-labelledby': labelId },
      ...(f.options ?? []).map(option)),
  ];
}

/** One field's label, control and hint. */
export function fieldNodes(f: FormFieldView): HTMLElement[] {
  const id = `f-${f.name}`;
  const label = text(`settings.${f.name}`);
  const hintId = f.hint ? `${f.name}-hint` : undefined;
  const hint = hintId ? [h('small', { id: hintId, class: 'small' }, text(`settings.${f.name}Hint`))] : [];
  const placeholder = f.placeholder ? text(`settings.${f.name}Placeholder`) : undefined;
  switch (f.input) {
    case 'text': case 'url': case 'masked':
      return [h('label', { for: id }, label), h('input', {
        id, name: f.name, type: f.input === 'url' ? 'url' : undefined, autocomplete: 'off', spellcheck: 'false', placeholder, 'aria-describedby': hintId,
      }), ...hint];
    case 'secret':
      return [
        h('label', { for: id }, h('span', {}, label), ' ', h('span', { class: 'secret-state', id: `${f.name}-state` })),
        h('input', { id, name: f.name, type: 'password', autocomplete: 'new-password', 'data-secret': f.name, placeholder: text('settings.secretPlaceholder') }),
      ];
    case 'minutes':
      return [h('label', { for: id }, label), h('input', { id, name: f.name, type: 'number', min: f.min, max: f.max, step: 1, 'aria-describedby': hintId }), ...hint];
    case 'names':
      return [h('label', { for: id }, label), h('textarea', { id, name: f.name, rows: 2, spellcheck: 'false', 'aria-describedby': hintId }), ...hint];
    case 'checkbox':
      return [h('label', { class: 'check' }, h('input', { id, name: f.name, type: 'checkbox' }), ' ', h('span', {}, label))];
    case 'checks': case 'choice':
      return options(f);
  }
}

/** The fieldsets, in front of the form's buttons; a section's fields in one block, shown while its choice is made. */
export function buildSettingsForm(form: HTMLFormElement, description: SettingsFormView): void {
  const sets = description.map(({ group, fields }) => {
    const nodes: HTMLElement[] = [];
    const sections = new Map<string, HTMLElement>();
    for (const f of fields) {
      if (f.section === undefined) {
        nodes.push(...fieldNodes(f));
        continue;
      }
      let block = sections.get(f.section);
      if (!block) {
        block = h('div', { 'data-section': f.section });
        sections.set(f.section, block);
        nodes.push(block);
      }
      block.append(...fieldNodes(f));
    }
    return h('fieldset', {}, h('legend', {}, text(`settings.${group}`)), ...nodes);
  });
  form.prepend(...sets);
}
