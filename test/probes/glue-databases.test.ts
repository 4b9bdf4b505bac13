// glue-databases: one page of databases; an empty listing is a finding with its two usual causes.
import { describe, expect, it } from 'vitest';
import { glueDatabases } from '../../src/probes/glue-databases.js';
import { runProbe } from './fake-run.js';

const listing = (...names: string[]) => ({ GetDatabasesCommand: () => ({ DatabaseList: names.map((Name) => ({ Name })) }) });
const identity = { accountId: '123456789012', arn: 'arn:aws:sts::123456789012:assumed-role/PreflightReadOnly/preflight-1', userId: 'AROA' };

describe('glue-databases', () => {
  it('passes with the databases as a fact, and no finding', async () => {
    const run = await runProbe(glueDatabases, { answers: listing('default', 'sales') });
    expect(run).toMatchObject({ error: undefined, findings: [], detail: '2 databases on the first page' });
    expect(run.facts.databases).toEqual(['default', 'sales']);
  });

  it("finds NO_DATABASES_VISIBLE, each cause with its fix naming the caller's role", async () => {
    const run = await runProbe(glueDatabases, { facts: { identity }, answers: listing() });
    expect(run.error).toBeUndefined();
    expect(run.findings).toEqual([
      {
        code: 'NO_DATABASES_VISIBLE',
        severity: 'high',
        message: 'Glue listed no database in catalog 123456789012: nothing can be ingested.',
        remediation:
          'If databases exist, one of two things hides them. (1) The identity policy allows glue:GetDatabases on the catalog but not on arn:aws:glue:eu-west-1:123456789012:database/*: Glue leaves out of listings what a policy does not allow, so allow glue:GetDatabases on those ARNs too. ' +
          `(2) Lake Formation hides databases the principal has no grant on: aws lakeformation grant-permissions --principal DataLakePrincipalIdentifier=arn:aws:iam::123456789012:role/PreflightReadOnly --permissions DESCRIBE --resource '{"Database":{"Name":"<database>"}}' (add SELECT to query them).`,
        probe: 'glue-databases',
      },
    ]);
  });

  it('finds nothing empty when the connection names its databases', async () => {
    expect((await runProbe(glueDatabases, { request: { glue: { databases: ['sales'] } }, answers: listing() })).findings).toEqual([]);
  });
});
