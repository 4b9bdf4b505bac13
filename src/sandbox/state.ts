// The live state of a sandbox: the scenario's data plus what requests change (sessions, objects,
// query executions, rate-limit windows). One instance per running sandbox; nothing global.
import { createHash } from 'node:crypto';
import { type CallerNetwork, directRequestContext } from '../iam/context.js';
import type { ConditionValue, PolicySet } from '../iam/evaluate.js';
import { DEFAULT_SOURCE_IP, type PolicyDocument, type Scenario, type ScenarioRole, type ScenarioUser } from './scenario.js';

/** The authenticated principal behind a request. */
export interface Caller {
  arn: string;
  accountId: string;
  userId: string;
  accessKeyId: string;
  /** For a role session: the role's ARN, which resource policies use to name its sessions. */
  roleArn?: string;
  policies: Omit<PolicySet, 'resourcePolicy' | 'resourcePolicyRequired'>;
}

export interface StoredObject {
  body: Buffer;
  etag: string;
  lastModified: Date;
  contentType?: string;
  sse?: { algorithm: 'AES256' | 'aws:kms' | 'aws:kms:dsse'; kmsKeyArn?: string };
}

export interface RoleSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiresAt: number;
  role: ScenarioRole;
  roleArn: string;
  sessionName: string;
  sessionPolicies: PolicyDocument[];
}

export interface QueryExecutionRecord {
  id: string;
  workgroup: string;
  query: string;
  state: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  stateChangeReason?: string;
  error?: { category: number; type: number; message: string };
  database?: string;
  catalog?: string;
  submittedAt: Date;
  completedAt?: Date;
  outputLocation?: string;
  encryption?: { option: string; kmsKey?: string };
  /** When a running query finishes (sandbox time); queries really take a moment. */
  finishesAt?: number;
  resultRows?: string[][];
  userArn?: string;
  /** Started through the sandbox's API (and so also a CloudTrail event). */
  startedInSandbox?: boolean;
}

export type Clock = () => number;

/** Small, seedable PRNG (mulberry32): fault injection must repeat given the scenario's seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Stable pseudo-ids derived from names, shaped like AWS's. */
export function stableId(prefix: string, name: string, length = 17): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const digest = createHash('sha256').update(name).digest();
  let out = prefix;
  for (let i = 0; out.length < prefix.length + length; i++) out += alphabet[digest[i % digest.length]! % alphabet.length];
  return out;
}

export class SandboxState {
  readonly random: () => number;
  readonly users = new Map<string, ScenarioUser>();
  readonly sessions = new Map<string, RoleSession>();
  readonly objects = new Map<string, Map<string, StoredObject>>();
  readonly queryExecutions = new Map<string, QueryExecutionRecord>();
  readonly multipartUploads = new Map<string, { bucket: string; key: string }>();
  /** Request timestamps per rate-limited bucket key (e.g. CloudTrail per account and region). */
  readonly rateWindows = new Map<string, number[]>();
  private counter = 0;

  constructor(
    readonly scenario: Scenario,
    readonly now: Clock = Date.now,
  ) {
    this.random = seededRandom(scenario.seed);
    for (const user of scenario.users) this.users.set(user.accessKeyId, user);
    for (const bucket of scenario.s3.buckets) {
      const objects = new Map<string, StoredObject>();
      for (const object of bucket.objects) {
        const body = Buffer.from(object.body);
        objects.set(object.key, { body, etag: etagOf(body), lastModified: new Date(this.now()) });
      }
      this.objects.set(bucket.name, objects);
    }
    for (const execution of scenario.athena.queryExecutions) {
      const workgroup = scenario.athena.workgroups.find((w) => w.name === execution.workgroup);
      const submittedAt = new Date(execution.submittedAt);
      this.queryExecutions.set(execution.id, {
        id: execution.id,
        workgroup: execution.workgroup,
        query: execution.query,
        state: execution.state,
        database: execution.database,
        catalog: 'AwsDataCatalog',
        submittedAt,
        completedAt: execution.state === 'SUCCEEDED' || execution.state === 'FAILED' ? new Date(submittedAt.getTime() + 1200) : undefined,
        outputLocation: workgroup?.outputLocation ? `${workgroup.outputLocation.replace(/\/?$/, '/')}${execution.id}.csv` : undefined,
        userArn: execution.userArn,
      });
    }
  }

  /** A unique id; deterministic for a given scenario and request order. */
  nextId(): string {
    this.counter += 1;
    const rand = Math.floor(this.random() * 0xffffffff).toString(16).padStart(8, '0');
    const count = this.counter.toString(16).padStart(12, '0');
    return `${rand}-${count.slice(0, 4)}-4${count.slice(4, 7)}-8${count.slice(7, 10)}-${rand}${count.slice(8, 12)}`;
  }

  get accountId(): string {
    return this.scenario.accountId;
  }

  get region(): string {
    return this.scenario.region;
  }

  userArn(user: ScenarioUser): string {
    return `arn:aws:iam::${user.accountId ?? this.accountId}:user/${user.name}`;
  }

  roleArn(role: ScenarioRole): string {
    return `arn:aws:iam::${role.accountId ?? this.accountId}:role/${role.name}`;
  }

  findRoleByArn(arn: string): ScenarioRole | undefined {
    return this.scenario.roles.find((role) => this.roleArn(role) === arn);
  }

  /** SCPs apply to principals of the scenario's own account (the organisation member). */
  scpsFor(accountId: string): PolicyDocument[] {
    return accountId === this.accountId ? this.scenario.serviceControlPolicies : [];
  }

  callerForUser(user: ScenarioUser): Caller {
    const accountId = user.accountId ?? this.accountId;
    return {
      arn: this.userArn(user),
      accountId,
      userId: stableId('AIDA', this.userArn(user)),
      accessKeyId: user.accessKeyId,
      policies: {
        identity: user.policies,
        permissionsBoundary: user.permissionsBoundary,
        serviceControlPolicies: this.scpsFor(accountId),
      },
    };
  }

  callerForSession(session: RoleSession): Caller {
    const accountId = session.role.accountId ?? this.accountId;
    return {
      arn: `arn:aws:sts::${accountId}:assumed-role/${session.role.name}/${session.sessionName}`,
      accountId,
      userId: `${stableId('AROA', session.roleArn)}:${session.sessionName}`,
      accessKeyId: session.accessKeyId,
      roleArn: session.roleArn,
      policies: {
        identity: session.role.policies,
        permissionsBoundary: session.role.permissionsBoundary,
        serviceControlPolicies: this.scpsFor(accountId),
        sessionPolicies: session.sessionPolicies,
      },
    };
  }

  /**
   * Where a principal's own request to a service comes from: S3 through the scenario's gateway
   * endpoint when it has one, every other service (and S3 without one) from the public address.
   */
  networkFor(service: string): CallerNetwork {
    const network = this.scenario.network;
    const sourceIp = network?.sourceIp ?? DEFAULT_SOURCE_IP;
    if (service === 's3' && network?.sourceVpce) return { sourceVpce: network.sourceVpce, sourceVpc: network.sourceVpc, vpcSourceIp: network.vpcSourceIp };
    return { sourceIp };
  }

  /** The condition keys of a principal's own request to a service (network, aws:ViaAWSService false). */
  directContext(service: string): Record<string, ConditionValue> {
    return directRequestContext(this.networkFor(service));
  }

  /** The VPC endpoint policy a principal's own request to a service passes: the S3 gateway endpoint's. */
  endpointPoliciesFor(service: string): PolicyDocument[] {
    const network = this.scenario.network;
    if (service !== 's3' || !network?.sourceVpce) return [];
    // An endpoint without a policy of its own has the default one, which allows everything.
    return [network.vpcEndpointPolicy ?? { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] }];
  }

  /** Counts a request against a sliding one-second window; false when over the rate. */
  takeRate(key: string, ratePerSecond: number): boolean {
    const now = this.now();
    const window = (this.rateWindows.get(key) ?? []).filter((t) => now - t < 1000);
    if (window.length >= ratePerSecond) {
      this.rateWindows.set(key, window);
      return false;
    }
    window.push(now);
    this.rateWindows.set(key, window);
    return true;
  }
}

export function etagOf(body: Buffer): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}
