// Wire formats: how each AWS protocol shapes a success and an error. Services return data;
// these functions turn it into the bytes the SDKs and botocore parse.
import { AwsError, type IncomingRequest, type Protocol, type SandboxResponse, type ServiceCall, type ServiceDefinition } from './types.js';

export function xmlEscape(value: string): string {
  return value.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

/** Renders a plain object as XML elements; arrays become repeated `member` children (awsQuery lists). */
export function toXml(value: unknown, memberName = 'member'): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((item) => `<${memberName}>${toXml(item, memberName)}</${memberName}>`).join('');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${toXml(v, memberName)}</${k}>`)
      .join('');
  }
  return xmlEscape(String(value));
}

export function renderError(protocol: Protocol, error: AwsError, requestId: string, method: string): SandboxResponse {
  const headers: Record<string, string> = { ...error.options.headers };
  switch (protocol) {
    case 'json':
      return {
        status: error.status,
        headers: { ...headers, 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId },
        body: JSON.stringify({ __type: error.code, message: error.message, ...error.options.fields }),
      };
    case 'rest-json':
      return {
        status: error.status,
        headers: { ...headers, 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': error.code },
        body: JSON.stringify({ Message: error.message, ...error.options.fields }),
      };
    case 'query': {
      const type = error.options.sender === false || error.status >= 500 ? 'Receiver' : 'Sender';
      return {
        status: error.status,
        headers: { ...headers, 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
        body: `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <Error>\n    <Type>${type}</Type>\n    <Code>${xmlEscape(error.code)}</Code>\n    <Message>${xmlEscape(error.message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`,
      };
    }
    case 'rest-xml': {
      const s3Headers = { ...headers, 'x-amz-request-id': requestId, 'x-amz-id-2': hostId(requestId) };
      // HEAD responses carry no body, so SDKs see only the status (RFC 9110, HEAD: no content is sent).
      if (method === 'HEAD') return { status: error.status, headers: s3Headers };
      const fields = Object.entries(error.options.fields ?? {}).map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`).join('');
      return {
        status: error.status,
        headers: { ...s3Headers, 'content-type': 'application/xml' },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xmlEscape(error.code)}</Code><Message>${xmlEscape(error.message)}</Message>${fields}<RequestId>${requestId}</RequestId><HostId>${hostId(requestId)}</HostId></Error>`,
      };
    }
  }
}

function hostId(requestId: string): string {
  return Buffer.from(`sandbox-${requestId}`).toString('base64');
}

export type JsonOperation = (input: Record<string, unknown>, call: ServiceCall) => unknown | Promise<unknown>;

interface JsonServiceOptions {
  signingName: string;
  /** X-Amz-Target prefixes, e.g. "AWSGlue" (botocore and SDK v3 sometimes spell a service's differently). */
  targetPrefix: string | readonly string[];
  operations: Record<string, JsonOperation>;
  accessDenied?: ServiceDefinition['accessDenied'];
  throttling?: ServiceDefinition['throttling'];
  serverError?: ServiceDefinition['serverError'];
  denialMessage?: ServiceDefinition['denialMessage'];
}

/** An awsJson1.1 service: operation from X-Amz-Target, input and output as JSON. */
export function jsonService(options: JsonServiceOptions): ServiceDefinition {
  const prefixes = (typeof options.targetPrefix === 'string' ? [options.targetPrefix] : options.targetPrefix).map((p) => `${p}.`);
  return {
    signingName: options.signingName,
    protocol: 'json',
    accessDenied: options.accessDenied ?? { code: 'AccessDeniedException', status: 400 },
    throttling: options.throttling ?? { code: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
    serverError: options.serverError ?? { code: 'InternalServiceException', status: 500, message: 'Internal service error' },
    denialMessage: options.denialMessage,
    resolveOperation(request: IncomingRequest) {
      const target = request.headers['x-amz-target'];
      const prefix = typeof target === 'string' ? prefixes.find((p) => target.startsWith(p)) : undefined;
      if (!prefix) return undefined;
      const name = (target as string).slice(prefix.length);
      return Object.hasOwn(options.operations, name) ? name : undefined;
    },
    async handle(call) {
      const input = parseJsonBody(call.request.body);
      const output = await options.operations[call.operation]!(input, call);
      return {
        status: 200,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': call.requestId },
        body: JSON.stringify(output ?? {}, jsonDates),
      };
    },
  };
}

/** awsJson serialises timestamps as epoch seconds. */
function jsonDates(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  return raw instanceof Date ? raw.getTime() / 1000 : value;
}

export function parseJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new AwsError('SerializationException', 'Start of structure or map found where not expected.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AwsError('SerializationException', 'Start of structure or map found where not expected.');
  }
  return parsed as Record<string, unknown>;
}

/** Input validation helpers that fail the way AWS does (ValidationException / InvalidParameterException). */
export function stringField(input: Record<string, unknown>, name: string, options: { required?: boolean; code?: string } = {}): string | undefined {
  const value = input[name];
  const code = options.code ?? 'ValidationException';
  if (value === undefined || value === null) {
    if (options.required) throw new AwsError(code, `1 validation error detected: Value null at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`);
    return undefined;
  }
  if (typeof value !== 'string') throw new AwsError('SerializationException', `STRING_VALUE can not be converted to ${name}`);
  return value;
}

export function intField(input: Record<string, unknown>, name: string, min: number, max: number, code = 'ValidationException'): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new AwsError('SerializationException', `NUMBER_VALUE can not be converted to ${name}`);
  if (value < min || value > max) {
    throw new AwsError(code, `1 validation error detected: Value '${value}' at '${lowerFirst(name)}' failed to satisfy constraint: Member must have value ${value < min ? 'greater than or equal to ' + min : 'less than or equal to ' + max}`);
  }
  return value;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** Pagination over an in-memory list with opaque tokens, as every listing here needs. */
export function paginate<T>(items: readonly T[], nextToken: unknown, maxResults: number, invalidTokenCode = 'InvalidInputException'): { page: T[]; nextToken?: string } {
  let start = 0;
  if (nextToken !== undefined && nextToken !== null) {
    const decoded = typeof nextToken === 'string' ? Number(Buffer.from(nextToken, 'base64url').toString('utf8').replace(/^page:/, '')) : Number.NaN;
    if (!Number.isInteger(decoded) || decoded < 0 || decoded > items.length) throw new AwsError(invalidTokenCode, 'Invalid pagination token');
    start = decoded;
  }
  const page = items.slice(start, start + maxResults);
  const next = start + maxResults;
  return { page, nextToken: next < items.length ? Buffer.from(`page:${next}`).toString('base64url') : undefined };
}
