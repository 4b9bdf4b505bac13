// The watch's documentation, checked rather than only read: docs/watch.md's example file is a valid
// watch file, its receiver's code verifies a real notification (and refuses a tampered or stale
// one); docs/deployment.md's alert rules parse and name only what the service exports. That every
// watch variable config.ts reads is documented, test/docs/configuration.test.ts checks with the rest.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Registry } from 'prom-client';
import { parse as parseYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { parseWatchFile } from '../../src/watch/file.js';
import { createWatchMetrics } from '../../src/watch/metrics.js';
import { type WatchNotification, webhookSender } from '../../src/watch/notify.js';
import { startReceiver } from './support.js';

const WATCH_DOC = readFileSync('docs/watch.md', 'utf8');
const DEPLOYMENT_DOC = readFileSync('docs/deployment.md', 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'preflight-watch-docs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The fenced blocks of a language, in order. */
const blocks = (markdown: string, language: string) => [...markdown.matchAll(new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\``, 'gm'))].map((m) => m[1]!);

describe('docs/watch.md', () => {
  it('shows a watch file the service takes', async () => {
    const [example] = blocks(WATCH_DOC, 'yaml');
    const connections = await parseWatchFile(parseYaml(example!), { env: { ACME_EXTERNAL_ID: 'acme-ext-7f3c2a' }, baseDir: dir });
    expect(connections.map((c) => [c.label, c.intervalMs])).toEqual([['acme-prod', 6 * 60 * 60_000]]);
  });

  it("shows a receiver's check that verifies a real notification, and refuses a tampered or stale one", async () => {
    const [code] = blocks(WATCH_DOC, 'js');
    const module = join(dir, 'verify.mjs');
    writeFileSync(module, `${code}\nexport { verified };\n`);
    const { verified } = (await import(pathToFileURL(module).href)) as { verified(raw: string, headers: Record<string, unknown>, secret: string, toleranceS?: number): boolean };
    const receiver = await startReceiver();
    try {
      const secret = 'docs-webhook-secret-0123456789';
      const notification = { event: 'recovered', connection: 'acme', text: 'x', run: { id: 'r2', startedAt: '', status: 'ok', path: '/preflight/r2' }, previousRun: { id: 'r1', startedAt: '', status: 'degraded' }, capabilities: [], actions: { newlyMissing: [], newlyGranted: [] }, findings: { added: [], gone: [] } } as WatchNotification;
      expect((await webhookSender({ url: receiver.url, secret })(notification)).delivered).toBe(true);
      const [{ raw, headers }] = receiver.received as [{ raw: string; headers: Record<string, unknown> }];
      expect(verified(raw, headers, secret)).toBe(true);
      expect(verified(raw.replace('"acme"', '"other"'), headers, secret)).toBe(false);
      expect(verified(raw, headers, `${secret}-wrong`)).toBe(false);
      expect(verified(raw, { ...headers, 'x-preflight-timestamp': String(Math.floor(Date.now() / 1000) - 3600) }, secret)).toBe(false);
    } finally {
      await receiver.close();
    }
  });
});

describe('docs/deployment.md', () => {
  it('gives alert rules that parse and name only the metrics and labels the watch exports', async () => {
    const rules = blocks(DEPLOYMENT_DOC, 'yaml').map((text) => parseYaml(text)).find((doc) => doc?.groups);
    const expressions: string[] = rules.groups.flatMap((group: { rules: Array<{ alert: string; expr: string }> }) => group.rules.map((rule) => rule.expr));
    expect(expressions.length).toBeGreaterThanOrEqual(4);
    const registry = new Registry();
    createWatchMetrics(registry, ['acme']);
    const exported = new Map((await registry.getMetricsAsJSON()).map((metric) => [metric.name, metric]));
    const labelsOf = (name: string) => {
      const metric = registry.getSingleMetric(name) as unknown as { labelNames: string[] };
      return metric.labelNames;
    };
    for (const expr of expressions) {
      const names = [...expr.matchAll(/\bpreflight_\w+/g)].map((m) => m[0]);
      expect(names.length, expr).toBeGreaterThan(0);
      for (const name of names) {
        expect(exported.has(name), `${name} in ${expr}`).toBe(true);
        for (const by of expr.matchAll(/\bby \(([^)]*)\)/g)) for (const label of by[1]!.split(',').map((l) => l.trim())) expect(labelsOf(name), `${label} in ${expr}`).toContain(label);
      }
    }
    // Every watch metric has a rule.
    expect([...exported.keys()].every((name) => expressions.some((expr) => expr.includes(name)))).toBe(true);
  });
});
