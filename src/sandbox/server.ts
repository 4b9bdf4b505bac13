// One HTTP port for every simulated service, routed by the SigV4 credential scope as AWS's own
// endpoints are by host name. Authentication, faults and authorization happen here, once, so the
// service modules only describe what each operation does.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { forwardAccessContext } from '../iam/context.js';
import { accessDeniedMessage, authorize as evaluate } from '../iam/evaluate.js';
import { renderError } from './protocols.js';
import { type Scenario, loadScenario, parseScenario } from './scenario.js';
import { SERVICES } from './services/index.js';
import { SignatureFormatError, parseAmzDate, parseSignature, signatureMatches } from './sigv4.js';
import { type Clock, SandboxState } from './state.js';
import { AwsError, type AuthorizeOptions, type Caller, type IncomingRequest, type Protocol, type SandboxResponse, type ServiceCall, type ServiceDefinition } from './types.js';

export interface SandboxOptions {
  /** A built-in scenario name, a file path, or scenario data. */
  scenario: string | Scenario | Record<string, unknown>;
  port?: number;
  host?: string;
  /** Sandbox time; tests move it forward to expire sessions. */
  clock?: Clock;
}

export interface Sandbox {
  endpoint: string;
  port: number;
  scenario: Scenario;
  state: SandboxState;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;
const ALLOWED_CLOCK_SKEW_MS = 15 * 60 * 1000;

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const scenario = typeof options.scenario === 'string' ? loadScenario(options.scenario) : parseScenario(options.scenario);
  const state = new SandboxState(scenario, options.clock);
  const sockets = new Set<Socket>();
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    handleRequest(state, req, res).catch((error) => {
      // A fault of the sandbox itself: answer as AWS would with a 500, never crash the process.
      process.stderr.write(`sandbox: internal error: ${(error as Error).stack ?? error}\n`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Internal sandbox error');
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    scenario,
    state,
    close: () => closeServer(server, sockets),
  };
}

function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Hanging requests (the "hang" fault) would otherwise keep the server open forever.
    for (const socket of sockets) socket.destroy();
  });
}

const SERVICE_BY_NAME = new Map<string, ServiceDefinition>(SERVICES.map((service) => [service.signingName, service]));

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new AwsError('RequestEntityTooLarge', 'Request body too large', 413);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, response: SandboxResponse): void {
  const body = response.body ?? '';
  // A HEAD answer declares the length of the body it does not send.
  res.writeHead(response.status, { 'content-length': String(Buffer.byteLength(body)), ...response.headers });
  res.end(body);
}

async function handleRequest(state: SandboxState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = state.nextId();
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const rawPath = (req.url ?? '/').split('?')[0] || '/';
  let body: Buffer;
  try {
    body = await readBody(req);
  } catch (error) {
    send(res, { status: 413, body: (error as Error).message });
    return;
  }
  const request: IncomingRequest = {
    method: req.method ?? 'GET',
    rawPath,
    path: safeDecode(rawPath),
    query: url.searchParams,
    headers: req.headers,
    body,
    host: req.headers.host ?? '',
  };

  let service: ServiceDefinition | undefined;
  try {
    const signature = parseSignature(request);
    service = SERVICE_BY_NAME.get(signature?.service ?? 's3');
    if (!service) {
      send(res, { status: 400, body: `The sandbox does not simulate the service "${signature?.service}".` });
      return;
    }
    if (!signature) throw authError(service.protocol, 'missing');
    const caller = authenticate(state, request, signature, service.protocol);
    const operation = service.resolveOperation(request);
    if (!operation) throw unknownOperation(service.protocol);
    const call = makeCall(state, service, operation, caller, signature.region, requestId, request);

    const fault = await applyFaults(state, service, operation, res);
    if (fault === 'handled') return;
    const response = await service.handle(call);
    if (fault.hangAfterApplying) return;
    if (fault.stallBodyAfterBytes !== undefined) stallBody(res, response, fault.stallBodyAfterBytes);
    else send(res, response);
  } catch (error) {
    const protocol = service?.protocol ?? 'json';
    if (error instanceof AwsError) {
      send(res, renderError(protocol, error, requestId, request.method));
    } else if (error instanceof SignatureFormatError) {
      send(res, renderError(protocol, new AwsError(protocol === 'rest-xml' ? 'AuthorizationHeaderMalformed' : 'IncompleteSignatureException', error.message, 400), requestId, request.method));
    } else {
      throw error;
    }
  }
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

type AuthFailure = 'missing' | 'unknown-key' | 'bad-signature' | 'expired' | 'invalid-token' | 'skewed';

const AUTH_ERRORS: Record<Protocol, Record<AuthFailure, [code: string, status: number, message: string]>> = {
  query: {
    missing: ['MissingAuthenticationToken', 403, 'Request is missing Authentication Token'],
    'unknown-key': ['InvalidClientTokenId', 403, 'The security token included in the request is invalid.'],
    'bad-signature': ['SignatureDoesNotMatch', 403, 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'],
    expired: ['ExpiredToken', 400, 'The security token included in the request is expired'],
    'invalid-token': ['InvalidClientTokenId', 403, 'The security token included in the request is invalid.'],
    skewed: ['SignatureDoesNotMatch', 403, 'Signature expired: the request time is too far from the server time.'],
  },
  json: {
    missing: ['MissingAuthenticationTokenException', 400, 'Missing Authentication Token'],
    'unknown-key': ['UnrecognizedClientException', 400, 'The security token included in the request is invalid.'],
    'bad-signature': ['InvalidSignatureException', 400, 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'],
    expired: ['ExpiredTokenException', 400, 'The security token included in the request is expired'],
    'invalid-token': ['UnrecognizedClientException', 400, 'The security token included in the request is invalid.'],
    skewed: ['InvalidSignatureException', 400, 'Signature expired: the request time is too far from the server time.'],
  },
  'rest-json': {
    missing: ['MissingAuthenticationTokenException', 403, 'Missing Authentication Token'],
    'unknown-key': ['UnrecognizedClientException', 403, 'The security token included in the request is invalid.'],
    'bad-signature': ['InvalidSignatureException', 403, 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'],
    expired: ['ExpiredTokenException', 403, 'The security token included in the request is expired'],
    'invalid-token': ['UnrecognizedClientException', 403, 'The security token included in the request is invalid.'],
    skewed: ['InvalidSignatureException', 403, 'Signature expired: the request time is too far from the server time.'],
  },
  'rest-xml': {
    missing: ['AccessDenied', 403, 'Access Denied'],
    'unknown-key': ['InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.'],
    'bad-signature': ['SignatureDoesNotMatch', 403, 'The request signature we calculated does not match the signature you provided. Check your key and signing method.'],
    expired: ['ExpiredToken', 400, 'The provided token has expired.'],
    'invalid-token': ['InvalidToken', 400, 'The provided token is malformed or otherwise invalid.'],
    skewed: ['RequestTimeTooSkewed', 403, 'The difference between the request time and the current time is too large.'],
  },
};

function authError(protocol: Protocol, failure: AuthFailure): AwsError {
  const [code, status, message] = AUTH_ERRORS[protocol][failure];
  return new AwsError(code, message, status);
}

function unknownOperation(protocol: Protocol): AwsError {
  if (protocol === 'json') return new AwsError('UnknownOperationException', '', 400);
  if (protocol === 'query') return new AwsError('InvalidAction', 'Could not find operation', 400);
  if (protocol === 'rest-xml') return new AwsError('NotImplemented', 'A header you provided implies functionality that is not implemented', 501);
  return new AwsError('UnknownOperationException', 'Unknown operation', 404);
}

function authenticate(state: SandboxState, request: IncomingRequest, signature: NonNullable<ReturnType<typeof parseSignature>>, protocol: Protocol): Caller {
  const user = state.users.get(signature.accessKeyId);
  const session = user ? undefined : state.sessions.get(signature.accessKeyId);
  if (!user && !session) throw authError(protocol, 'unknown-key');
  const secret = user ? user.secretAccessKey : session!.secretAccessKey;
  if (!signatureMatches(request, signature, secret)) throw authError(protocol, 'bad-signature');
  const now = state.now();
  if (session && signature.sessionToken === session.sessionToken && session.expiresAt <= now) throw authError(protocol, 'expired');
  const signedAt = parseAmzDate(signature.amzDate);
  if (signature.presigned) {
    if (!(signedAt + (signature.expiresSeconds ?? 900) * 1000 >= now)) throw new AwsError('AccessDenied', 'Request has expired', 403);
  } else if (!(Math.abs(now - signedAt) <= ALLOWED_CLOCK_SKEW_MS)) {
    throw authError(protocol, 'skewed');
  }
  if (user) {
    if (signature.sessionToken) throw authError(protocol, 'invalid-token');
    return state.callerForUser(user);
  }
  if (signature.sessionToken !== session!.sessionToken) throw authError(protocol, 'invalid-token');
  if (session!.expiresAt <= now) throw authError(protocol, 'expired');
  return state.callerForSession(session!);
}

function makeCall(state: SandboxState, service: ServiceDefinition, operation: string, caller: Caller, region: string, requestId: string, request: IncomingRequest): ServiceCall {
  const decide = (action: string, resource: string, options: AuthorizeOptions = {}) => {
    const forwarded = options.forwardedBy !== undefined;
    return evaluate(
      {
        action,
        resource,
        principal: { arn: caller.arn, accountId: caller.accountId, roleArn: caller.roleArn },
        resourceAccountId: options.resourceAccountId,
        context: { ...(forwarded ? forwardAccessContext(options.forwardedBy) : state.directContext(service.signingName)), ...options.context },
      },
      {
        ...caller.policies,
        resourcePolicy: options.resourcePolicy,
        resourcePolicyRequired: options.resourcePolicyRequired,
        vpcEndpointPolicies: forwarded ? [] : state.endpointPoliciesFor(service.signingName),
      },
    );
  };
  const call: ServiceCall = {
    operation,
    caller,
    region,
    requestId,
    request,
    state,
    isAuthorized: (action, resource, options) => decide(action, resource, options).allowed,
    decide,
    authorize(action, resources, options) {
      for (const resource of typeof resources === 'string' ? [resources] : resources) {
        const decision = decide(action, resource, options);
        if (!decision.allowed) {
          const standard = accessDeniedMessage(caller.arn, action, resource, decision.denial);
          const message = service.denialMessage ? service.denialMessage(call, action, resource, standard) : standard;
          throw new AwsError(service.accessDenied.code, message, service.accessDenied.status);
        }
      }
    },
  };
  return call;
}

/** Sends the headers and the first bytes of the body, then nothing more (the server's close() ends it). */
function stallBody(res: ServerResponse, response: SandboxResponse, bytes: number): void {
  const body = Buffer.from(response.body ?? '');
  res.writeHead(response.status, { 'content-length': String(body.byteLength), ...response.headers });
  res.write(body.subarray(0, Math.min(bytes, Math.max(0, body.byteLength - 1))));
}

/**
 * Injects the scenario's faults: 'handled' when the fault already answered (or will never answer),
 * else how the answer must be sent.
 */
async function applyFaults(state: SandboxState, service: ServiceDefinition, operation: string, res: ServerResponse): Promise<'handled' | { stallBodyAfterBytes?: number; hangAfterApplying?: boolean }> {
  let stallBodyAfterBytes: number | undefined;
  let hangAfterApplying = false;
  for (const fault of state.scenario.faults) {
    if (fault.service && fault.service !== service.signingName) continue;
    if (fault.operation && fault.operation !== operation) continue;
    const delay = (fault.latencyMs ?? 0) + (fault.jitterMs ? Math.floor(state.random() * fault.jitterMs) : 0);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    if (fault.hang) return 'handled';
    if (fault.resetProbability !== undefined && state.random() < fault.resetProbability) {
      res.socket?.resetAndDestroy?.();
      res.destroy();
      return 'handled';
    }
    const throttle = fault.throttle;
    if (throttle) {
      const overRate = throttle.ratePerSecond !== undefined && !state.takeRate(`fault:${service.signingName}:${operation}`, throttle.ratePerSecond);
      const unlucky = throttle.probability !== undefined && state.random() < throttle.probability;
      if (overRate || unlucky) throw new AwsError(service.throttling.code, service.throttling.message, service.throttling.status);
    }
    if (fault.serverErrorProbability !== undefined && state.random() < fault.serverErrorProbability) {
      throw new AwsError(service.serverError.code, service.serverError.message, service.serverError.status, { sender: false });
    }
    stallBodyAfterBytes ??= fault.stallBodyAfterBytes;
    hangAfterApplying ||= fault.hangAfterApplying === true;
  }
  return { stallBodyAfterBytes, hangAfterApplying };
}
