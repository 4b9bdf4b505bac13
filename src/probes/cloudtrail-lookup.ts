import type { Probe } from './types.js';

/** Called exactly once: LookupEvents allows 2 requests per second per account and region. */
export const cloudtrailLookup: Probe = {
  id: 'cloudtrail-lookup',
  service: 'cloudtrail',
  actions: ['cloudtrail:LookupEvents'],
  informs: ['user-attribution'],
  resources: { 'cloudtrail:LookupEvents': 'any-resource' },
  roles: { 'user-attribution': { core: ['cloudtrail:LookupEvents'] } },
  async run(context) {
    const page = await context.send('cloudtrail:LookupEvents', 'LookupEventsCommand', {
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'StartQueryExecution' }],
      MaxResults: 1,
    });
    return page.Events?.length ? 'found a StartQueryExecution event' : 'no StartQueryExecution event in the last 90 days';
  },
};
