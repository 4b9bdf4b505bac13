// AWS's API models as botocore ships them (data/<service>/<version>/service-2.json, gzipped in
// recent releases): the shapes every AWS SDK is generated from. A value is checked against an
// operation's input shape as the service would read it: required members, no unknown member,
// each member's type, enum, length, range and pattern. botocore itself validates less (no enum,
// no max, no pattern), which is why this walks the model rather than asking it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

interface Shape {
  type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'double' | 'float' | 'boolean' | 'timestamp' | 'blob';
  members?: Record<string, { shape: string }>;
  required?: string[];
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
}

export interface ServiceModel {
  metadata: { apiVersion: string; serviceId: string };
  operations: Record<string, { input?: { shape: string } }>;
  shapes: Record<string, Shape>;
}

/** botocore's data folder, from the Python that has it (the AWS CLI's). */
function botocoreData(): string {
  const found = spawnSync('python3', ['-c', 'import botocore, os; print(os.path.join(os.path.dirname(botocore.__file__), "data"))'], { encoding: 'utf8' });
  const dir = found.stdout?.trim();
  if (found.status !== 0 || !dir || !existsSync(dir)) {
    throw new Error("these tests read AWS's API models from botocore: install the AWS CLI v1 or botocore for python3 (Debian's python3-botocore, or pip install botocore)");
  }
  return dir;
}

/** The newest model of a service (its API versions are dated folders). */
export function loadServiceModel(service: string): ServiceModel {
  const root = join(botocoreData(), service);
  const version = readdirSync(root).filter((name) => /^\d{4}-\d{2}-\d{2}$/.test(name)).sort().at(-1);
  if (!version) throw new Error(`botocore has no model of ${service}`);
  const gz = join(root, version, 'service-2.json.gz');
  const text = existsSync(gz) ? gunzipSync(readFileSync(gz)).toString('utf8') : readFileSync(join(root, version, 'service-2.json'), 'utf8');
  return JSON.parse(text) as ServiceModel;
}

/** Every problem of `value` as the input of `operation`, each naming its path; none when valid. */
export function inputProblems(model: ServiceModel, operation: string, value: unknown): string[] {
  const input = model.operations[operation]?.input?.shape;
  if (!input) throw new Error(`${model.metadata.serviceId} has no operation ${operation}`);
  const problems: string[] = [];
  const check = (shapeName: string, item: unknown, path: string): void => {
    const shape = model.shapes[shapeName]!;
    const fail = (why: string) => problems.push(`${path || '/'}: ${why} (${shapeName})`);
    switch (shape.type) {
      case 'structure': {
        if (!item || typeof item !== 'object' || Array.isArray(item)) return void fail('must be an object');
        const record = item as Record<string, unknown>;
        for (const name of shape.required ?? []) if (record[name] === undefined) fail(`missing required member ${name}`);
        for (const [name, member] of Object.entries(record)) {
          const definition = shape.members?.[name];
          if (!definition) fail(`unknown member ${name}`);
          else check(definition.shape, member, `${path}/${name}`);
        }
        return;
      }
      case 'list':
        if (!Array.isArray(item)) return void fail('must be a list');
        if (shape.min !== undefined && item.length < shape.min) fail(`at least ${shape.min} items`);
        if (shape.max !== undefined && item.length > shape.max) fail(`at most ${shape.max} items`);
        item.forEach((element, i) => check(shape.member!.shape, element, `${path}/${i}`));
        return;
      case 'map':
        if (!item || typeof item !== 'object' || Array.isArray(item)) return void fail('must be a map');
        for (const [key, element] of Object.entries(item)) {
          check(shape.key!.shape, key, `${path}/${key} (key)`);
          check(shape.value!.shape, element, `${path}/${key}`);
        }
        return;
      case 'string':
        if (typeof item !== 'string') return void fail('must be a string');
        if (shape.enum && !shape.enum.includes(item)) fail(`"${item}" is not one of ${shape.enum.join(', ')}`);
        if (shape.min !== undefined && item.length < shape.min) fail(`at least ${shape.min} characters`);
        if (shape.max !== undefined && item.length > shape.max) fail(`at most ${shape.max} characters`);
        if (shape.pattern && !new RegExp(`^(?:${shape.pattern})$`, 'u').test(item)) fail(`does not match ${shape.pattern}`);
        return;
      case 'integer':
      case 'long':
        if (!Number.isInteger(item)) return void fail('must be an integer');
        if (shape.min !== undefined && (item as number) < shape.min) fail(`at least ${shape.min}`);
        if (shape.max !== undefined && (item as number) > shape.max) fail(`at most ${shape.max}`);
        return;
      case 'double':
      case 'float':
        if (typeof item !== 'number') fail('must be a number');
        return;
      case 'boolean':
        if (typeof item !== 'boolean') fail('must be a boolean');
        return;
      default:
        fail(`a ${shape.type} member, which these files never use`);
    }
  };
  check(input, value, '');
  return problems;
}
