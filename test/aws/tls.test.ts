// Inside customers' VPCs, AWS is often reached over TLS that a proxy re-signs with the company's
// own CA (AWS_CA_BUNDLE), and through an HTTPS proxy that tunnels with CONNECT. Here the sandbox
// sits behind a TLS front whose certificate comes from a CA made for this test with openssl.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer as createHttpsServer } from 'node:https';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetworkSettings } from '../../src/aws/clients.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { type RecordingProxy, startProxy } from '../support/proxy.js';
import { runAsRole } from '../support/role-run.js';

let sandbox: Sandbox;
let proxy: RecordingProxy;
let front: Server;
let endpoint: string;
let caBundle: Buffer;
let otherCa: Buffer;
const dir = mkdtempSync(join(tmpdir(), 'preflight-tls-'));

/** A CA, and a certificate it signs for localhost / 127.0.0.1, in `dir`. */
function makeCertificates(): void {
  const openssl = (...args: string[]) => {
    try {
      return execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('the TLS tests need openssl on PATH to make a throwaway CA: install it (Debian: `apt-get install openssl`; .ci/run does this)');
      throw error;
    }
  };
  for (const name of ['ca', 'other-ca']) {
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=Preflight test ${name}`, '-keyout', `${name}.key`, '-out', `${name}.pem`);
  }
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'san.ext', '-out', 'server.pem');
}

beforeAll(async () => {
  makeCertificates();
  caBundle = readFileSync(join(dir, 'ca.pem'));
  otherCa = readFileSync(join(dir, 'other-ca.pem'));
  sandbox = await startSandbox({ scenario: 'full-access' });
  proxy = await startProxy();
  // The TLS front hands each request to the sandbox untouched (the Host header the SDK signed included).
  const upstream = new URL(sandbox.endpoint);
  front = createHttpsServer({ key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.pem')) }, (req, res) => {
    const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  endpoint = `https://localhost:${(front.address() as AddressInfo).port}`;
});

afterAll(async () => {
  front.closeAllConnections();
  await new Promise((resolve) => front.close(resolve));
  await proxy.close();
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

// The sandbox as reached through the TLS front.
const run = (settings: NetworkSettings) => runAsRole(sandbox, { defaultEndpoint: endpoint, ...settings });

describe('AWS behind TLS signed by a private CA', () => {
  it('works with the CA bundle, the role assumption included', async () => {
    const report = await run({ caBundle });
    expect(report.status).toBe('ok');
  });

  it('without the bundle, says the certificate of which host is not trusted and what fixes it, never "denied"', async () => {
    const report = await run({});
    expect(report.status).toBe('failed');
    const assume = report.probes.find((p) => p.id === 'sts-assume-role')!;
    expect(assume.error).toMatchObject({ category: 'network', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    expect(assume.error!.message).toContain(`The TLS certificate of ${new URL(endpoint).host} is not trusted`);
    expect(assume.error!.message).toContain('AWS_CA_BUNDLE');
    const connection = report.capabilities.find((c) => c.id === 'connection')!;
    expect(connection.status).toBe('unknown');
    expect(connection.remediation?.summary).not.toContain('run the preflight again'); // it would fail the same way
    expect(report.capabilities.every((c) => c.status !== 'unavailable')).toBe(true);
    // The connection was made: a certificate refused is no endpoint missing.
    expect(report.findings.map((f) => f.code)).not.toContain('SERVICE_UNREACHABLE');
  });

  it('refuses a bundle from another CA', async () => {
    const report = await run({ caBundle: otherCa });
    expect(report.probes.find((p) => p.id === 'sts-assume-role')!.error).toMatchObject({ category: 'network', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });

  it('goes through an HTTPS proxy as CONNECT tunnels, TLS verified end to end', async () => {
    proxy.seen.length = 0;
    const report = await run({ caBundle, proxy: { httpsProxy: proxy.url } });
    expect(report.status).toBe('ok');
    expect(proxy.seen.length).toBeGreaterThan(0);
    // The proxy sees only tunnels to the endpoint: no request, header or signature in clear.
    expect(proxy.seen.every((seen) => seen.method === 'CONNECT' && seen.host === new URL(endpoint).host)).toBe(true);
    // The bundle verifies AWS's end of the tunnel (https-proxy-agent alone would use it for the proxy only).
    const untrusted = await run({ proxy: { httpsProxy: proxy.url } });
    expect(untrusted.probes.find((p) => p.id === 'sts-assume-role')!.error).toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });
});
