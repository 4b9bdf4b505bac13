// A scenario is data: one simulated AWS account (plus any outside principals) with its IAM,
// catalog, workgroups, buckets, keys, Lake Formation settings and faults (its schema:
// scenario-schema.ts). Files are validated on load so that a typo is refused with the field it is
// in, not discovered mid-test.
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Compile } from 'typebox/compile';
import { type Scenario, ScenarioSchema } from './scenario-schema.js';

// The sandbox reads scenarios through this module: their types are the schema's.
export * from './scenario-schema.js';

/** Where a scenario without a network section calls from: a public address (TEST-NET-3, RFC 5737). */
export const DEFAULT_SOURCE_IP = '203.0.113.10';

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

const checker = Compile(ScenarioSchema);

/**
 * The built-in scenarios: beside this module (its source, tsc's output, the sandbox's own bundle
 * dist/sandbox/main.js), or, from the CLI's bundle, where this module is in a chunk (dist/chunks/),
 * in dist/sandbox/ beside it.
 */
const SCENARIO_DIRS = ['scenarios', '../sandbox/scenarios'].map((path) => join(dirname(fileURLToPath(import.meta.url)), path));
export const BUILT_IN_SCENARIO_DIR = SCENARIO_DIRS.find((dir) => existsSync(dir)) ?? SCENARIO_DIRS[0]!;

export function listBuiltInScenarios(): string[] {
  return readdirSync(BUILT_IN_SCENARIO_DIR)
    .filter((file) => file.endsWith('.json') && !file.startsWith('_'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

/** Validates raw scenario data, applying defaults; throws ScenarioError naming every bad field. */
export function parseScenario(raw: unknown, source = 'scenario'): Scenario {
  const data = resolveExtends(raw, source, new Set());
  const withDefaults = checker.Default(structuredClone(data)) as unknown;
  if (!checker.Check(withDefaults)) {
    const problems = [...checker.Errors(withDefaults)]
      .slice(0, 10)
      .map((error) => `${error.instancePath || '/'}: ${error.message}`);
    throw new ScenarioError(`${source} is not a valid scenario:\n  ${problems.join('\n  ')}`);
  }
  const scenario = withDefaults as Scenario;
  checkReferences(scenario, source);
  return scenario;
}

/** Loads a built-in scenario by name, or a JSON file by path. */
export function loadScenario(nameOrFile: string): Scenario {
  const builtIn = join(BUILT_IN_SCENARIO_DIR, `${nameOrFile}.json`);
  const file = /^[a-z0-9-]+$/.test(nameOrFile) && existsSync(builtIn) ? builtIn : resolve(nameOrFile);
  if (!existsSync(file)) {
    throw new ScenarioError(`no built-in scenario or file named "${nameOrFile}" (built-in: ${listBuiltInScenarios().join(', ')})`);
  }
  return parseScenario(readJson(file), file);
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ScenarioError(`${file}: ${(error as Error).message}`);
  }
}

function resolveExtends(raw: unknown, source: string, seen: Set<string>): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ScenarioError(`${source}: a scenario must be a JSON object`);
  }
  const record = raw as Record<string, unknown>;
  const baseName = record.extends;
  if (baseName === undefined) return raw;
  if (typeof baseName !== 'string' || !/^_?[a-z0-9-]+$/.test(baseName)) {
    throw new ScenarioError(`${source}: /extends must name a built-in scenario`);
  }
  if (seen.has(baseName)) throw new ScenarioError(`${source}: /extends forms a cycle through "${baseName}"`);
  seen.add(baseName);
  const baseFile = join(BUILT_IN_SCENARIO_DIR, `${baseName}.json`);
  if (!existsSync(baseFile)) throw new ScenarioError(`${source}: /extends names "${baseName}", which is not a built-in scenario`);
  const base = resolveExtends(readJson(baseFile), baseFile, seen) as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(record)) {
    if (key === 'extends') continue;
    const baseValue = base[key];
    // Service sections merge one level deep so a scenario can change workgroups and keep the catalog.
    merged[key] = isPlainObject(value) && isPlainObject(baseValue) ? { ...baseValue, ...value } : value;
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkReferences(scenario: Scenario, source: string): void {
  const fail = (path: string, message: string) => {
    throw new ScenarioError(`${source} is not a valid scenario:\n  ${path}: ${message}`);
  };
  const keyIds = new Set<string>();
  scenario.users.forEach((user, index) => {
    if (keyIds.has(user.accessKeyId)) fail(`/users/${index}/accessKeyId`, `duplicate access key id ${user.accessKeyId}`);
    keyIds.add(user.accessKeyId);
  });
  const names = new Set<string>();
  scenario.roles.forEach((role, index) => {
    if (names.has(role.name)) fail(`/roles/${index}/name`, `duplicate role name ${role.name}`);
    names.add(role.name);
  });
  const kmsIds = new Set(scenario.kms.keys.flatMap((key) => [key.id, key.alias].filter(Boolean) as string[]));
  const knowsKey = (ref: string) => kmsIds.has(ref) || kmsIds.has(ref.replace(/^arn:aws:kms:[^:]+:\d{12}:/, '').replace(/^key\//, ''));
  scenario.s3.buckets.forEach((bucket, index) => {
    const keyId = bucket.encryption?.kmsKeyId;
    if (keyId && !knowsKey(keyId)) fail(`/s3/buckets/${index}/encryption/kmsKeyId`, `no KMS key ${keyId} in /kms/keys`);
  });
  scenario.athena.workgroups.forEach((workgroup, index) => {
    const keyId = workgroup.encryption?.kmsKey;
    if (keyId && !knowsKey(keyId)) fail(`/athena/workgroups/${index}/encryption/kmsKey`, `no KMS key ${keyId} in /kms/keys`);
    if (workgroup.managedQueryResults && workgroup.outputLocation) {
      fail(`/athena/workgroups/${index}/outputLocation`, 'a workgroup with managed query results has no output location');
    }
  });
  scenario.glue.databases.forEach((database, d) => {
    database.tables.forEach((table, t) => {
      table.partitions.forEach((values, p) => {
        if (values.length !== table.partitionKeys.length) {
          fail(`/glue/databases/${d}/tables/${t}/partitions/${p}`, `has ${values.length} values for ${table.partitionKeys.length} partition keys`);
        }
      });
    });
  });
  const catalogNames = new Set<string>();
  scenario.glue.catalogs.forEach((catalog, index) => {
    if (catalogNames.has(catalog.name)) fail(`/glue/catalogs/${index}/name`, `duplicate catalog ${catalog.name}`);
    catalogNames.add(catalog.name);
  });
  const accounts = new Set<string>();
  scenario.otherAccounts.forEach((other, index) => {
    if (other.accountId === scenario.accountId || accounts.has(other.accountId)) fail(`/otherAccounts/${index}/accountId`, `duplicate account ${other.accountId}`);
    accounts.add(other.accountId);
    other.lakeFormationShares.forEach((share, s) => {
      if (!other.glue.databases.some((database) => database.name === share.database)) {
        fail(`/otherAccounts/${index}/lakeFormationShares/${s}/database`, `no database ${share.database} in account ${other.accountId}`);
      }
    });
  });
  const network = scenario.network;
  if (network && !network.sourceVpce) {
    for (const field of ['sourceVpc', 'vpcSourceIp', 'vpcEndpointPolicy'] as const) {
      if (network[field] !== undefined) fail(`/network/${field}`, 'describes a VPC endpoint: give its sourceVpce too');
    }
  }
  const catalogEncryption = scenario.glue.catalogEncryption;
  if (catalogEncryption?.mode && !catalogEncryption.kmsKeyId) fail('/glue/catalogEncryption/mode', 'needs the kmsKeyId it encrypts with');
  if ((catalogEncryption?.mode === 'SSE-KMS-WITH-SERVICE-ROLE') !== (catalogEncryption?.serviceRole !== undefined)) {
    fail('/glue/catalogEncryption/serviceRole', 'is given with mode SSE-KMS-WITH-SERVICE-ROLE, and only then');
  }
  const sample = scenario.sample?.credentials.split(':');
  if (sample) {
    const [kind, name] = sample;
    const known = kind === 'user' ? scenario.users.some((u) => u.name === name) : scenario.roles.some((r) => r.name === name);
    if (!known) fail('/sample/credentials', `no ${kind} named ${name}`);
    if (kind === 'role' && !scenario.users.some((u) => u.serviceIdentity)) fail('/sample/credentials', 'a role sample needs a user with serviceIdentity: true to assume it');
  }
  scenario.athena.queryExecutions.forEach((execution, index) => {
    if (!scenario.athena.workgroups.some((workgroup) => workgroup.name === execution.workgroup)) {
      fail(`/athena/queryExecutions/${index}/workgroup`, `no workgroup named ${execution.workgroup}`);
    }
  });
}
