// STS over awsQuery (form-encoded request, XML response).
import { randomBytes } from 'node:crypto';
import { toXml } from '../protocols.js';
import type { PolicyDocument } from '../scenario.js';
import { stableId } from '../state.js';
import { AwsError, type IncomingRequest, type ServiceCall, type ServiceDefinition } from '../types.js';

const OPERATIONS = ['GetCallerIdentity', 'AssumeRole'] as const;
type Operation = (typeof OPERATIONS)[number];

function params(request: IncomingRequest): URLSearchParams {
  const form = request.method === 'POST' ? new URLSearchParams(request.body.toString('utf8')) : new URLSearchParams();
  for (const [key, value] of request.query) if (!form.has(key)) form.set(key, value);
  return form;
}

function respond(call: ServiceCall, result: Record<string, unknown>) {
  const op = call.operation;
  return {
    status: 200,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': call.requestId },
    body: `<${op}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <${op}Result>${toXml(result)}</${op}Result>\n  <ResponseMetadata><RequestId>${call.requestId}</RequestId></ResponseMetadata>\n</${op}Response>\n`,
  };
}

function validation(message: string): AwsError {
  return new AwsError('ValidationError', message, 400);
}

function getCallerIdentity(call: ServiceCall) {
  // Needs no permission: even an explicit deny on sts:GetCallerIdentity does not stop it.
  return respond(call, { Arn: call.caller.arn, UserId: call.caller.userId, Account: call.caller.accountId });
}

function assumeRole(call: ServiceCall) {
  const input = params(call.request);
  const roleArn = input.get('RoleArn');
  const sessionName = input.get('RoleSessionName');
  const externalId = input.get('ExternalId') ?? undefined;
  if (!roleArn || roleArn.length < 20) throw validation("1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
  if (!sessionName) throw validation("1 validation error detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null");
  if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
    throw validation(`1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
  }
  if (externalId !== undefined && !/^[\w+=,.@:/-]{2,1224}$/.test(externalId)) {
    throw validation("1 validation error detected: Value at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*");
  }
  const state = call.state;
  const role = state.findRoleByArn(roleArn);
  const durationText = input.get('DurationSeconds');
  const duration = durationText === null ? 3600 : Number(durationText);
  const maxDuration = role?.maxSessionDurationSeconds ?? 3600;
  if (!Number.isInteger(duration) || duration < 900) {
    throw validation(`1 validation error detected: Value '${durationText}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`);
  }
  if (duration > maxDuration) {
    throw validation(`The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`);
  }
  let sessionPolicies: PolicyDocument[] = [];
  const policyText = input.get('Policy');
  if (policyText) {
    try {
      sessionPolicies = [JSON.parse(policyText) as PolicyDocument];
    } catch {
      throw new AwsError('MalformedPolicyDocument', 'The policy is not in the valid JSON format.', 400);
    }
  }
  // A missing role, an untrusted caller and a wrong external ID all look the same from outside.
  const denied = () =>
    new AwsError('AccessDenied', `User: ${call.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
  if (!role) throw denied();
  const allowed = call.isAuthorized('sts:AssumeRole', roleArn, {
    resourcePolicy: role.trustPolicy,
    resourcePolicyRequired: true,
    resourceAccountId: role.accountId ?? state.accountId,
    context: { 'sts:ExternalId': externalId, 'sts:RoleSessionName': sessionName },
  });
  if (!allowed) throw denied();

  const accessKeyId = stableId('ASIA', randomBytes(16).toString('hex'), 16);
  const secretAccessKey = randomBytes(30).toString('base64');
  const sessionToken = `FwoGZXIvYXdzE${randomBytes(96).toString('base64')}`;
  const expiresAt = state.now() + duration * 1000;
  state.sessions.set(accessKeyId, { accessKeyId, secretAccessKey, sessionToken, expiresAt, role, roleArn, sessionName, sessionPolicies });
  const accountId = role.accountId ?? state.accountId;
  return respond(call, {
    AssumedRoleUser: {
      Arn: `arn:aws:sts::${accountId}:assumed-role/${role.name}/${sessionName}`,
      AssumedRoleId: `${stableId('AROA', roleArn)}:${sessionName}`,
    },
    Credentials: {
      AccessKeyId: accessKeyId,
      SecretAccessKey: secretAccessKey,
      SessionToken: sessionToken,
      Expiration: new Date(expiresAt).toISOString(),
    },
    PackedPolicySize: policyText ? 6 : undefined,
  });
}

export const sts: ServiceDefinition = {
  signingName: 'sts',
  protocol: 'query',
  accessDenied: { code: 'AccessDenied', status: 403 },
  throttling: { code: 'Throttling', status: 400, message: 'Rate exceeded' },
  serverError: { code: 'ServiceUnavailable', status: 503, message: 'Service is unavailable. Please try again later.' },
  resolveOperation(request) {
    const action = params(request).get('Action');
    return OPERATIONS.includes(action as Operation) ? (action as Operation) : undefined;
  },
  handle(call) {
    return call.operation === 'AssumeRole' ? assumeRole(call) : getCallerIdentity(call);
  },
};
