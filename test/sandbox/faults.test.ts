// Fault injection, through the STS client and through raw signed requests to the other protocols
// (faults apply before an operation runs, so these tests depend on no other service's behaviour).
import { createHash } from 'node:crypto';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { clientConfig, tracked, userCredentials, watchRequests } from '../support/sandbox.js';
import { NodeSha256 } from '../support/sha256.js';

const base = { extends: 'full-access', name: 'faulty', description: 'full-access with injected faults' };
let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function start(faults: unknown[], seed = 1, clock?: () => number) {
  sandbox = await startSandbox({ scenario: { ...base, seed, faults }, clock });
  return sandbox;
}

async function stsWith(faults: unknown[], seed = 1, clock?: () => number) {
  const started = await start(faults, seed, clock);
  return new STSClient(clientConfig(started, userCredentials(started, 'analyst')));
}

const identity = (client: STSClient, abortSignal?: AbortSignal) => client.send(new GetCallerIdentityCommand({}), { abortSignal });

interface RawCall {
  service: string;
  method: string;
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
}

/** One request signed with the analyst's keys for `service`, sent with fetch. */
async function signedFetch(target: Sandbox, call: RawCall, signal?: AbortSignal) {
  const url = new URL(target.endpoint);
  const { accessKeyId, secretAccessKey } = userCredentials(target, 'analyst');
  const signer = new SignatureV4({ service: call.service, region: target.scenario.region, credentials: { accessKeyId, secretAccessKey }, sha256: NodeSha256, uriEscapePath: call.service !== 's3' });
  const body = call.body ?? '';
  const signed = await signer.sign({
    method: call.method,
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: call.path,
    query: call.query ?? {},
    headers: { host: url.host, 'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'), ...call.headers },
    body,
  });
  const query = new URLSearchParams(call.query ?? {}).toString();
  const response = await fetch(`${target.endpoint}${call.path}${query ? `?${query}` : ''}`, {
    method: call.method,
    headers: signed.headers as Record<string, string>,
    body: call.method === 'GET' ? undefined : body,
    signal,
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const json = (service: string, target: string): RawCall => ({
  service,
  method: 'POST',
  path: '/',
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
  body: '{}',
});
const LOOKUP_EVENTS = json('cloudtrail', 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents');
const LIST_WORKGROUPS = json('athena', 'AmazonAthena.ListWorkGroups');
const GET_DATABASES = json('glue', 'AWSGlue.GetDatabases');
const DESCRIBE_KEY = json('kms', 'TrentService.DescribeKey');
const LIST_OBJECTS: RawCall = { service: 's3', method: 'GET', path: '/acme-athena-results', query: { 'list-type': '2' } };
const DATA_LAKE_SETTINGS: RawCall = { service: 'lakeformation', method: 'POST', path: '/GetDataLakeSettings', headers: { 'content-type': 'application/json' }, body: '{}' };

describe('fault injection', () => {
  it('adds at least the given latency', async () => {
    const client = await stsWith([{ service: 'sts', latencyMs: 150 }]);
    const started = performance.now();
    await identity(client);
    // Real time is what this fault adds, so real time is measured; a lower bound only, which a slow
    // machine cannot break. setTimeout may fire up to a millisecond early by the monotonic clock.
    expect(performance.now() - started).toBeGreaterThanOrEqual(149);
  });

  it('adds latency only where the fault says', async () => {
    // Longer than the test's timeout: were it added to STS, the call below would never answer in time.
    const client = await stsWith([{ service: 'athena', latencyMs: 600_000 }]);
    await expect(identity(client)).resolves.toMatchObject({ Account: '123456789012' });
  });

  it('throttles with STS\'s throttling error', async () => {
    const client = await stsWith([{ service: 'sts', operation: 'GetCallerIdentity', throttle: { probability: 1 } }]);
    await expect(identity(client)).rejects.toMatchObject({ name: 'Throttling', $fault: 'client', $metadata: { httpStatusCode: 400 } });
  });

  it('throttles beyond a rate per second', async () => {
    // Sandbox time stands still: the three calls are in one second however slowly they arrive.
    const now = Date.now();
    const client = await stsWith([{ service: 'sts', throttle: { ratePerSecond: 2 } }], 1, () => now);
    const results = await Promise.allSettled([identity(client), identity(client), identity(client)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { name: 'Throttling' } });
  });

  it('leaves the other operations of the service alone', async () => {
    const client = await stsWith([{ service: 'sts', operation: 'AssumeRole', throttle: { probability: 1 } }]);
    await expect(identity(client)).resolves.toMatchObject({ Account: '123456789012' });
    await expect(client.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/PreflightReadOnly', RoleSessionName: 's', ExternalId: 'acme-7f3c2a' }))).rejects.toMatchObject({
      name: 'Throttling',
    });
  });

  it.each([
    ['cloudtrail (awsJson1.1)', LOOKUP_EVENTS, 400, /"__type":"ThrottlingException"/],
    ['athena (awsJson1.1)', LIST_WORKGROUPS, 400, /"__type":"TooManyRequestsException"/],
    ['glue (awsJson1.1)', GET_DATABASES, 400, /"__type":"ThrottlingException"/],
    ['kms (awsJson1.1)', DESCRIBE_KEY, 400, /"__type":"ThrottlingException"/],
    ['s3 (restXml)', LIST_OBJECTS, 503, /<Code>SlowDown<\/Code>/],
  ])('throttles %s with that protocol\'s error', async (_name, call, status, body) => {
    const target = await start([{ service: call.service, throttle: { probability: 1 } }]);
    const response = await signedFetch(target, call);
    expect(response.status).toBe(status);
    expect(response.text).toMatch(body);
  });

  it('throttles Lake Formation (restJson1) with 429 and the error type header', async () => {
    const target = await start([{ service: 'lakeformation', throttle: { probability: 1 } }]);
    const response = await signedFetch(target, DATA_LAKE_SETTINGS);
    expect(response.status).toBe(429);
    expect(response.headers.get('x-amzn-errortype')).toBe('ThrottlingException');
  });

  it('answers 5xx that the SDK reports as a server fault', async () => {
    const client = await stsWith([{ serverErrorProbability: 1 }]);
    await expect(identity(client)).rejects.toMatchObject({ name: 'ServiceUnavailable', $fault: 'server', $metadata: { httpStatusCode: 503 } });
  });

  it.each([
    ['cloudtrail', LOOKUP_EVENTS, /"__type":"InternalServerError"/],
    ['athena', LIST_WORKGROUPS, /"__type":"InternalServerException"/],
    ['s3', LIST_OBJECTS, /<Code>InternalError<\/Code>/],
  ])('answers 5xx from %s in its protocol', async (_name, call, body) => {
    const target = await start([{ service: call.service, serverErrorProbability: 1 }]);
    const response = await signedFetch(target, call);
    expect(response.status).toBe(500);
    expect(response.text).toMatch(body);
  });

  // "Still unanswered" is judged by events, not by a wait: the hanging request reached the sandbox,
  // and a later request to another service went there and back meanwhile.
  it('hangs until the client gives up', async () => {
    const client = await stsWith([{ service: 'sts', hang: true }]);
    const requests = watchRequests(sandbox!);
    const controller = new AbortController();
    const call = tracked(identity(client, controller.signal));
    await requests.next();
    expect((await signedFetch(sandbox!, LIST_WORKGROUPS)).status).toBe(200);
    expect(call.settled).toBe(false);
    controller.abort();
    await expect(call.promise).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('hangs only the service it names', async () => {
    const target = await start([{ service: 'athena', hang: true }]);
    const requests = watchRequests(target);
    const controller = new AbortController();
    const hanging = tracked(signedFetch(target, LIST_WORKGROUPS, controller.signal));
    await requests.next();
    const client = new STSClient(clientConfig(target, userCredentials(target, 'analyst')));
    await expect(identity(client)).resolves.toMatchObject({ Account: '123456789012' });
    expect(hanging.settled).toBe(false);
    controller.abort();
    await expect(hanging.promise).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('resets connections', async () => {
    const client = await stsWith([{ resetProbability: 1 }]);
    const error = await identity(client).then(
      () => undefined,
      (caught: NodeJS.ErrnoException) => caught,
    );
    expect(error).toBeDefined();
    expect(`${error!.code} ${error!.message}`).toMatch(/ECONNRESET|socket hang up/);
  });

  it('repeats the same outcomes for the same seed', async () => {
    const outcomes = async (seed: number) => {
      const client = await stsWith([{ throttle: { probability: 0.5 } }], seed);
      const results: boolean[] = [];
      for (let i = 0; i < 16; i++) results.push(await identity(client).then(() => true, () => false));
      await sandbox!.close();
      sandbox = undefined;
      return results;
    };
    const first = await outcomes(42);
    expect(await outcomes(42)).toEqual(first);
    expect(first).toContain(true);
    expect(first).toContain(false);
    // The seed is what decides: another seed draws another sequence.
    expect(await outcomes(43)).not.toEqual(first);
  });
});
