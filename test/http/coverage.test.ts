// POST /policy/coverage through the app: the API key, a malformed policy named, the answer exactly as
// the evaluator gives it (the response schema drops nothing), Markdown by Accept, and no policy in
// the log.
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACTED_PATHS, buildApp } from '../../src/app.js';
import { createClientFactory } from '../../src/aws/clients.js';
import { policyCoverage } from '../../src/coverage/evaluate.js';
import { renderCoverageMarkdown } from '../../src/coverage/render.js';
import { validateCoverageRequest } from '../../src/coverage/request.js';
import { PROBES } from '../../src/probes/registry.js';

const API_KEY = 'coverage-api-key-0123456789';
const logs: string[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    logs.push(chunk.toString());
    done();
  },
});
const clients = createClientFactory();
let app: Awaited<ReturnType<typeof buildApp>>;
beforeAll(async () => {
  app = await buildApp({
    config: { apiKeys: [API_KEY], authDisabled: false, maxConcurrentRuns: 4 },
    engine: { clients, allowAmbient: false, maxRunMs: 5000, probes: PROBES },
    logger: pino({ level: 'trace', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink),
  });
});
afterAll(async () => {
  await app.close();
  clients.destroy();
  expect(logs.join('\n')).toContain('policy coverage');
  // The documents are the customer's: a Sid of theirs never reaches the log.
  expect(logs.join('\n')).not.toContain('VisualEditor0');
});

const SECODA = JSON.parse(readFileSync('examples/vendor-policies/secoda-user.json', 'utf8'));
const BODY = {
  region: 'eu-west-1',
  accountId: '123456789012',
  policies: [SECODA, { Version: '2012-10-17', Statement: [{ Sid: 'Everything', Effect: 'Allow', Action: 's3:*', Resource: '*' }] }],
  athena: { workgroup: 'primary', outputLocation: 's3://acme-athena-results/primary/' },
  capabilities: ['metadata', 'search', 'query-history', 'query-results', 'encryption'],
  results: { encryption: 'SSE_KMS' },
};
const post = (payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/policy/coverage', headers: { authorization: `Bearer ${API_KEY}`, ...headers }, payload: payload as object });

describe('POST /policy/coverage', () => {
  it('answers what the evaluator answers, every field kept', async () => {
    const response = await post(BODY);
    expect(response.statusCode).toBe(200);
    const validation = validateCoverageRequest(BODY);
    if (!validation.ok) throw new Error('the body is valid');
    const expected = policyCoverage(validation.input);
    expect(response.json()).toEqual(JSON.parse(JSON.stringify(expected)));
    // The fields an allow-list could drop are there.
    const answer = response.json();
    expect(answer.capabilities.find((c: { id: string }) => c.id === 'metadata')).toMatchObject({ coverage: 'not-covered', notGranted: expect.arrayContaining([expect.objectContaining({ action: 'glue:GetTables', by: 'product' })]), dependsOn: expect.any(Array) });
    expect(answer.capabilities.find((c: { id: string }) => c.id === 'encryption').appliesWhen).toBeUndefined();
    expect(answer.warnings.map((w: { code: string }) => w.code)).toEqual(['ACTIONS_NOT_USED', 'S3_EVERY_BUCKET']);
    expect(answer.warnings[1]).toMatchObject({ statement: { pointer: '/policies/1/Statement/0', sid: 'Everything' }, narrower: expect.any(Array) });
  });

  it('answers Markdown by Accept', async () => {
    const response = await post(BODY, { accept: 'text/markdown' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/markdown/);
    const validation = validateCoverageRequest(BODY);
    if (!validation.ok) throw new Error('the body is valid');
    expect(response.body).toBe(renderCoverageMarkdown(policyCoverage(validation.input)));
    expect(response.body).toMatch(/^## Policy coverage: 2 covered, 0 partly, 4 not covered/);
  });

  it('names a malformed policy (400), and wants the API key (401)', async () => {
    const broken = { ...BODY, policies: [SECODA, { Statement: [{ Effect: 'Allow', Action: 'glue:GetTables' }] }] };
    const refused = await post(broken);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toEqual({ error: 'invalid_request', issues: [{ path: '/policies/1/Statement/0/Resource', message: 'is required (or NotResource)' }] });
    const anonymous = await app.inject({ method: 'POST', url: '/policy/coverage', payload: BODY });
    expect(anonymous.statusCode).toBe(401);
  });
});
