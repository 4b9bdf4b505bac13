// Verifies AWS Signature Version 4 the way AWS does: rebuild the canonical request from what
// arrived, derive the signing key from the secret we hold, compare in constant time.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingRequest } from './types.js';

export interface SignatureParts {
  accessKeyId: string;
  date: string; // yyyymmdd
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string; // yyyymmddThhmmssZ
  sessionToken?: string;
  presigned: boolean;
  expiresSeconds?: number;
}

export class SignatureFormatError extends Error {}

const AUTH_PATTERN = /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})\s*$/;

/** Reads the signature from the Authorization header or from a presigned URL; undefined when unsigned. */
export function parseSignature(request: IncomingRequest): SignatureParts | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.length > 0) {
    const match = AUTH_PATTERN.exec(header);
    if (!match) throw new SignatureFormatError('Authorization header requires Credential, SignedHeaders and Signature parameters.');
    const amzDate = headerValue(request, 'x-amz-date');
    if (!amzDate) throw new SignatureFormatError('Authorization header requires existence of either a X-Amz-Date or a Date header.');
    return {
      accessKeyId: match[1]!,
      date: match[2]!,
      region: match[3]!,
      service: match[4]!,
      signedHeaders: match[5]!.split(';'),
      signature: match[6]!,
      amzDate,
      sessionToken: headerValue(request, 'x-amz-security-token'),
      presigned: false,
    };
  }
  const credential = request.query.get('X-Amz-Credential');
  if (request.query.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256' && credential) {
    const [accessKeyId, date, region, service, terminator] = credential.split('/');
    const signature = request.query.get('X-Amz-Signature') ?? '';
    const amzDate = request.query.get('X-Amz-Date') ?? '';
    if (!accessKeyId || !date || !region || !service || terminator !== 'aws4_request' || !/^[0-9a-f]{64}$/.test(signature) || !amzDate) {
      throw new SignatureFormatError('Query-string authentication requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.');
    }
    return {
      accessKeyId,
      date,
      region,
      service,
      signedHeaders: (request.query.get('X-Amz-SignedHeaders') ?? 'host').split(';'),
      signature,
      amzDate,
      sessionToken: request.query.get('X-Amz-Security-Token') ?? undefined,
      presigned: true,
      expiresSeconds: Number(request.query.get('X-Amz-Expires') ?? '900'),
    };
  }
  return undefined;
}

function headerValue(request: IncomingRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters. */
export function awsUriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalPath(request: IncomingRequest, service: string): string {
  if (service === 's3') return request.rawPath || '/';
  // Other services sign the already-encoded path encoded once more.
  return (request.rawPath || '/').split('/').map(awsUriEncode).join('/');
}

function canonicalQuery(request: IncomingRequest, presigned: boolean): string {
  const pairs: Array<[string, string]> = [];
  for (const [key, value] of request.query) {
    if (presigned && key === 'X-Amz-Signature') continue;
    pairs.push([awsUriEncode(key), awsUriEncode(value)]);
  }
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([key, value]) => `${key}=${value}`).join('&');
}

function payloadHash(request: IncomingRequest, parts: SignatureParts): string {
  const declared = headerValue(request, 'x-amz-content-sha256');
  if (declared) return declared;
  if (parts.presigned && parts.service === 's3') return 'UNSIGNED-PAYLOAD';
  return sha256Hex(request.body);
}

export function canonicalRequest(request: IncomingRequest, parts: SignatureParts): string {
  const headers = parts.signedHeaders
    .map((name) => `${name}:${(headerValue(request, name) ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  return [
    request.method,
    canonicalPath(request, parts.service),
    canonicalQuery(request, parts.presigned),
    headers,
    parts.signedHeaders.join(';'),
    payloadHash(request, parts),
  ].join('\n');
}

const signingKeys = new Map<string, Buffer>();

function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const cacheKey = `${secret}\n${date}\n${region}\n${service}`;
  let key = signingKeys.get(cacheKey);
  if (!key) {
    const kDate = createHmac('sha256', `AWS4${secret}`).update(date).digest();
    const kRegion = createHmac('sha256', kDate).update(region).digest();
    const kService = createHmac('sha256', kRegion).update(service).digest();
    key = createHmac('sha256', kService).update('aws4_request').digest();
    if (signingKeys.size > 10_000) signingKeys.clear();
    signingKeys.set(cacheKey, key);
  }
  return key;
}

export function computeSignature(request: IncomingRequest, parts: SignatureParts, secret: string): string {
  const scope = `${parts.date}/${parts.region}/${parts.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', parts.amzDate, scope, sha256Hex(canonicalRequest(request, parts))].join('\n');
  return createHmac('sha256', signingKey(secret, parts.date, parts.region, parts.service)).update(stringToSign).digest('hex');
}

export function signatureMatches(request: IncomingRequest, parts: SignatureParts, secret: string): boolean {
  const expected = Buffer.from(computeSignature(request, parts, secret), 'hex');
  const given = Buffer.from(parts.signature, 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Milliseconds since epoch of an x-amz-date value, or NaN. */
export function parseAmzDate(amzDate: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m) return Number.NaN;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}
