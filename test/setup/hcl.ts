// A reader for the subset of HCL (Terraform's native syntax) the setup writes: blocks with labels,
// attributes, quoted strings with their escapes, references, function calls, tuples and objects.
// Strict: anything else, an unbalanced bracket or an unescaped interpolation where a literal was
// meant, is an error naming its offset. Strings decode as Terraform would read them: "$${" and
// "%%{" are literal "${" and "%{"; a real interpolation is kept as { template }.

export type HclValue = string | number | { ref: string } | { call: string; args: HclValue[] } | { template: string } | HclValue[] | { [key: string]: HclValue };
export interface HclBlock {
  type: string;
  labels: string[];
  attributes: Record<string, HclValue>;
  blocks: HclBlock[];
}

type Token = { kind: 'string'; value: HclValue; at: number } | { kind: 'ident' | 'number' | 'punct'; value: string; at: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      const at = i++;
      let value = '';
      let interpolated = false;
      for (;;) {
        if (i >= text.length) throw new Error(`unterminated string at ${at}`);
        const d = text[i]!;
        if (d === '"') break;
        if (d === '\n') throw new Error(`newline in a string at ${i}`);
        if (d === '\\') {
          const e = text[i + 1]!;
          const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
          if (!(e in escapes)) throw new Error(`unknown escape \\${e} at ${i}`);
          value += escapes[e];
          i += 2;
        } else if ((d === '$' || d === '%') && text[i + 1] === d && text[i + 2] === '{') {
          value += `${d}{`;
          i += 3;
        } else if ((d === '$' || d === '%') && text[i + 1] === '{') {
          interpolated = true;
          value += `${d}{`;
          i += 2;
        } else {
          value += d;
          i++;
        }
      }
      i++;
      tokens.push({ kind: 'string', value: interpolated ? { template: value } : value, at });
    } else if (/[A-Za-z_]/.test(c)) {
      const at = i;
      while (i < text.length && /[\w.-]/.test(text[i]!)) i++;
      tokens.push({ kind: 'ident', value: text.slice(at, i), at });
    } else if (/[0-9]/.test(c)) {
      const at = i;
      while (i < text.length && /[0-9.]/.test(text[i]!)) i++;
      tokens.push({ kind: 'number', value: text.slice(at, i), at });
    } else if ('{}[]()=,'.includes(c)) {
      tokens.push({ kind: 'punct', value: c, at: i++ });
    } else {
      throw new Error(`unexpected ${JSON.stringify(c)} at ${i}`);
    }
  }
  return tokens;
}

export function parseHcl(text: string): HclBlock[] {
  const tokens = tokenize(text);
  let p = 0;
  const peek = () => tokens[p];
  const expect = (value: string) => {
    const token = tokens[p++];
    if (!token || token.kind !== 'punct' || token.value !== value) throw new Error(`expected ${value} at ${token?.at ?? 'the end'}`);
  };
  const isPunct = (value: string) => peek()?.kind === 'punct' && peek()!.value === value;

  function expression(): HclValue {
    const token = tokens[p++];
    if (!token) throw new Error('expected an expression at the end');
    if (token.kind === 'string') return token.value;
    if (token.kind === 'number') return Number(token.value);
    if (token.kind === 'ident') {
      if (isPunct('(')) {
        p++;
        const args: HclValue[] = [];
        while (!isPunct(')')) {
          args.push(expression());
          if (!isPunct(')')) expect(',');
        }
        p++;
        return { call: token.value, args };
      }
      return { ref: token.value };
    }
    if (token.value === '[') {
      const items: HclValue[] = [];
      while (!isPunct(']')) {
        items.push(expression());
        if (!isPunct(']')) expect(',');
      }
      p++;
      return items;
    }
    if (token.value === '{') {
      const object: Record<string, HclValue> = {};
      while (!isPunct('}')) {
        const key = tokens[p++];
        if (!key || (key.kind !== 'string' && key.kind !== 'ident') || typeof key.value !== 'string') throw new Error(`expected an object key at ${key?.at ?? 'the end'}`);
        expect('=');
        if (Object.hasOwn(object, key.value)) throw new Error(`duplicate key ${key.value} at ${key.at}`);
        object[key.value] = expression();
        if (isPunct(',')) p++;
      }
      p++;
      return object;
    }
    throw new Error(`unexpected ${token.value} at ${token.at}`);
  }

  function block(type: string): HclBlock {
    const labels: string[] = [];
    while (peek()?.kind === 'string') {
      const label = tokens[p++]!.value;
      if (typeof label !== 'string') throw new Error('a block label cannot interpolate');
      labels.push(label);
    }
    expect('{');
    const result: HclBlock = { type, labels, attributes: {}, blocks: [] };
    while (!isPunct('}')) {
      const name = tokens[p++];
      if (!name || name.kind !== 'ident') throw new Error(`expected an attribute or a block at ${name?.at ?? 'the end'}`);
      if (isPunct('=')) {
        p++;
        if (Object.hasOwn(result.attributes, name.value)) throw new Error(`duplicate attribute ${name.value} at ${name.at}`);
        result.attributes[name.value] = expression();
      } else {
        result.blocks.push(block(name.value));
      }
    }
    p++;
    return result;
  }

  const blocks: HclBlock[] = [];
  while (p < tokens.length) {
    const type = tokens[p++]!;
    if (type.kind !== 'ident') throw new Error(`expected a block at ${type.at}`);
    blocks.push(block(type.value));
  }
  return blocks;
}
