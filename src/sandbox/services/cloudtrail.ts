// CloudTrail LookupEvents over awsJson1.1, with its real quota: 2 requests per second per
// account and region, ThrottlingException beyond it.
import { intField, jsonService, paginate } from '../protocols.js';
import { stableId } from '../state.js';
import { AwsError, type ServiceCall } from '../types.js';

const ATTRIBUTE_KEYS = ['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId'] as const;

interface TrailEvent {
  EventId: string;
  EventName: string;
  ReadOnly: string;
  EventTime: Date;
  EventSource: string;
  Username?: string;
  Resources: Array<{ ResourceType: string; ResourceName: string }>;
  CloudTrailEvent: string;
}

function events(call: ServiceCall): TrailEvent[] {
  const { scenario, queryExecutions } = call.state;
  const seeded = scenario.cloudtrail.events.map((event, index) => ({
    name: event.eventName,
    source: event.eventSource,
    time: new Date(event.eventTime),
    username: event.username,
    resources: (event.resources ?? []).map((r) => ({ ResourceType: r.type, ResourceName: r.name })),
    id: stableId('', `${scenario.name}:${index}`, 32).toLowerCase(),
  }));
  const started = [...queryExecutions.values()]
    .filter((execution) => execution.startedInSandbox)
    .map((execution) => ({
      name: 'StartQueryExecution',
      source: 'athena.amazonaws.com',
      time: execution.submittedAt,
      username: execution.userArn?.split('/').at(-1),
      resources: [{ ResourceType: 'AWS::Athena::WorkGroup', ResourceName: execution.workgroup }],
      id: execution.id,
    }));
  return [...seeded, ...started]
    .sort((a, b) => b.time.getTime() - a.time.getTime())
    .map((e) => ({
      EventId: e.id,
      EventName: e.name,
      ReadOnly: 'false',
      EventTime: e.time,
      EventSource: e.source,
      ...(e.username ? { Username: e.username } : {}),
      Resources: e.resources,
      CloudTrailEvent: JSON.stringify({ eventVersion: '1.09', eventTime: e.time.toISOString(), eventSource: e.source, eventName: e.name, awsRegion: call.region, userIdentity: { type: 'IAMUser', userName: e.username } }),
    }));
}

function matches(event: TrailEvent, key: string, value: string): boolean {
  switch (key) {
    case 'EventName':
      return event.EventName === value;
    case 'EventSource':
      return event.EventSource === value;
    case 'Username':
      return event.Username === value;
    case 'ResourceType':
      return event.Resources.some((r) => r.ResourceType === value);
    case 'ResourceName':
      return event.Resources.some((r) => r.ResourceName === value);
    case 'EventId':
      return event.EventId === value;
    case 'ReadOnly':
      return event.ReadOnly === value;
    default:
      return false;
  }
}

export const cloudtrail = jsonService({
  signingName: 'cloudtrail',
  targetPrefix: ['com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101', 'CloudTrail_20131101'],
  throttling: { code: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
  serverError: { code: 'InternalServerError', status: 500, message: 'Internal server error' },
  operations: {
    LookupEvents(input, call) {
      call.authorize('cloudtrail:LookupEvents', '*');
      const rate = call.state.scenario.cloudtrail.lookupRatePerSecond;
      if (!call.state.takeRate(`cloudtrail:${call.caller.accountId}:${call.region}`, rate)) throw new AwsError('ThrottlingException', 'Rate exceeded');
      const attributes = input.LookupAttributes;
      if (attributes !== undefined && (!Array.isArray(attributes) || attributes.length > 1)) {
        throw new AwsError('InvalidLookupAttributesException', 'You cannot make a lookup request with more than one lookup attribute.');
      }
      const attribute = (attributes as Array<{ AttributeKey?: string; AttributeValue?: string }> | undefined)?.[0];
      if (attribute && (!ATTRIBUTE_KEYS.includes(attribute.AttributeKey as (typeof ATTRIBUTE_KEYS)[number]) || typeof attribute.AttributeValue !== 'string')) {
        throw new AwsError('InvalidLookupAttributesException', 'Invalid attribute key or value.');
      }
      let maxResults: number | undefined;
      try {
        maxResults = intField(input, 'MaxResults', 1, 50);
      } catch {
        throw new AwsError('InvalidMaxResultsException', 'Value for parameter MaxResults is not valid. It must be an integer between 1 and 50.');
      }
      const start = typeof input.StartTime === 'number' ? input.StartTime * 1000 : -Infinity;
      const end = typeof input.EndTime === 'number' ? input.EndTime * 1000 : Infinity;
      const found = events(call).filter((event) => {
        const time = event.EventTime.getTime();
        return time >= start && time <= end && (!attribute || matches(event, attribute.AttributeKey!, attribute.AttributeValue!));
      });
      const { page, nextToken } = paginate(found, input.NextToken, maxResults ?? 50, 'InvalidNextTokenException');
      return { Events: page, NextToken: nextToken };
    },
  },
});
