import { describe, expect, it } from 'vitest';
import { jsonErrorPosition } from '../../src/cli/json-position.js';

describe('jsonErrorPosition', () => {
  it.each([
    ['{"a": 1}', undefined],
    ['[1, 2, {"b": [true, false, null, -1.5e3, "x\\"y"]}]', undefined],
    ['{\n  "region": "eu-west-1",\n  "accountId": \n}', { line: 4, column: 1 }],
    ['{"a": 1,}', { line: 1, column: 9 }],
    ['{"a" 1}', { line: 1, column: 6 }],
    ['[1 2]', { line: 1, column: 4 }],
    ['{"a": tru}', { line: 1, column: 10 }],
    ['{"a": 1} x', { line: 1, column: 10 }],
    ['', { line: 1, column: 1 }],
    ['"unterminated', { line: 1, column: 14 }],
  ])('%j', (text, expected) => {
    expect(jsonErrorPosition(text)).toEqual(expected);
    expect(() => JSON.parse(text)).toSatisfy((parse: () => unknown) => {
      try {
        parse();
        return expected === undefined;
      } catch {
        return expected !== undefined;
      }
    });
  });
});
