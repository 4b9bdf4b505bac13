// `npm run generate`, first step: the probe files (src/probes/<id>.ts) are the one place a probe is
// written, its catalogue part included (the resources IAM authorises its actions on, its roles in
// the capabilities). Two files are made from them:
// - src/catalogue/probe-index.ts: what the catalogue needs of the probes, as data, so that it reads
//   them without importing them (the catalogue is below everything, the probes above the engine);
// - src/probes/registry.ts: every probe under its own id, in the report's order.
// test/probes/registry.test.ts fails when either is not what this makes of the probes.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '..');
const PROBES_DIR = join(ROOT, 'src/probes');
export const INDEX_FILE = 'src/catalogue/probe-index.ts';
export const REGISTRY_FILE = 'src/probes/registry.ts';
/** Files of src/probes/ that are no probe (helpers live in src/probes/helpers/). */
const NOT_PROBES = new Set(['registry.ts', 'types.ts']);

/**
 * A probe as read at run time, loosely typed on purpose: the generator runs before the type check
 * knows a new probe's id or action (the Probe type is typed from what this writes).
 */
interface FoundProbe {
  id: string;
  exportName: string;
  actions: readonly string[];
  informs: readonly string[];
  after?: readonly string[];
  needs?: readonly string[];
  resources?: Readonly<Record<string, string>>;
  roles?: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

const isProbe = (value: unknown): value is Omit<FoundProbe, 'exportName'> =>
  typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string' && typeof (value as { run?: unknown }).run === 'function';

/** Every probe file's probe, read by importing it. */
async function readProbes(): Promise<FoundProbe[]> {
  const files = readdirSync(PROBES_DIR, { withFileTypes: true }).filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !NOT_PROBES.has(entry.name));
  const probes: FoundProbe[] = [];
  for (const file of files.map((entry) => entry.name).sort()) {
    const module: Record<string, unknown> = await import(pathToFileURL(join(PROBES_DIR, file)).href);
    const found = Object.entries(module).filter(([, value]) => isProbe(value));
    if (found.length !== 1) throw new Error(`src/probes/${file} must export exactly one probe (it exports ${found.length}); a helper belongs in src/probes/helpers/`);
    const [exportName, probe] = found[0]! as [string, Omit<FoundProbe, 'exportName'>];
    if (`${probe.id}.ts` !== file) throw new Error(`src/probes/${file} holds the probe ${probe.id}: a probe's file is named after its id`);
    probes.push({ ...probe, exportName });
  }
  return probes;
}

/** What is wrong with the probes' declarations, each in a sentence; empty when nothing is. */
function problemsOf(probes: readonly FoundProbe[], capabilityIds: readonly string[], roles: readonly string[], rules: readonly string[]): string[] {
  const problems: string[] = [];
  const ids = new Set(probes.map((probe) => probe.id));
  const ruleOf = new Map<string, { rule: string; probe: string }>();
  for (const probe of probes) {
    for (const id of [...(probe.after ?? []), ...(probe.needs ?? [])]) if (!ids.has(id)) problems.push(`${probe.id} waits for ${id}, which is no probe`);
    const roleActions = Object.entries(probe.roles ?? {}).flatMap(([capability, byRole]) => {
      if (!capabilityIds.includes(capability)) problems.push(`${probe.id} gives a role in ${capability}, which is no capability`);
      return Object.entries(byRole).flatMap(([role, actions]) => {
        if (!roles.includes(role)) problems.push(`${probe.id} gives ${capability} the role ${role}, which is none of ${roles.join(', ')}`);
        return actions;
      });
    });
    for (const action of new Set([...probe.actions, ...roleActions])) {
      if (!probe.resources?.[action]) problems.push(`${probe.id} calls or gives a role to ${action}, but does not say what IAM authorises it on (resources: { '${action}': <a rule of src/catalogue/resources.ts> })`);
    }
    for (const [action, rule] of Object.entries(probe.resources ?? {})) {
      if (!rules.includes(rule)) problems.push(`${probe.id} names the resources of ${action} '${rule}', which is no rule of src/catalogue/resources.ts (${rules.join(', ')})`);
      const earlier = ruleOf.get(action);
      if (earlier && earlier.rule !== rule) problems.push(`${probe.id} says ${action} is authorised on '${rule}', ${earlier.probe} on '${earlier.rule}'`);
      if (!earlier) ruleOf.set(action, { rule, probe: probe.id });
    }
  }
  return problems;
}

/**
 * The report's order: as it stands (the previous index's), each probe after the probes it waits for
 * (`after`, `needs`, else the connection gate); a probe new to the index goes after every probe
 * already there that is ready before it, that is last but for what it must precede.
 */
function reportOrder(probes: readonly FoundProbe[], previous: readonly string[]): FoundProbe[] {
  const rank = (probe: FoundProbe) => {
    const index = previous.indexOf(probe.id);
    return index < 0 ? previous.length : index;
  };
  const gate = 'sts-caller-identity';
  const waitsFor = (probe: FoundProbe) => [...(probe.after ?? []), ...(probe.needs ?? [gate])];
  const placed: FoundProbe[] = [];
  const left = [...probes];
  while (left.length) {
    const ready = left.filter((probe) => waitsFor(probe).every((id) => placed.some((p) => p.id === id)));
    if (!ready.length) throw new Error(`the probes ${left.map((p) => p.id).join(', ')} wait for each other`);
    const next = ready.sort((a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : 1))[0]!;
    placed.push(next);
    left.splice(left.indexOf(next), 1);
  }
  return placed;
}

const quote = (text: string) => `'${text}'`;
const key = (text: string) => (/^[A-Za-z]\w*$/.test(text) ? text : quote(text));

/** The two files' text, from the probe files as they are now. */
export async function probeIndexFiles(): Promise<Record<typeof INDEX_FILE | typeof REGISTRY_FILE, string>> {
  const { CAPABILITY_IDS, ACTION_ROLES } = await import(pathToFileURL(join(ROOT, 'src/catalogue/capabilities.ts')).href);
  const { RESOURCE_RULES } = await import(pathToFileURL(join(ROOT, 'src/catalogue/resources.ts')).href);
  const { PROBE_IDS } = await import(pathToFileURL(join(ROOT, INDEX_FILE)).href);
  const found = await readProbes();
  const problems = problemsOf(found, CAPABILITY_IDS, ACTION_ROLES, Object.keys(RESOURCE_RULES));
  if (problems.length) throw new Error(`the probes cannot be indexed:\n- ${problems.join('\n- ')}`);
  const probes = reportOrder(found, PROBE_IDS);

  const actions = new Map<string, { rule: string; probes: string[] }>();
  for (const probe of probes) {
    for (const [action, rule] of Object.entries(probe.resources ?? {})) {
      const entry = actions.get(action) ?? { rule, probes: [] };
      entry.probes.push(probe.id);
      actions.set(action, entry);
    }
  }
  const capabilityLines = (CAPABILITY_IDS as string[]).flatMap((capability) => {
    const byRole = (ACTION_ROLES as string[]).flatMap((role) => {
      const givers = probes.filter((probe) => probe.roles?.[capability]?.[role]?.length);
      const listed = [...new Set(givers.flatMap((probe) => probe.roles![capability]![role]!))];
      return listed.length ? [`    ${role}: [${listed.map(quote).join(', ')}], // ${givers.map((probe) => probe.id).join(', ')}`] : [];
    });
    return [`  ${key(capability)}: {`, ...byRole, '  },'];
  });
  const index = [
    '// Written by `npm run generate` (scripts/probe-index.ts) from the probe files, src/probes/<id>.ts:',
    '// edit those, not this (but for the order of PROBE_IDS, which is kept: a new probe goes last, after',
    "// what it waits for). What the catalogue needs of the probes without importing them: their ids in",
    "// the report's order, the actions they call or give a role with the rule of resources.ts IAM",
    "// authorises each on, and each capability's actions by role. test/probes/registry.test.ts fails",
    '// when this is not what the probe files say.',
    '',
    "/** The probes' ids, in the report's order. */",
    'export const PROBE_IDS = [',
    ...probes.map((probe) => `  ${quote(probe.id)},`),
    '] as const;',
    '',
    'export type ProbeId = (typeof PROBE_IDS)[number];',
    '',
    '/** Every action a probe calls or gives a role, with what IAM authorises it on: the probes that say so beside it. */',
    'export const PROBE_ACTIONS = {',
    ...[...actions].map(([action, { rule, probes: by }]) => `  ${quote(action)}: ${quote(rule)}, // ${by.join(', ')}`),
    '} as const;',
    '',
    "/** Each capability's actions by role (CapabilityDefinition's lists), in the report's order: the probes that give them beside them. */",
    'export const CAPABILITY_ACTIONS = {',
    ...capabilityLines,
    '} as const;',
    '',
  ].join('\n');

  const byFile = [...probes].sort((a, b) => (a.id < b.id ? -1 : 1));
  const registry = [
    '// Written by `npm run generate` (scripts/probe-index.ts) from the probe files, src/probes/<id>.ts:',
    "// every probe under its own id, in the report's order (src/catalogue/probe-index.ts's PROBE_IDS),",
    '// each after every probe it waits for. Edit the probes, not this.',
    "import type { ProbeId } from '../catalogue/probe-index.js';",
    ...byFile.map((probe) => `import { ${probe.exportName} } from './${probe.id}.js';`),
    "import type { Probe } from './types.js';",
    '',
    'export const PROBES_BY_ID: { readonly [Id in ProbeId]: Probe } = {',
    ...probes.map((probe) => `  ${quote(probe.id)}: ${probe.exportName},`),
    '};',
    '',
    'export const PROBES: readonly Probe[] = Object.values(PROBES_BY_ID);',
    '',
  ].join('\n');
  return { [INDEX_FILE]: index, [REGISTRY_FILE]: registry };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const files = await probeIndexFiles();
  for (const [file, text] of Object.entries(files)) {
    const path = join(ROOT, file);
    if (readFileSync(path, 'utf8') !== text) writeFileSync(path, text);
  }
  process.stdout.write(`wrote ${Object.keys(files).join(' and ')} from the probe files\n`);
}
