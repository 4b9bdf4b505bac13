// No secret reaches the store: canary credentials, external id and API key are sent through every
// credential type; the database file and every stored row are searched for them.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyLabel } from '../../src/http/auth.js';
import { type Harness, startHarness } from '../support/service.js';
import { type TempStore, tempStore } from './support.js';

const SECRET_KEY = 'canary-secret-DO-NOT-STORE-0001';
const SESSION_TOKEN = 'canary-session-token-DO-NOT-STORE-0002';
const EXTERNAL_ID = 'canary-external-id-store-0003';
const ACCESS_KEY_ID = 'AKIACANARYSTORE00001';
const API_KEY = 'canary-api-key-DO-NOT-STORE-0004';
const SECRETS = [SECRET_KEY, SESSION_TOKEN, EXTERNAL_ID, ACCESS_KEY_ID, API_KEY];

const allowAll = [{ Version: '2012-10-17' as const, Statement: [{ Effect: 'Allow' as const, Action: '*', Resource: '*' }] }];
const scenario = {
  extends: 'full-access',
  name: 'canary-store',
  description: 'a principal whose secrets are canaries',
  sample: { credentials: 'user:canary', request: {} },
  users: [
    { name: 'canary', accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_KEY, policies: allowAll },
    { name: 'preflight-service', accountId: '999999999999', serviceIdentity: true, accessKeyId: 'AKIASANDBOXSERVICE01', secretAccessKey: 'sandbox/service/secret/key/00000000000', policies: allowAll },
  ],
  roles: [
    {
      name: 'Canary',
      trustPolicy: { Version: '2012-10-17' as const, Statement: [{ Effect: 'Allow' as const, Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } } }] },
      policies: allowAll,
    },
  ],
};

const keys = { type: 'accessKey', accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_KEY };
const role = { type: 'role', roleArn: 'arn:aws:iam::123456789012:role/Canary', externalId: EXTERNAL_ID };
const connection = { region: 'eu-west-1', accountId: '123456789012', athena: { workgroup: 'primary', outputLocation: 's3://acme-athena-results/primary/' } };

let temp: TempStore;
let harness: Harness;
beforeAll(async () => {
  temp = await tempStore();
  harness = await startHarness(scenario, { store: temp.store, config: { apiKeys: [API_KEY] } });
  for (const credentials of [keys, { ...keys, sessionToken: SESSION_TOKEN }, role]) {
    const response = await harness.app.inject({
      method: 'POST',
      url: '/preflight',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ ...connection, credentials }),
    });
    expect(response.statusCode).toBe(200);
  }
});
afterAll(async () => {
  await harness.close();
  await temp.remove();
});

describe('stored reports hold no secret', () => {
  it('stored every run, labelled by the API key', async () => {
    const rows = await temp.rows();
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row.api_key_label).toBe(apiKeyLabel(API_KEY));
    expect(rows.map((r) => r.principal).sort()).toEqual(['AKIA…0001', 'AKIA…0001', role.roleArn]);
  });

  it.each(SECRETS)('%s is in no stored row and nowhere in the database file', async (secret) => {
    const rows = await temp.rows();
    expect(JSON.stringify(rows)).not.toContain(secret);
    await temp.store.close(); // the WAL checkpointed into the file
    const bytes = readFileSync(temp.path);
    expect(bytes.includes(Buffer.from(secret))).toBe(false);
  });
});
