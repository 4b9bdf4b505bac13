// preflight serve: the service itself starts in main.ts, before the CLI's modules are loaded (a
// start waits for nothing it does not need); with arguments it comes here, for its help and refusals.
import { type Command, EXIT, UsageError, parseOptions } from './shared.js';

export const serve: Command = {
  name: 'serve',
  synopsis: 'serve',
  summary: 'run the HTTP service, configured by environment variables',
  help: `usage: preflight serve

Runs the HTTP service: POST /preflight, the support page at /, /healthz, /readyz, /metrics,
/openapi.yaml and /docs. It takes no options: environment variables configure it, each one in
.env.example (HOST and PORT, default 127.0.0.1:8080; PREFLIGHT_API_KEYS; AWS_ENDPOINT_URL; …).

exit: 0 after SIGTERM or SIGINT, 3 when its configuration is refused or it cannot listen
`,
  run: async (args, io) => {
    if (parseOptions(serve, args, {}, io) === null) return EXIT.ok;
    throw new UsageError('serve takes no options: environment variables configure it', 'serve');
  },
};
