// docker-compose.yml against the Compose Specification's own JSON schema (vendored, with its
// licence, in test/packaging/compose-spec/): a key Compose does not know, or a value of the wrong
// shape, fails here rather than in a reader's `docker compose up`.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const schema = JSON.parse(readFileSync('test/packaging/compose-spec/compose-spec.json', 'utf8')) as object;
// Draft 7, as the schema declares, which it names by its https address (Ajv knows the draft by its
// http one); every error, so that a failure names them all.
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addMetaSchema(createRequire(import.meta.url)('ajv/dist/refs/json-schema-draft-07.json') as object, 'https://json-schema.org/draft-07/schema');
const validate = ajv.compile(schema);

/** The file as Compose reads it: YAML merge keys (`<<: *hardened`) applied. */
function composeFile(text: string): unknown {
  return parse(text, { merge: true });
}

function errors(document: unknown): string[] {
  if (validate(document)) return [];
  return (validate.errors ?? []).map((error: ErrorObject) => `${error.instancePath || '/'} ${error.message}${error.params && 'additionalProperty' in error.params ? `: ${String(error.params.additionalProperty)}` : ''}`);
}

describe('docker-compose.yml and the Compose Specification', () => {
  const text = readFileSync('docker-compose.yml', 'utf8');

  it('is valid under the specification\'s JSON schema, every profile included', () => {
    expect(errors(composeFile(text))).toEqual([]);
  });

  it('would be refused with a key Compose does not know, or a value of the wrong type', () => {
    // The same file with one mistake each: the schema is really applied, to every service.
    const document = composeFile(text) as { services: Record<string, Record<string, unknown>> };
    const unknownKey = structuredClone(document);
    unknownKey.services.preflight!.memory_limit = '256m';
    expect(errors(unknownKey)).toContain('/services/preflight must NOT have additional properties: memory_limit');
    const wrongType = structuredClone(document);
    wrongType.services.sandbox!.cap_drop = 'ALL';
    expect(errors(wrongType)).toContain('/services/sandbox/cap_drop must be array');
  });
});
