// The three views as an ARIA tab list: one tab in the focus order, arrow keys,
// Home and End move between tabs (WAI-ARIA Authoring Practices, tabs with
// automatic activation).
import { byId } from './dom.ts';

export type ViewName = 'status' | 'sent' | 'settings';

const tabs = () => [...document.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
let listener: (view: ViewName) => void = () => {};

export function currentView(): ViewName {
  return (tabs().find((t) => t.getAttribute('aria-selected') === 'true')?.dataset.view ?? 'status') as ViewName;
}

export function showView(view: ViewName, focus = false): void {
  for (const tab of tabs()) {
    const selected = tab.dataset.view === view;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
    byId(`view-${tab.dataset.view ?? ''}`).hidden = !selected;
    if (selected && focus) tab.focus();
  }
  // Each view starts at its top (the views share one scrolling area).
  const scroller = document.querySelector('main');
  if (scroller && document.documentElement.dataset.view !== view) scroller.scrollTop = 0;
  document.documentElement.dataset.view = view;
  listener(view);
}

export function wireTabs(onChange: (view: ViewName) => void): void {
  listener = onChange;
  for (const tab of tabs()) {
    tab.addEventListener('click', () => showView(tab.dataset.view as ViewName));
    tab.addEventListener('keydown', (event) => {
      const all = tabs();
      const at = all.indexOf(tab);
      const to = event.key === 'ArrowRight' ? (at + 1) % all.length
        : event.key === 'ArrowLeft' ? (at - 1 + all.length) % all.length
          : event.key === 'Home' ? 0 : event.key === 'End' ? all.length - 1 : -1;
      if (to < 0) return;
      event.preventDefault();
      showView(all[to]?.dataset.view as ViewName, true);
    });
  }
}
