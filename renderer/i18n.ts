// The window's language: the shell names it in the page's URL (?lang=, from
// app.getLocale()); without it, the browser's. Fills every data-i18n element.
import { translator, type MessageKey, type Translator } from '../locales/i18n.ts';

function pageLocale(): string {
  const asked = new URLSearchParams(location.search).get('lang');
  return asked && asked.length <= 35 ? asked : navigator.language;
}

export const tr: Translator = translator(pageLocale());

/** Sets the text, placeholder and aria-label of every element under `root` that names a key (the title is the branding's). */
export function applyI18n(root: ParentNode = document): void {
  document.documentElement.lang = tr.locale;
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = tr.t(el.dataset.i18n as MessageKey);
  for (const el of root.querySelectorAll<HTMLInputElement>('[data-i18n-placeholder]')) el.placeholder = tr.t(el.dataset.i18nPlaceholder as MessageKey);
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n-aria-label]')) el.setAttribute('aria-label', tr.t(el.dataset.i18nAriaLabel as MessageKey));
}
