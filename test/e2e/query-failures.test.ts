// A failed query names its true cause, end to end: the service runs a real query in the sandbox,
// whose Athena reads the Glue catalog with the caller's rights and reports a refusal in prose, as
// Athena does ("Insufficient permissions to execute the query. … not authorized to perform:
// glue:GetTable …", AthenaError 2/1500). The report must name glue:GetTable and grant it, never
// blame athena:StartQueryExecution "as written".
import { afterAll, describe, expect, it } from 'vitest';
import type { PreflightReport } from '../../src/preflight/types.js';
import { type Harness, runSample } from '../support/service.js';

const harnesses: Harness[] = [];
afterAll(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
});

/** full-access, but the analyst's policy leaves glue:GetTable out: Athena's own Glue read is refused. */
const GLUE_TABLE_REFUSED = {
  extends: 'full-access',
  name: 'query-glue-table-refused',
  description: 'The analyst may do everything but glue:GetTable: listing tables works, and a query is refused by Glue when Athena reads the table for it.',
  users: [
    {
      name: 'analyst',
      accessKeyId: 'AKIASANDBOXANALYST01',
      secretAccessKey: 'sandbox/analyst/secret/key/0000000000',
      policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: ['glue:GetTable'], Resource: '*' }] }],
    },
  ],
  sample: { credentials: 'user:analyst', request: { athena: { workgroup: 'primary' } } },
};

describe('a query Glue refused', () => {
  it('is glue:GetTable on a table, granted on the tables, and never "as written"', async () => {
    const { report } = await runSample(harnesses, GLUE_TABLE_REFUSED, { capabilities: ['query-execution'], required: ['connection'], options: { runQuery: true } });
    const queryExecution = (report as PreflightReport).capabilities.find((c) => c.id === 'query-execution')!;
    expect(queryExecution.status).toBe('unavailable');
    expect(queryExecution.reasons).toEqual([expect.objectContaining({ probe: 'athena-query', action: 'glue:GetTable', category: 'permission' })]);
    expect(queryExecution.missingActions).toContain('glue:GetTable');
    expect(queryExecution.missingActions).not.toContain('athena:StartQueryExecution');
    const granting = queryExecution.remediation!.statements.filter((s) => s.Action.includes('glue:GetTable')).flatMap((s) => s.Resource);
    expect(granting).toEqual(expect.arrayContaining(['arn:aws:glue:eu-west-1:123456789012:catalog', 'arn:aws:glue:eu-west-1:123456789012:table/*/*']));
    expect(JSON.stringify(queryExecution)).not.toMatch(/as written|run the preflight again/);
  });
});
