// Every command the product prints reaches `aws` as meant, whatever a name holds. A support engineer
// pastes the fixes a report prints into a shell: each printed command is run here by a real `sh`
// with a recorder standing in for `aws`, and the recorder must receive exactly the intended
// arguments, once, with nothing else run. Names come from the full alphabets AWS allows: Glue's
// NameString (botocore glue model: [\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\t]*, up to
// 255) and S3's object keys (any UTF-8; botocore s3 model ObjectKey has no pattern).
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { capabilityById } from '../../src/catalogue/capabilities.js';
import { acceptResourceShareInvitation, getGlueResourcePolicy, lakeFormationGrant, pendingResourceShareInvitations, putGlueResourcePolicy } from '../../src/catalogue/commands.js';
import { FINDINGS, type FindingCode, type FindingFacts, renderFinding } from '../../src/catalogue/findings.js';
import { shellCommand, shellWord } from '../../src/catalogue/quote.js';
import type { ClassifiedError } from '../../src/preflight/classify.js';
import { resolveConnection } from '../../src/preflight/connection.js';
import type { ActionResult, ProbeReport } from '../../src/preflight/types.js';
import { remediationFor } from '../../src/preflight/fix.js';
import { type Evidence, decideStatus } from '../../src/preflight/verdict.js';
import type { ProbeDefinition, RunFacts } from '../../src/probes/types.js';
import { shellRecorder } from '../support/shell-recorder.js';

const recorder = shellRecorder();
afterAll(() => recorder.remove());

/** What a shell or a terminal acts on, and what Glue and S3 names may hold. */
const HOSTILE = [`'`, '"', '`', '$', '$(', ')', '${IFS}', ';', '|', '&', '>', '<', '\\', '\n', '\t', ' ', '*', '?', '[', ']', '~', '#', '!', '=', '%', '{', '}', '-', '--', "'\\''"];
const character = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom('é', 'ß', '中', '😀', '\u0085', '\u00a0', '\u202e', '\ufffd') },
);
/** A Glue name: printable, tab allowed, 1 to 255 characters (no NUL: no shell argument can hold one). */
const glueName = fc.array(character, { minLength: 1, maxLength: 24 }).map((parts) => parts.join('').slice(0, 255)).filter((name) => name.length > 0 && !name.includes('\0'));
/** An object key or prefix: any Unicode but NUL. */
const objectKey = fc.array(fc.oneof(character, fc.constantFrom('/', '//', '.', '..')), { minLength: 1, maxLength: 24 }).map((parts) => parts.join(''));
const bucket = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{1,20}[a-z0-9]$/);

/** Runs each printed command by itself and returns what `aws` received each time. */
function received(printed: string): string[][] {
  return recorder.run(printed);
}

describe('shellCommand', () => {
  it('hands any argument vector to the program unchanged (one shell for the whole corpus)', () => {
    const corpus = fc.sample(fc.array(fc.oneof(glueName, objectKey, fc.string({ unit: 'binary', minLength: 0, maxLength: 12 }).filter((s) => !s.includes('\0'))), { minLength: 1, maxLength: 6 }), { numRuns: 400, seed: 23 });
    const script = corpus.map((argv) => shellCommand(['aws', ...argv])).join('\n');
    expect(recorder.run(script)).toEqual(corpus.map((argv) => ['aws', ...argv]));
    expect(recorder.strayFiles()).toEqual([]);
  });

  it('leaves plain words bare and quotes the rest', () => {
    expect(shellWord('s3://bucket/prefix/key.txt')).toBe('s3://bucket/prefix/key.txt');
    expect(shellWord('DataLakePrincipalIdentifier=arn:aws:iam::1:role/x')).toBe('DataLakePrincipalIdentifier=arn:aws:iam::1:role/x');
    expect(shellWord('=x')).toBe(`'=x'`);
    expect(shellWord('~root')).toBe(`'~root'`);
    expect(shellWord('')).toBe(`''`);
    expect(shellWord("fin';id>/tmp/x;'")).toBe(`'fin'\\'';id>/tmp/x;'\\'''`);
  });
});

// Facts for each finding that prints commands, with names drawn from the alphabets above. A finding
// that gains commands must be added here: the test below fails until it is.
const FACTS_OF: { [C in FindingCode]?: fc.Arbitrary<FindingFacts<C>> } = {
  MARKER_NOT_DELETED: fc.record({ bucket, key: objectKey }),
  MULTIPART_UPLOAD_NOT_ABORTED: fc.record({ bucket, key: objectKey, uploadId: fc.option(objectKey, { nil: undefined }) }),
  WORKGROUP_DISABLED: fc.record({ workgroup: glueName }),
  NO_DATABASES_VISIBLE: fc.record({ region: fc.constant('eu-west-1'), catalogId: fc.constant('123456789012'), callerArn: fc.constant('arn:aws:sts::123456789012:assumed-role/Reader/s') }),
  NO_TABLES_VISIBLE: fc.record({ region: fc.constant('eu-west-1'), catalogId: fc.constant('123456789012'), databases: fc.array(glueName, { minLength: 1, maxLength: 2 }) }),
};

describe('the findings that print commands', () => {
  it('are all covered here', () => {
    const printing = Object.entries(FINDINGS).filter(([, definition]) => 'commands' in definition).map(([code]) => code);
    expect(printing.length).toBeGreaterThan(0);
    expect(Object.keys(FACTS_OF).sort()).toEqual(printing.sort());
  });

  for (const [code, arbitrary] of Object.entries(FACTS_OF) as Array<[FindingCode, fc.Arbitrary<never>]>) {
    it(`${code}: each command in the remediation gives aws exactly its arguments`, () => {
      const definition = FINDINGS[code] as unknown as { commands(facts: unknown): string[][] };
      for (const facts of fc.sample(arbitrary, { numRuns: 60, seed: 24 })) {
        const rendered = renderFinding(code, facts);
        const intended = definition.commands(facts);
        expect(rendered.commands).toEqual(intended.map(shellCommand));
        for (const [index, command] of rendered.commands!.entries()) {
          expect(rendered.remediation).toContain(command);
          expect(received(command)).toEqual([intended[index]]);
        }
      }
      expect(recorder.strayFiles()).toEqual([]);
    });
  }

  it('MARKER_NOT_DELETED: the output location from the issue report does not run its command', () => {
    const { commands } = renderFinding('MARKER_NOT_DELETED', { bucket: 'bucket', key: 'x$(touch${IFS}PWN)/preflight-marker-1.txt' });
    expect(received(commands![0]!)).toEqual([['aws', 's3api', 'delete-object', '--bucket', 'bucket', '--key', 'x$(touch${IFS}PWN)/preflight-marker-1.txt']]);
    expect(recorder.strayFiles()).toEqual([]);
  });
});

// The capability verdict's Lake Formation grants, in this account and for another account's owner.
describe("the verdict's Lake Formation commands", () => {
  const lakeFormationDenied: ClassifiedError = { code: 'AccessDeniedException', category: 'permission', message: 'Insufficient Lake Formation permission(s)', deniedBy: { policyType: 'lake-formation', explicit: false } };
  const identity = { accountId: '123456789012', arn: 'arn:aws:sts::123456789012:assumed-role/Reader/s1', userId: 'AROA' };
  const probe = (id: string, actions: ProbeDefinition['actions']): ProbeDefinition => ({ id, service: 'glue', informs: ['metadata'], actions, run: async () => undefined });
  const registry = [probe('glue-databases', ['glue:GetDatabases']), probe('glue-tables', ['glue:GetTables']), probe('glue-table', ['glue:GetTable', 'glue:GetDatabase'])];
  const metadata = capabilityById('metadata');

  function verdictOf(databases: string[], facts: RunFacts) {
    const results: Record<string, Record<string, ActionResult>> = {
      'glue-databases': { 'glue:GetDatabases': { state: 'granted', probe: 'glue-databases' } },
      'glue-tables': { 'glue:GetTables': { state: 'granted', probe: 'glue-tables' } },
      'glue-table': { 'glue:GetTable': { state: 'failed', probe: 'glue-table', error: lakeFormationDenied } },
    };
    const evidence: Evidence = {
      connection: resolveConnection({ region: 'eu-west-1', accountId: '123456789012', credentials: { type: 'accessKey', accessKeyId: 'AKIAEXAMPLEEXAMPLE01', secretAccessKey: 'secret-secret-secret-01' }, glue: { databases } }, { maxRunMs: 30_000 }),
      facts: { identity, ...facts },
      actions: new Map(),
      actionsByProbe: new Map(Object.entries(results).map(([id, r]) => [id, new Map(Object.entries(r))])),
      probes: new Map<string, ProbeReport>([['sts-caller-identity', { id: 'sts-caller-identity', service: 'sts', actions: [], outcome: 'pass', startedAtMs: 0, durationMs: 1 }]]),
      skipCauses: new Map(),
      findings: [],
      registry,
    };
    return remediationFor(metadata, evidence, decideStatus(metadata, evidence)).remediation!;
  }

  it('grants on a governed table whatever its database and table are called', () => {
    const names = fc.sample(fc.tuple(glueName, glueName), { numRuns: 40, seed: 25 });
    for (const [database, table] of names) {
      const remediation = verdictOf([], { tables: [{ database, name: table, governed: true }] as RunFacts['tables'] });
      const intended = lakeFormationGrant({ catalogId: '123456789012', principal: 'arn:aws:iam::123456789012:role/Reader', permissions: ['DESCRIBE', 'SELECT'], resource: { Table: { DatabaseName: database, Name: table } } });
      expect(remediation.commands).toEqual([shellCommand(intended)]);
      expect(remediation.summary).toContain(remediation.commands![0]);
      expect(received(remediation.commands![0]!)).toEqual([intended]);
    }
    expect(recorder.strayFiles()).toEqual([]);
  });

  it("shares another account's database through a resource link whatever the names hold", () => {
    const names = fc.sample(fc.tuple(glueName, glueName), { numRuns: 30, seed: 26 });
    for (const [link, target] of names) {
      const remediation = verdictOf([link], { resourceLinks: [{ database: link, target: { accountId: '999988887777', catalogId: '999988887777', database: target } }] });
      const [other] = remediation.otherAccounts!;
      const tables = { Table: { CatalogId: '999988887777', DatabaseName: target, TableWildcard: {} } };
      const principal = 'arn:aws:iam::123456789012:role/Reader';
      const intended = [
        lakeFormationGrant({ region: 'eu-west-1', principal: '123456789012', permissions: ['DESCRIBE'], grantable: ['DESCRIBE'], resource: { Database: { CatalogId: '999988887777', Name: target } } }),
        lakeFormationGrant({ region: 'eu-west-1', principal: '123456789012', permissions: ['DESCRIBE', 'SELECT'], grantable: ['DESCRIBE', 'SELECT'], resource: tables }),
        // Outside one organization: the AWS RAM invitation, found and accepted in this account.
        ['aws', 'ram', 'get-resource-share-invitations', '--region', 'eu-west-1', '--query', "resourceShareInvitations[?status=='PENDING' && senderAccountId=='999988887777']"],
        ['aws', 'ram', 'accept-resource-share-invitation', '--region', 'eu-west-1', '--resource-share-invitation-arn', '<resourceShareInvitationArn from get-resource-share-invitations>'],
        lakeFormationGrant({ region: 'eu-west-1', principal, permissions: ['DESCRIBE', 'SELECT'], resource: tables }),
        lakeFormationGrant({ region: 'eu-west-1', principal, permissions: ['DESCRIBE'], resource: { Database: { Name: link } } }),
      ];
      expect(received(other!.commands!.join('\n'))).toEqual(intended);
    }
    expect(recorder.strayFiles()).toEqual([]);
  });

  it("the database from the issue report (fin';id>/tmp/x;') reaches aws as one argument", () => {
    const remediation = verdictOf(["fin';id>x;'"], {});
    const calls = received(remediation.commands!.join('\n'));
    expect(calls.map((argv) => JSON.parse(argv.at(-1)!))).toEqual([{ Database: { Name: "fin';id>x;'" } }, { Table: { DatabaseName: "fin';id>x;'", TableWildcard: {} } }]);
    expect(recorder.strayFiles()).toEqual([]);
  });
});

// Another account's catalog resource policy, which put-resource-policy replaces whole: read with its
// hash, merged, and written back on that hash (or made where there is none). And the AWS RAM
// invitation a Lake Formation share sends outside one organization.
describe('the commands for other accounts', () => {
  it('reach aws exactly as built, in every region form and with the placeholders as one argument each', () => {
    const built = ['eu-west-1', 'cn-north-1', 'us-gov-west-1'].flatMap((region) => [
      getGlueResourcePolicy(region),
      putGlueResourcePolicy({ region, policyFile: 'policy.json', policyHash: '<PolicyHash from get-resource-policy>' }),
      putGlueResourcePolicy({ region, policyFile: 'policy.json', mustNotExist: true }),
      pendingResourceShareInvitations(region, '999988887777'),
      acceptResourceShareInvitation(region, '<resourceShareInvitationArn from get-resource-share-invitations>'),
      acceptResourceShareInvitation(region, 'arn:aws:ram:eu-west-1:999988887777:resource-share-invitation/a93aa60a-1bd9-46e8-96db-a4e72eec1d9f'),
    ]);
    expect(received(built.map(shellCommand).join('\n'))).toEqual(built);
    expect(built[1]).toEqual(['aws', 'glue', 'put-resource-policy', '--region', 'eu-west-1', '--policy-in-json', 'file://policy.json', '--policy-hash-condition', '<PolicyHash from get-resource-policy>']);
    expect(recorder.strayFiles()).toEqual([]);
  });

  it('writes only an account id into the invitations filter (it is JMESPath)', () => {
    const senders = [...fc.sample(glueName, { numRuns: 40, seed: 27 }), "99998888777'", "' || true || '", '999988887777'];
    for (const sender of senders) {
      const command = pendingResourceShareInvitations('eu-west-1', sender);
      expect(command.includes('--query'), sender).toBe(/^\d{12}$/.test(sender));
      expect(received(shellCommand(command))).toEqual([command]);
    }
    expect(recorder.strayFiles()).toEqual([]);
  });

  it("the verdict's fix for an owner's resource policy prints them so", () => {
    const denied: ClassifiedError = { code: 'AccessDeniedException', category: 'permission', message: 'denied', deniedBy: { policyType: 'resource', explicit: false } };
    const probe: ProbeDefinition = { id: 'glue-databases', service: 'glue', informs: ['metadata'], actions: ['glue:GetDatabases'], run: async () => undefined };
    const evidence: Evidence = {
      connection: resolveConnection({ region: 'eu-west-1', accountId: '123456789012', credentials: { type: 'accessKey', accessKeyId: 'AKIAEXAMPLEEXAMPLE01', secretAccessKey: 'secret-secret-secret-01' }, glue: { catalogId: '999988887777' } }, { maxRunMs: 30_000 }),
      facts: { identity: { accountId: '123456789012', arn: 'arn:aws:iam::123456789012:user/analyst', userId: 'AIDA' } },
      actions: new Map(),
      actionsByProbe: new Map([['glue-databases', new Map<string, ActionResult>([['glue:GetDatabases', { state: 'failed', probe: 'glue-databases', error: denied }]])]]),
      probes: new Map<string, ProbeReport>([['sts-caller-identity', { id: 'sts-caller-identity', service: 'sts', actions: [], outcome: 'pass', startedAtMs: 0, durationMs: 1 }]]),
      skipCauses: new Map(),
      findings: [],
      registry: [probe],
    };
    const metadata = capabilityById('metadata');
    const [owner] = remediationFor(metadata, evidence, decideStatus(metadata, evidence)).remediation!.otherAccounts!;
    expect(received(owner!.commands!.join('\n'))).toEqual([
      ['aws', 'glue', 'get-resource-policy', '--region', 'eu-west-1'],
      ['aws', 'glue', 'put-resource-policy', '--region', 'eu-west-1', '--policy-in-json', 'file://policy.json', '--policy-hash-condition', '<PolicyHash from get-resource-policy>'],
      ['aws', 'glue', 'put-resource-policy', '--region', 'eu-west-1', '--policy-in-json', 'file://policy.json', '--policy-exists-condition', 'NOT_EXIST'],
    ]);
    expect(recorder.strayFiles()).toEqual([]);
  });
});
