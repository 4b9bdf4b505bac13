// Copy and download buttons. The text a button copies is kept by its listener, never in the DOM as
// an attribute.
import { h } from './dom.js';

export const COPY_FAILED = 'Copy failed: select and copy';

/**
 * Puts text on the clipboard; false if the browser would not. `navigator.clipboard` exists only in
 * a secure context (W3C Clipboard API: `[SecureContext]`), and a page served over plain HTTP from
 * an address other than loopback (how an operator reaches a container) is not one: there the
 * older way is left, a selection copied with `document.execCommand('copy')` while the click that
 * asked for it is still the user's gesture (so nothing is awaited before it).
 */
export async function copyText(text: string): Promise<boolean> {
  if (navigator.clipboard) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Refused (no permission, the document not focused): the older way may still work.
    }
  }
  return copyBySelection(text);
}

function copyBySelection(text: string): boolean {
  const focused = document.activeElement;
  const source = h('textarea', { class: 'copy-source', readOnly: true, 'aria-hidden': 'true', tabIndex: -1 });
  source.value = text;
  document.body.append(source);
  source.select();
  source.setSelectionRange(0, text.length); // iOS Safari selects nothing with select() alone
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  source.remove();
  document.getSelection()?.removeAllRanges();
  if (focused instanceof HTMLElement) focused.focus();
  return copied;
}

/** Selects what an element shows, for the reader to copy by hand when the page could not. */
export function selectShown(element: Node): void {
  const range = document.createRange();
  range.selectNodeContents(element);
  const selection = document.getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
}

/** A button that copies `text`; `shown` is where the page shows it, selected if copying fails. */
export function copyButton(text: string, shown: Node, label = 'Copy'): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'copy' }, label);
  button.addEventListener('click', async () => {
    const copied = await copyText(text);
    button.textContent = copied ? 'Copied' : COPY_FAILED;
    if (!copied) selectShown(shown);
  });
  return button;
}

/** Saves `text` as a file named `file`, as a download. */
export function download(text: string, file: string, type = 'application/octet-stream'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  h('a', { href: url, download: file }).click();
  URL.revokeObjectURL(url);
}

export function downloadButton(text: string, file: string): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'copy download' }, 'Download');
  button.addEventListener('click', () => download(text, file));
  return button;
}
