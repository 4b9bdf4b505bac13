// Who the role trusts when PREFLIGHT_TRUSTED_PRINCIPAL is unset: the service's identity, asked of STS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientFactory } from '../../src/aws/clients.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { principalFromCaller, trustedPrincipalFinder } from '../../src/setup/principal.js';

describe('principalFromCaller', () => {
  it('names a user as it is, a role session as its role (whose path it cannot know)', () => {
    expect(principalFromCaller('arn:aws:iam::999999999999:user/preflight-service')).toEqual({ principal: 'arn:aws:iam::999999999999:user/preflight-service', pathUnknown: false });
    expect(principalFromCaller('arn:aws:sts::999999999999:assumed-role/preflight-service/i-0abc')).toEqual({ principal: 'arn:aws:iam::999999999999:role/preflight-service', pathUnknown: true });
    expect(principalFromCaller('arn:aws-us-gov:sts::999999999999:assumed-role/svc/s')).toEqual({ principal: 'arn:aws-us-gov:iam::999999999999:role/svc', pathUnknown: true });
  });
});

describe('trustedPrincipalFinder, against the sandbox', () => {
  let sandbox: Sandbox;
  const clients = () => createClientFactory({ defaultEndpoint: sandbox.endpoint, s3ForcePathStyle: true });
  beforeAll(async () => {
    sandbox = await startSandbox({ scenario: 'full-access' });
  });
  afterAll(() => sandbox.close());

  it('asks STS once who the service is, and remembers it', async () => {
    const factory = clients();
    let asked = 0;
    const credentials = async () => {
      asked++;
      return { accessKeyId: 'AKIASANDBOXSERVICE01', secretAccessKey: 'sandbox/service/secret/key/00000000000' };
    };
    const seen: unknown[] = [];
    const find = trustedPrincipalFinder({ clients: factory, serviceCredentials: credentials }, (found) => seen.push(found));
    const expected = { principal: 'arn:aws:iam::999999999999:user/preflight-service', pathUnknown: false };
    expect(await find('eu-west-1')).toEqual(expected);
    expect(await find('eu-west-1')).toEqual(expected);
    expect(seen).toEqual([expected]);
    expect(asked).toBe(1);
    factory.destroy();
  });

  it('answers undefined when STS cannot tell, and asks again next time', async () => {
    const factory = clients();
    let accessKeyId = 'AKIANOSUCHKEY0000001';
    const find = trustedPrincipalFinder({ clients: factory, serviceCredentials: async () => ({ accessKeyId, secretAccessKey: 'sandbox/service/secret/key/00000000000' }) });
    expect(await find('eu-west-1')).toBeUndefined();
    accessKeyId = 'AKIASANDBOXSERVICE01';
    expect((await find('eu-west-1'))?.principal).toBe('arn:aws:iam::999999999999:user/preflight-service');
    factory.destroy();
  });
});
