// The tabs, Set up, Check, Check a policy and Watch, and the one API key they share.
import { $ } from './dom.js';

export type Tab = 'setup' | 'check' | 'coverage' | 'watch';
const TABS: readonly Tab[] = ['setup', 'check', 'coverage', 'watch'];

/** Called when a tab is shown (the Watch tab loads its list then). */
const onShow = new Map<Tab, () => void>();
export const whenShown = (name: Tab, show: () => void) => void onShow.set(name, show);

export function selectTab(name: Tab): void {
  const main = document.querySelector('main')!;
  for (const tab of TABS) {
    if (tab !== 'check') main.classList.toggle(tab, name === tab);
    $(`tab-${tab}`).setAttribute('aria-selected', String(name === tab));
  }
  onShow.get(name)?.();
}

/** One API key for the whole page: typed in any form, it is in all of them (and nowhere else). */
const KEY_FIELDS = ['apiKey', 's-apiKey', 'o-apiKey', 'c-apiKey', 'w-apiKey'];

export function initTabs(): void {
  for (const tab of TABS) $(`tab-${tab}`).addEventListener('click', () => selectTab(tab));
  for (const id of KEY_FIELDS) {
    const field = $(id, HTMLInputElement);
    field.addEventListener('input', () => {
      for (const other of KEY_FIELDS) if (other !== id) $(other, HTMLInputElement).value = field.value;
    });
  }
}
