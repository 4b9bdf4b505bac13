// The Watch tab: the connections the service checks on its own (GET /watch), each with its latest
// run (a link that opens the stored report) and when it runs next. Asked for when the tab is shown
// with a key typed, or when the key is given here.
import { $, h, messageOf, refusal, runLink, when } from './dom.js';
import { whenShown } from './tabs.js';

interface WatchList {
  connections: Array<{ label: string; lastRun: { id: string; at: string; status: string } | null; nextRunAt: string }>;
}

/** Answers that arrive after a newer request was made are dropped. */
let asked = 0;

async function load(): Promise<void> {
  const key = $('w-apiKey', HTMLInputElement).value;
  $('watch-error').textContent = '';
  if (!key) {
    $('watch-out').replaceChildren(h('p', { class: 'hint' }, 'Type the API key to see the watched connections.'));
    return;
  }
  const token = ++asked;
  let list: WatchList;
  try {
    const response = await fetch('watch', { headers: { accept: 'application/json', authorization: `Bearer ${key}` } });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw refusal(response, answer);
    list = answer as WatchList;
  } catch (error) {
    if (token !== asked) return;
    $('watch-out').replaceChildren();
    $('watch-error').textContent = `Cannot list the watched connections. ${messageOf(error)}`;
    return;
  }
  if (token !== asked) return;
  if (!list.connections.length) {
    $('watch-out').replaceChildren(h('p', { id: 'watch-none' }, 'This service watches no connection: its operator lists them in a watch file (PREFLIGHT_WATCH_FILE).'));
    return;
  }
  $('watch-out').replaceChildren(
    h(
      'table',
      { id: 'watch-table' },
      h('tr', {}, h('th', {}, 'connection'), h('th', {}, 'status'), h('th', {}, 'latest run'), h('th', {}, 'next run')),
      list.connections.map((c) =>
        h(
          'tr',
          { 'data-connection': c.label },
          h('td', { class: 'label' }, h('b', {}, c.label)),
          h('td', { class: `status ${c.lastRun?.status ?? 'pending'}` }, c.lastRun?.status ?? 'pending'),
          h('td', { class: 'when' }, c.lastRun ? ['latest: ', h('a', { href: runLink(c.lastRun.id) }, h('time', { dateTime: c.lastRun.at }, when(c.lastRun.at)))] : 'not run yet'),
          h('td', { class: 'when' }, 'next: ', h('time', { dateTime: c.nextRunAt }, when(c.nextRunAt))),
        ),
      ),
    ),
  );
}

export function initWatch(): void {
  $('watch-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void load();
  });
  whenShown('watch', () => void load());
}
