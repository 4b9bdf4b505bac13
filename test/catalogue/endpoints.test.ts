// The VPC endpoints the service needs, by capability: the services of the catalogue's actions and
// of the probes that inform the capability (what actually calls AWS), in docs/deployment.md as
// generated (a drift fails here).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CAPABILITIES, capabilityById } from '../../src/catalogue/capabilities.js';
import { allEndpoints, endpointTable, endpointsByCapability, servicesFor, servicesOf, vpcEndpointFor, withEndpointTable } from '../../src/catalogue/endpoints.js';
import { PROBES } from '../../src/probes/registry.js';

describe('the VPC endpoints by capability', () => {
  it('names each service the way PrivateLink does, S3 by a gateway endpoint', () => {
    expect(vpcEndpointFor('glue', 'eu-west-1')).toEqual({ service: 'glue', serviceName: 'com.amazonaws.eu-west-1.glue', type: 'Interface' });
    expect(vpcEndpointFor('s3', 'eu-west-1')).toEqual({ service: 's3', serviceName: 'com.amazonaws.eu-west-1.s3', type: 'Gateway' });
  });

  it('are the services of the actions each capability calls, and of its probes', () => {
    const byId = Object.fromEntries(endpointsByCapability(PROBES, 'eu-west-1').map(({ capability, endpoints }) => [capability, endpoints.map((e) => e.serviceName)]));
    expect(byId.connection).toEqual(['com.amazonaws.eu-west-1.sts']);
    expect(byId.metadata).toEqual(['com.amazonaws.eu-west-1.glue']);
    expect(byId['user-attribution']).toEqual(['com.amazonaws.eu-west-1.cloudtrail']);
    // The results location is S3's, and the preflight reads it (and its encryption) from the workgroup;
    // with CSE_KMS no result is written without a data key from KMS.
    expect(byId['query-results']).toEqual(['com.amazonaws.eu-west-1.s3', 'com.amazonaws.eu-west-1.kms', 'com.amazonaws.eu-west-1.athena']);
    // The preflight reads the bucket's encryption settings to find the key: S3 as well as KMS.
    expect(byId.encryption).toEqual(['com.amazonaws.eu-west-1.kms', 'com.amazonaws.eu-west-1.s3', 'com.amazonaws.eu-west-1.athena']);
    // lakeformation:GetDataAccess is Athena's call for the caller, proved by an Athena query; the settings are read directly.
    expect(byId['lake-formation']).toEqual(['com.amazonaws.eu-west-1.lakeformation', 'com.amazonaws.eu-west-1.athena']);
    // Athena reads Glue and S3 for the caller (relays): those calls leave AWS's network, not the VPC.
    expect(byId['query-execution']).toEqual(['com.amazonaws.eu-west-1.athena']);
    expect(capabilityById('query-execution').relays).toBeDefined();
  });

  it('take from the catalogue alone all but what only a probe calls', () => {
    const fromCatalogue = Object.fromEntries(CAPABILITIES.map((c) => [c.id, servicesOf(c)]));
    const withProbes = Object.fromEntries(CAPABILITIES.map((c) => [c.id, servicesFor(c, PROBES)]));
    const added = CAPABILITIES.flatMap((c) => withProbes[c.id]!.filter((s) => !fromCatalogue[c.id]!.includes(s)).map((s) => `${c.id}: ${s}`));
    expect(added).toEqual(['query-results: athena', 'encryption: athena', 'lake-formation: athena']);
  });

  it('cover, all together, the seven services the product calls, each once', () => {
    expect(allEndpoints(PROBES).map((e) => `${e.serviceName} ${e.type}`)).toEqual([
      'com.amazonaws.<region>.sts Interface',
      'com.amazonaws.<region>.glue Interface',
      'com.amazonaws.<region>.athena Interface',
      'com.amazonaws.<region>.cloudtrail Interface',
      'com.amazonaws.<region>.s3 Gateway',
      'com.amazonaws.<region>.kms Interface',
      'com.amazonaws.<region>.lakeformation Interface',
    ]);
  });

  it('name no service that nothing calls for the capability', () => {
    expect(PROBES.length).toBeGreaterThan(30);
    const called = new Map(CAPABILITIES.map((c) => [c.id, new Set(PROBES.filter((p) => p.informs.includes(c.id)).map((p) => p.service as string))]));
    const extra = CAPABILITIES.flatMap((c) => servicesOf(c).filter((service) => !called.get(c.id)!.has(service)).map((service) => `${c.id}: ${service}`));
    expect(extra).toEqual([]);
  });

  it('are in docs/deployment.md as generated (npm run openapi writes them)', () => {
    const doc = readFileSync('docs/deployment.md', 'utf8');
    expect(doc).toContain(endpointTable(PROBES));
    expect(withEndpointTable(doc, PROBES)).toBe(doc);
    expect(() => withEndpointTable('no table here', PROBES)).toThrow(/no generated block to replace: it goes between <!-- vpc-endpoints:start/);
  });
});
