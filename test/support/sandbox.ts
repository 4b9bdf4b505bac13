// Shared helpers for tests that talk to the sandbox over real HTTP.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Sandbox } from '../../src/sandbox/server.js';

const run = promisify(execFile);

export interface TestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Credentials of a scenario user by name. */
export function userCredentials(sandbox: Sandbox, name: string): TestCredentials {
  const user = sandbox.scenario.users.find((u) => u.name === name);
  if (!user) throw new Error(`scenario ${sandbox.scenario.name} has no user ${name}`);
  return { accessKeyId: user.accessKeyId, secretAccessKey: user.secretAccessKey };
}

/** Configuration for any AWS SDK v3 client pointed at the sandbox. */
export function clientConfig(sandbox: Sandbox, credentials: TestCredentials) {
  return { region: sandbox.scenario.region, endpoint: sandbox.endpoint, credentials, forcePathStyle: true, maxAttempts: 1 };
}

export interface CliResult {
  ok: boolean;
  json?: any;
  stdout: string;
  stderr: string;
  /** The AWS error code botocore parsed, e.g. "AccessDeniedException". */
  errorCode?: string;
}

/** Runs the AWS CLI (botocore: an independent client) against the sandbox. */
export async function awsCli(sandbox: Sandbox, credentials: TestCredentials, args: string[]): Promise<CliResult> {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
    AWS_DEFAULT_REGION: sandbox.scenario.region,
    AWS_MAX_ATTEMPTS: '1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
  };
  try {
    const { stdout, stderr } = await run('aws', ['--endpoint-url', sandbox.endpoint, '--output', 'json', ...args], { env, timeout: 30_000 });
    return { ok: true, json: stdout.trim() ? JSON.parse(stdout) : undefined, stdout, stderr };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    const code = /An error occurred \(([^)]+)\)/.exec(stderr)?.[1];
    return { ok: false, stdout, stderr, errorCode: code };
  }
}
