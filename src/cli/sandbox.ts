// preflight sandbox: the simulated AWS account on a port, described in one JSON line on stdout, until
// SIGTERM or SIGINT. Only this command loads the sandbox, and only when it runs: `check` never pays for it.
import { type Command, EXIT, InputError, UsageError, parseOptions } from './shared.js';

export const sandbox: Command = {
  name: 'sandbox',
  synopsis: 'sandbox',
  summary: 'run the simulated AWS account',
  help: `usage: preflight sandbox [--scenario NAME|FILE] [--port N] [--host ADDRESS]

Runs the simulated AWS account: prints one JSON line (endpoint, account, region, principals and
their keys, roles and their external IDs), then serves until SIGTERM or Ctrl-C.

  -s, --scenario NAME|FILE   a built-in scenario or a scenario file (default full-access)
  -p, --port N               the port (default 0: any free one)
  --host ADDRESS             the address to listen on (default 127.0.0.1)
  -h, --help                 this help
  -V, --version              the version

exit: 0 after SIGTERM or SIGINT, 3 for a bad scenario or option, or a port in use
`,
  run: async (args, io) => {
    const parsed = parseOptions(
      sandbox,
      args,
      { scenario: { type: 'string', short: 's', default: 'full-access' }, port: { type: 'string', short: 'p', default: '0' }, host: { type: 'string', default: '127.0.0.1' } },
      io,
    );
    if (!parsed) return EXIT.ok;
    const { values, positionals } = parsed;
    if (positionals.length) throw new UsageError('sandbox takes options only', 'sandbox');
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port!) || port > 65535) throw new UsageError('--port must be an integer from 0 to 65535', 'sandbox');
    const [{ describeSandbox }, { ScenarioError }, { startSandbox }] = await Promise.all([import('../sandbox/main.js'), import('../sandbox/scenario.js'), import('../sandbox/server.js')]);
    let started;
    try {
      started = await startSandbox({ scenario: values.scenario!, port, host: values.host });
    } catch (error) {
      if (error instanceof ScenarioError) throw new InputError(error.message);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new InputError(`the sandbox cannot listen: port ${port} is in use (--port picks another)`);
      if (code === 'EACCES' || code === 'EADDRNOTAVAIL') throw new InputError(`the sandbox cannot listen on ${values.host} port ${port} (${code})`);
      throw error;
    }
    // Every signal, not the first only: Ctrl-C under npm reaches npm, tsx and this process, and npm
    // and tsx pass it on. Once closed, nothing keeps the process: it ends with the code returned
    // here. Listened for before the line that says the sandbox is up, which a script waits for.
    let closing: Promise<void> | undefined;
    const stop = () => {
      closing ??= started.close();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    io.stdout.write(`${JSON.stringify(describeSandbox(started))}\n`);
    io.stderr.write(`sandbox: scenario "${started.scenario.name}" listening on ${started.endpoint}\n`);
    return EXIT.ok;
  },
};
