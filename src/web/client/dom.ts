/// <reference lib="dom" />
// What every part of the page builds with: its elements by id, new elements with text children
// only (nothing from a report is ever parsed as HTML), and the service's refusals as errors.

/** The page's element with this id, of this kind: the markup (src/web/page.html) and the script agree, or the page fails at once. */
export function $(id: string): HTMLElement;
export function $<T extends HTMLElement>(id: string, kind: { new (): T; prototype: T }): T;
export function $(id: string, kind: { new (): HTMLElement; prototype: HTMLElement } = HTMLElement): HTMLElement {
  const element = document.getElementById(id);
  if (!(element instanceof kind)) throw new Error(`the page has no ${kind.name} #${id}`);
  return element;
}

/** A text field's value, trimmed; undefined when empty. */
export const valueOf = (id: string): string | undefined => $(id, HTMLInputElement).value.trim() || undefined;

/** A comma-separated field as a list; undefined when empty. */
export const listOf = (id: string): string[] | undefined =>
  valueOf(id)
    ?.split(',')
    .map((item) => item.trim())
    .filter(Boolean);

export type Child = Node | string | number | null | undefined | false;
type Props = Record<string, unknown>;

/** An element with text children only: nothing from a report is ever parsed as HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props | null, ...children: Array<Child | readonly Child[]>): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') element.className = String(value);
    else if (key in element && key !== 'list') (element as unknown as Record<string, unknown>)[key] = value;
    else element.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** What the service refused: its status and its words (each field's issue, for a 400). */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface RefusalBody {
  message?: string;
  issues?: Array<{ path: string; message: string }>;
}

export function refusal(response: Response, answer: RefusalBody): Refusal {
  const words = answer.issues ? answer.issues.map((issue) => `${issue.path} ${issue.message}`).join('\n') : answer.message || response.statusText;
  return new Refusal(response.status, `${response.status}: ${words}`);
}

/** An error's message, for the page to show. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** A time as the reports give it (ISO 8601, UTC), to the second. */
export const when = (iso: string): string => `${String(iso).slice(0, 19).replace('T', ' ')} UTC`;

/** The page's address of a stored run: its id and nothing else. */
export const runLink = (id: string): string => `#/runs/${id}`;

/** One column, as on a phone (the page's style switches at the same width). */
export const narrow = (): boolean => matchMedia('(max-width: 800px)').matches;
