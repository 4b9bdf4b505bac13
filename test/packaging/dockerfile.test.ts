// The Dockerfile and the compose file read against the rules a linter and a reviewer would apply
// to a service that handles other people's credentials (scripts/image-test.sh builds and runs the
// image, in CI).
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

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

  it('installs reproducibly, and ships the bundles: no node_modules but the files no bundle can hold, no tsc output', () => {
    const build = instructions.slice(0, instructions.indexOf(stages.at(-1)!)).join('\n');
    expect(build).toMatch(/npm ci/);
    expect(finalStage.join('\n')).not.toMatch(/npm (install|ci)/);
    const copied = finalStage.filter((line) => line.startsWith('COPY --from=build ')).flatMap((line) => line.split(/\s+/).slice(2, -1));
    // Of node_modules, Swagger UI's page files alone (its package.json is how src/http/docs.ts finds them).
    expect(copied.filter((path) => path.includes('node_modules'))).toEqual(['/app/node_modules/@fastify/swagger-ui/package.json', '/app/node_modules/@fastify/swagger-ui/static']);
    // Of dist/, the bundles scripts/bundle.ts writes (and the sandbox's scenarios), never the whole folder.
    expect(copied.filter((path) => path.includes('/dist'))).toEqual(['/app/dist/main.js', '/app/dist/server.js', '/app/dist/chunks', '/app/dist/sandbox/main.js', '/app/dist/sandbox/scenarios']);
  });

  it('copies every file `npm run build` reads into the build stage', () => {
    const build = instructions.slice(0, instructions.indexOf(stages.at(-1)!)).join('\n');
    const script = JSON.parse(readFileSync('package.json', 'utf8')).scripts.build as string;
    const read = ['tsconfig.build.json', ...[...script.matchAll(/\b(src|scripts)\/[\w./-]+/g)].map((m) => m[1]!)];
    const copies = build.split('\n').filter((line) => line.startsWith('COPY '));
    for (const path of new Set(read)) expect(copies.some((line) => line.split(/\s+/).includes(path)), path).toBe(true);
  });

  it('pins its base images by digest, or says why not and how to pin and update them', () => {
    for (const from of stages) {
      const image = from.split(/\s+/)[1]!;
      if (/@sha256:[0-9a-f]{64}$/.test(image)) continue;
      // No registry is reachable where this is written, and a digest nobody could read from the
      // registry is not written in: the tag stays, with the command that reads its digest.
      const tag = image.replace(/@.*/, '');
      expect(dockerfile, tag).toContain(`docker buildx imagetools inspect ${tag}`);
    }
    expect(dockerfile).toMatch(/^# .*FROM node:24-bookworm-slim@sha256:<digest>/m);
  });

  it('carries OCI labels, its version the package\'s', () => {
    const labels = finalStage.filter((line) => line.startsWith('LABEL ')).join(' ');
    for (const key of ['title', 'description', 'version']) expect(labels).toMatch(new RegExp(`org\\.opencontainers\\.image\\.${key}=`));
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(finalStage).toContain(`ARG VERSION=${version}`);
  });

  it('ships no source maps', () => {
    const build = instructions.slice(0, instructions.indexOf(stages.at(-1)!));
    const run = build.find((line) => line.includes('npm run build'))!;
    // Deleted after the build (tsc and esbuild both write them) and before dist/ is copied over.
    expect(run).toMatch(/npm run build && find dist -name '\*\.map' -delete/);
    expect(finalStage.some((line) => /^COPY --from=build \S*dist/.test(line))).toBe(true);
    expect(finalStage.join('\n')).not.toMatch(/enable-source-maps/);
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

describe('docker-compose.yml', () => {
  type Service = {
    build?: unknown; image?: string; pull_policy?: string; ports?: string[]; read_only?: boolean;
    tmpfs?: string[]; cap_drop?: string[]; security_opt?: string[]; mem_limit?: string;
  };
  const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as { services: Record<string, Service> };
  const services = Object.entries(compose.services);
  /** Images from a registry: official ones, pinned to a version (the rest is the image built here). */
  const thirdParty = services.filter(([, service]) => service.build === undefined && !service.image?.startsWith('preflight:'));

  it('publishes the demo key\'s service on the host\'s loopback only', () => {
    const published = services.flatMap(([, service]) => service.ports ?? []);
    expect(published.length).toBeGreaterThan(0);
    for (const port of published) expect(port).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });

  it('builds the image once, under one name the other service reuses without pulling', () => {
    const built = services.filter(([, service]) => service.build !== undefined);
    expect(built).toHaveLength(1);
    const [, builder] = built[0]!;
    expect(builder.image).toBeTruthy();
    expect(builder.pull_policy).toBe('build');
    for (const [name, service] of services.filter(([, service]) => service.build === undefined && !thirdParty.some(([, other]) => other === service))) {
      expect(service.image, name).toBe(builder.image);
      expect(service.pull_policy, name).toBe('never');
    }
    for (const [name, service] of thirdParty) expect(service.image, name).toMatch(/^(postgres|nginx):\d+\.\d+[\w.-]*$/);
  });

  it('runs every container read-only with a tmpfs /tmp, no capabilities, no privilege gain, bounded memory', () => {
    for (const [name, service] of services) {
      expect(service.read_only, name).toBe(true);
      expect(service.tmpfs?.some((mount) => mount.split(':')[0] === '/tmp'), name).toBe(true);
      expect(service.cap_drop, name).toEqual(['ALL']);
      expect(service.security_opt, name).toContain('no-new-privileges:true');
      expect(service.mem_limit, name).toMatch(/^\d+[mg]$/);
    }
  });
});

describe('docker-compose.yml, several replicas (--profile postgres)', () => {
  const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as {
    services: Record<string, { image?: string; build?: unknown; profiles?: string[]; environment?: Record<string, string>; volumes?: string[]; ports?: string[]; expose?: string[]; depends_on?: unknown; configs?: Array<{ source: string; target: string }> }>;
    volumes: Record<string, unknown>;
    configs: Record<string, { content: string }>;
  };
  const inProfile = Object.entries(compose.services).filter(([, service]) => service.profiles?.includes('postgres'));
  const replicas = inProfile.filter(([, service]) => service.image === 'preflight:local');
  const [, postgres] = inProfile.find(([, service]) => service.image?.startsWith('postgres:'))!;

  it('runs the embedded store by default: the service keeps its SQLite file on a named volume, in no profile', () => {
    const [, single] = Object.entries(compose.services).find(([, service]) => service.build !== undefined)!;
    expect(single.profiles).toBeUndefined();
    expect(single.environment?.PREFLIGHT_DATABASE_URL).toBeUndefined();
    expect(single.volumes).toContain('preflight-data:/app/data');
    expect(compose.volumes).toHaveProperty('preflight-data');
  });

  it('adds PostgreSQL from the official image, pinned to a version, its data on a named volume', () => {
    expect(postgres.image).toMatch(/^postgres:\d+\.\d+(-[a-z0-9.]+)?$/);
    const volume = postgres.volumes!.find((v) => v.endsWith(':/var/lib/postgresql/data'))!;
    expect(compose.volumes).toHaveProperty(volume.split(':')[0]!);
  });

  it('runs two replicas of the service image, each on that database, started after it is healthy', () => {
    expect(replicas).toHaveLength(2);
    const { POSTGRES_USER: user, POSTGRES_PASSWORD: password, POSTGRES_DB: database } = postgres.environment!;
    const postgresName = inProfile.find(([, service]) => service === postgres)![0];
    for (const [name, replica] of replicas) {
      expect(replica.environment?.PREFLIGHT_DATABASE_URL, name).toBe(`postgres://${user}:${password}@${postgresName}:5432/${database}`);
      expect(replica.environment?.PREFLIGHT_API_KEYS, name).toBe(compose.services.preflight!.environment!.PREFLIGHT_API_KEYS);
      expect(replica.depends_on, name).toMatchObject({ [postgresName]: { condition: 'service_healthy' } });
      expect(replica.ports, name).toBeUndefined(); // reached through the proxy only
    }
  });

  it('puts one port in front of both: nginx, pinned, its config inline, every replica an upstream', () => {
    const published = inProfile.filter(([, service]) => service.ports?.length);
    expect(published).toHaveLength(1);
    const [, proxy] = published[0]!;
    expect(proxy.image).toMatch(/^nginx:\d+\.\d+\.\d+(-[a-z0-9.]+)?$/);
    const [port] = proxy.ports!;
    expect(port).toMatch(/^127\.0\.0\.1:(\d+):8080$/);
    expect(port).not.toBe(compose.services.preflight!.ports![0]); // both profiles can run at once
    const config = compose.configs[proxy.configs!.find((c) => c.target === '/etc/nginx/nginx.conf')!.source]!.content;
    expect(config).toMatch(/listen 8080;/);
    for (const [name] of replicas) expect(config).toContain(`server ${name}:8080;`);
    expect(config).toMatch(/proxy_pass http:\/\/preflight;/);
    // Compose would read a single $ as one of its variables: nginx's must be written $$.
    expect(config).not.toMatch(/(^|[^$])\$[a-z_]/);
  });
});

describe('.env.example', () => {
  it('sets no HOST, which would override the image\'s 0.0.0.0 when given to a container', () => {
    const example = readFileSync('.env.example', 'utf8');
    expect(example).not.toMatch(/^\s*HOST=/m);
    expect(example).toMatch(/^# HOST=/m);
  });
});
