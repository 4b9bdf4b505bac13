import { AthenaClient, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { awsCli, clientConfig, userCredentials } from '../support/sandbox.js';

const ACCOUNT = '123456789012';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/;

// full-access plus a user with no CloudTrail permission.
const SCENARIO = {
  extends: 'full-access',
  name: 'cloudtrail-test',
  description: 'full-access plus a user without cloudtrail:LookupEvents',
  users: [
    {
      name: 'analyst',
      accessKeyId: 'AKIACTTESTANALYST001',
      secretAccessKey: 'sandbox/analyst/secret/not-a-real-key',
      policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }],
    },
    {
      name: 'glue-only',
      accessKeyId: 'AKIACTTESTGLUEONLY01',
      secretAccessKey: 'sandbox/glue-only/secret/not-a-real-key',
      policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'glue:*', Resource: '*' }] }],
    },
  ],
};

describe('sandbox CloudTrail', () => {
  let sandbox: Sandbox;
  // Sandbox time, moved by hand: LookupEvents allows two calls per second per account and region.
  let now = Date.now();
  const nextSecond = () => {
    now += 1000;
  };
  beforeAll(async () => {
    sandbox = await startSandbox({ scenario: SCENARIO, clock: () => now });
  });
  afterAll(() => sandbox.close());
  // Every test starts with a fresh quota.
  beforeEach(nextSecond);

  const cloudtrail = (user = 'analyst', region?: string, on = sandbox) =>
    new CloudTrailClient({ ...clientConfig(on, userCredentials(on, user)), ...(region ? { region } : {}) });

  it('looks up events newest first, with the raw event as JSON', async () => {
    const { Events } = await cloudtrail().send(new LookupEventsCommand({}));
    expect(Events!.map((e) => [e.Username, e.EventTime!.toISOString()])).toEqual([
      ['alice', '2026-11-23T11:05:00.000Z'],
      ['bob', '2026-11-23T10:40:00.000Z'],
      ['alice', '2026-11-23T09:12:00.000Z'],
    ]);
    expect(Events![0]).toMatchObject({
      EventId: expect.stringMatching(UUID),
      EventName: 'StartQueryExecution',
      EventSource: 'athena.amazonaws.com',
      ReadOnly: 'false',
      AccessKeyId: expect.stringMatching(/^AKIA[A-Z2-7]{16}$/),
      Resources: [{ ResourceType: 'AWS::Athena::WorkGroup', ResourceName: 'analytics' }],
    });
    expect(JSON.parse(Events![0]!.CloudTrailEvent!)).toMatchObject({
      eventID: Events![0]!.EventId,
      eventName: 'StartQueryExecution',
      eventTime: '2026-11-23T11:05:00Z',
      awsRegion: 'eu-west-1',
      readOnly: false,
      recipientAccountId: ACCOUNT,
      userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT, accessKeyId: Events![0]!.AccessKeyId, userName: 'alice' },
    });
  });

  it('pages through events with MaxResults and NextToken', async () => {
    const first = await cloudtrail().send(new LookupEventsCommand({ MaxResults: 2 }));
    expect(first.Events).toHaveLength(2);
    expect(first.NextToken).toEqual(expect.any(String));
    const second = await cloudtrail().send(new LookupEventsCommand({ MaxResults: 2, NextToken: first.NextToken }));
    expect(second.Events!.map((e) => e.EventTime!.toISOString())).toEqual(['2026-11-23T09:12:00.000Z']);
    expect(second.NextToken).toBeUndefined();
  });

  it('filters by one lookup attribute', async () => {
    const { Events } = await cloudtrail().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'bob' }] }));
    expect(Events!.map((e) => e.Username)).toEqual(['bob']);
    const byResource = await cloudtrail().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: 'primary' }] }));
    expect(byResource.Events).toHaveLength(2);
    nextSecond();
    const byKey = await cloudtrail().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: Events![0]!.AccessKeyId! }] }));
    expect(byKey.Events!.map((e) => e.Username)).toEqual(['bob']);
    const readOnly = await cloudtrail().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'true' }] }));
    expect(readOnly.Events).toEqual([]);
  });

  it('filters by time window, and rejects a window that ends before it starts', async () => {
    const { Events } = await cloudtrail().send(
      new LookupEventsCommand({ StartTime: new Date('2026-11-23T10:00:00Z'), EndTime: new Date('2026-11-23T11:00:00Z') }),
    );
    expect(Events!.map((e) => e.Username)).toEqual(['bob']);
    await expect(
      cloudtrail().send(new LookupEventsCommand({ StartTime: new Date('2026-11-23T11:00:00Z'), EndTime: new Date('2026-11-23T10:00:00Z') })),
    ).rejects.toMatchObject({ name: 'InvalidTimeRangeException', $metadata: { httpStatusCode: 400 } });
  });

  it('records the queries started through the sandbox\'s Athena, with who started them', async () => {
    // A sandbox of its own, so that the other tests see only the scenario's events.
    const own = await startSandbox({ scenario: SCENARIO });
    try {
      const credentials = userCredentials(own, 'analyst');
      const { QueryExecutionId } = await new AthenaClient(clientConfig(own, credentials)).send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1', WorkGroup: 'analytics' }));
      const { Events } = await cloudtrail('analyst', undefined, own).send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'analyst' }] }),
      );
      expect(Events).toEqual([
        expect.objectContaining({
          EventId: expect.stringMatching(UUID),
          EventName: 'StartQueryExecution',
          AccessKeyId: credentials.accessKeyId,
          Resources: [{ ResourceType: 'AWS::Athena::WorkGroup', ResourceName: 'analytics' }],
        }),
      ]);
      expect(JSON.parse(Events![0]!.CloudTrailEvent!)).toMatchObject({
        requestParameters: { queryString: 'SELECT 1', workGroup: 'analytics' },
        responseElements: { queryExecutionId: QueryExecutionId },
        userIdentity: { type: 'IAMUser', userName: 'analyst', accessKeyId: credentials.accessKeyId },
      });
    } finally {
      await own.close();
    }
  });

  it('throttles the third call within a second with ThrottlingException, and allows it a second later', async () => {
    await cloudtrail().send(new LookupEventsCommand({ MaxResults: 1 }));
    await cloudtrail().send(new LookupEventsCommand({ MaxResults: 1 }));
    await expect(cloudtrail().send(new LookupEventsCommand({ MaxResults: 1 }))).rejects.toMatchObject({
      name: 'ThrottlingException',
      message: 'Rate exceeded',
      $metadata: { httpStatusCode: 400 },
    });
    nextSecond();
    await expect(cloudtrail().send(new LookupEventsCommand({ MaxResults: 1 }))).resolves.toMatchObject({ Events: [expect.any(Object)] });
  });

  it('keeps a quota and events per region: another region has its own, and no events', async () => {
    await cloudtrail().send(new LookupEventsCommand({}));
    await cloudtrail().send(new LookupEventsCommand({}));
    await expect(cloudtrail('analyst', 'us-east-1').send(new LookupEventsCommand({}))).resolves.toMatchObject({ Events: [] });
  });

  it('takes the quota from the scenario', async () => {
    const strict = await startSandbox({ scenario: { ...SCENARIO, name: 'cloudtrail-strict', cloudtrail: { lookupRatePerSecond: 1 } }, clock: () => now });
    try {
      await cloudtrail('analyst', undefined, strict).send(new LookupEventsCommand({}));
      await expect(cloudtrail('analyst', undefined, strict).send(new LookupEventsCommand({}))).rejects.toMatchObject({ name: 'ThrottlingException' });
    } finally {
      await strict.close();
    }
  });

  it('denies a principal without cloudtrail:LookupEvents with AccessDeniedException and IAM\'s message', async () => {
    await expect(cloudtrail('glue-only').send(new LookupEventsCommand({}))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: `User: arn:aws:iam::${ACCOUNT}:user/glue-only is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action`,
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('rejects MaxResults out of range with InvalidMaxResultsException', async () => {
    await expect(cloudtrail().send(new LookupEventsCommand({ MaxResults: 51 }))).rejects.toMatchObject({
      name: 'InvalidMaxResultsException',
      message: 'Value for parameter MaxResults is not valid. It must be an integer between 1 and 50.',
    });
  });

  it('rejects more than one lookup attribute, or an unknown key, with InvalidLookupAttributesException', async () => {
    await expect(
      cloudtrail().send(
        new LookupEventsCommand({
          LookupAttributes: [
            { AttributeKey: 'Username', AttributeValue: 'bob' },
            { AttributeKey: 'EventName', AttributeValue: 'StartQueryExecution' },
          ],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidLookupAttributesException', message: 'You cannot make a lookup request with more than one lookup attribute.' });
    await expect(cloudtrail().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'Colour' as never, AttributeValue: 'blue' }] }))).rejects.toMatchObject({
      name: 'InvalidLookupAttributesException',
    });
  });

  it('rejects a forged NextToken with InvalidNextTokenException', async () => {
    await expect(cloudtrail().send(new LookupEventsCommand({ NextToken: 'forged' }))).rejects.toMatchObject({ name: 'InvalidNextTokenException' });
  });

  it('is parsed by botocore: one page with --max-results 1, a listing across pages, a throttle and a denial', async () => {
    const analyst = userCredentials(sandbox, 'analyst');
    const one = await awsCli(sandbox, analyst, ['cloudtrail', 'lookup-events', '--max-results', '1']);
    expect(one.json.Events.map((e: { Username: string }) => e.Username)).toEqual(['alice']);
    expect(one.json.NextToken).toEqual(expect.any(String));
    nextSecond();
    // The CLI follows NextToken itself: two pages, the two calls the quota allows in a second.
    const listed = await awsCli(sandbox, analyst, ['cloudtrail', 'lookup-events', '--page-size', '2']);
    expect(listed.json.Events.map((e: { Username: string }) => e.Username)).toEqual(['alice', 'bob', 'alice']);
    const throttled = await awsCli(sandbox, analyst, ['cloudtrail', 'lookup-events', '--max-results', '1']);
    expect(throttled).toMatchObject({ ok: false, errorCode: 'ThrottlingException' });
    const denied = await awsCli(sandbox, userCredentials(sandbox, 'glue-only'), ['cloudtrail', 'lookup-events']);
    expect(denied.errorCode).toBe('AccessDeniedException');
  });
});
