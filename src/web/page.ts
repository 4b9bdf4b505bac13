// The support engineers' page at `/`: one document, its script and style inline under a Content
// Security Policy that allows exactly those two texts (by their SHA-256) and talks to this origin
// alone. What the page does is in src/web/client/ (the browser code), page.html and page.css.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { type PageAssets, loadPageAssets } from './assets.js';

// An inline icon: the browser asks for no /favicon.ico (which would be a 404).
const ICON = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#2456d6"/><path d="M4 8.5l3 3 5-7" stroke="#fff" stroke-width="2" fill="none"/></svg>')}`;

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** Only this page's own script and style run; it may talk to this origin and nothing else. */
export const pageSecurityPolicy = (assets: PageAssets): string =>
  [
    "default-src 'none'",
    `script-src ${hash(assets.script)}`,
    `style-src ${hash(assets.style)}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

// Whether the service keeps reports is said in the markup (the script's hash stays one): without a
// store, a run offers no link to a report that will not be there.
const pageDocument = (assets: PageAssets, history: boolean) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><link rel="icon" href="${ICON}"><title>Preflight</title><style>${assets.style}</style></head><body data-history="${history ? 'on' : 'off'}">${assets.markup}<script>${assets.script}</script></body></html>`;

/** The assets, loaded once a process (a failed load is tried again on the next request). */
let loading: Promise<PageAssets> | undefined;
function pageAssets(): Promise<PageAssets> {
  loading ??= loadPageAssets().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

export function registerWebPage(app: FastifyInstance, options: { history: boolean } = { history: true }): void {
  // Built on the first request: a service (or a test) that never serves the page never bundles it.
  let served: Promise<{ html: string; policy: string }> | undefined;
  const page = () => {
    served ??= pageAssets().then(
      (assets) => ({ html: pageDocument(assets, options.history), policy: pageSecurityPolicy(assets) }),
      (error: unknown) => {
        served = undefined;
        throw error;
      },
    );
    return served;
  };
  // Public: the page holds no data; the key is typed into it and sent with each call it makes.
  app.get('/', { schema: { hide: true }, config: { public: true } }, async (_request, reply) => {
    const { html, policy } = await page();
    return reply
      .header('content-security-policy', policy)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(html);
  });
}
