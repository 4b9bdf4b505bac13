// A service the run never connects to, as from a VPC that lacks its endpoint: one finding per
// service, naming the endpoint (or the proxy the calls went through), end to end over real HTTP.
// The operator's settings come in as the service reads them (AWS_ENDPOINT_URL_<SERVICE>,
// HTTPS_PROXY, NO_PROXY) through `preflight check`; the addresses are loopback only: a closed port
// refuses, a name under .invalid never resolves (RFC 6761), a listener whose queue is full never
// answers a connection.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreflightReport } from '../../src/preflight/types.js';
import { sampleRequest } from '../../src/sandbox/sample.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { cliInProcess as cli } from '../support/cli.js';
import { runAsRole } from '../support/role-run.js';

let sandbox: Sandbox;
let file: string;
/** A loopback port nothing listens on: connections to it are refused. */
let closedPort: number;

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: 'full-access' });
  file = join(mkdtempSync(join(tmpdir(), 'preflight-unreachable-')), 'connection.json');
  writeFileSync(file, JSON.stringify(sampleRequest(sandbox)));
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closedPort = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
afterAll(async () => {
  await sandbox.close();
});

/** `preflight check --json` with the sandbox for every service but those `env` points elsewhere. */
async function check(env: Record<string, string>): Promise<PreflightReport> {
  const run = await cli(['check', file, '--json'], { env: { AWS_ENDPOINT_URL: sandbox.endpoint, PREFLIGHT_S3_FORCE_PATH_STYLE: 'true', AWS_EC2_METADATA_DISABLED: 'true', ...env } });
  expect(run.stderr).not.toMatch(/internal error/i);
  return JSON.parse(run.stdout) as PreflightReport;
}

const unreachable = (report: PreflightReport) => report.findings.filter((finding) => finding.code === 'SERVICE_UNREACHABLE');

describe('a service the VPC cannot reach', () => {
  it('gets one finding per service, naming the interface endpoint it lacks (gateway for S3), however many probes met it', async () => {
    const report = await check({
      AWS_ENDPOINT_URL_GLUE: `http://127.0.0.1:${closedPort}`,
      AWS_ENDPOINT_URL_LAKEFORMATION: 'http://lakeformation.preflight.invalid',
      AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${closedPort}`,
    });
    expect(report.connection.region).toBe('eu-west-1');
    // Several probes met the same failure: the finding is the service's, once.
    const met = (service: string) => report.probes.filter((p) => p.service === service && p.error?.category === 'network').length;
    expect(met('glue')).toBeGreaterThan(1);
    expect(met('s3')).toBeGreaterThan(1);
    expect(met('lakeformation')).toBeGreaterThan(0);
    const findings = unreachable(report);
    expect(findings.map((f) => f.message.match(/could not connect to (\w+)/)?.[1]).sort()).toEqual(['glue', 'lakeformation', 's3']);

    const glue = findings.find((f) => f.message.includes('connect to glue:'))!;
    expect(glue).toMatchObject({ severity: 'high' });
    expect(glue.message).toContain(`127.0.0.1 refused the connection (ECONNREFUSED)`);
    expect(glue.message).toContain('the interface endpoint com.amazonaws.eu-west-1.glue');
    expect(glue.remediation).toContain('Create com.amazonaws.eu-west-1.glue: an interface endpoint with private DNS');
    // The endpoint is the operator's: the finding says so, and which variable sets it.
    expect(glue.remediation).toContain(`AWS_ENDPOINT_URL_GLUE or AWS_ENDPOINT_URL: http://127.0.0.1:${closedPort}`);

    const lakeFormation = findings.find((f) => f.message.includes('connect to lakeformation:'))!;
    expect(lakeFormation.message).toMatch(/lakeformation\.preflight\.invalid does not resolve \((ENOTFOUND|EAI_AGAIN)\)/);
    expect(lakeFormation.message).toContain('the interface endpoint com.amazonaws.eu-west-1.lakeformation');

    const s3 = findings.find((f) => f.message.includes('connect to s3:'))!;
    expect(s3.message).toContain('the gateway endpoint com.amazonaws.eu-west-1.s3');
    expect(s3.remediation).toContain('Create com.amazonaws.eu-west-1.s3: a gateway endpoint on the route tables');
    // The failed calls are named, each once.
    expect(s3.message).toMatch(/\d+ calls \(s3:/);

    // The services that answered get none.
    expect(findings.some((f) => /connect to (sts|athena|cloudtrail|kms):/.test(f.message))).toBe(false);
  });

  it('names the proxy, not an endpoint, when the calls go through HTTPS_PROXY', async () => {
    const report = await check({
      // Glue's calls go through the proxy (its host is not in NO_PROXY); the sandbox's do not.
      AWS_ENDPOINT_URL_GLUE: 'http://glue.preflight.invalid',
      HTTPS_PROXY: `http://user:proxy-secret@127.0.0.1:${closedPort}`,
      NO_PROXY: '127.0.0.1',
    });
    const findings = unreachable(report);
    expect(findings).toHaveLength(1);
    const [glue] = findings;
    expect(glue!.message).toContain(`could not connect to glue: its calls go through the proxy 127.0.0.1:${closedPort} (HTTPS_PROXY), and 127.0.0.1:${closedPort} refused the connection (ECONNREFUSED)`);
    expect(glue!.message).not.toContain('lacks');
    expect(glue!.remediation).toMatch(/^Check HTTPS_PROXY: the proxy 127\.0\.0\.1:\d+ must be reachable/);
    // A proxy URL can carry a password: only its host and port are named.
    expect(JSON.stringify(report)).not.toContain('proxy-secret');
  });

  it('says nothing when every service answered', async () => {
    const report = await check({});
    expect(report.status).toBe('ok');
    expect(unreachable(report)).toEqual([]);
  });
});

/**
 * A loopback listener that never answers a connection: its accept queue (backlog 0) is filled
 * first, so the kernel drops the next SYNs and a connect waits until the client gives up. Node
 * accepts whatever reaches its listeners, hence a Python one (the AWS CLI's, on every machine the
 * tests run on).
 */
async function silentListener(): Promise<{ port: number; process: ChildProcess }> {
  const script = [
    'import socket, sys',
    "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(0)",
    'port = s.getsockname()[1]',
    'held = []',
    'for _ in range(3):',
    '    c = socket.socket(); c.setblocking(False)',
    "    try: c.connect(('127.0.0.1', port))",
    '    except BlockingIOError: pass',
    '    held.append(c)',
    'print(port, flush=True)',
    'sys.stdin.read()',
  ].join('\n');
  const child = spawn('python3', ['-c', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
  });
  return { port, process: child };
}

describe('a connection never answered', () => {
  it('is a connect timeout, and names the endpoint', async () => {
    const listener = await silentListener();
    try {
      const report = await runAsRole(sandbox, { endpoints: { glue: `http://127.0.0.1:${listener.port}` }, connectionTimeoutMs: 200 });
      const glueErrors = report.probes.filter((p) => p.service === 'glue' && p.error);
      expect(glueErrors.length).toBeGreaterThan(0);
      expect(glueErrors.every((p) => p.error!.category === 'network' && p.error!.code === 'ETIMEDOUT')).toBe(true);
      const findings = unreachable(report);
      const glue = findings.filter((f) => f.message.includes('connect to glue:'));
      expect(glue).toHaveLength(1);
      expect(glue[0]!.message).toContain(`127.0.0.1:${listener.port} never answered the connection (ETIMEDOUT)`);
      expect(glue[0]!.message).toContain('com.amazonaws.eu-west-1.glue');
    } finally {
      listener.process.stdin!.end();
    }
  });
});
