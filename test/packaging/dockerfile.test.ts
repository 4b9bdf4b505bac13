// No Docker engine runs here, so the image is checked by reading it: the rules a linter and a
// reviewer would apply to a service that handles other people's credentials.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dockerfile = readFileSync('Dockerfile', 'utf8');
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));
const stages = instructions.filter((line) => line.startsWith('FROM '));
const finalStage = instructions.slice(instructions.lastIndexOf(stages.at(-1)!));

describe('Dockerfile', () => {
  it('is multi-stage, on the current LTS, with pinned non-latest tags', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const from of stages) expect(from).not.toMatch(/:latest\b|FROM [^:@\s]+\s*(AS|$)/i);
    expect(stages[0]).toMatch(/node:24/);
    expect(stages.at(-1)).toMatch(/nodejs24/);
  });

  it('installs reproducibly and ships production dependencies only', () => {
    const build = instructions.slice(0, instructions.indexOf(stages.at(-1)!)).join('\n');
    expect(build).toMatch(/npm ci/);
    expect(build).toMatch(/--omit=dev/);
    expect(finalStage.join('\n')).not.toMatch(/npm (install|ci)/);
  });

  it('copies every file `npm run build` reads into the build stage', () => {
    const build = instructions.slice(0, instructions.indexOf(stages.at(-1)!)).join('\n');
    const script = JSON.parse(readFileSync('package.json', 'utf8')).scripts.build as string;
    const read = ['tsconfig.build.json', ...[...script.matchAll(/\b(src|scripts)\/[\w./-]+/g)].map((m) => m[1]!)];
    const copies = build.split('\n').filter((line) => line.startsWith('COPY '));
    for (const path of new Set(read)) expect(copies.some((line) => line.split(/\s+/).includes(path)), path).toBe(true);
  });

  it('limits V8 to the heap a preflight needs, as `npm run bench` measures it', () => {
    const env = finalStage.filter((line) => line.startsWith('ENV ')).join('\n');
    expect(env).toMatch(/NODE_OPTIONS="--max-semi-space-size=\d+ --max-old-space-size=\d+"/);
  });

  it('runs as a non-root user, exec-form, with a health check that needs no shell', () => {
    expect(finalStage.some((line) => /^USER (nonroot|\d{3,})/.test(line))).toBe(true);
    expect(finalStage.find((line) => line.startsWith('ENTRYPOINT'))).toMatch(/^ENTRYPOINT \[/);
    expect(finalStage.find((line) => line.startsWith('HEALTHCHECK'))).toMatch(/CMD \["/);
    expect(finalStage.some((line) => line.startsWith('EXPOSE 8080'))).toBe(true);
  });

  it('copies nothing secret or heavy into the build context', () => {
    const ignore = readFileSync('.dockerignore', 'utf8');
    for (const entry of ['node_modules', '.git', '.env', 'bench/results', 'test']) expect(ignore).toContain(entry);
  });

  it('comes with a compose file that wires the service to the sandbox, never silently', () => {
    expect(existsSync('docker-compose.yml')).toBe(true);
    const compose = readFileSync('docker-compose.yml', 'utf8');
    expect(compose).toMatch(/AWS_ENDPOINT_URL: http:\/\/sandbox:4566/);
    expect(compose).toMatch(/PREFLIGHT_API_KEYS/);
  });
});
