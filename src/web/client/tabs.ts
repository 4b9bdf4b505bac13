// The tabs, Set up, Check and Check a policy, and the one API key they share.
import { $ } from './dom.js';

export type Tab = 'setup' | 'check' | 'coverage';

export function selectTab(name: Tab): void {
  document.querySelector('main')!.classList.toggle('setup', name === 'setup');
  document.querySelector('main')!.classList.toggle('coverage', name === 'coverage');
  $('tab-setup').setAttribute('aria-selected', String(name === 'setup'));
  $('tab-check').setAttribute('aria-selected', String(name === 'check'));
  $('tab-coverage').setAttribute('aria-selected', String(name === 'coverage'));
}

/** One API key for the whole page: typed in any form, it is in all of them (and nowhere else). */
const KEY_FIELDS = ['apiKey', 's-apiKey', 'o-apiKey', 'c-apiKey'];

export function initTabs(): void {
  $('tab-setup').addEventListener('click', () => selectTab('setup'));
  $('tab-check').addEventListener('click', () => selectTab('check'));
  $('tab-coverage').addEventListener('click', () => selectTab('coverage'));
  for (const id of KEY_FIELDS) {
    const field = $(id, HTMLInputElement);
    field.addEventListener('input', () => {
      for (const other of KEY_FIELDS) if (other !== id) $(other, HTMLInputElement).value = field.value;
    });
  }
}
