import type { IncomingHttpHeaders } from 'node:http';
import type { ConditionValue, Decision } from '../iam/evaluate.js';
import type { PolicyDocument } from './scenario.js';
import type { Caller, SandboxState } from './state.js';

// The state makes callers (from its users and role sessions): it declares what one is.
export type { Caller };

export type Protocol = 'query' | 'json' | 'rest-xml' | 'rest-json';


export interface IncomingRequest {
  method: string;
  /** Path as sent, still percent-encoded. */
  rawPath: string;
  /** Decoded path. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  host: string;
}

export interface SandboxResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** An error in AWS's terms; the protocol layer renders it in the service's wire format. */
export class AwsError extends Error {
  override name = 'AwsError';
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly options: { headers?: Record<string, string>; sender?: boolean; fields?: Record<string, string> } = {},
  ) {
    super(message);
  }
}

export interface AuthorizeOptions {
  resourcePolicy?: PolicyDocument;
  resourcePolicyRequired?: boolean;
  resourceAccountId?: string;
  /** The request's own condition keys (s3:prefix, kms:ViaService, ...), beyond who and where. */
  context?: Record<string, ConditionValue>;
  /**
   * Set when a service makes the request with the caller's rights (a forward access session): the
   * services that record themselves in aws:CalledVia, first to last (Athena), or none (S3 calling
   * KMS). Such a request carries none of the caller's network keys and passes no VPC endpoint.
   * Absent: the caller's own request, from its network (Scenario.network).
   */
  forwardedBy?: readonly string[];
}

export interface ServiceCall {
  operation: string;
  caller: Caller;
  region: string;
  requestId: string;
  request: IncomingRequest;
  state: SandboxState;
  /** Throws the service's access-denied error unless the caller may perform the action on every resource. */
  authorize(action: string, resources: string | readonly string[], options?: AuthorizeOptions): void;
  /** The same decision without throwing: for checks that fail silently in AWS (Lake Formation filtering). */
  isAuthorized(action: string, resource: string, options?: AuthorizeOptions): boolean;
  /** The decision itself, for a service that words another service's refusal (Athena relaying S3's and Glue's). */
  decide(action: string, resource: string, options?: AuthorizeOptions): Decision;
}

export interface ServiceDefinition {
  /** SigV4 signing name, e.g. "glue"; the router picks the service by the credential scope. */
  signingName: string;
  protocol: Protocol;
  /** Error code and status for an access denial in this service. */
  accessDenied: { code: string; status: number };
  throttling: { code: string; status: number; message: string };
  serverError: { code: string; status: number; message: string };
  /** The operation a request names, or undefined when the sandbox does not know it. */
  resolveOperation(request: IncomingRequest): string | undefined;
  handle(call: ServiceCall): SandboxResponse | Promise<SandboxResponse>;
  /** Shapes an access-denied message for the service (default: IAM's current format). */
  denialMessage?(call: ServiceCall, action: string, resource: string, defaultMessage: string): string;
}
