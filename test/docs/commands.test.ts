// Every shell block of the documentation (README.md and docs/*.md), run as written and its answer
// checked: on a fresh build (a copy of the checkout, built by `npm install`'s prepare step), each
// block from the checkout's root in a network namespace of its own (unshare: its own loopback, so
// the fixed ports 8080 and 4566 are always free and blocks run side by side), after what it says it
// needs (the demo, or the sandbox) was started with the documentation's own command. The
// namespace's processes all end with its first one: nothing outlives a block.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshCheckout, userPath } from './processes.js';

interface Block {
  line: number;
  text: string;
}

interface PageBlock extends Block {
  /** The Markdown file it is in, from the repository's root. */
  page: string;
}

/** The fenced blocks marked sh, bash or shell. */
export function shellBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(```+|~~~+)\s*(\w*)/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i]!.trimStart().startsWith(fence); i++) body.push(lines[i]!);
    if (['sh', 'bash', 'shell'].includes(open[3]!)) blocks.push({ line: start + 1, text: body.join('\n') });
  }
  return blocks;
}

/**
 * What the blocks run that this test does not run as written, the only two: `npm install`, done
 * before any block (node_modules is the repository's, linked into the copy, and the copy was built
 * by install's prepare step, which rebuilding under blocks running side by side would race), and
 * `npm test`, the suite this test belongs to. Both become no-ops (`:`).
 */
const STAND_INS: Array<[RegExp, string]> = [
  [/\bnpm install\b/g, ': npm install'],
  [/\bnpm test\b/g, ': npm test'],
];

/** Started before a block, with the documentation's own commands, and ready once their output says so. */
const NEEDS = {
  demo: { command: 'npm run demo -- --serve', ready: 'open http://127.0.0.1:8080/' },
  sandbox: { command: 'npm run sandbox -- --scenario full-access --port 4566', ready: '"endpoint":"http://127.0.0.1:4566"' },
};

interface Expectation {
  /** The page the block is in. */
  page: string;
  /** The block's first line. */
  first: RegExp;
  /**
   * Run by another test, which follows its page step by step, rather than here: the test file,
   * which must read the page and hold the block's command.
   */
  coveredBy?: string;
  needs?: keyof typeof NEEDS;
  /** The block serves until stopped: it has done its part once its output matches. */
  servesUntil?: RegExp;
  /** The ports the block listens on, free again once it has ended: what it started, it stops. */
  frees?: number[];
  output: RegExp[];
}

const EXPECTED: Expectation[] = [
  { page: 'README.md', first: /^npm install && npm run demo/, output: [/Preflight [0-9a-f]{12}: OK in \d+ ms/, /connection\s+ok/] },
  {
    page: 'README.md',
    first: /^npm run demo -- --scenario kms-denied/,
    servesUntil: /open http:\/\/127\.0\.0\.1:8080\//,
    // jq's answer: the JSON alone on stdout, npm's own lines left out.
    output: [/Preflight [0-9a-f]{12}: DEGRADED/, /encryption\s+unavailable/, /^"ok"$/m, /curl -s http:\/\/127\.0\.0\.1:8080\/preflight .*\n.*"type":"role"/],
  },
  {
    page: 'docs/deployment.md',
    first: /^npm install +# also builds dist/,
    frees: [4566, 8080],
    output: [/\{"status":"ready"\}/, /Preflight [0-9a-f]{12}: OK/, /as arn:aws:sts::123456789012:assumed-role\/PreflightReadOnly\//],
  },
  { page: 'README.md', first: /^curl -sSf localhost:8080\/preflight/, needs: 'demo', output: [/^\{"id":"[0-9a-f]{12}",.*"status":"ok"/, /"credentialType":"role"/] },
  {
    page: 'README.md',
    first: /^export AWS_ENDPOINT_URL=http:\/\/127\.0\.0\.1:4566/,
    needs: 'demo',
    output: [/Preflight [0-9a-f]{12}: OK/, /^\{\n {2}"id": "[0-9a-f]{12}",/m, /"identityPolicies": \[/, /"trustPolicy": \{/],
  },
  // POST /setup: the template written, the role's ARN printed; a refused request would stop it (curl --fail-with-body).
  { page: 'README.md', first: /^KEY=demo-key-not-secret-0000 /, needs: 'demo', output: [/^arn:aws:iam::123456789012:role\/PreflightAccess$/m] },
  { page: 'docs/sandbox.md', first: /^npm run sandbox -- --scenario full-access --port 4566$/, servesUntil: /sandbox: scenario "full-access" listening on http:\/\/127\.0\.0\.1:4566/, output: [/"endpoint":"http:\/\/127\.0\.0\.1:4566"/] },
  { page: 'docs/sandbox.md', first: /^AWS_ACCESS_KEY_ID=AKIASANDBOXANALYST01 .*\\$/, needs: 'sandbox', output: [/"DatabaseList": \[/] },
  // The generator, which the guide's test runs the first step of in a copy of the sources (the
  // second rewrites the documentation's tables, whose drift tests check what it writes).
  { page: 'docs/adding-a-probe.md', first: /^npm run generate$/, coveredBy: 'test/docs/adding-a-probe.test.ts', output: [] },
];

const BLOCK_MS = 60_000;

/** bash in a new user, network and PID namespace, loopback up; fails if the machine allows none. */
const NAMESPACE = ['unshare', '--user', '--map-root-user', '--net', '--pid', '--fork', '--kill-child'];

function runBlock(dir: string, block: Block, expectation: Expectation): Promise<{ code: number | null; output: string }> {
  let text = block.text;
  for (const [pattern, replacement] of STAND_INS) text = text.replace(pattern, replacement);
  const need = expectation.needs ? NEEDS[expectation.needs] : undefined;
  // The block as a script of its own (as a person would save and run it), so that what it leaves
  // running when it ends can be seen from outside it.
  const script = [
    'ip link set lo up || exit 90',
    ...(need
      ? [
          'needs=$(mktemp)',
          `${need.command} > "$needs" 2>&1 &`,
          `for i in $(seq 600); do grep -qF '${need.ready}' "$needs" && break; sleep 0.05; done`,
          `grep -qF '${need.ready}' "$needs" || { echo "docs commands test: '${need.command}' did not get ready"; cat "$needs"; exit 91; }`,
        ]
      : []),
    'block=$(mktemp)',
    `cat > "$block" <<'DOCS_BLOCK_END'\n${text}\nDOCS_BLOCK_END`,
    'status=0',
    'bash -eo pipefail "$block" || status=$?',
    ...(expectation.frees
      ? [
          // Bash can open a connection itself: a port that still takes one was left listening.
          `for port in ${expectation.frees.join(' ')}; do`,
          '  for i in $(seq 200); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break; sleep 0.05; done',
          '  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "docs commands test: port $port still listening after the block ended"; exit 92; fi',
          'done',
        ]
      : []),
    'exit $status',
  ].join('\n');
  // A temporary directory of the block's own: tsx names its IPC pipe after its PID, which blocks
  // running side by side share (each namespace counts from 1); its compile cache stays shared.
  const temporary = mkdtempSync(join(tmpdir(), 'preflight-block-'));
  const tsxCache = join(tmpdir(), 'tsx');
  mkdirSync(tsxCache, { recursive: true });
  symlinkSync(tsxCache, join(temporary, 'tsx'));
  return new Promise((resolve) => {
    const child = spawn(NAMESPACE[0]!, [...NAMESPACE.slice(1), 'bash', '-c', script], {
      cwd: dir,
      env: { PATH: userPath(), HOME: process.env.HOME, TMPDIR: temporary, LANG: 'C.UTF-8', npm_config_update_notifier: 'false', npm_config_fund: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    // unshare ignores SIGTERM while it waits; killed, it takes its child, the namespace's first
    // process, with it (--kill-child), and the kernel the rest of the namespace.
    const stop = () => child.kill('SIGKILL');
    const timer = setTimeout(stop, BLOCK_MS);
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (expectation.servesUntil?.test(output)) stop();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('close', (code) => {
      clearTimeout(timer);
      rmSync(temporary, { recursive: true, force: true });
      resolve({ code, output });
    });
  });
}

/** The pages: the README and every page under docs/. */
const PAGES = ['README.md', ...readdirSync('docs').filter((file) => file.endsWith('.md')).sort().map((file) => `docs/${file}`)];
const blocks: PageBlock[] = PAGES.flatMap((page) => shellBlocks(readFileSync(page, 'utf8')).map((block) => ({ ...block, page })));
const firstLine = (block: Block) => block.text.split('\n')[0]!;
const expectationsOf = (block: PageBlock) => EXPECTED.filter((e) => e.page === block.page && e.first.test(firstLine(block)));
const checkout = freshCheckout();

beforeAll(() => {
  try {
    execFileSync(NAMESPACE[0]!, [...NAMESPACE.slice(1), 'true'], { stdio: 'pipe' });
  } catch {
    throw new Error('the documentation\'s blocks each run in a namespace of their own: it needs unshare (util-linux) and user namespaces (kernel.unprivileged_userns_clone, or root)');
  }
  execFileSync('npm', ['run', 'prepare'], { cwd: checkout.dir, env: { PATH: userPath(), HOME: process.env.HOME }, stdio: 'pipe' });
}, 60_000);
afterAll(() => checkout.remove());

describe('the shell blocks of README.md and docs/*.md', () => {
  it('are read from every page that has them (a reader that finds nothing would prove nothing)', () => {
    expect(PAGES).toContain('docs/deployment.md');
    expect(new Set(blocks.map((block) => block.page))).toEqual(new Set(['README.md', 'docs/adding-a-probe.md', 'docs/deployment.md', 'docs/sandbox.md']));
  });

  it('have an expectation each, on every page, and each expectation a block', () => {
    const matched = blocks.map(expectationsOf);
    for (const [i, found] of matched.entries()) expect(found.length, `${blocks[i]!.page} line ${blocks[i]!.line}: ${firstLine(blocks[i]!)}`).toBe(1);
    for (const expectation of EXPECTED) expect(matched.some((found) => found.includes(expectation)), `${expectation.page}: ${expectation.first}`).toBe(true);
  });

  it.concurrent.each(blocks.map((block) => [`${block.page} line ${block.line}: ${firstLine(block).slice(0, 60)}`, block] as const))(
    'runs the block of %s',
    async (_name, block) => {
      const [expectation] = expectationsOf(block);
      if (!expectation) return; // the test above names it
      if (expectation.coveredBy) {
        const covering = readFileSync(expectation.coveredBy, 'utf8');
        expect(covering, `${expectation.coveredBy} reads ${block.page}`).toContain(block.page);
        expect(covering, `${expectation.coveredBy} runs ${block.text}`).toContain(block.text.trim());
        return;
      }
      const { code, output } = await runBlock(checkout.dir, block, expectation);
      if (!expectation.servesUntil) expect(code, output).toBe(0);
      for (const pattern of expectation.output) expect(output, String(pattern)).toMatch(pattern);
    },
    BLOCK_MS + 30_000,
  );
});
