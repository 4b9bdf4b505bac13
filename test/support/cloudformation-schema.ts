// A CloudFormation template checked against the schemas CloudFormation and cfn-lint use (vendored
// in cloudformation-schema/, see its README), for the resource types the project writes: the
// template's sections, its parameters and outputs, each resource's properties against its type's
// registry schema (required, types, lengths, patterns, no unknown or read-only property), and every
// IAM policy document against cfn-lint's policy schemas (identity or trust). Intrinsic functions are
// resolved first, as a stack created with the parameters' defaults would see them; a reference to
// anything the template does not declare is itself a problem.
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

const DIR = new URL('./cloudformation-schema/', import.meta.url);
const load = (file: string) => JSON.parse(readFileSync(new URL(file, DIR), 'utf8'));

type PolicyKind = 'identity' | 'trust';
type PolicyPlaces = (properties: any) => ReadonlyArray<readonly [path: string, document: unknown, kind: PolicyKind]>;

/** The resource types whose schemas are vendored, and where policy documents sit in each. */
const RESOURCE_TYPES: Record<'AWS::IAM::Role' | 'AWS::IAM::ManagedPolicy' | 'AWS::IAM::Policy', { file: string; policies: PolicyPlaces }> = {
  'AWS::IAM::Role': { file: 'aws-iam-role.json', policies: (p: any) => [['AssumeRolePolicyDocument', p.AssumeRolePolicyDocument, 'trust'] as const, ...(p.Policies ?? []).map((policy: any, i: number) => [`Policies/${i}/PolicyDocument`, policy.PolicyDocument, 'identity'] as const)] },
  'AWS::IAM::ManagedPolicy': { file: 'aws-iam-managedpolicy.json', policies: (p: any) => [['PolicyDocument', p.PolicyDocument, 'identity'] as const] },
  'AWS::IAM::Policy': { file: 'aws-iam-policy.json', policies: (p: any) => [['PolicyDocument', p.PolicyDocument, 'identity'] as const] },
};
export type ResourceType = keyof typeof RESOURCE_TYPES;

/** YAML 1.1's date, which cfn-lint allows for AWSTemplateFormatVersion, is no JSON Schema type: a JSON template has none. */
function withoutDateType(schema: any): any {
  if (Array.isArray(schema)) return schema.map(withoutDateType);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, key === 'type' && Array.isArray(value) ? value.filter((t) => t !== 'date') : withoutDateType(value)]));
}

function compiler(): Ajv {
  // Not strict: the schemas carry the registry's and cfn-lint's own keywords (readOnlyProperties,
  // insertionOrder, cfnLint, tagging…), which say nothing about validity; formats such as
  // "AWS::IAM::Role.Arn" are cfn-lint's. The two keywords that do constrain are implemented here.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addKeyword({
    keyword: 'requiredXor',
    type: 'object',
    errors: false,
    validate: (names: string[], data: Record<string, unknown>) => names.filter((name) => Object.hasOwn(data, name)).length === 1,
  });
  ajv.addKeyword({
    keyword: 'uniqueKeys',
    type: 'array',
    errors: false,
    validate: (keys: string[], data: unknown[]) =>
      keys.every((key) => {
        const values = data.map((item) => (item && typeof item === 'object' ? (item as Record<string, unknown>)[key] : undefined)).filter((v) => v !== undefined);
        return new Set(values.map((v) => JSON.stringify(v))).size === values.length;
      }),
  });
  return ajv;
}

const ajv = compiler();
ajv.addSchema(load('iam-policy.json'));
const SECTIONS = ajv.compile(withoutDateType(load('template.json')));
const PARAMETERS = ajv.compile(load('parameters.json'));
const OUTPUTS = ajv.compile(load('outputs.json'));
const POLICIES: Record<PolicyKind, ValidateFunction> = { identity: ajv.compile(load('iam-policy-identity.json')), trust: ajv.compile(load('iam-policy-trust.json')) };
const RESOURCES = new Map<string, { schema: any; validate: ValidateFunction }>(
  Object.entries(RESOURCE_TYPES).map(([type, { file }]) => {
    // $schema names the registry's meta-schema (provider.definition.schema.v1.json), not vendored.
    const { $schema: _metaSchema, ...schema } = load(file);
    if (schema.typeName !== type) throw new Error(`${file} is the schema of ${schema.typeName}, not ${type}`);
    return [type, { schema, validate: ajv.compile(schema) }];
  }),
);

const PSEUDO: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::AccountId': '111122223333', 'AWS::Region': 'eu-west-1', 'AWS::StackName': 'preflight', 'AWS::URLSuffix': 'amazonaws.com', 'AWS::NoValue': '' };

const problems = (where: string, errors: ErrorObject[] | null | undefined) => (errors ?? []).map((e) => `${where}${e.instancePath}: ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${e.params.additionalProperty})` : ''}`);

/**
 * Every problem found in the template, each naming where it is; none for a valid template.
 * Parameters take `values` (as `--parameter-overrides` gives them), else their defaults.
 */
export function lintTemplate(template: any, values: Record<string, string> = {}): string[] {
  return check(template, values).found;
}

/** The template's resources with every intrinsic function resolved (parameters from `values`, else defaults); throws on a problem. */
export function resolvedResources(template: any, values: Record<string, string> = {}): Record<string, { Type: string; Properties: any }> {
  const { found, resources } = check(template, values);
  if (found.length) throw new Error(`the template has problems:\n${found.join('\n')}`);
  return resources;
}

function check(template: any, values: Record<string, string>): { found: string[]; resources: Record<string, { Type: string; Properties: any }> } {
  const found: string[] = [];
  const resolvedById: Record<string, { Type: string; Properties: any }> = {};
  if (!SECTIONS(template)) found.push(...problems('', SECTIONS.errors));
  if (template.Parameters && !PARAMETERS(template.Parameters)) found.push(...problems('/Parameters', PARAMETERS.errors));
  if (template.Outputs && !OUTPUTS(template.Outputs)) found.push(...problems('/Outputs', OUTPUTS.errors));
  const parameters: Record<string, any> = template.Parameters ?? {};
  const resources: Record<string, any> = template.Resources ?? {};
  for (const [name, parameter] of Object.entries(parameters)) {
    if (parameter.Default !== undefined && parameter.AllowedPattern && !new RegExp(`^(?:${parameter.AllowedPattern})$`).test(parameter.Default)) found.push(`/Parameters/${name}/Default: does not match its AllowedPattern`);
  }

  // Intrinsic functions, resolved as a stack with the parameters' defaults would: a resource's Ref
  // and attributes as plausible values of their kind.
  const resolve = (value: any, where: string): any => {
    if (Array.isArray(value)) return value.map((item, i) => resolve(item, `${where}/${i}`));
    if (!value || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === 'Ref') return reference(value.Ref, where);
    if (keys.length === 1 && keys[0] === 'Fn::Sub') {
      if (typeof value['Fn::Sub'] !== 'string') throw new Error(`${where}: Fn::Sub with variables is not resolved here`);
      return value['Fn::Sub'].replace(/\$\{([^}!]+)\}/g, (_m: string, name: string) => (name.includes('.') ? attribute(name.split('.')[0]!, name.split('.').slice(1).join('.'), where) : reference(name, where)));
    }
    if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
      const [resource, name] = typeof value['Fn::GetAtt'] === 'string' ? value['Fn::GetAtt'].split('.') : value['Fn::GetAtt'];
      return attribute(resource, name, where);
    }
    if (keys.length === 1 && keys[0]!.startsWith('Fn::')) throw new Error(`${where}: ${keys[0]} is not resolved here`);
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolve(item, `${where}/${key}`)]));
  };
  const used = new Set<string>();
  const reference = (name: string, where: string): string => {
    used.add(name);
    if (name in PSEUDO) return PSEUDO[name]!;
    if (name in parameters) {
      const value = values[name] ?? parameters[name].Default;
      if (value === undefined) found.push(`${where}: parameter ${name} has no default and no value was given`);
      else if (parameters[name].AllowedPattern && !new RegExp(`^(?:${parameters[name].AllowedPattern})$`).test(value)) found.push(`${where}: parameter ${name}'s value does not match its AllowedPattern`);
      return String(value ?? '');
    }
    if (name in resources) return resources[name].Type === 'AWS::IAM::Role' ? 'PreflightRole' : `${name}-physical-id`;
    found.push(`${where}: refers to ${name}, which the template does not declare`);
    return '';
  };
  const attribute = (resource: string, name: string, where: string): string => {
    const schema = RESOURCES.get(resources[resource]?.Type)?.schema;
    if (!(resource in resources)) found.push(`${where}: Fn::GetAtt of ${resource}, which the template does not declare`);
    // A type without a schema is reported as such, once, with the resource.
    else if (schema && !(schema.readOnlyProperties ?? []).includes(`/properties/${name}`)) found.push(`${where}: ${resources[resource].Type} has no attribute ${name}`);
    return `arn:aws:iam::111122223333:role/PreflightRole`;
  };

  for (const [id, resource] of Object.entries(resources)) {
    const where = `/Resources/${id}`;
    if (!/^[A-Za-z0-9]+$/.test(id)) found.push(`${where}: a logical ID is alphanumeric`);
    const properties = resolve(resource.Properties ?? {}, `${where}/Properties`);
    resolvedById[id] = { Type: resource.Type, Properties: properties };
    const known = RESOURCES.get(resource.Type);
    if (!known) {
      found.push(`${where}/Type: ${resource.Type} has no vendored schema`);
      continue;
    }
    const unknownKeys = Object.keys(resource).filter((key) => !['Type', 'Properties', 'DependsOn', 'Metadata', 'Condition', 'DeletionPolicy', 'UpdateReplacePolicy'].includes(key));
    if (unknownKeys.length) found.push(`${where}: unknown resource attributes ${unknownKeys.join(', ')}`);
    if (!known.validate(properties)) found.push(...problems(`${where}/Properties`, known.validate.errors));
    for (const readOnly of known.schema.readOnlyProperties ?? []) {
      const name = readOnly.replace('/properties/', '');
      if (Object.hasOwn(properties, name)) found.push(`${where}/Properties/${name}: read-only, set by CloudFormation`);
    }
    for (const [path, document, kind] of RESOURCE_TYPES[resource.Type as ResourceType].policies(properties)) {
      if (document !== undefined && !POLICIES[kind](document)) found.push(...problems(`${where}/Properties/${path}`, POLICIES[kind].errors));
    }
  }
  for (const [name, output] of Object.entries<any>(template.Outputs ?? {})) resolve(output.Value, `/Outputs/${name}/Value`);
  for (const name of Object.keys(parameters)) if (!used.has(name)) found.push(`/Parameters/${name}: not used (cfn-lint's W2001)`);
  for (const name of Object.keys(values)) if (!(name in parameters)) found.push(`a value for ${name}, which the template does not declare`);
  return { found, resources: resolvedById };
}
