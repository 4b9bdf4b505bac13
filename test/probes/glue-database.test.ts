// glue-database: describes the databases the connection names; a name that does not exist is a finding.
import { describe, expect, it } from 'vitest';
import { glueDatabase } from '../../src/probes/glue-database.js';
import { awsError, endedWith, runProbe } from './fake-run.js';

describe('glue-database', () => {
  it('passes when every named database exists, with no finding', async () => {
    const run = await runProbe(glueDatabase, { request: { glue: { databases: ['sales', 'finance'] } }, answers: { GetDatabaseCommand: ({ Name }) => ({ Database: { Name } }) } });
    expect(run).toMatchObject({ detail: 'described sales, finance', error: undefined, findings: [] });
    expect(run.sent.map((s) => s.input)).toEqual([
      { CatalogId: '123456789012', Name: 'sales' },
      { CatalogId: '123456789012', Name: 'finance' },
    ]);
  });

  it('finds DATABASE_NOT_FOUND for a named database Glue does not know, and fails on it', async () => {
    const run = await runProbe(glueDatabase, {
      request: { glue: { databases: ['sales', 'salse'] } },
      answers: {
        GetDatabaseCommand: ({ Name }) => {
          if (Name === 'salse') throw awsError('EntityNotFoundException', 400, 'Database salse not found.');
          return { Database: { Name } };
        },
      },
    });
    expect(endedWith(run)).toBe('glue:GetDatabase not-found');
    expect(run.findings).toEqual([
      {
        code: 'DATABASE_NOT_FOUND',
        severity: 'medium',
        message: 'The database "salse" named in the connection does not exist in catalog 123456789012 (eu-west-1).',
        remediation: 'Check the database name and the region, or remove it from glue.databases.',
        probe: 'glue-database',
      },
    ]);
  });

  it('describes the first database listed when the connection names none', async () => {
    const run = await runProbe(glueDatabase, { facts: { databases: ['default', 'sales'] }, answers: { GetDatabaseCommand: () => ({}) } });
    expect(run.detail).toBe('described default');
  });

  it('finds nothing when the description is refused: a denial is no missing database', async () => {
    const run = await runProbe(glueDatabase, {
      request: { glue: { databases: ['sales'] } },
      answers: { GetDatabaseCommand: () => Promise.reject(awsError('AccessDeniedException', 400, 'User: arn:aws:iam::123456789012:user/a is not authorized to perform: glue:GetDatabase')) },
    });
    expect(endedWith(run)).toBe('glue:GetDatabase permission');
    expect(run.findings).toEqual([]);
  });
});
