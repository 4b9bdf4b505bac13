// CloudTrail LookupEvents over awsJson1.1: the scenario's management events plus one event per
// query the sandbox's Athena started, with LookupEvents' real quota (2 requests per second per
// account and region by default, ThrottlingException beyond it).
import { createHash } from 'node:crypto';
import { intField, jsonService, paginate } from '../protocols.js';
import { type SandboxState, stableId } from '../state.js';
import { AwsError, type ServiceCall } from '../types.js';

const ATTRIBUTE_KEYS = ['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId'] as const;
type AttributeKey = (typeof ATTRIBUTE_KEYS)[number];

interface TrailEvent {
  EventId: string;
  EventName: string;
  ReadOnly: string;
  AccessKeyId: string;
  EventTime: Date;
  EventSource: string;
  Username: string;
  Resources: Array<{ ResourceType: string; ResourceName: string }>;
  CloudTrailEvent: string;
}

/** Who made a call, as CloudTrail's userIdentity records it. */
interface Identity {
  arn: string;
  accessKeyId: string;
  /** The user name, or the session name for an assumed role (LookupEvents' Username). */
  username: string;
  roleArn?: string;
}

/** CloudTrail event ids are UUIDs; these are stable for a given source. */
function eventId(source: string): string {
  const hex = createHash('sha256').update(source).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function identityOf(state: SandboxState, arn: string): Identity {
  const user = state.scenario.users.find((u) => state.userArn(u) === arn);
  if (user) return { arn, accessKeyId: user.accessKeyId, username: user.name };
  const session = [...state.sessions.values()].find((s) => state.callerForSession(s).arn === arn);
  const name = arn.split('/').at(-1)!;
  return { arn, accessKeyId: session?.accessKeyId ?? stableId('ASIA', arn, 16), username: name, ...(session ? { roleArn: session.roleArn } : {}) };
}

/** A principal the scenario only names (alice, bob): an IAM user of the account with a key of its own. */
function identityOfName(state: SandboxState, username: string): Identity {
  const user = state.scenario.users.find((u) => u.name === username);
  const arn = user ? state.userArn(user) : `arn:aws:iam::${state.accountId}:user/${username}`;
  return { arn, accessKeyId: user?.accessKeyId ?? stableId('AKIA', arn, 16), username };
}

function userIdentity(identity: Identity, accountId: string) {
  const common = { arn: identity.arn, accountId, accessKeyId: identity.accessKeyId };
  if (!identity.roleArn) return { type: 'IAMUser', principalId: stableId('AIDA', identity.arn), ...common, userName: identity.username };
  return {
    type: 'AssumedRole',
    principalId: `${stableId('AROA', identity.roleArn)}:${identity.username}`,
    ...common,
    sessionContext: { sessionIssuer: { type: 'Role', principalId: stableId('AROA', identity.roleArn), arn: identity.roleArn, accountId, userName: identity.roleArn.split('/').at(-1) } },
  };
}

interface Recorded {
  id: string;
  name: string;
  source: string;
  time: Date;
  identity: Identity;
  resources: Array<{ ResourceType: string; ResourceName: string }>;
  requestParameters?: Record<string, unknown>;
  responseElements?: Record<string, unknown>;
}

function toEvent(state: SandboxState, e: Recorded): TrailEvent {
  const readOnly = /^(Get|List|Describe|Lookup|BatchGet|Search|Head)/.test(e.name);
  return {
    EventId: e.id,
    EventName: e.name,
    ReadOnly: String(readOnly),
    AccessKeyId: e.identity.accessKeyId,
    EventTime: e.time,
    EventSource: e.source,
    Username: e.identity.username,
    Resources: e.resources,
    CloudTrailEvent: JSON.stringify({
      eventVersion: '1.09',
      userIdentity: userIdentity(e.identity, state.accountId),
      eventTime: e.time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      eventSource: e.source,
      eventName: e.name,
      awsRegion: state.region,
      sourceIPAddress: '203.0.113.10',
      userAgent: 'aws-sdk-js/3',
      requestParameters: e.requestParameters ?? null,
      responseElements: e.responseElements ?? null,
      requestID: eventId(`request:${e.id}`),
      eventID: e.id,
      readOnly,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: state.accountId,
      eventCategory: 'Management',
    }),
  };
}

/** The account's events in the scenario's region, newest first. */
function events(state: SandboxState): TrailEvent[] {
  const seeded: Recorded[] = state.scenario.cloudtrail.events.map((event, index) => ({
    id: eventId(`${state.scenario.name}:${index}`),
    name: event.eventName,
    source: event.eventSource,
    time: new Date(event.eventTime),
    identity: identityOfName(state, event.username ?? 'unknown'),
    resources: (event.resources ?? []).map((r) => ({ ResourceType: r.type, ResourceName: r.name })),
  }));
  const started: Recorded[] = [...state.queryExecutions.values()]
    .filter((execution) => execution.startedInSandbox)
    .map((execution) => ({
      id: eventId(`query:${execution.id}`),
      name: 'StartQueryExecution',
      source: 'athena.amazonaws.com',
      time: execution.submittedAt,
      identity: identityOf(state, execution.userArn ?? `arn:aws:iam::${state.accountId}:user/unknown`),
      resources: [{ ResourceType: 'AWS::Athena::WorkGroup', ResourceName: execution.workgroup }],
      requestParameters: { queryString: execution.query, workGroup: execution.workgroup, ...(execution.database ? { queryExecutionContext: { database: execution.database } } : {}) },
      responseElements: { queryExecutionId: execution.id },
    }));
  return [...seeded, ...started].sort((a, b) => b.time.getTime() - a.time.getTime()).map((e) => toEvent(state, e));
}

function matches(event: TrailEvent, key: AttributeKey, value: string): boolean {
  switch (key) {
    case 'ResourceType':
      return event.Resources.some((r) => r.ResourceType === value);
    case 'ResourceName':
      return event.Resources.some((r) => r.ResourceName === value);
    default:
      return event[key] === value;
  }
}

function lookupAttribute(input: Record<string, unknown>): { key: AttributeKey; value: string } | undefined {
  const attributes = input.LookupAttributes;
  if (attributes === undefined || attributes === null) return undefined;
  if (!Array.isArray(attributes)) throw new AwsError('SerializationException', 'Start of structure or map found where not expected.');
  if (attributes.length > 1) throw new AwsError('InvalidLookupAttributesException', 'You cannot make a lookup request with more than one lookup attribute.');
  const attribute = attributes[0] as { AttributeKey?: unknown; AttributeValue?: unknown } | undefined;
  if (!attribute) return undefined;
  if (!ATTRIBUTE_KEYS.includes(attribute.AttributeKey as AttributeKey)) {
    throw new AwsError('InvalidLookupAttributesException', `Invalid attribute key: ${String(attribute.AttributeKey)}. Valid keys are ${ATTRIBUTE_KEYS.join(', ')}.`);
  }
  if (typeof attribute.AttributeValue !== 'string' || attribute.AttributeValue.length < 1 || attribute.AttributeValue.length > 2000) {
    throw new AwsError('InvalidLookupAttributesException', 'The lookup attribute value must be between 1 and 2000 characters.');
  }
  return { key: attribute.AttributeKey as AttributeKey, value: attribute.AttributeValue };
}

/** StartTime and EndTime as epoch milliseconds (awsJson sends epoch seconds). */
function timeRange(input: Record<string, unknown>): { start: number; end: number } {
  const bound = (name: string, fallback: number) => {
    const value = input[name];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'number') throw new AwsError('SerializationException', `STRING_VALUE can not be converted to ${name}`);
    return value * 1000;
  };
  const range = { start: bound('StartTime', -Infinity), end: bound('EndTime', Infinity) };
  if (range.start > range.end) throw new AwsError('InvalidTimeRangeException', 'Start time must be before end time.');
  return range;
}

function lookupEvents(input: Record<string, unknown>, call: ServiceCall) {
  call.authorize('cloudtrail:LookupEvents', '*');
  const { state } = call;
  if (!state.takeRate(`cloudtrail:${call.caller.accountId}:${call.region}`, state.scenario.cloudtrail.lookupRatePerSecond)) {
    throw new AwsError('ThrottlingException', 'Rate exceeded');
  }
  const attribute = lookupAttribute(input);
  let maxResults: number | undefined;
  try {
    maxResults = intField(input, 'MaxResults', 1, 50);
  } catch {
    throw new AwsError('InvalidMaxResultsException', 'Value for parameter MaxResults is not valid. It must be an integer between 1 and 50.');
  }
  const { start, end } = timeRange(input);
  const category = input.EventCategory;
  if (category !== undefined && category !== 'insight') throw new AwsError('InvalidEventCategoryException', `Event category ${String(category)} is not valid. Valid values are: insight.`);
  // LookupEvents is regional; the sandbox's events all happened in the scenario's region. There are no Insights events.
  const found =
    category === 'insight' || call.region !== state.region
      ? []
      : events(state).filter((event) => {
          const time = event.EventTime.getTime();
          return time >= start && time <= end && (!attribute || matches(event, attribute.key, attribute.value));
        });
  const { page, nextToken } = paginate(found, input.NextToken, maxResults ?? 50, 'InvalidNextTokenException');
  return { Events: page, NextToken: nextToken };
}

export const cloudtrail = jsonService({
  signingName: 'cloudtrail',
  // botocore sends the model's target prefix; SDK v3 sends the service shape's name.
  targetPrefix: ['com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101', 'CloudTrail_20131101'],
  throttling: { code: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
  serverError: { code: 'InternalServerError', status: 500, message: 'Internal server error' },
  operations: { LookupEvents: lookupEvents },
});
