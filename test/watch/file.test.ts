// The watch file: JSON or YAML, role mode only, the external ID from the environment or a file
// (read again at each run), never written in the file; every refusal names the field and never
// quotes a value.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WatchFileError, loadWatchFile, parseInterval, watchedRequest } from '../../src/watch/file.js';

const dir = mkdtempSync(join(tmpdir(), 'preflight-watch-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CONNECTION = {
  label: 'acme-prod',
  region: 'eu-west-1',
  accountId: '123456789012',
  roleArn: 'arn:aws:iam::123456789012:role/PreflightAccess',
  externalIdEnv: 'ACME_EXTERNAL_ID',
  capabilities: ['metadata', 'query-history'],
};
const ENV = { ACME_EXTERNAL_ID: 'acme-ext-7f3c2a' };
/** Values a refusal must never repeat. */
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const INLINE_ID = 'inline-external-id-4821';

let files = 0;
function file(content: string, name = `watch-${files++}.yaml`): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
const json = (connections: unknown[]) => file(JSON.stringify({ connections }), `watch-${files++}.json`);

async function refusal(path: string, env: Record<string, string> = ENV): Promise<string> {
  const error = await loadWatchFile(path, env).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WatchFileError);
  const message = (error as Error).message;
  for (const secret of [SECRET_KEY, INLINE_ID, ENV.ACME_EXTERNAL_ID]) expect(message).not.toContain(secret);
  return message;
}

describe('the watch file', () => {
  it('reads JSON and YAML alike into the requests the watch runs, the external ID kept out of them', async () => {
    const fromJson = await loadWatchFile(json([{ ...CONNECTION, required: ['connection', 'metadata'], interval: '30m', athena: { workgroup: 'analytics' } }]), ENV);
    const fromYaml = await loadWatchFile(
      file(`connections:
  - label: acme-prod
    region: eu-west-1
    accountId: '123456789012'
    roleArn: arn:aws:iam::123456789012:role/PreflightAccess
    externalIdEnv: ACME_EXTERNAL_ID
    capabilities: [metadata, query-history]
    required: [connection, metadata]
    interval: 30m
    athena: { workgroup: analytics }
`),
      ENV,
    );
    for (const connections of [fromJson, fromYaml]) {
      expect(connections).toHaveLength(1);
      const [watched] = connections;
      expect(watched).toMatchObject({ label: 'acme-prod', intervalMs: 30 * 60_000, externalIdSource: 'environment variable ACME_EXTERNAL_ID' });
      expect(watched!.request).toEqual({
        region: 'eu-west-1',
        accountId: '123456789012',
        credentials: { type: 'role', roleArn: CONNECTION.roleArn },
        capabilities: ['metadata', 'query-history'],
        required: ['connection', 'metadata'],
        athena: { workgroup: 'analytics' },
      });
      expect(JSON.stringify(watched!.request)).not.toContain(ENV.ACME_EXTERNAL_ID);
      expect(watchedRequest(watched!, await watched!.externalId()).credentials).toEqual({ type: 'role', roleArn: CONNECTION.roleArn, externalId: ENV.ACME_EXTERNAL_ID });
    }
  });

  it('reads an external ID file, relative to the watch file, again at each run (a rotated secret is picked up)', async () => {
    writeFileSync(join(dir, 'acme-id'), 'first-external-id\n');
    const { externalIdEnv: _, ...connection } = CONNECTION;
    const [watched] = await loadWatchFile(json([{ ...connection, externalIdFile: 'acme-id' }]), {});
    expect(watched!.externalIdSource).toBe(`file ${join(dir, 'acme-id')}`);
    expect(await watched!.externalId()).toBe('first-external-id');
    writeFileSync(join(dir, 'acme-id'), 'rotated-external-id');
    expect(await watched!.externalId()).toBe('rotated-external-id');
  });

  it('defaults to an interval of 6 h, and takes 5 min to 7 days', async () => {
    expect((await loadWatchFile(json([CONNECTION]), ENV))[0]!.intervalMs).toBe(6 * 60 * 60_000);
    expect(parseInterval('1h30m')).toBe(90 * 60_000);
    expect(parseInterval('1d')).toBe(24 * 60 * 60_000);
    expect(parseInterval(600)).toBe(600_000);
    for (const interval of ['4m', '299s', '8d', 'often', '', '6 h', -300, 0]) {
      expect(await refusal(json([{ ...CONNECTION, interval }]))).toContain('/connections/0/interval: must be a duration from 5m to 7d');
    }
  });

  it('refuses access keys, in every spelling, and names no value', async () => {
    const spellings = [
      { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET_KEY },
      { access_key_id: 'AKIAIOSFODNN7EXAMPLE', access_key_secret: SECRET_KEY },
      { aws_secret_access_key: SECRET_KEY },
      { credentials: { type: 'accessKey', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET_KEY } },
      { options: { sessionToken: SECRET_KEY } },
    ];
    for (const keys of spellings) {
      const { roleArn: _, externalIdEnv: __, ...rest } = CONNECTION;
      expect(await refusal(json([{ ...rest, ...keys }]))).toMatch(/\/connections\/0\/\S+: access keys are refused: a watch holds no long-lived secret/);
    }
  });

  it('refuses an external ID written in the file', async () => {
    for (const inline of [{ externalId: INLINE_ID }, { external_id: INLINE_ID }, { credentials: { type: 'role', roleArn: CONNECTION.roleArn, externalId: INLINE_ID } }]) {
      const message = await refusal(json([{ ...CONNECTION, ...inline }]));
      expect(message).toMatch(/\/connections\/0\/\S*(externalId|external_id|credentials)\S*: /);
      expect(message).toMatch(/an external ID is never written in the watch file|not in a watch file/);
    }
    const yaml = await refusal(file(`connections:\n  - label: acme\n    region: eu-west-1\n    accountId: '123456789012'\n    roleArn: ${CONNECTION.roleArn}\n    externalId: ${INLINE_ID}\n    capabilities: [metadata]\n`));
    expect(yaml).toContain('/connections/0/externalId: an external ID is never written in the watch file');
  });

  it('needs the external ID to be readable at start, where the file says', async () => {
    expect(await refusal(json([CONNECTION]), {})).toContain('/connections/0/externalIdEnv: names the environment variable ACME_EXTERNAL_ID, which is not set');
    const { externalIdEnv: _, ...connection } = CONNECTION;
    expect(await refusal(json([connection]))).toContain('/connections/0: needs where its external ID is');
    expect(await refusal(json([{ ...connection, externalIdEnv: 'A', externalIdFile: 'b' }]))).toContain('/connections/0: needs where its external ID is');
    expect(await refusal(json([{ ...connection, externalIdFile: 'missing-id' }]))).toContain(`/connections/0/externalIdFile: cannot read the external ID's file ${join(dir, 'missing-id')}: no such file`);
    // A value the request would refuse, said without the value.
    expect(await refusal(json([CONNECTION]), { ACME_EXTERNAL_ID: 'has spaces in it' })).toContain('/connections/0/externalIdEnv: the external ID it holds must be 2 to 1224 characters');
  });

  it('checks each connection as POST /preflight checks its request, naming the fields as the file does', async () => {
    const message = await refusal(
      json([
        { ...CONNECTION, region: 'mars-1', roleArn: 'not-an-arn', capabilities: ['metadata', 'telepathy'] },
        { ...CONNECTION, label: 'acme-prod', accountId: 123456789012 },
        { ...CONNECTION, label: 'bad label!', [SECRET_KEY]: 'x' },
        { ...CONNECTION, label: 'no-capabilities', capabilities: undefined },
      ]),
    );
    expect(message).toContain('/connections/0/region: must be an AWS region');
    expect(message).toContain('/connections/0/roleArn: must be an IAM role ARN');
    expect(message).toContain('/connections/0/capabilities/1: must be one of');
    expect(message).toContain('/connections/1/label: is the label of an earlier connection');
    expect(message).toContain("/connections/1/accountId: must be a string: quote it ('123456789012')");
    expect(message).toContain('/connections/2/label: must be 1 to 64 letters');
    expect(message).toContain('/connections/2: has a field that is not part of a watched connection (its name is not repeated');
    expect(message).toContain('/connections/3/capabilities: is required');
  });

  it('says where a file is not JSON or YAML, without quoting it', async () => {
    const broken = await refusal(file(`connections:\n  - label: acme\n    externalId: "${INLINE_ID}\n  bad: [`));
    expect(broken).toMatch(/is not valid JSON or YAML: line \d+, column \d+$/);
    expect(await refusal(join(dir, 'absent.yaml'))).toBe(`cannot read the watch file ${join(dir, 'absent.yaml')}: no such file`);
    expect(await refusal(file('connections: []\n'))).toContain('/connections: must be a list of at least one connection');
    expect(await refusal(file(`connections: [${JSON.stringify(CONNECTION)}]\nwebhook: x\n`))).toContain('/: has a field besides connections');
  });
});
