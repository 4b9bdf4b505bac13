// docs/configuration.md's table of environment variables, .env.example and what src/config.ts reads
// agree: every variable the service reads is in the table and in the example file, and each of
// those two names only what the other names.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The variables config.ts reads: `read(env, 'NAME')`, `integer(env, 'NAME', …)`, … (upper case; the lower-case proxy spellings are aliases). */
const READ = [...new Set([...readFileSync('src/config.ts', 'utf8').matchAll(/\(env, '([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1]!))];

/** The names in the first column of the page's table of variables (`AWS_ENDPOINT_URL_<SERVICE>` stands for a family). */
function tableVariables(markdown: string): string[] {
  const table = markdown.split('\n').filter((line) => /^\| `[A-Z]/.test(line));
  return table.flatMap((row) => [...row.split('|')[1]!.matchAll(/`([A-Z][A-Z0-9_]*(?:<[A-Z]+>)?)`/g)].map((m) => m[1]!));
}

/** The variables .env.example sets or shows commented out (`NAME=`, `# NAME=`, `# A= B=` on one line). */
function exampleVariables(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => /^#?\s*[A-Z][A-Z0-9_]*=/.test(line))
    .flatMap((line) => [...line.matchAll(/(?:^#?\s*|\s)([A-Z][A-Z0-9_]*)=/g)].map((m) => m[1]!));
}

/** Whether a table name (perhaps a family, `…_<SERVICE>`) covers a variable. */
const covers = (name: string, variable: string) => (name.includes('<') ? variable.startsWith(name.slice(0, name.indexOf('<'))) && variable.length > name.indexOf('<') : name === variable);

const table = tableVariables(readFileSync('docs/configuration.md', 'utf8'));
const example = exampleVariables(readFileSync('.env.example', 'utf8'));

describe('the configuration', () => {
  it('is read from all three places (a reader that finds nothing would prove nothing)', () => {
    expect(READ).toEqual(expect.arrayContaining(['PORT', 'PREFLIGHT_API_KEYS', 'PREFLIGHT_WATCH_FILE', 'AWS_CA_BUNDLE']));
    expect(table).toEqual(expect.arrayContaining(['HOST', 'PORT', 'AWS_ENDPOINT_URL_<SERVICE>', 'NODE_OPTIONS']));
    expect(example).toEqual(expect.arrayContaining(['HOST', 'PORT', 'AWS_ENDPOINT_URL_STS', 'AWS_WEB_IDENTITY_TOKEN_FILE']));
  });

  it('has every variable src/config.ts reads in docs/configuration.md\'s table and in .env.example', () => {
    expect(READ.filter((variable) => !table.some((name) => covers(name, variable)))).toEqual([]);
    expect(READ.filter((variable) => !example.includes(variable))).toEqual([]);
  });

  it('has the table and .env.example name the same variables', () => {
    expect(table.filter((name) => !example.some((variable) => covers(name, variable)))).toEqual([]);
    expect(example.filter((variable) => !table.some((name) => covers(name, variable)))).toEqual([]);
  });
});
