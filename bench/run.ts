// `npm run bench`: figures measured in one run on loopback, printed as a table, raw JSON kept
// under bench/results/. Never part of `npm test`.
import { type ChildProcess, spawn } from 'node:child_process';
import { type Hash, type Hmac, createHash, createHmac } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SourceData } from '@smithy/types';

interface Started {
  endpoint: string;
  region: string;
  principals: Array<{ name: string; accessKeyId: string; secretAccessKey: string }>;
}

const results: Record<string, unknown> = { date: new Date().toISOString(), cores: cpus().length, node: process.version };

async function startSandboxProcess(scenario: string): Promise<{ child: ChildProcess; started: Started }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/sandbox/main.ts', '--scenario', scenario], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return { child, started: JSON.parse(line) as Started };
}

/** CPU seconds a process has used so far (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The hash constructor the signer wants: SHA-256, or HMAC-SHA-256 when given a key. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret ? createHmac('sha256', typeof secret === 'string' ? secret : Buffer.from(secret as ArrayBuffer)) : createHash('sha256');
  }
  update(data: SourceData): void {
    this.hash.update(typeof data === 'string' ? data : Buffer.from(data as ArrayBuffer));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

async function presignedCall(started: Started) {
  const analyst = started.principals.find((p) => p.name === 'analyst')!;
  const url = new URL(started.endpoint);
  const body = JSON.stringify({ MaxResults: 5 });
  const signer = new SignatureV4({
    service: 'glue',
    region: started.region,
    credentials: { accessKeyId: analyst.accessKeyId, secretAccessKey: analyst.secretAccessKey },
    sha256: NodeSha256,
  });
  // One signed request replayed: SigV4 has no nonce, so the same signature stays valid for minutes.
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    query: {},
    headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSGlue.GetDatabases', 'content-length': String(Buffer.byteLength(body)) },
    body,
  });
  return { url, headers: signed.headers as Record<string, string>, body };
}

async function sandboxThroughput(): Promise<void> {
  const { child, started } = await startSandboxProcess('full-access');
  try {
    const call = await presignedCall(started);
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const send = () =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: call.url.hostname, port: call.url.port, method: 'POST', path: '/', headers: call.headers, agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end(call.body);
      });
    for (let i = 0; i < 200; i++) await send(); // warm up
    const durationMs = 3000;
    const cpuBefore = cpuSeconds(child.pid!);
    const started_ = Date.now();
    let done = 0;
    let failed = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (Date.now() - started_ < durationMs) {
          const status = await send();
          if (status === 200) done += 1;
          else failed += 1;
        }
      }),
    );
    const elapsed = (Date.now() - started_) / 1000;
    const cpu = cpuSeconds(child.pid!) - cpuBefore;
    agent.destroy();
    results.sandbox = { requests: done, failed, seconds: elapsed, requestsPerSecond: done / elapsed, sandboxCpuSeconds: cpu, requestsPerCpuSecond: done / cpu };
  } finally {
    child.kill('SIGTERM');
  }
}

function table(): string {
  const sandbox = results.sandbox as { requestsPerSecond: number; requestsPerCpuSecond: number; failed: number };
  const rows = [
    ['measurement', 'figure', 'goal', 'ratio to goal'],
    ['sandbox: signed Glue GetDatabases per second (16 connections)', sandbox.requestsPerSecond.toFixed(0), '', ''],
    ['sandbox: requests per CPU-second of the sandbox process (one core)', sandbox.requestsPerCpuSecond.toFixed(0), '>= 2000', (sandbox.requestsPerCpuSecond / 2000).toFixed(2)],
    ['sandbox: failed requests', String(sandbox.failed), '0', ''],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')).join('\n');
}

await sandboxThroughput();
mkdirSync('bench/results', { recursive: true });
const file = `bench/results/${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`Preflight benchmark, ${results.date}, ${results.cores} cores, Node ${results.node}\n\n${table()}\n\nraw results: ${file}\n`);
