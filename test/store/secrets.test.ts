// No secret reaches the store: canary credentials, external id and API key are sent through every
// credential type; the database file and every stored row are searched for them.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyLabel } from '../../src/http/auth.js';
import { CANARY, CANARY_CONNECTION, CANARY_CREDENTIALS, CANARY_SECRETS, canaryScenario } from '../support/canary.js';
import { type Harness, startHarness } from '../support/service.js';
import { type TempStore, tempStore } from './support.js';

const { apiKey: API_KEY } = CANARY;
const { keys, keysWithToken, role } = CANARY_CREDENTIALS;

let temp: TempStore;
let harness: Harness;
beforeAll(async () => {
  temp = await tempStore();
  harness = await startHarness(canaryScenario('canary-store'), { store: temp.store, config: { apiKeys: [API_KEY] } });
  for (const credentials of [keys, keysWithToken, role]) {
    const response = await harness.app.inject({
      method: 'POST',
      url: '/preflight',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ ...CANARY_CONNECTION, credentials }),
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

  it.each(CANARY_SECRETS)('%s is in no stored row and nowhere in the database file', async (secret) => {
    const rows = await temp.rows();
    expect(JSON.stringify(rows)).not.toContain(secret);
    await temp.store.close(); // the WAL checkpointed into the file
    const bytes = readFileSync(temp.path);
    expect(bytes.includes(Buffer.from(secret))).toBe(false);
  });
});
