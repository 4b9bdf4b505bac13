// Quoting, one function per target a reader meets: a POSIX shell, an HCL file, Markdown, a terminal.
// Everything the product prints that carries text from a request or from AWS (a bucket's prefix, a
// Glue database's name, a role name) passes through the function for where it lands, so that
// pasting a printed command or opening a printed file can never do more than it says.

/**
 * Characters a reader never sees as written: C0 controls, DEL and C1 controls (which terminals act
 * on: ESC, BEL, CSI U+009B), the line and paragraph separators (line breaks to YAML 1.1, with
 * U+0085, and to JavaScript), and the bidirectional overrides and isolates that reorder what
 * follows them ("Trojan Source", CVE-2021-42574).
 */
const BEYOND_C0 = '\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069';
const UNPRINTABLE = new RegExp(`[\\u0000-\\u001f${BEYOND_C0}]`);
const UNPRINTABLES = new RegExp(`[\\u0000-\\u001f${BEYOND_C0}]`, 'g');
/** The same but the line feed, in runs, for the shell (which keeps a line feed exact inside quotes). */
const SHELL_UNPRINTABLE_RUNS = new RegExp(`([\\u0000-\\u0009\\u000b-\\u001f${BEYOND_C0}]+)`);

/** Whether a text holds a character no reader sees as written: no name a request gives needs one. */
export const hasUnprintable = (text: string): boolean => UNPRINTABLE.test(text);

/** A character as the \uXXXX escape JSON, HCL and JavaScript read back as that character. */
const unicodeEscape = (character: string) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;

// --- POSIX shell -------------------------------------------------------------------------------

/**
 * One word for a POSIX shell (sh, dash, bash, zsh): left bare when it holds only characters no
 * shell treats specially, else in single quotes, inside which nothing is special but the quote
 * itself (closed, escaped, reopened). A word that starts with `~` or `=` is quoted too, so that
 * nothing expands or reads as an assignment. A character no reader sees as written (an AWS name may
 * hold one: Glue's allow U+0085) is written as its UTF-8 bytes in octal for printf, which POSIX
 * defines (`"$(printf '\302\205')"`): the line stays printable, and the word stays exact. A line
 * feed stays as it is, inside the quotes: command substitution would drop it at the end of a word.
 */
export function shellWord(text: string): string {
  if (/^[A-Za-z0-9@%+:,./_-][A-Za-z0-9@%+=:,./_-]*$/.test(text)) return text;
  const quoted = (run: string) => `'${run.replace(/'/g, `'\\''`)}'`;
  const octal = (run: string) => [...new TextEncoder().encode(run)].map((byte) => `\\${byte.toString(8).padStart(3, '0')}`).join('');
  // split with a capturing group: the unprintable runs are the odd parts.
  const parts = text.split(SHELL_UNPRINTABLE_RUNS);
  if (parts.length === 1) return quoted(text);
  return parts.map((run, index) => (index % 2 ? `"$(printf '${octal(run)}')"` : run ? quoted(run) : '')).join('');
}

/** A command (its program and arguments, as the program receives them) as one line for a POSIX shell. */
export function shellCommand(argv: readonly string[]): string {
  return argv.map(shellWord).join(' ');
}

// --- HCL (Terraform) ---------------------------------------------------------------------------

/**
 * A string as an HCL quoted template: backslash and quote escaped, every control character as
 * \uXXXX, and "${" / "%{" doubled so that nothing interpolates.
 */
export function hclString(text: string): string {
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(UNPRINTABLES, unicodeEscape)
    // A function, not a replacement string: in one, "$$" is a single "$".
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, () => '%%{');
  return `"${escaped}"`;
}

// --- Terminal ----------------------------------------------------------------------------------

/**
 * Text from a request or from AWS as a terminal should show it: every control character (ESC, BEL,
 * a C1 control, a line break inside a name) and every bidirectional override as a visible \uXXXX,
 * so that no escape sequence reaches the terminal and nothing is hidden or reordered.
 */
export function terminalText(text: string): string {
  return text.replace(UNPRINTABLES, unicodeEscape);
}

// --- Markdown ----------------------------------------------------------------------------------

/**
 * Text from a request or from AWS as inline Markdown (CommonMark, and GitHub's flavour with its
 * autolinks): shown as written, never read as markup. CommonMark lets a backslash escape any ASCII
 * punctuation character, and an escaped character is only ever text: so every one is escaped, and
 * no emphasis, link, autolink (`http\://`, `www\.`), image, table cell, code span, raw HTML or
 * entity can start from it. Control characters and bidirectional overrides are shown as \uXXXX
 * first, so a line break inside a name cannot start a new block.
 */
export function markdownText(text: string): string {
  return terminalText(text).replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/**
 * A name as an inline code span: literal inside (CommonMark reads no escape, link or HTML there), its
 * fence of backticks one longer than any run in it, padded when it starts or ends with a backtick.
 * Not for a table cell: a `|` still ends the cell there (GitHub's tables).
 */
export function markdownCode(text: string): string {
  const shown = terminalText(text);
  const fence = '`'.repeat(Math.max(0, ...[...shown.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  const pad = /^`|`$/.test(shown) ? ' ' : '';
  return `${fence}${pad}${shown}${pad}${fence}`;
}

/** A fenced code block whose fence no line of the text can close, each line's unprintable characters shown as \uXXXX. */
export function markdownFence(language: string, text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${text.replace(/\n$/, '').split('\n').map(terminalText).join('\n')}\n${fence}`;
}
