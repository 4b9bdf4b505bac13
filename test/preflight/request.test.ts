import { describe, expect, it } from 'vitest';
import { validatePreflightRequest } from '../../src/preflight/request.js';

const valid = {
  region: 'eu-west-1',
  accountId: '123456789012',
  credentials: { type: 'accessKey', accessKeyId: 'AKIAEXAMPLEEXAMPLE01', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
};

const UNKNOWN = 'has a field that is not part of the request (its name is not repeated: it could be a secret)';

describe('preflight request validation', () => {
  it('accepts the canonical shape', () => {
    const result = validatePreflightRequest({ ...valid, athena: { workgroup: 'primary', outputLocation: 's3://bucket/prefix/' }, options: { runQuery: true } });
    expect(result.ok).toBe(true);
  });

  it('normalises the seeds\' flat format', () => {
    const result = validatePreflightRequest({
      aws_region: 'eu-west-1',
      aws_account_id: '123456789012',
      access_key_id: 'AKIAEXAMPLEEXAMPLE01',
      access_key_secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      workgroup: 'skoot',
      s3_staging_dir: 's3://skoot-athena-results/',
    });
    expect(result).toEqual({
      ok: true,
      request: {
        region: 'eu-west-1',
        accountId: '123456789012',
        credentials: { type: 'accessKey', accessKeyId: 'AKIAEXAMPLEEXAMPLE01', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
        athena: { workgroup: 'skoot', outputLocation: 's3://skoot-athena-results/' },
      },
    });
    const role = validatePreflightRequest({ aws_region: 'eu-west-1', aws_account_id: '123456789012', role_arn: 'arn:aws:iam::123456789012:role/x', external_id: 'abc-123' });
    expect(role.ok && role.request.credentials).toEqual({ type: 'role', roleArn: 'arn:aws:iam::123456789012:role/x', externalId: 'abc-123' });
  });

  it.each([
    [{ ...valid, region: 'mars-1' }, '/region'],
    [{ ...valid, accountId: '1234' }, '/accountId'],
    [{ ...valid, credentials: { type: 'role', roleArn: 'arn:aws:iam::123:user/x' } }, '/credentials/roleArn'],
    [{ ...valid, credentials: { type: 'password' } }, '/credentials/type'],
    [{ ...valid, athena: { outputLocation: 'https://bucket/x' } }, '/athena/outputLocation'],
    [{ ...valid, athena: { workgroup: 'no spaces allowed' } }, '/athena/workgroup'],
    [{ ...valid, capabilities: ['metadata', 'teleport'] }, '/capabilities/1'],
    [{ ...valid, endpoint: 'http://169.254.169.254' }, '/'],
    [{ ...valid, options: { timeoutMs: 5 } }, '/options/timeoutMs'],
    [{ region: 'eu-west-1', accountId: '123456789012' }, '/credentials'],
    [{ aws_region: 'eu-west-1', aws_account_id: '12', access_key_id: 'AKIAEXAMPLEEXAMPLE01', access_key_secret: 'x'.repeat(20) }, '/aws_account_id'],
  ])('names the offending field %#', (body, path) => {
    const result = validatePreflightRequest(body);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((issue) => issue.path)).toContain(path);
  });

  // Issue 14 (3): bodies that crashed validation into a 500.
  it.each(['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'])('refuses a flat field named like a built-in property: %s', (key) => {
    for (const value of ['x', 1, { type: 'ambient' }]) {
      const body = JSON.parse(`{"aws_region":"eu-west-1","aws_account_id":"123456789012","role_arn":"arn:aws:iam::123456789012:role/x",${JSON.stringify(key)}:${JSON.stringify(value)}}`);
      const result = validatePreflightRequest(body);
      expect(result).toEqual({ ok: false, issues: [{ path: '/', message: UNKNOWN }] });
    }
  });

  it.each(['credentials', 'athena'])('refuses %s given as a string, a boolean, a number or an array beside flat fields, in either order', (section) => {
    const secret = 'SECTION-SECRET-MUST-NOT-LEAK-0002';
    const flat = { aws_region: 'eu-west-1', aws_account_id: '123456789012', access_key_id: 'AKIAEXAMPLEEXAMPLE01', access_key_secret: 'x'.repeat(20), workgroup: 'primary' };
    for (const value of [secret, true, false, 7, [secret], null]) {
      for (const body of [{ ...flat, [section]: value }, { [section]: value, ...flat }]) {
        const result = validatePreflightRequest(body);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.issues).toContainEqual({ path: `/${section}`, message: 'must be an object' });
        expect(JSON.stringify(result)).not.toContain(secret);
      }
    }
  });

  it.each([
    ['capabilities', (deep: unknown) => ({ ...valid, capabilities: deep }), '/capabilities'],
    ['required', (deep: unknown) => ({ ...valid, required: deep }), '/required'],
    ['glue databases', (deep: unknown) => ({ ...valid, glue: { databases: deep } }), '/glue/databases'],
    ['a database', (deep: unknown) => ({ ...valid, glue: { databases: ['a', deep] } }), '/glue/databases/1'],
    ['credentials', (deep: unknown) => ({ ...valid, credentials: [deep] }), '/credentials'],
    ['an access key id', (deep: unknown) => ({ ...valid, credentials: { ...valid.credentials, accessKeyId: deep } }), '/credentials/accessKeyId'],
    ['an unknown field', (deep: unknown) => ({ ...valid, extra: deep }), '/'],
    ['a flat field', (deep: unknown) => ({ aws_region: 'eu-west-1', aws_account_id: '123456789012', access_key_id: 'AKIAEXAMPLEEXAMPLE01', access_key_secret: deep }), '/access_key_secret'],
  ])('refuses arrays nested thousands of levels deep in %s, naming the field or an item of it', (_name, body, path) => {
    for (const deep of [JSON.parse(`${'['.repeat(5000)}${']'.repeat(5000)}`), JSON.parse(`${'['.repeat(5000)}"s"${']'.repeat(5000)}`), JSON.parse(`${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`)]) {
      const result = validatePreflightRequest(body(deep));
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.issues.some((issue) => issue.path === path || issue.path.startsWith(`${path}/`)), JSON.stringify(result.issues)).toBe(true);
    }
  });

  // Issue 14 (7): every bad field at once, and the credentials judged by the branch their type chooses.
  it('names every missing field of an empty body', () => {
    expect(validatePreflightRequest({})).toEqual({
      ok: false,
      issues: [
        { path: '/region', message: 'is required' },
        { path: '/accountId', message: 'is required' },
        { path: '/credentials', message: 'is required' },
      ],
    });
  });

  it('names every wrong field at once, whatever else is wrong', () => {
    const result = validatePreflightRequest({
      region: 'mars-1',
      accountId: 12,
      credentials: { type: 'role', roleArn: 'nope', sessionName: 'x', extra: 1 },
      athena: { workgroup: 'no spaces', outputLocation: 'https://x', other: 1 },
      glue: { catalogId: '1', databases: ['a', 'a'] },
      capabilities: ['metadata', 'teleport'],
      options: { runQuery: 'yes', writeTest: 1, timeoutMs: 5 },
      endpoint: 'http://169.254.169.254',
      proxy: 'http://proxy',
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues.map((issue) => issue.path).sort()).toEqual(
        [
          '/region',
          '/accountId',
          '/credentials/roleArn',
          '/credentials/sessionName',
          '/credentials',
          '/athena/workgroup',
          '/athena/outputLocation',
          '/athena',
          '/glue/catalogId',
          '/glue/databases',
          '/capabilities/1',
          '/options/runQuery',
          '/options/writeTest',
          '/options/timeoutMs',
          // endpoint and proxy: named by where they are, never by their names.
          '/',
        ].sort(),
      );
      for (const issue of result.issues) expect(issue.message).not.toMatch(/anyOf|constant|schema is false|must match pattern/);
    }
  });

  it('judges access-key credentials as access-key credentials: a missing secret is the one issue', () => {
    const result = validatePreflightRequest({ ...valid, credentials: { type: 'accessKey', accessKeyId: 'AKIAEXAMPLEEXAMPLE01' } });
    expect(result).toEqual({ ok: false, issues: [{ path: '/credentials/secretAccessKey', message: 'is required' }] });
    const flat = validatePreflightRequest({ aws_region: 'eu-west-1', aws_account_id: '123456789012', access_key_id: 'AKIAEXAMPLEEXAMPLE01' });
    expect(flat).toEqual({ ok: false, issues: [{ path: '/credentials/secretAccessKey', message: 'is required' }] });
    const role = validatePreflightRequest({ ...valid, credentials: { type: 'role', externalId: 'abc-123' } });
    expect(role).toEqual({ ok: false, issues: [{ path: '/credentials/roleArn', message: 'is required' }] });
    const ambient = validatePreflightRequest({ ...valid, credentials: { type: 'ambient', roleArn: 'arn:aws:iam::123456789012:role/x' } });
    expect(ambient).toEqual({ ok: false, issues: [{ path: '/credentials/roleArn', message: 'is not a known field' }] });
  });

  it.each([{ accessKeyId: 'AKIAEXAMPLEEXAMPLE01' }, { type: 'password', accessKeyId: 'AKIAEXAMPLEEXAMPLE01', secretAccessKey: 7 }, { type: 7 }, { type: 'constructor' }, {}])(
    'answers credentials of a missing or unknown type with one issue at /credentials/type %#',
    (credentials) => {
      const result = validatePreflightRequest({ ...valid, credentials });
      expect(result).toEqual({ ok: false, issues: [{ path: '/credentials/type', message: 'must be one of accessKey, role, ambient' }] });
    },
  );

  it('never echoes a field name it does not know: a secret pasted as a key stays out of the answer', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    for (const body of [{ ...valid, [secret]: 1 }, { ...valid, credentials: { ...valid.credentials, [secret]: 'x' } }, { ...valid, glue: { [`${secret}\u001b`]: [] } }]) {
      const result = validatePreflightRequest(body);
      expect(result.ok).toBe(false);
      expect(JSON.stringify(result)).not.toContain(secret);
      if (!result.ok) expect(result.issues.map((issue) => issue.message)).toContain(UNKNOWN);
    }
  });

  it('names a known field in the wrong place', () => {
    const result = validatePreflightRequest({ ...valid, athena: { region: 'eu-west-1' } });
    expect(result).toEqual({ ok: false, issues: [{ path: '/athena/region', message: 'is not a known field' }] });
  });

  // A terminal acts on ESC and BEL, YAML 1.1 reads U+0085 as a line break, U+202E reverses what follows.
  it.each(['\u001b[31m', '\u0007', '\u0085', '\u202e', '\t', '\u007f', '\u009b'])('refuses the control character %j in every string field, by its path', (control) => {
    const fields: Array<[string, Record<string, unknown>]> = [
      ['/glue/databases/1', { glue: { databases: ['sales', `fin${control}ance`] } }],
      ['/athena/outputLocation', { athena: { outputLocation: `s3://bucket/x${control}/` } }],
      ['/athena/workgroup', { athena: { workgroup: `w${control}` } }],
      ['/credentials/externalId', { credentials: { type: 'role', roleArn: 'arn:aws:iam::123456789012:role/x', externalId: `id${control}x` } }],
      ['/capabilities/0', { capabilities: [`metadata${control}`] }],
    ];
    for (const [path, change] of fields) {
      const result = validatePreflightRequest({ ...valid, ...change });
      expect(result, path).toEqual({ ok: false, issues: [{ path, message: expect.stringContaining('must not contain control characters') }] });
    }
    const flat = validatePreflightRequest({ aws_region: 'eu-west-1', aws_account_id: '123456789012', role_arn: 'arn:aws:iam::123456789012:role/x', s3_staging_dir: `s3://b-1/a${control}/` });
    expect(flat).toMatchObject({ ok: false, issues: [{ path: '/s3_staging_dir' }] });
  });

  it.each(['s3://bucket//', 's3://bucket///', 's3://bucket/a//b/', 's3://bucket//a/'])('refuses %s: an empty segment names no place a grant can be sure of', (outputLocation) => {
    const result = validatePreflightRequest({ ...valid, athena: { outputLocation } });
    expect(result).toEqual({ ok: false, issues: [{ path: '/athena/outputLocation', message: expect.stringContaining('no empty segment') }] });
  });

  it('never echoes a secret in an issue', () => {
    const secret = 'SECRET-VALUE-THAT-MUST-NOT-LEAK-0001';
    const result = validatePreflightRequest({ ...valid, credentials: { type: 'accessKey', accessKeyId: 'bad', secretAccessKey: secret, sessionToken: 7 } });
    expect(JSON.stringify(result)).not.toContain(secret);
  });
});
