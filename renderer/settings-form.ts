// The settings form: filled from SettingsView, locked fields read-only,
// secrets write-only (sent with setSecret, then cleared from the form).
import { fieldLabel as englishLabel, labelIn } from '../preload/field-labels.ts';
import { PII_KINDS, type ReplyError, type SecretName, type SettingsInput, type SettingsView } from '../preload/contract.ts';
import { bridge } from './bridge.ts';
import { byId, h } from './dom.ts';
import { parseNameList } from './format.ts';
import { tr } from './i18n.ts';

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

export function fillSettings(view: SettingsView): void {
  lastView = view;
  field('apiUrl').value = view.apiUrl;
  for (const r of radios('authMethod')) r.checked = r.value === view.authMethod;
  field('apiKey').value = view.apiKey;
  field('clientId').value = view.clientId;
  field('tokenUrl').value = view.tokenUrl;
  field('product').value = view.product;
  field('licenseKey').value = '';
  field('licenseKey').placeholder = view.licenseKeyMasked || tr.t('settings.licenseKeyNotSet');
  field('username').value = view.username;
  field('intervalMinutes').value = String(view.intervalMinutes);
  field('allow').value = view.allow.join(', ');
  for (const k of PII_KINDS) (field(`pii.${k}`) as HTMLInputElement).checked = view.pii[k];
  (field('autoActivate') as HTMLInputElement).checked = view.autoActivate;
  (field('startAtLogin') as HTMLInputElement).checked = view.startAtLogin;
  field('sharedKey').value = '';
  field('clientSecret').value = '';
  byId('sharedKey-state').textContent = tr.t(view.hasSharedKey ? 'settings.secretSet' : 'settings.secretNotSet');
  byId('clientSecret-state').textContent = tr.t(view.hasClientSecret ? 'settings.secretSet' : 'settings.secretNotSet');
  applyLocks(view.locked);
  showAuthSection();
}

function controlsFor(name: string): (HTMLInputElement | HTMLTextAreaElement)[] {
  if (name === 'authMethod') return radios('authMethod');
  if (name === 'pii') return PII_KINDS.map((k) => field(`pii.${k}`));
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

function showAuthSection(): void {
  const method = radios('authMethod').find((r) => r.checked)?.value ?? 'hmac';
  for (const el of form().querySelectorAll<HTMLElement>('[data-auth]')) el.hidden = el.dataset.auth !== method;
}

/** Only the fields that differ from what was shown and are not locked. */
export function collectInput(view: SettingsView): SettingsInput {
  const locked = new Set(view.locked);
  const out: SettingsInput = {};
  const text = (name: 'apiUrl' | 'apiKey' | 'clientId' | 'tokenUrl' | 'product' | 'username') => {
    const v = field(name).value.trim();
    if (!locked.has(name) && v !== view[name]) out[name] = v;
  };
  text('apiUrl'); text('apiKey'); text('clientId'); text('tokenUrl'); text('product'); text('username');
  const method = radios('authMethod').find((r) => r.checked)?.value;
  if (!locked.has('authMethod') && (method === 'hmac' || method === 'oauth') && method !== view.authMethod) out.authMethod = method;
  const key = field('licenseKey').value.trim();
  if (!locked.has('licenseKey') && key !== '') out.licenseKey = key;
  const intervalText = field('intervalMinutes').value.trim();
  const interval = Number(intervalText);
  if (!locked.has('intervalMinutes') && interval !== view.intervalMinutes) out.intervalMinutes = intervalText === '' ? Number.NaN : interval;
  const allow = parseNameList(field('allow').value);
  if (!locked.has('allow') && allow.join(',') !== view.allow.join(',')) out.allow = allow;
  const pii = Object.fromEntries(PII_KINDS.map((k) => [k, (field(`pii.${k}`) as HTMLInputElement).checked])) as SettingsView['pii'];
  if (!locked.has('pii') && PII_KINDS.some((k) => pii[k] !== view.pii[k])) out.pii = pii;
  const autoActivate = (field('autoActivate') as HTMLInputElement).checked;
  if (!locked.has('autoActivate') && autoActivate !== view.autoActivate) out.autoActivate = autoActivate;
  const startAtLogin = (field('startAtLogin') as HTMLInputElement).checked;
  if (startAtLogin !== view.startAtLogin) out.startAtLogin = startAtLogin;
  return out;
}

function message(text: string, isError: boolean): void {
  const m = byId('form-message');
  m.textContent = text;
  m.classList.toggle('error-text', isError);
}

function inputNameForError(error: ReplyError, secret?: SecretName): string | undefined {
  if (secret && (error.field === 'value' || error.field === secret)) return secret;
  const top = error.field.split('.')[0] ?? '';
  if (top === 'pii') return error.field.split('.').length > 1 ? error.field.split('.').slice(0, 2).join('.') : 'pii.hostname';
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
  for (const name of ['sharedKey', 'clientSecret'] as const) {
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
  for (const r of radios('authMethod')) r.addEventListener('change', showAuthSection);
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
