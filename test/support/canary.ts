// The secrets canary: a principal whose secrets are canaries, sent through every credential type,
// so that a test can search everything the service wrote (its log, its answers, its metrics, its
// report store) for them. One scenario, shared by the tests that look in each place.
export const CANARY = {
  secretAccessKey: 'canary-secret-DO-NOT-LEAK-0001',
  sessionToken: 'canary-session-token-DO-NOT-LEAK-0002',
  externalId: 'canary-external-id-0003',
  accessKeyId: 'AKIACANARYKEY0000001',
  apiKey: 'canary-api-key-DO-NOT-LEAK-0004',
} as const;

/** Every canary: none may appear anywhere the service writes. */
export const CANARY_SECRETS: readonly string[] = Object.values(CANARY);

const allowAll = [{ Version: '2012-10-17' as const, Statement: [{ Effect: 'Allow' as const, Action: '*', Resource: '*' }] }];
const SERVICE_IDENTITY = { accessKeyId: 'AKIASANDBOXSERVICE01', secretAccessKey: 'sandbox/service/secret/key/00000000000' };

/** The service's own identity in the canary scenario, which assumes the canary role. */
export const CANARY_SERVICE_CREDENTIALS = async () => ({ ...SERVICE_IDENTITY });

/** A built-in scenario with the canary user and role (its trust requires the canary external id) added. */
export function canaryScenario(name: string, base = 'full-access') {
  return {
    extends: base,
    name,
    description: 'a principal whose secrets are canaries',
    sample: { credentials: 'user:canary', request: {} },
    users: [
      { name: 'canary', accessKeyId: CANARY.accessKeyId, secretAccessKey: CANARY.secretAccessKey, policies: allowAll },
      { name: 'preflight-service', accountId: '999999999999', serviceIdentity: true, ...SERVICE_IDENTITY, policies: allowAll },
    ],
    roles: [
      {
        name: 'Canary',
        trustPolicy: {
          Version: '2012-10-17' as const,
          Statement: [{ Effect: 'Allow' as const, Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': CANARY.externalId } } }],
        },
        policies: allowAll,
      },
    ],
  };
}

/** The canary's credentials of each type a request can carry. */
export const CANARY_CREDENTIALS = {
  keys: { type: 'accessKey', accessKeyId: CANARY.accessKeyId, secretAccessKey: CANARY.secretAccessKey },
  keysWithToken: { type: 'accessKey', accessKeyId: CANARY.accessKeyId, secretAccessKey: CANARY.secretAccessKey, sessionToken: CANARY.sessionToken },
  role: { type: 'role', roleArn: 'arn:aws:iam::123456789012:role/Canary', externalId: CANARY.externalId },
} as const;

/** The connection every canary request checks. */
export const CANARY_CONNECTION = { region: 'eu-west-1', accountId: '123456789012', athena: { workgroup: 'primary', outputLocation: 's3://acme-athena-results/primary/' } };
