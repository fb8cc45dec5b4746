// The settings form: built from main's description (settings-form-build.ts),
// filled from SettingsView field by field as each input kind is shown, locked
// fields read-only, secrets write-only (sent with setSecret, then cleared from the form).
import { fieldLabel as englishLabel, labelIn } from '../preload/field-labels.ts';
import type { FormFieldView, ReplyError, SecretName, SettingsFormView, SettingsInput, SettingsView } from '../preload/contract.ts';
import { bridge } from './bridge.ts';
import { byId, h } from './dom.ts';
import { parseNameList } from './format.ts';
import { tr } from './i18n.ts';
import { buildSettingsForm } from './settings-form-build.ts';

/** A field's label in the window's language (settings only IT's file can set keep their configuration name). */
export function fieldLabel(path: string): string {
  return labelIn((key) => (tr.has(key) ? tr.t(key) : undefined), path);
}

/**
 * main words a refused field as "<English label>: <reason>"; the window names the
 * field in its own language (the reason is the contract's, in English for now).
 */
function localised(error: ReplyError): string {
  if (!error.field) return error.message;
  const top = error.field.split('.')[0] ?? '';
  const at = englishLabel(top) !== top ? error.message.indexOf(': ') : -1;
  return at > 0 ? `${fieldLabel(error.field)}${error.message.slice(at)}` : error.message;
}


const form = () => byId<HTMLFormElement>('settings');
const input = (name: string) => form().elements.namedItem(name) as HTMLInputElement | HTMLTextAreaElement | RadioNodeList | null;

function field(name: string): HTMLInputElement | HTMLTextAreaElement {
  const el = input(name);
  if (!el || el instanceof RadioNodeList) throw new Error(`missing settings field ${name}`);
  return el;
}

function radios(name: string): HTMLInputElement[] {
  return [...form().querySelectorAll<HTMLInputElement>(`input[type=radio][name="${name}"]`)];
}

let lastView: SettingsView | undefined;
let fields: FormFieldView[] = [];

/** Builds the form's fields from main's description (once, before the first fillSettings). */
export function setUpSettingsForm(description: SettingsFormView): void {
  fields = description.flatMap((g) => g.fields);
  buildSettingsForm(form(), description);
}

const box = (name: string) => field(name) as HTMLInputElement;
const cap = (name: string) => `${name[0]?.toUpperCase() ?? ''}${name.slice(1)}`;
const checked = (name: string) => radios(name).find((r) => r.checked)?.value;
const textOf = (key: string) => (tr.has(key) ? tr.t(key) : '');

export function fillSettings(view: SettingsView): void {
  lastView = view;
  for (const f of fields) {
    const value = view[f.name];
    switch (f.input) {
      case 'masked':
        field(f.name).value = '';
        field(f.name).placeholder = String(view[`${f.name}Masked`] ?? '') || textOf(`settings.${f.name}NotSet`);
        break;
      case 'secret':
        field(f.name).value = '';
        byId(`${f.name}-state`).textContent = tr.t(view[`has${cap(f.name)}`] ? 'settings.secretSet' : 'settings.secretNotSet');
        break;
      case 'names': field(f.name).value = (value as string[]).join(', '); break;
      case 'checks': for (const o of f.options ?? []) box(`${f.name}.${o}`).checked = (value as Record<string, boolean>)[o] ?? false; break;
      case 'checkbox': box(f.name).checked = value === true; break;
      case 'choice': for (const r of radios(f.name)) r.checked = r.value === value; break;
      default: field(f.name).value = String(value ?? '');
    }
  }
  applyLocks(view.locked);
  showSections();
}

function controlsFor(name: string): (HTMLInputElement | HTMLTextAreaElement)[] {
  const f = fields.find((x) => x.name === name);
  if (f?.input === 'choice') return radios(name);
  if (f?.input === 'checks') return (f.options ?? []).map((o) => field(`${name}.${o}`));
  const el = input(name);
  return el && !(el instanceof RadioNodeList) ? [el] : [];
}

function applyLocks(locked: readonly string[]): void {
  for (const note of form().querySelectorAll('.locked-note')) note.remove();
  for (const el of form().querySelectorAll<HTMLInputElement>('input, textarea')) el.disabled = false;
  for (const name of locked) {
    for (const el of controlsFor(name)) {
      el.disabled = true;
      const label = form().querySelector(`label[for="${el.id}"]`) ?? el.closest('label');
      if (label && !label.querySelector('.locked-note')) label.append(h('span', { class: 'locked-note' }, tr.t('settings.locked')));
    }
  }
  const note = byId('managed-note');
  note.hidden = locked.length === 0;
  note.textContent = locked.length ? tr.t('settings.managedNote', { fields: tr.list(locked.map(fieldLabel)) }) : '';
}

/** Each section (the authorization method's fields) shows while its group's choice is made. */
function showSections(): void {
  for (const f of fields.filter((x) => x.input === 'choice')) {
    const group = radios(f.name)[0]?.closest('fieldset');
    const made = checked(f.name);
    for (const el of group?.querySelectorAll<HTMLElement>('[data-section]') ?? []) el.hidden = el.dataset.section !== made;
  }
}

/** Only the fields that differ from what was shown and are not locked. */
export function collectInput(view: SettingsView): SettingsInput {
  const locked = new Set(view.locked);
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (locked.has(f.name)) continue;
    const shown = view[f.name];
    switch (f.input) {
      case 'text': case 'url': {
        const v = field(f.name).value.trim();
        if (v !== shown) out[f.name] = v;
        break;
      }
      case 'choice': {
        const v = checked(f.name);
        if (v !== undefined && f.options?.includes(v) && v !== shown) out[f.name] = v;
        break;
      }
      // Empty keeps the stored value (the form never sees it).
      case 'masked': {
        const v = field(f.name).value.trim();
        if (v !== '') out[f.name] = v;
        break;
      }
      case 'minutes': {
        const text = field(f.name).value.trim();
        const v = Number(text);
        if (v !== shown) out[f.name] = text === '' ? Number.NaN : v;
        break;
      }
      case 'names': {
        const v = parseNameList(field(f.name).value);
        if (v.join(',') !== (shown as string[]).join(',')) out[f.name] = v;
        break;
      }
      case 'checks': {
        const v = Object.fromEntries((f.options ?? []).map((o) => [o, box(`${f.name}.${o}`).checked]));
        if ((f.options ?? []).some((o) => v[o] !== (shown as Record<string, boolean>)[o])) out[f.name] = v;
        break;
      }
      case 'checkbox': {
        const v = box(f.name).checked;
        if (v !== shown) out[f.name] = v;
        break;
      }
      default: // secrets go by setSecret
    }
  }
  return out as SettingsInput;
}

function message(text: string, isError: boolean): void {
  const m = byId('form-message');
  m.textContent = text;
  m.classList.toggle('error-text', isError);
}

function inputNameForError(error: ReplyError, secret?: SecretName): string | undefined {
  if (secret && (error.field === 'value' || error.field === secret)) return secret;
  const [top = '', sub] = error.field.split('.');
  // A field of one box per option: the box named, else the first.
  const options = fields.find((f) => f.name === top && f.input === 'checks')?.options;
  if (options) return `${top}.${sub !== undefined && options.includes(sub) ? sub : options[0] ?? ''}`;
  return top || undefined;
}

function clearInvalid(): void {
  for (const el of form().querySelectorAll('[aria-invalid]')) {
    el.removeAttribute('aria-invalid');
    el.removeAttribute('aria-errormessage');
  }
  for (const note of form().querySelectorAll('.field-error')) note.remove();
}

/** A person changing the field an error was about: the error has been answered, so it goes. */
function onFieldEdited(event: Event): void {
  const target = event.target as Element | null;
  if (!target?.hasAttribute('aria-invalid')) return;
  clearInvalid();
  if (byId('form-message').classList.contains('error-text')) message('', false);
}

function showError(error: ReplyError, secret?: SecretName): void {
  clearInvalid();
  const text = localised(error);
  message(text, true);
  const name = inputNameForError(error, secret);
  const el = name ? controlsFor(name)[0] : undefined;
  if (el) {
    // The message also right under the field (the form's own line is by the Save button, out of sight).
    const note = h('small', { class: 'field-error', id: 'field-error' }, text);
    (el.closest('label.check') ?? el).after(note);
    el.setAttribute('aria-invalid', 'true');
    el.setAttribute('aria-errormessage', 'field-error');
    el.focus();
  }
}

async function save(): Promise<void> {
  if (!lastView) return;
  const api = bridge();
  const change = collectInput(lastView);
  let view: SettingsView = lastView;
  let cleared: SecretName[] = [];
  if (Object.keys(change).length > 0) {
    const reply = await api.saveSettings(change);
    if (!reply.ok) return showError(reply.error);
    view = reply.value;
    cleared = reply.value.secretsCleared ?? [];
  }
  for (const name of fields.filter((f) => f.input === 'secret').map((f) => f.name as SecretName)) {
    const el = field(name);
    if (el.value === '' || el.disabled) continue;
    const reply = await api.setSecret({ name, value: el.value });
    el.value = '';
    if (!reply.ok) return showError(reply.error, name);
    view = reply.value;
    cleared = cleared.filter((c) => c !== name); // entered again for the new server in the same save
  }
  clearInvalid();
  fillSettings(view);
  message(cleared.length === 0 ? tr.t('settings.saved')
    : tr.plural('settings.savedCleared', cleared.length, { secrets: clearedNames(cleared) }), false);
}

/** "shared key" in a sentence's middle in English; German nouns keep their capital and lead the sentence. */
function clearedNames(cleared: readonly SecretName[]): string {
  const names = cleared.map((c) => fieldLabel(c));
  return tr.list(tr.language === 'en' ? names.map((n) => n.toLowerCase()) : names);
}

export function wireSettingsForm(): void {
  form().addEventListener('change', (event) => { if ((event.target as HTMLInputElement | null)?.type === 'radio') showSections(); });
  form().addEventListener('input', onFieldEdited);
  form().addEventListener('change', onFieldEdited);
  form().addEventListener('submit', (event) => {
    event.preventDefault();
    void save().catch((error: unknown) => message(tr.t('settings.couldNotSave', { message: (error as Error).message }), true));
  });
  byId('export').addEventListener('click', () => {
    void bridge().exportDiagnostics().then((reply) => {
      if (reply.ok) message(tr.t('settings.diagnosticsWritten', { path: reply.value.path }), false);
      else showError(reply.error);
    });
  });
}
