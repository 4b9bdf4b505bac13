// `npm run sandbox` as a process: what the demo and onboarding-UI developers run.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it, onTestFinished } from 'vitest';

const TSX = 'node_modules/.bin/tsx';

function sandboxProcess(args: string[]) {
  const child = spawn(TSX, ['src/sandbox/main.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return { child, stderr: () => stderr };
}

async function exitOf(child: ChildProcess) {
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  return { code, signal };
}

describe('npm run sandbox', () => {
  it('prints one JSON line with the endpoint and keys, then serves', async () => {
    const { child, stderr } = sandboxProcess(['--scenario', 'full-access', '--port', '0']);
    try {
      const lines: string[] = [];
      const reader = createInterface({ input: child.stdout! });
      reader.on('line', (line) => lines.push(line));
      await once(reader, 'line');
      const started = JSON.parse(lines[0]!);
      expect(started).toMatchObject({ endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), accountId: '123456789012', region: 'eu-west-1' });
      expect(started.endpoint).not.toMatch(/:0$/); // the port actually bound, not the one asked for
      expect(started.roles).toEqual([{ name: 'PreflightReadOnly', arn: 'arn:aws:iam::123456789012:role/PreflightReadOnly', externalId: 'acme-7f3c2a' }]);
      expect(started.principals).toEqual([
        { name: 'analyst', arn: 'arn:aws:iam::123456789012:user/analyst', accessKeyId: 'AKIASANDBOXANALYST01', secretAccessKey: expect.any(String) },
        { name: 'preflight-service', arn: 'arn:aws:iam::999999999999:user/preflight-service', accessKeyId: 'AKIASANDBOXSERVICE01', secretAccessKey: expect.any(String), serviceIdentity: true },
      ]);

      // Requests are accepted as soon as the line is out.
      for (const principal of started.principals) {
        const sts = new STSClient({ region: started.region, endpoint: started.endpoint, maxAttempts: 1, credentials: { accessKeyId: principal.accessKeyId, secretAccessKey: principal.secretAccessKey } });
        await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Arn: principal.arn });
      }
      // Exactly one line: logs go to stderr.
      expect(lines).toHaveLength(1);
      expect(stderr()).toContain('full-access');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exitOf(child)).toEqual({ code: 0, signal: null });
  });

  it('refuses an unknown scenario with a message that names it', async () => {
    const { child, stderr } = sandboxProcess(['--scenario', 'no-such-scenario', '--port', '0']);
    let stdout = '';
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    const { code } = await exitOf(child);
    expect(code).not.toBe(0);
    expect(stderr()).toContain('no-such-scenario');
    expect(stdout).toBe('');
  });

  it('refuses a scenario file with a mistake, naming the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-cli-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'typo.json');
    writeFileSync(file, JSON.stringify({ extends: 'full-access', name: 'typo', description: 'a typo', region: 'eu-west-one' }));
    const { child, stderr } = sandboxProcess(['--scenario', file, '--port', '0']);
    const { code } = await exitOf(child);
    expect(code).not.toBe(0);
    expect(stderr()).toContain(file);
    expect(stderr()).toContain('/region');
  });
});
