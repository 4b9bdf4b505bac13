// Copy and download buttons. The text a button copies is kept by its listener, never in the DOM as
// an attribute.
import { h } from './dom.js';

/** Puts text on the clipboard; false if the browser would not. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** A button that copies `text`. */
export function copyButton(text: string, label = 'Copy'): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'copy' }, label);
  button.addEventListener('click', async () => {
    button.textContent = (await copyText(text)) ? 'Copied' : 'Copy failed';
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
