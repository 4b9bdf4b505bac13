// The sandbox's Athena SQL, near enough to answer as Athena does for the queries a product runs:
// which statement a query is, the tables it reads (FROM and JOIN), the columns of a SELECT with a
// couple of rows of sample values, the errors of Athena's parser and analyser in its words, and
// the CSV a query's results are written as. Reading a table (through Glue, with the caller's
// rights) is athena-queries.ts's.
import type { ScenarioTable } from '../scenario.js';

/** Athena error catalog: ErrorCategory 2 is USER; the types are those of the failures modelled here. */
export const ERROR_TYPE = { userError: 1000, tableNotFound: 1110, entityNotFound: 1301, permission: 1500, s3Permission: 1501 } as const;
const STATEMENT = /^[\s(]*(select|with|values|table|show|describe|desc|explain|create|drop|alter|msck|insert|delete|update|merge|unload|use|prepare|execute|deallocate|optimize|vacuum)\b/i;

export interface Failure {
  reason: string;
  type: number;
}

export interface Result {
  header: string[];
  rows: string[][];
}


/** "line:column" of an offset in the query, as the engine's messages give it. */
export function position(query: string, offset: number): string {
  const before = query.slice(0, offset).split('\n');
  return `${before.length}:${before.at(-1)!.length + 1}`;
}

function unquote(identifier: string): string {
  return identifier.trim().replace(/^"(.*)"$/, '$1').toLowerCase();
}

/** Splits on commas outside parentheses and string literals. */
function splitTopLevel(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && c === ',') {
      items.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  items.push(text.slice(start).trim());
  return items;
}

function sampleValue(type: string, n: number): string {
  if (/int|decimal|double|float|real/.test(type)) return String(n * 7);
  if (/timestamp/.test(type)) return `2026-11-2${n} 10:00:00.000`;
  if (/^date/.test(type)) return `2026-11-2${n}`;
  if (/boolean/.test(type)) return n % 2 ? 'true' : 'false';
  return `value-${n}`;
}

/** What a constant expression evaluates to, near enough: literals as themselves, anything else a sample. */
function literalValue(expression: string, n: number): string {
  if (/^-?\d+(\.\d+)?$/.test(expression) || /^(true|false)$/i.test(expression)) return expression.toLowerCase();
  const text = /^'((?:[^']|'')*)'$/.exec(expression);
  if (text) return text[1]!.replace(/''/g, "'");
  if (/^count\s*\(/i.test(expression)) return '2';
  return `value-${n}`;
}

export interface TableReference {
  /** The catalog the SQL names (`catalog.database.table`), lower case; undefined: the context's. */
  catalog?: string;
  database: string;
  table: string;
  /** Where the reference starts, "line:column". */
  at: string;
}

/** The tables a query reads (FROM and JOIN), qualified with the context database. */
export function tableReferences(query: string, contextDatabase: string): TableReference[] {
  const pattern = /\b(?:from|join)\s+((?:"[^"]+"|[\w-]+)(?:\s*\.\s*(?:"[^"]+"|[\w-]+)){0,2})/gi;
  // FROM inside extract(…), substring(…) and trim(…) names no table.
  const inFunction = (offset: number) => /\b(?:extract|substring|trim|overlay|position)\s*\([^()]*$/i.test(query.slice(0, offset));
  return [...query.matchAll(pattern)].filter((match) => !inFunction(match.index!)).map((match) => {
    const parts = match[1]!.split('.').map(unquote);
    const [database, table] = parts.length === 1 ? [contextDatabase, parts[0]!] : [parts.at(-2)!, parts.at(-1)!];
    return { ...(parts.length === 3 ? { catalog: parts[0]! } : {}), database, table, at: position(query, match.index! + match[0].length - match[1]!.length) };
  });
}

export function statementType(query: string): 'DDL' | 'DML' | 'UTILITY' {
  const keyword = STATEMENT.exec(query)?.[1]?.toLowerCase();
  if (keyword && ['create', 'drop', 'alter', 'msck'].includes(keyword)) return 'DDL';
  if (keyword && ['show', 'describe', 'desc', 'explain'].includes(keyword)) return 'UTILITY';
  return 'DML';
}


/** Evaluates the query over the tables it reads (read through the catalog by `readTable`): the columns of a SELECT and a couple of rows of sample values. */
export function evaluateQuery(query: string, contextDatabase: string, readTable: (reference: TableReference) => ScenarioTable | Failure): Result | Failure {
  const tables: ScenarioTable[] = [];
  for (const reference of tableReferences(query, contextDatabase)) {
    const read = readTable(reference);
    if ('reason' in read) return read;
    tables.push(read);
  }
  const selectList = /^[\s(]*select\s+(?:distinct\s+)?([\s\S]+?)(?=\s+from\s|\s+where\s|\s+group\s|\s+order\s|\s+limit\s|\s*;?\s*$)/i.exec(query);
  if (!selectList) return { header: [], rows: [] };
  const columns = tables.flatMap((t) => [...t.columns, ...t.partitionKeys]);
  const items = splitTopLevel(selectList[1]!);
  const limit = Number(/\blimit\s+(\d+)\s*;?\s*$/i.exec(query)?.[1] ?? Infinity);
  const aggregated = items.some((item) => /^(count|sum|avg|min|max)\s*\(/i.test(item)) && !/\bgroup\s+by\b/i.test(query);
  const rowCount = Math.min(tables.length && !aggregated ? 2 : 1, limit);
  const output: Array<{ name: string; value: (n: number) => string }> = [];
  for (const [index, item] of items.entries()) {
    if (item === '*' || item.endsWith('.*')) {
      output.push(...columns.map((c) => ({ name: c.name, value: (n: number) => sampleValue(c.type, n) })));
      continue;
    }
    // CASE … END ends with a keyword, not an alias.
    const alias = /\bend$/i.test(item) ? null : /\s+(?:as\s+)?("?)([A-Za-z_]\w*)\1$/i.exec(item);
    const expression = alias ? item.slice(0, alias.index).trim() : item;
    const column = columns.find((c) => c.name === unquote(expression).replace(/^\w+\./, ''));
    if (!column && /^"?[A-Za-z_][\w.]*"?$/.test(expression) && !/^(true|false|null|current_\w+|localtime|localtimestamp)$/i.test(expression)) {
      return { reason: `COLUMN_NOT_FOUND: line ${position(query, selectList.index + selectList[0].indexOf(item))}: Column '${unquote(expression)}' cannot be resolved`, type: ERROR_TYPE.userError };
    }
    output.push({ name: alias?.[2] ?? column?.name ?? `_col${index}`, value: (n) => (column ? sampleValue(column.type, n) : literalValue(expression, n)) });
  }
  return {
    header: output.map((o) => o.name),
    rows: Array.from({ length: rowCount }, (_, i) => output.map((o) => o.value(i + 1))),
  };
}


/** Athena's parser's words for a query that starts with no statement it knows; undefined for one it knows. */
export function malformedMessage(query: string): string | undefined {
  if (STATEMENT.test(query)) return undefined;
  const token = /\S+/.exec(query)!;
  return (
    `line ${position(query, token.index)}: mismatched input '${token[0]}'. Expecting: 'ALTER', 'ANALYZE', 'CALL', 'CREATE', 'DEALLOCATE', 'DELETE', 'DESC', 'DESCRIBE', 'DROP', 'EXECUTE', 'EXPLAIN', 'GRANT', 'INSERT', 'MERGE', 'PREPARE', 'RESET', 'REVOKE', 'SET', 'SHOW', 'UNLOAD', 'UPDATE', 'USE', <query>`
  );
}


export function csv(result: Result): string {
  const line = (cells: string[]) => cells.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(',');
  return result.header.length ? [result.header, ...result.rows].map((cells) => `${line(cells)}\n`).join('') : '';
}

export function parseCsv(text: string): string[][] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => [...line.matchAll(/(?:^|,)(?:"((?:[^"]|"")*)"|([^,]*))/g)].map((m) => (m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!)));
}

