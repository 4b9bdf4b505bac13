// `preflight serve` as its own process against a sandbox, as an operator starts it: the sandbox is its
// AWS (endpoint and service identity), no shared AWS configuration is read, and the port is free.
import { serviceIdentityOf } from '../../src/sandbox/sample.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { type Started, start } from '../docs/processes.js';

export function serveAgainst(sandbox: Sandbox, apiKey: string, env: Record<string, string> = {}): Started {
  const identity = serviceIdentityOf(sandbox);
  return start(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: '0',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_ENDPOINT_URL: sandbox.endpoint,
      PREFLIGHT_S3_FORCE_PATH_STYLE: 'true',
      PREFLIGHT_API_KEYS: apiKey,
      ...(identity ? { AWS_ACCESS_KEY_ID: identity.accessKeyId, AWS_SECRET_ACCESS_KEY: identity.secretAccessKey } : {}),
      ...env,
    },
  });
}
