// Quoting, one function per target a reader meets: a POSIX shell, an HCL file, Markdown, a terminal.
// Everything the product prints that carries text from a request or from AWS (a bucket's prefix, a
// Glue database's name, a role name) passes through the function for where it lands, so that
// pasting a printed command or opening a printed file can never do more than it says.

/** Characters a terminal acts on instead of showing: C0 controls, DEL, C1 controls (U+0085 among them). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** The same, and the bidirectional overrides and isolates that reorder what a reader sees ("Trojan Source", CVE-2021-42574). */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Whether a text carries a character a terminal or a YAML 1.1 reader would act on (U+0085 is a line break there). */
export const hasControlCharacter = (text: string): boolean => CONTROL.test(text);

/** A character as the \uXXXX escape JSON, HCL and JavaScript read back as that character. */
const unicodeEscape = (character: string) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;

// --- POSIX shell -------------------------------------------------------------------------------

/**
 * One word for a POSIX shell (sh, dash, bash, zsh): left bare when it holds only characters no
 * shell treats specially, else in single quotes, inside which nothing is special but the quote
 * itself (closed, escaped, reopened). A word that starts with `~` or holds `=` before any other
 * character is quoted too, so that nothing expands or reads as an assignment.
 */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9@%+:,./_-][A-Za-z0-9@%+=:,./_-]*$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
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
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, unicodeEscape)
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
  return text.replace(INVISIBLE, unicodeEscape);
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

/** A fenced code block whose fence no line of the text can close. */
export function markdownFence(language: string, text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${text.replace(/\n$/, '')}\n${fence}`;
}
