// The OpenAPI document and the service agree on errors: every error status the generated document
// promises for an operation is provoked on that operation, and the answer has that status, the
// documented media type and headers, and a body the documented schema accepts. The operations and
// their responses are read from the document, so a route or an error documented later is tried
// here too, and fails the test until this file knows how to provoke it.
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { FastifyInstance } from 'fastify';
import type { InjectOptions } from 'light-my-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { type AppOptions, buildApp, renderOpenApi } from '../../src/app.js';
import { type ClientFactory, createClientFactory } from '../../src/aws/clients.js';
import { ErrorSchema } from '../../src/schemas/errors.js';
import type { ReportStore } from '../../src/store/types.js';

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema: { type?: string; pattern?: string; minimum?: number; maximum?: number };
}
interface Response {
  description: string;
  headers?: Record<string, unknown>;
  content?: Record<string, { schema: object }>;
}
interface Operation {
  method: string;
  path: string;
  operationId: string;
  parameters: Parameter[];
  requestBody?: unknown;
  responses: Record<string, Response>;
}

const KEY = 'documented-errors-key-0123456789';
const AUTHORIZED = { authorization: `Bearer ${KEY}` };

/** A value each path parameter's pattern accepts. */
const SAMPLES: Record<string, string> = { id: 'a1b2c3d4e5f6', otherId: 'a1b2c3d4e5f7', fingerprint: '0'.repeat(24) };
/** A body each operation's own validation accepts, by operationId (what is valid is the route's to say). */
const VALID_BODIES: Record<string, object> = {
  runPreflight: { region: 'eu-west-1', accountId: '123456789012', credentials: { type: 'role', roleArn: 'arn:aws:iam::123456789012:role/preflight' } },
  generateSetup: { region: 'eu-west-1', accountId: '123456789012', externalId: 'documented-errors', capabilities: ['metadata'] },
  policyCoverage: { region: 'eu-west-1', accountId: '123456789012', capabilities: ['metadata'], policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'glue:Get*', Resource: '*' }] }] },
};

/** A watch schedule that fails every call, as a store whose database is gone. */
const failingLedger = (): NonNullable<ReportStore['watchLedger']> => {
  const fail = async (): Promise<never> => {
    throw new Error('the database is gone');
  };
  return { enroll: fail, claim: fail, complete: fail, release: fail, list: fail };
};

/** One watched connection, due in an hour: nothing runs while the test asks. */
const WATCHED = {
  label: 'documented',
  intervalMs: 3_600_000,
  request: { region: 'eu-west-1', accountId: '123456789012', credentials: { type: 'role', roleArn: 'arn:aws:iam::123456789012:role/preflight' } },
  externalIdSource: 'DOCUMENTED_EXTERNAL_ID',
  externalId: async () => 'documented-external-id',
} as never;

/** A store that fails every call, as one whose database is gone. */
const failingStore = (): ReportStore => {
  const fail = async (): Promise<never> => {
    throw new Error('the database is gone');
  };
  return { save: fail, get: fail, runs: fail, deleteExpired: fail, size: fail, close: async () => {} };
};

/** A way to provoke one documented error: the app to ask (options on top of the plain one) and the requests, the last one answered with it. */
interface Provocation {
  label: string;
  app?: Partial<Omit<AppOptions, 'config' | 'engine'>> & { config?: Partial<AppOptions['config']> };
  requests: InjectOptions[];
  /** For a malformed parameter: the one its issue must name. */
  parameter?: string;
}

function url(operation: Operation, values: Record<string, string> = {}, query: Record<string, string> = {}): string {
  const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name] ?? SAMPLES[name];
    if (value === undefined) throw new Error(`no sample value for the path parameter ${name} of ${operation.operationId}`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams(query).toString();
  return search ? `${path}?${search}` : path;
}

/** The operation's ordinary request, with the key unless told otherwise. */
function request(operation: Operation, changes: Partial<InjectOptions> = {}): InjectOptions {
  const body = VALID_BODIES[operation.operationId];
  if (operation.requestBody && !body) throw new Error(`no valid body for ${operation.operationId}`);
  return { method: operation.method as 'GET', url: url(operation), headers: AUTHORIZED, ...(body ? { payload: body } : {}), ...changes };
}

/** Values a parameter's schema refuses: not a number, out of its range, outside its pattern. */
function malformed(parameter: Parameter): string[] {
  const { schema } = parameter;
  if (schema.type === 'integer') return ['ten', ...(schema.minimum === undefined ? [] : [String(schema.minimum - 1)]), ...(schema.maximum === undefined ? [] : [String(schema.maximum + 1)])];
  if (schema.pattern) return ['not valid!'];
  throw new Error(`no malformed value for ${parameter.in} parameter ${parameter.name}`);
}

/** Every way this file knows to provoke `status` on `operation`; none: it does not know how. */
function provocations(operation: Operation, status: string): Provocation[] {
  const body = Boolean(operation.requestBody);
  switch (status) {
    case '400':
      if (body) return [{ label: 'a body missing every required field', requests: [request(operation, { payload: {} })] }];
      return operation.parameters.flatMap((parameter) =>
        malformed(parameter).map((value) => ({
          label: `${parameter.in} parameter ${parameter.name}=${JSON.stringify(value)}`,
          parameter: parameter.name,
          requests: [request(operation, { url: parameter.in === 'path' ? url(operation, { [parameter.name]: value }) : url(operation, {}, { [parameter.name]: value }) })],
        })),
      );
    case '401':
      return [
        { label: 'no key', requests: [request(operation, { headers: {} })] },
        { label: 'a wrong key', requests: [request(operation, { headers: { authorization: 'Bearer not-a-key-of-this-service-0' } })] },
      ];
    case '404':
      // Report history off: every history route answers 404 saying so.
      return [{ label: 'no report store', requests: [request(operation)] }];
    case '413':
      return body ? [{ label: 'a body of 80 KiB', requests: [request(operation, { headers: { ...AUTHORIZED, 'content-type': 'application/json' }, payload: JSON.stringify({ padding: 'x'.repeat(80 * 1024) }) })] }] : [];
    case '415':
      return body ? [{ label: 'a JSON body sent as text/plain', requests: [request(operation, { headers: { ...AUTHORIZED, 'content-type': 'text/plain' }, payload: JSON.stringify(VALID_BODIES[operation.operationId]) })] }] : [];
    case '429':
      return [{ label: 'the second request in a minute of one', app: { config: { rateLimitPerMinute: 1 } }, requests: [request(operation), request(operation)] }];
    case '503':
      if (operation.operationId === 'runPreflight') return [{ label: 'as many runs as allowed already running (none allowed)', app: { config: { maxConcurrentRuns: 0 } }, requests: [request(operation)] }];
      // The plain app knows no principal of its own: PREFLIGHT_TRUSTED_PRINCIPAL unset, no service credentials.
      if (operation.operationId === 'generateSetup') return [{ label: 'no trusted principal configured', requests: [request(operation)] }];
      if (operation.path.startsWith('/preflight/') || operation.path.startsWith('/connections/')) return [{ label: 'a report store that fails', app: { store: failingStore() }, requests: [request(operation)] }];
      // A watch whose schedule lives in a store that fails: the list cannot be read.
      if (operation.operationId === 'listWatch') return [{ label: "a watch whose store's ledger fails", app: { store: { ...failingStore(), watchLedger: failingLedger() }, watch: { connections: [WATCHED] } }, requests: [request(operation)] }];
      return [];
    default:
      return [];
  }
}

let document: { paths: Record<string, Record<string, Omit<Operation, 'method' | 'path'>>> };
let operations: Operation[];
const clients: ClientFactory[] = [];
const apps: FastifyInstance[] = [];

async function app(overrides: Provocation['app'] = {}): Promise<FastifyInstance> {
  const factory = createClientFactory();
  clients.push(factory);
  const instance = await buildApp({
    ...overrides,
    config: { apiKeys: [KEY], authDisabled: false, maxConcurrentRuns: 1, ...overrides.config },
    // No probes: nothing here reaches AWS.
    engine: { clients: factory, allowAmbient: false, maxRunMs: 1000, probes: [] },
  });
  apps.push(instance);
  return instance;
}

beforeAll(async () => {
  document = parseYaml(await renderOpenApi());
  operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ ...operation, parameters: operation.parameters ?? [], method: method.toUpperCase(), path })),
  );
});
afterAll(async () => {
  for (const instance of apps) await instance.close();
  for (const factory of clients) factory.destroy();
});

/** The documented schema's verdict on a body: each error as "path: message". */
function schemaErrors(schema: object, body: unknown): string[] {
  const validate = new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
  return validate(body) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '/'}: ${error.message}`);
}

describe('every documented error, on every operation', () => {
  it('reads the operations and their errors from the generated document (a reader that finds nothing would prove nothing)', () => {
    const errors = operations.flatMap((operation) => Object.keys(operation.responses).filter((status) => Number(status) >= 400).map((status) => `${operation.operationId} ${status}`));
    for (const error of ['runPreflight 415', 'runPreflight 413', 'generateSetup 503', 'getReport 404', 'listConnectionRuns 400', 'getMetrics 429']) expect(errors).toContain(error);
  });

  it('declares 400 for every operation that takes a path or query parameter', () => {
    const undeclared = operations.filter((operation) => operation.parameters.some((p) => p.in === 'path' || p.in === 'query') && !operation.responses['400']);
    expect(undeclared.map((operation) => `${operation.method} ${operation.path}`)).toEqual([]);
  });

  it('answers each with its documented status, media type, headers and body', async () => {
    const failures: string[] = [];
    let tried = 0;
    for (const operation of operations) {
      for (const [status, documented] of Object.entries(operation.responses)) {
        if (Number(status) < 400) continue;
        const ways = provocations(operation, status);
        if (!ways.length) failures.push(`${operation.method} ${operation.path} ${status}: documented, but this test does not know how to provoke it`);
        for (const way of ways) {
          tried += 1;
          const instance = await app(way.app);
          let response = await instance.inject(way.requests[0]!);
          for (const next of way.requests.slice(1)) response = await instance.inject(next);
          const where = `${operation.method} ${operation.path}, ${way.label}`;
          if (String(response.statusCode) !== status) {
            failures.push(`${where}: ${response.statusCode}, documented ${status} (${response.body.slice(0, 200)})`);
            continue;
          }
          for (const header of Object.keys(documented.headers ?? {})) {
            if (response.headers[header.toLowerCase()] === undefined) failures.push(`${where}: no ${header} header, documented`);
          }
          const schema = documented.content?.['application/json']?.schema;
          if (!schema) continue;
          if (!String(response.headers['content-type']).startsWith('application/json')) failures.push(`${where}: ${response.headers['content-type']}, documented application/json`);
          const body = response.json();
          for (const error of schemaErrors(schema, body)) failures.push(`${where}: the body is not the documented one: ${error}`);
          if (way.parameter) {
            const named = body.issues?.some((issue: { path: string; message: string }) => issue.path === `/${way.parameter}` && issue.message.includes(way.parameter!));
            if (!named) failures.push(`${where}: no issue names ${way.parameter}: ${JSON.stringify(body.issues)}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(tried).toBeGreaterThan(30);
  });

  it('answers a path no route has in the service\'s error shape (404), with a key or without', async () => {
    const instance = await app();
    for (const [method, path, headers] of [['GET', '/nowhere', {}], ['GET', '/nowhere', AUTHORIZED], ['POST', '/preflight/a1b2c3d4e5f6', AUTHORIZED], ['DELETE', '/preflight', {}]] as const) {
      const response = await instance.inject({ method, url: path, headers });
      expect({ method, path, status: response.statusCode }).toEqual({ method, path, status: 404 });
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(schemaErrors(ErrorSchema, response.json())).toEqual([]);
      expect(response.json()).toMatchObject({ error: 'not_found' });
      expect(response.body).not.toContain('nowhere');
    }
  });
});
