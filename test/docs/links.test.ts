// Every relative link of the documentation (README.md and docs/*.md) reaches a file of the
// repository, and, where it names a heading (`page.md#anchor`, `#anchor`), a heading of that page,
// by the anchor GitHub gives it. Pages moved, renamed or split leave no link behind.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

const PAGES = ['README.md', ...readdirSync('docs').filter((file) => file.endsWith('.md')).sort().map((file) => `docs/${file}`)];

/** The text without its fenced blocks and code spans, lines kept: what Markdown renders as prose. */
function prose(markdown: string): string {
  let fence: string | undefined;
  return markdown
    .split('\n')
    .map((line) => {
      const marker = /^\s*(```+|~~~+)/.exec(line)?.[1];
      if (fence) {
        if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
        return '';
      }
      if (marker) {
        fence = marker;
        return '';
      }
      return line.replace(/(`+)[\s\S]*?\1/g, (span) => ' '.repeat(span.length));
    })
    .join('\n');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, each space a hyphen. */
export function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a page's headings; a repeated heading's gets -1, -2, … as on GitHub. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const marker = /^\s*(```+|~~~+)/.exec(line)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      continue;
    }
    if (marker) {
      fence = marker;
      continue;
    }
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const anchor = anchorOf(heading);
    const count = seen.get(anchor) ?? 0;
    seen.set(anchor, count + 1);
    anchors.add(count ? `${anchor}-${count}` : anchor);
  }
  return anchors;
}

interface Link {
  line: number;
  target: string;
}

/** The relative links of a page: `[text](target)` outside code, neither a URL with a scheme nor mail. */
export function relativeLinks(markdown: string): Link[] {
  return prose(markdown)
    .split('\n')
    .flatMap((text, index) => [...text.matchAll(/\]\(\s*<?([^()\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => ({ line: index + 1, target: m[1]! })))
    .filter((link) => !/^[a-z][a-z0-9+.-]*:/i.test(link.target));
}

/** What is wrong with a link from `page`, or undefined when it reaches its file and heading. */
export function brokenLink(page: string, target: string, read: (file: string) => string | undefined): string | undefined {
  const [path, anchor] = target.split('#', 2) as [string, string | undefined];
  const file = path ? normalize(join(dirname(page), decodeURIComponent(path))) : page;
  if (file.startsWith('..')) return `${target} leaves the repository`;
  const text = read(file);
  if (text === undefined) return `${target}: no file ${file}`;
  if (anchor === undefined) return undefined;
  if (!file.endsWith('.md')) return `${target}: an anchor in a file that is not Markdown`;
  return anchorsOf(text).has(anchor) ? undefined : `${target}: no heading of ${file} has the anchor #${anchor}`;
}

/** A file's text ('' for a folder), undefined when there is none. */
function readRepositoryFile(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return ''; // a folder: it exists
  }
}

describe('the relative links of README.md and docs/*.md', () => {
  const links = PAGES.flatMap((page) => relativeLinks(readFileSync(page, 'utf8')).map((link) => ({ page, ...link })));

  it('are found on every page, headings and folders included (a reader that finds none would prove nothing)', () => {
    expect(links.length).toBeGreaterThan(50);
    expect(links).toContainEqual(expect.objectContaining({ page: 'README.md', target: 'docs/api.md' }));
    expect(links.some((link) => link.page === 'docs/watch.md' && link.target === 'deployment.md#watching-connections')).toBe(true);
  });

  it('each reach an existing file, and the heading they name', () => {
    const broken = links.flatMap(({ page, line, target }) => {
      const problem = brokenLink(page, target, readRepositoryFile);
      return problem ? [`${page}:${line}: ${problem}`] : [];
    });
    expect(broken).toEqual([]);
  });
});

describe('the link check itself', () => {
  const pages: Record<string, string> = {
    'README.md': '# Preflight\n\n## The two commands\n\n## What `npm test` brings\n\n## Notes\n\n## Notes\n',
    'docs/api.md': '# The HTTP API\n\n## GET /watch, the CLI, the page\n\n```md\n## Not a heading\n```\n',
  };
  const read = (file: string) => pages[file];

  it("takes GitHub's anchors: punctuation and code marks dropped, repeats numbered", () => {
    expect(brokenLink('docs/api.md', '../README.md#the-two-commands', read)).toBeUndefined();
    expect(brokenLink('docs/api.md', '../README.md#what-npm-test-brings', read)).toBeUndefined();
    expect(brokenLink('docs/api.md', '../README.md#notes-1', read)).toBeUndefined();
    expect(brokenLink('README.md', 'docs/api.md#get-watch-the-cli-the-page', read)).toBeUndefined();
    expect(brokenLink('README.md', '#preflight', read)).toBeUndefined();
  });

  it('names a missing file, a missing heading, a heading inside a code block, and a way out of the repository', () => {
    expect(brokenLink('docs/api.md', 'README.md', read)).toMatch(/no file docs\/README\.md/);
    expect(brokenLink('docs/api.md', '../README.md#the-three-commands', read)).toMatch(/no heading of README\.md has the anchor #the-three-commands/);
    expect(brokenLink('README.md', 'docs/api.md#not-a-heading', read)).toMatch(/no heading/);
    expect(brokenLink('docs/api.md', '../../elsewhere.md', read)).toMatch(/leaves the repository/);
  });

  it('reads links from prose only, not from code', () => {
    const found = relativeLinks('See [the API](docs/api.md) and [AWS](https://aws.amazon.com/).\n\n`[not](a-link.md)`\n\n```md\n[nor](this.md)\n```\n');
    expect(found).toEqual([{ line: 1, target: 'docs/api.md' }]);
  });
});
