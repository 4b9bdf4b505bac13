// Where a JSON text first goes wrong, as line and column: Node's own message stopped saying so.
// A small recursive-descent reader that only validates; JSON.parse still does the parsing.
export function jsonErrorPosition(text: string): { line: number; column: number } | undefined {
  let at = 0;
  const fail = (): never => {
    throw at;
  };
  const space = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at]!)) at++;
  };
  const literal = (word: string) => {
    for (const char of word) if (text[at++] !== char) (at--, fail());
  };
  const string = () => {
    at++;
    while (at < text.length && text[at] !== '"') {
      if (text[at] === '\\') at++;
      else if (text.charCodeAt(at) < 0x20) fail();
      at++;
    }
    if (text[at] !== '"') fail();
    at++;
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at));
    if (!match) fail();
    at += match![0].length;
  };
  const value = (): void => {
    space();
    const char = text[at];
    if (char === '{') return container('}', () => (text[at] === '"' ? string() : fail(), space(), text[at] === ':' ? at++ : fail(), value()));
    if (char === '[') return container(']', value);
    if (char === '"') return string();
    if (char === 't') return literal('true');
    if (char === 'f') return literal('false');
    if (char === 'n') return literal('null');
    return number();
  };
  const container = (close: string, member: () => void) => {
    at++;
    space();
    if (text[at] === close) return void at++;
    for (;;) {
      space();
      member();
      space();
      if (text[at] === ',') at++;
      else if (text[at] === close) return void at++;
      else fail();
    }
  };
  try {
    value();
    space();
    if (at < text.length) fail();
    return undefined;
  } catch (position) {
    if (typeof position !== 'number') throw position;
    const before = text.slice(0, position);
    return { line: before.split('\n').length, column: position - before.lastIndexOf('\n') };
  }
}
