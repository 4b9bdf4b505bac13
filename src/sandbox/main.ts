// `npm run sandbox -- --scenario NAME|FILE [--port N]`: one JSON line on stdout once listening
// (machine-readable: endpoint and keys), human messages on stderr.
import { parseArgs } from 'node:util';
import { ScenarioError } from './scenario.js';
import { type Sandbox, startSandbox } from './server.js';

export function describeSandbox(sandbox: Sandbox) {
  const { state, scenario } = sandbox;
  return {
    endpoint: sandbox.endpoint,
    accountId: scenario.accountId,
    region: scenario.region,
    principals: scenario.users.map((user) => ({
      name: user.name,
      arn: state.userArn(user),
      accessKeyId: user.accessKeyId,
      secretAccessKey: user.secretAccessKey,
      ...(user.serviceIdentity ? { serviceIdentity: true } : {}),
    })),
    roles: scenario.roles.map((role) => ({ name: role.name, arn: state.roleArn(role), externalId: role.externalId ?? null })),
  };
}

export async function runSandboxCli(argv: string[]): Promise<number> {
  let options;
  try {
    ({ values: options } = parseArgs({
      args: argv,
      options: {
        scenario: { type: 'string', short: 's', default: 'full-access' },
        port: { type: 'string', short: 'p', default: '0' },
        // Loopback unless told otherwise (the docker-compose demo listens on the compose network).
        host: { type: 'string', default: '127.0.0.1' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`sandbox: ${(error as Error).message}\n`);
    return 3;
  }
  if (options.help) {
    process.stderr.write('usage: sandbox [--scenario NAME|FILE] [--port N] [--host ADDRESS]\n');
    return 0;
  }
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`sandbox: --port must be an integer from 0 to 65535, got "${options.port}"\n`);
    return 3;
  }
  try {
    const sandbox = await startSandbox({ scenario: options.scenario!, port, host: options.host });
    process.stdout.write(`${JSON.stringify(describeSandbox(sandbox))}\n`);
    process.stderr.write(`sandbox: scenario "${sandbox.scenario.name}" listening on ${sandbox.endpoint}\n`);
    const stop = () => void sandbox.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return 0;
  } catch (error) {
    process.stderr.write(`sandbox: ${error instanceof ScenarioError ? error.message : (error as Error).stack}\n`);
    return 3;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runSandboxCli(process.argv.slice(2)).then((code) => {
    if (code !== 0) process.exitCode = code;
  });
}
