// The "What is sent" view: each variable, its value, whether the server has it
// (and since which sync), and why it is sent — from the message catalogue.
import type { StatusView } from '../preload/contract.ts';
import type { MessageKey } from '../locales/i18n.ts';
import { byId, h } from './dom.ts';
import { formatValue, timeAgo } from './format.ts';
import { tr } from './i18n.ts';

type Source = NonNullable<StatusView['variableSources']>[number];
const SCOPE_KEY: Record<Source['scope'], MessageKey> = {
  'per-machine folder': 'sources.scope.machine', 'per-user folder': 'sources.scope.user', 'managed file': 'sources.scope.managed',
};

/**
 * Why a variable is sent: the catalogue's sentence; for one another program published
 * (variables.d: `<source>.<name>`) or the administrator's configuration reads, which source
 * it came from; otherwise (set in the configuration) a plain note.
 */
export function reasonFor(name: string, sources: readonly Source[] = []): string {
  const key = `var.${name}`;
  if (tr.has(key)) return tr.t(key);
  const managed = sources.find((s) => s.scope === 'managed file' && s.source === name);
  if (managed) return tr.t('sent.fromManaged', { origin: managed.origin });
  const dropIn = sources.find((s) => s.scope !== 'managed file' && name.startsWith(`${s.source}.`));
  if (dropIn) return tr.t('sent.fromProgram', { source: dropIn.source, folder: tr.t(SCOPE_KEY[dropIn.scope]) });
  return tr.t('sent.custom');
}

let shown = '';


/** Drop-in files and managed sources: where each is, how many variables it gave, and why it was left out. */
function renderSources(status: StatusView): void {
  const sources = status.variableSources ?? [];
  byId('sources').hidden = sources.length === 0;
  byId('sources-list').replaceChildren(...sources.map((v) => h('li', { 'data-source': v.source, 'data-state': v.state },
    h('div', { class: 'var-head' }, h('code', { class: 'name' }, v.source), h('span', { class: 'value' }, tr.plural('sent.count', v.variables))),
    h('p', {}, `${v.origin} · ${tr.t(SCOPE_KEY[v.scope])}`),
    h('p', { class: v.state === 'ok' ? '' : 'source-problem' }, tr.t(`sources.state.${v.state}`), v.problem ? ` — ${v.problem}` : ''),
  )));
}

export function renderSent(status: StatusView, now: number): void {
  // Rebuilt only when something in it changed: a list rebuilt every few seconds would
  // throw a screen reader (and a keyboard user's place) back to its start.
  const key = JSON.stringify([status.variables, status.variableSources ?? [], status.lastSuccessAt === undefined ? '' : timeAgo(tr, status.lastSuccessAt, now)]);
  if (key === shown) return;
  shown = key;
  renderSources(status);
  byId('sent-count').textContent = status.variables.length === 0 ? '' : tr.plural('sent.count', status.variables.length);
  const list = byId('variables');
  if (status.variables.length === 0) {
    list.replaceChildren(h('li', { class: 'small' }, tr.t('sent.none')));
    return;
  }
  list.replaceChildren(...status.variables.map((v) => {
    // A source (variables.d, a script, the catalogue) when the engine names one.
    const source = (v as { source?: unknown }).source;
    const delivery = v.pending
      ? tr.t('sent.waiting') + (v.acknowledged === undefined ? '' : ` (${tr.t('sent.was', { value: formatValue(v.acknowledged) })})`)
      : status.lastSuccessAt === undefined ? tr.t('sent.onServerUnknown') : tr.t('sent.onServer', { ago: timeAgo(tr, status.lastSuccessAt, now) });
    return h('li', { 'data-name': v.name, 'data-pending': String(v.pending) },
      h('div', { class: 'var-head' }, h('code', { class: 'name' }, v.name), h('span', { class: 'value' }, formatValue(v.value))),
      h('p', { class: `delivery${v.pending ? ' pending' : ''}` }, delivery),
      h('p', { class: 'why' }, reasonFor(v.name, status.variableSources)),
      typeof source === 'string' && source !== '' ? h('p', { class: 'why' }, tr.t('sent.source', { source })) : null);
  }));
}
