// Where a JSON text first goes wrong, as line and column: Node's own message stopped saying so.
// A small reader that only validates; JSON.parse still does the parsing. Open arrays and objects
// are kept on a stack of its own, not on the call stack, so that any depth of nesting is read.
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
      if (text[at] === '\\') {
        at++;
        if (text[at] === 'u') {
          for (let digit = 0; digit < 4; digit++) if (!/[0-9a-fA-F]/.test(text[++at] ?? '')) fail();
        } else if (!'"\\/bfnrt'.includes(text[at] ?? 'x')) fail();
      } else if (text.charCodeAt(at) < 0x20) fail();
      at++;
    }
    if (text[at] !== '"') fail();
    at++;
  };
  const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
  const number = () => {
    NUMBER.lastIndex = at;
    if (!NUMBER.test(text)) fail();
    at = NUMBER.lastIndex;
  };
  /** An object's `"key":`, up to its value. */
  const key = () => {
    space();
    if (text[at] !== '"') fail();
    string();
    space();
    if (text[at] !== ':') fail();
    at++;
  };
  const closers: string[] = [];
  try {
    let wantValue = true;
    for (;;) {
      if (wantValue) {
        space();
        const char = text[at];
        if (char === '{' || char === '[') {
          const close = char === '{' ? '}' : ']';
          at++;
          space();
          if (text[at] === close) {
            at++;
            wantValue = false;
          } else {
            closers.push(close);
            if (close === '}') key();
          }
          continue;
        }
        if (char === '"') string();
        else if (char === 't') literal('true');
        else if (char === 'f') literal('false');
        else if (char === 'n') literal('null');
        else number();
        wantValue = false;
        continue;
      }
      // After a value: the end, a next member, or the close of the innermost container.
      if (closers.length === 0) break;
      space();
      if (text[at] === ',') {
        at++;
        if (closers.at(-1) === '}') key();
        wantValue = true;
      } else if (text[at] === closers.at(-1)) {
        at++;
        closers.pop();
      } else fail();
    }
    space();
    if (at < text.length) fail();
    return undefined;
  } catch (position) {
    if (typeof position !== 'number') throw position;
    const before = text.slice(0, position);
    return { line: before.split('\n').length, column: position - before.lastIndexOf('\n') };
  }
}
