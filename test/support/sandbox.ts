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
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('the sandbox tests need the AWS CLI (`aws`, botocore) on PATH, as an independent client: install it (`pip install awscli`, or Debian\'s `awscli` package)');
    }
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    const code = /An error occurred \(([^)]+)\)/.exec(stderr)?.[1];
    return { ok: false, stdout, stderr, errorCode: code };
  }
}

export interface RequestWatch {
  /** Requests the sandbox received since the watch began (and ids it made for queries and uploads). */
  readonly count: number;
  /** Resolves once `condition` holds: checked at once, then as each later request reaches the sandbox. */
  until(condition: () => boolean): Promise<void>;
  /** Resolves once `n` more requests than now have reached the sandbox. */
  next(n?: number): Promise<void>;
  stop(): void;
}

/**
 * Waits on what the sandbox receives instead of sleeping for long enough. A request is counted as it
 * arrives, before its faults or its operation run (the sandbox takes a request id first).
 */
export function watchRequests(sandbox: Sandbox): RequestWatch {
  const { state } = sandbox;
  const original = state.nextId;
  let count = 0;
  const waiters = new Set<{ condition: () => boolean; resolve: () => void }>();
  state.nextId = function nextId(this: typeof state) {
    count += 1;
    for (const waiter of waiters) {
      if (waiter.condition()) {
        waiters.delete(waiter);
        waiter.resolve();
      }
    }
    return original.call(this);
  };
  const until = (condition: () => boolean) => (condition() ? Promise.resolve() : new Promise<void>((resolve) => waiters.add({ condition, resolve })));
  return {
    get count() {
      return count;
    },
    until,
    next(n = 1) {
      const target = count + n;
      return until(() => count >= target);
    },
    stop() {
      state.nextId = original;
    },
  };
}

/** A promise whose settling can be asked about synchronously; its rejection counts as handled until awaited. */
export function tracked<T>(promise: Promise<T>): { promise: Promise<T>; readonly settled: boolean } {
  let settled = false;
  const settles = promise.finally(() => {
    settled = true;
  });
  settles.catch(() => undefined);
  return {
    promise: settles,
    get settled() {
      return settled;
    },
  };
}
