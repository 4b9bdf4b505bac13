// `preflight serve` with a watch file, as processes: a file that names access keys or an external ID
// inline stops the start (exit 3) before anything is opened; and two replicas on one PostgreSQL
// database run each watched connection once per interval between them, a replica killed mid-run
// holding its connection no longer than its lease.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import type { Started } from '../docs/processes.js';
import { serveAgainst } from '../support/serve-process.js';
import { TEST_DATABASE_URL, newSchema } from '../store/postgres-support.js';

const KEY = 'watch-serve-key-0123456789';
const EXTERNAL_ID = 'acme-7f3c2a';
/** The watch's durations 60 times shorter: an interval of 5 min lasts 5 s, the first run comes within 1 s. */
const SCALE = 60;
const INTERVAL_MS = (5 * 60_000) / SCALE;
/** A claim's lease: PREFLIGHT_MAX_RUN_MS (3 s here), the clean-up grace (2 s) and a margin (5 s). */
const LEASE_MS = 3000 + 2000 + 5000;

let sandbox: Sandbox;
let dir: string;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario: 'full-access' });
  dir = mkdtempSync(join(tmpdir(), 'preflight-watch-serve-'));
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

const connection = (label: string, extra: Record<string, unknown> = { externalIdEnv: 'ACME_EXTERNAL_ID' }) => ({
  label,
  region: 'eu-west-1',
  accountId: '123456789012',
  roleArn: 'arn:aws:iam::123456789012:role/PreflightReadOnly',
  capabilities: ['metadata'],
  interval: '5m',
  ...extra,
});

function watchFile(name: string, connections: unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ connections }));
  return path;
}

const serve = (env: Record<string, string>): Started => serveAgainst(sandbox, KEY, { ACME_EXTERNAL_ID: EXTERNAL_ID, ...env });

describe('preflight serve with a watch file', () => {
  it('stops at start (exit 3) when the file names access keys or an external ID inline, before opening the store', async () => {
    const cases = [
      { file: watchFile('keys.json', [connection('acme', { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret-not-to-be-shown-0000' })]), says: /\/connections\/0\/accessKeyId: access keys are refused/ },
      { file: watchFile('inline.json', [connection('acme', { externalId: 'inline-id-not-to-be-shown' })]), says: /\/connections\/0\/externalId: an external ID is never written in the watch file/ },
    ];
    for (const { file, says } of cases) {
      const data = join(dir, `data-${readdirSync(dir).length}`);
      const service = serve({ PREFLIGHT_WATCH_FILE: file, PREFLIGHT_DATA_DIR: data });
      await expect(service.waitFor(/Server listening/)).rejects.toThrow(/exited \(3\)/);
      expect(service.output()).toMatch(/^preflight: configuration error: PREFLIGHT_WATCH_FILE: the watch file is not valid:/);
      expect(service.output()).toMatch(says);
      expect(service.output()).not.toMatch(/not-to-be-shown/);
      expect(readdirSync(dir)).not.toContain(data.split('/').pop());
    }
  });
});

describe.skipIf(!TEST_DATABASE_URL)('two replicas of preflight serve on one PostgreSQL database', () => {
  it('run each watched connection once per interval between them; a replica killed mid-run blocks it only until its lease ends', async () => {
    const schema = await newSchema();
    const file = watchFile('replicas.json', [connection('acme-a'), connection('acme-b')]);
    const env = { PREFLIGHT_DATABASE_URL: schema.url, PREFLIGHT_WATCH_FILE: file, PREFLIGHT_WATCH_TIME_SCALE: String(SCALE), PREFLIGHT_MAX_RUN_MS: '3000' };
    const replicas = [serve(env), serve(env)];
    const db = new pg.Client({ connectionString: schema.url });
    await db.connect();
    /** Every watched run the replicas stored, oldest first. */
    const runs = async () =>
      (await db.query<{ label: string; at: string }>("SELECT api_key_label AS label, started_at_ms AS at FROM preflight_reports WHERE api_key_label LIKE 'watch:%' ORDER BY started_at_ms")).rows.map((r) => ({
        label: r.label.slice('watch:'.length),
        at: Number(r.at),
      }));
    try {
      await Promise.all(replicas.map((replica) => replica.waitFor(/watch: 2 connections watched/, 30_000)));
      const urls = await Promise.all(replicas.map(async (replica) => `http://127.0.0.1:${(await replica.waitFor(/Server listening at http:\/\/127\.0\.0\.1:(\d+)/))[1]}`));
      const from = Date.now();
      // Three intervals and a half, both replicas up.
      await new Promise((resolve) => setTimeout(resolve, 3.5 * INTERVAL_MS));
      const to = Date.now();
      const seen = await runs();
      for (const label of ['acme-a', 'acme-b']) {
        const times = seen.filter((r) => r.label === label).map((r) => r.at);
        const within = times.filter((t) => t >= from && t <= to);
        // Once per interval (±10 %) between the two replicas: never twice in one interval.
        expect(within.length).toBeGreaterThanOrEqual(Math.floor((to - from) / (1.1 * INTERVAL_MS)) - 1);
        expect(within.length).toBeLessThanOrEqual(Math.ceil((to - from) / (0.9 * INTERVAL_MS)) + 1);
        for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!, `${label}: runs ${i - 1} and ${i}`).toBeGreaterThanOrEqual(0.9 * INTERVAL_MS);
      }
      // Each replica's metrics show every connection, whichever replica ran it; GET /watch answers alike.
      for (const url of urls) {
        const metrics = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${KEY}` } })).text();
        for (const label of ['acme-a', 'acme-b']) {
          expect(metrics, url).toMatch(new RegExp(`^preflight_watch_last_run_timestamp_seconds\\{connection="${label}"\\} \\d`, 'm'));
          expect(metrics, url).toContain(`preflight_watch_capability_status{connection="${label}",capability="metadata"} 0`);
        }
      }
      const lists = await Promise.all(urls.map(async (url) => (await fetch(`${url}/watch`, { headers: { authorization: `Bearer ${KEY}` } })).json()));
      expect(lists[0]).toEqual(lists[1]);

      // Runs now take seconds (Glue answers after 2.5 s); the first replica to start one is killed mid-run.
      sandbox.state.scenario.faults.push({ service: 'glue', latencyMs: 2500 });
      const outputs = replicas.map((replica) => replica.output().length);
      const [victim, label] = await Promise.race(
        replicas.map((replica, index) => replica.waitFor(new RegExp(`(?<=[\\s\\S]{${outputs[index]}})"connection":"(acme-[ab])","msg":"watch: checking"`), 20_000).then((match) => [index, match[1]!] as const)),
      );
      replicas[victim]!.child.kill('SIGKILL');
      process.kill(-replicas[victim]!.child.pid!, 'SIGKILL');
      const killedAt = Date.now();
      const { rows } = await db.query<{ until: string }>('SELECT lease_until_ms AS until FROM preflight_watch WHERE label = $1', [label]);
      const leaseUntil = Number(rows[0]!.until);
      expect(leaseUntil).toBeGreaterThan(killedAt); // it was mid-run: its lease held
      // The survivor runs it once the lease has ended, not before, and not much after.
      const survivor = replicas[1 - victim]!;
      const before = survivor.output().length;
      await survivor.waitFor(new RegExp(`(?<=[\\s\\S]{${before}})"connection":"${label}","msg":"watch: checking"`), leaseUntil - Date.now() + 10_000);
      const resumedAt = Date.now();
      expect(resumedAt).toBeGreaterThanOrEqual(leaseUntil);
      expect(resumedAt - leaseUntil).toBeLessThan(5000);
      // Between the killed replica's claim and the end of its lease, no run of that connection was kept.
      const claimedAt = leaseUntil - LEASE_MS;
      expect((await runs()).filter((r) => r.label === label && r.at >= claimedAt && r.at < leaseUntil)).toEqual([]);
    } finally {
      sandbox.state.scenario.faults.splice(0);
      await Promise.all(replicas.map((replica) => replica.stop()));
      await db.end();
      await schema.remove();
    }
  }, 90_000);
});
