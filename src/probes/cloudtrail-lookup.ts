import { CONNECTION_GATE } from './support.js';
import type { ProbeDefinition } from './types.js';

/** Called exactly once: LookupEvents allows 2 requests per second per account and region. */
export const cloudtrailLookup: ProbeDefinition = {
  id: 'cloudtrail-lookup',
  service: 'cloudtrail',
  actions: ['cloudtrail:LookupEvents'],
  informs: ['user-attribution'],
  dependsOn: CONNECTION_GATE,
  async run(context) {
    const { LookupEventsCommand } = await context.sdk('cloudtrail');
    const cloudtrail = await context.client('cloudtrail');
    const page = await context.call('cloudtrail:LookupEvents', (abortSignal) =>
      cloudtrail.send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'StartQueryExecution' }], MaxResults: 1 }),
        { abortSignal },
      ),
    );
    return page.Events?.length ? 'found a StartQueryExecution event' : 'no StartQueryExecution event in the last 90 days';
  },
};
