// cloudtrail-lookup: one lookup of Athena's StartQueryExecution events, for who ran each query.
import { describe, expect, it } from 'vitest';
import { cloudtrailLookup } from '../../src/probes/cloudtrail-lookup.js';
import { accessDenied, awsError, endedWith, runProbe } from './fake-run.js';

describe('cloudtrail-lookup', () => {
  it('passes with or without an event to find', async () => {
    const found = await runProbe(cloudtrailLookup, { answers: { LookupEventsCommand: () => ({ Events: [{ EventName: 'StartQueryExecution' }] }) } });
    expect(found).toMatchObject({ error: undefined, findings: [], detail: 'found a StartQueryExecution event' });
    expect(found.sent[0]!.input).toEqual({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'StartQueryExecution' }], MaxResults: 1 });
    const none = await runProbe(cloudtrailLookup, { answers: { LookupEventsCommand: () => ({ Events: [] }) } });
    expect(none.detail).toBe('no StartQueryExecution event in the last 90 days');
  });

  it('fails on a refusal of cloudtrail:LookupEvents; throttling is no refusal, and says its quota is shared', async () => {
    const refused = await runProbe(cloudtrailLookup, { answers: { LookupEventsCommand: () => Promise.reject(accessDenied('cloudtrail:LookupEvents')) } });
    expect(endedWith(refused)).toBe('cloudtrail:LookupEvents permission');
    const throttled = await runProbe(cloudtrailLookup, { answers: { LookupEventsCommand: () => Promise.reject(awsError('ThrottlingException', 400)) } });
    expect(endedWith(throttled)).toBe('cloudtrail:LookupEvents throttled');
    expect(throttled.evidence.get('cloudtrail:LookupEvents')).toMatchObject({ state: 'error', error: { message: expect.stringContaining('quota shared with other tools') } });
  });
});
