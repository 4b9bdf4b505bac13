// The connection a preflight of a scenario uses, with the scenario's (fake) secrets filled in:
// shared by the demo, the tests, the benchmark and the web page.
import type { Sandbox } from './server.js';

export interface SandboxServiceIdentity {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The service's own identity in this scenario (the base principal of role mode), if it has one. */
export function serviceIdentityOf(sandbox: Pick<Sandbox, 'scenario'>): SandboxServiceIdentity | undefined {
  const user = sandbox.scenario.users.find((u) => u.serviceIdentity);
  return user ? { accessKeyId: user.accessKeyId, secretAccessKey: user.secretAccessKey } : undefined;
}

export function sampleRequest(sandbox: Pick<Sandbox, 'scenario' | 'state'>, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const { scenario } = sandbox;
  const sample = scenario.sample ?? { credentials: `user:${scenario.users.find((u) => !u.serviceIdentity)?.name}`, request: {} };
  const [kind, name] = sample.credentials.split(':') as ['user' | 'role', string];
  let credentials: Record<string, unknown>;
  if (kind === 'user') {
    const user = scenario.users.find((u) => u.name === name)!;
    credentials = { type: 'accessKey', accessKeyId: user.accessKeyId, secretAccessKey: user.secretAccessKey };
  } else {
    const role = scenario.roles.find((r) => r.name === name)!;
    credentials = { type: 'role', roleArn: sandbox.state.roleArn(role), ...(role.externalId ? { externalId: role.externalId } : {}) };
  }
  return { region: scenario.region, accountId: scenario.accountId, credentials, ...sample.request, ...overrides };
}
