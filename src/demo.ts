// `npm run demo`: the service wired to the sandbox, one sample preflight over real HTTP, printed.
// Everything here is explicit: the sandbox's endpoint and keys are passed in, never picked up
// from the environment, so nothing can fall back to a fake AWS by accident.
import { parseArgs } from 'node:util';
import { buildApp } from './app.js';
import { argumentProblem } from './cli/shared.js';
import { createClientFactory } from './aws/clients.js';
import { shellWord } from './catalogue/quote.js';
import { createCallSlots } from './preflight/call-slots.js';
import type { PreflightReport } from './preflight/types.js';
import { PROBES } from './probes/registry.js';
import { renderTable } from './render/text.js';
import { sampleRequest, serviceIdentityOf } from './sandbox/sample.js';
import { ScenarioError } from './sandbox/scenario.js';
import { type Sandbox, startSandbox } from './sandbox/server.js';

export const DEMO_API_KEY = 'demo-key-not-secret-0000';
/** full-access: every capability ok, and a customer role the sandbox's service user may assume, so role mode works too. */
export const DEMO_SCENARIO = 'full-access';
/** With --serve, where the documentation's examples expect the service and its AWS. */
export const DEMO_PORTS = { service: 8080, sandbox: 4566 };

const USAGE = `usage: npm run demo -- [--scenario NAME|FILE] [--json] [--serve [--port N] [--sandbox-port N]]

  --scenario NAME|FILE  a built-in sandbox scenario or a scenario file (default ${DEMO_SCENARIO})
  --json                print the report as JSON instead of a table
  --serve               keep the service and the sandbox running, on fixed ports, and print curls to
                        try; SIGTERM or Ctrl-C stops both
  --port N              the service's port with --serve (default ${DEMO_PORTS.service})
  --sandbox-port N      the sandbox's port with --serve (default ${DEMO_PORTS.sandbox})
`;

class DemoError extends Error {}

function port(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number > 65535) throw new DemoError(`--${name} must be an integer from 0 to 65535`);
  return number;
}

/** A listen that failed: said in one line, with the option that picks another port. */
function listenError(error: unknown, what: string, option: string): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return new DemoError(`${what}: port ${(error as { port?: number }).port} is in use (${option} picks another)`);
  if (code === 'EACCES') return new DemoError(`${what}: not allowed to listen on port ${(error as { port?: number }).port} (${option} picks another)`);
  return error as Error;
}

function curl(address: string, body: unknown): string {
  const [request, ...headers] = [`${address}/preflight`, `Authorization: Bearer ${DEMO_API_KEY}`, 'content-type: application/json', 'accept: text/plain'].map(shellWord);
  return `curl -s ${request} ${headers.map((header) => `-H ${header}`).join(' ')} \\\n    -d ${shellWord(JSON.stringify(body))}`;
}

interface DemoIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
  /**
   * With --serve, called once serving: the demo serves until it settles (at the process edge, on
   * SIGTERM or SIGINT), then closes everything. Before that a signal ends the process as usual.
   */
  untilStopped(): Promise<unknown>;
}

export async function runDemo(argv: string[], io: DemoIo): Promise<number> {
  let sandbox: Sandbox | undefined;
  const cleanup: Array<() => Promise<void> | void> = [];
  try {
    let values;
    try {
      ({ values } = parseArgs({
        args: argv,
        options: {
          scenario: { type: 'string', default: DEMO_SCENARIO },
          json: { type: 'boolean', default: false },
          serve: { type: 'boolean', default: false },
          port: { type: 'string' },
          'sandbox-port': { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
        strict: true,
      }));
    } catch (error) {
      throw new DemoError(`${argumentProblem(error)} (npm run demo -- --help)`);
    }
    if (values.help) {
      io.stdout.write(USAGE);
      return 0;
    }
    const servicePort = port(values.port, 'port', values.serve ? DEMO_PORTS.service : 0);
    const sandboxPort = port(values['sandbox-port'], 'sandbox-port', values.serve ? DEMO_PORTS.sandbox : 0);

    try {
      sandbox = await startSandbox({ scenario: values.scenario!, port: sandboxPort });
    } catch (error) {
      throw error instanceof ScenarioError ? new DemoError(error.message) : listenError(error, 'the sandbox', '--sandbox-port');
    }
    cleanup.push(() => sandbox!.close());
    const clients = createClientFactory({ defaultEndpoint: sandbox.endpoint, s3ForcePathStyle: true });
    cleanup.push(() => clients.destroy());
    const serviceIdentity = serviceIdentityOf(sandbox);
    const app = await buildApp({
      config: { apiKeys: [DEMO_API_KEY], authDisabled: false, maxConcurrentRuns: 16 },
      engine: { clients, serviceCredentials: serviceIdentity ? async () => serviceIdentity : undefined, allowAmbient: false, maxRunMs: 60_000, callSlots: createCallSlots(256), probes: PROBES },
    });
    cleanup.unshift(() => app.close());
    let address: string;
    try {
      address = await app.listen({ host: '127.0.0.1', port: servicePort });
    } catch (error) {
      throw listenError(error, 'the service', '--port');
    }
    io.stderr.write(`demo: sandbox scenario "${sandbox.scenario.name}" at ${sandbox.endpoint}; service at ${address}\n`);

    const sample = sampleRequest(sandbox);
    const response = await fetch(`${address}/preflight`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_API_KEY}` },
      body: JSON.stringify(sample),
    });
    const report = (await response.json()) as PreflightReport;
    io.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : renderTable(report, { color: Boolean(io.stdout.isTTY) && !io.env.NO_COLOR }));

    if (!values.serve) return 0;
    // Stopped by a signal from now on: before the lines that say it serves, which a script waits for.
    const stopped = io.untilStopped();
    // Role mode needs the service's own identity: only scenarios that have one get its curl.
    const role = serviceIdentity ? sandbox.scenario.roles[0] : undefined;
    const roleBody = role ? { ...sample, credentials: { type: 'role', roleArn: sandbox.state.roleArn(role), ...(role.externalId ? { externalId: role.externalId } : {}) } } : undefined;
    io.stderr.write(
      [
        `demo: serving until Ctrl-C; API key ${DEMO_API_KEY}. Try:`,
        `  ${curl(address, sample)}`,
        ...(roleBody ? [`  ${curl(address, roleBody)}`] : [`  (no role mode: scenario "${sandbox.scenario.name}" gives the service no identity of its own)`]),
        `  open ${address}/ for the support page`,
        '',
      ].join('\n'),
    );
    await stopped;
    io.stderr.write('demo: stopping the service and the sandbox\n');
    return 0;
  } catch (error) {
    if (!(error instanceof DemoError)) throw error;
    io.stderr.write(`demo: ${error.message}\n`);
    return 3;
  } finally {
    for (const step of cleanup) await step();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // Both signals, every time they come: Ctrl-C reaches npm, tsx and this process at once, and npm
  // and tsx pass it on, so one stop can arrive as several signals.
  const untilStopped = () =>
    new Promise((stop) => {
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
  process.exitCode = await runDemo(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, untilStopped });
}
