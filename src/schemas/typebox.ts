// TypeBox shapes written the way fast-json-stringify serialises fastest.
import Type, { type Static, type TSchema } from 'typebox';

// Strings from a fixed set are `enum`s, and a nullable schema says so with a type list:
// fast-json-stringify writes both directly, where a union (anyOf) makes it run Ajv over every
// branch to pick one: some 150 ms of validator compiling on the first report, and work on each.
export const literals = <const T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });
export const nullable = <T extends TSchema & { type: string }>(schema: T) => Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'] });
