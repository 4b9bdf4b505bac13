import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';

const TSX = 'node_modules/.bin/tsx';

describe('npm run sandbox', () => {
  it('prints one JSON line with the endpoint and keys, then serves', async () => {
    const child = spawn(TSX, ['src/sandbox/main.ts', '--scenario', 'full-access', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
      const started = JSON.parse(line);
      expect(started).toMatchObject({ endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), accountId: '123456789012', region: 'eu-west-1' });
      expect(started.roles).toEqual([{ name: 'PreflightReadOnly', arn: 'arn:aws:iam::123456789012:role/PreflightReadOnly', externalId: 'acme-7f3c2a' }]);
      const analyst = started.principals.find((p: { name: string }) => p.name === 'analyst');
      const sts = new STSClient({ region: started.region, endpoint: started.endpoint, credentials: { accessKeyId: analyst.accessKeyId, secretAccessKey: analyst.secretAccessKey } });
      await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Arn: analyst.arn });
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('refuses an unknown scenario with a message that names it', async () => {
    const child = spawn(TSX, ['src/sandbox/main.ts', '--scenario', 'no-such-scenario'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).not.toBe(0);
    expect(stderr).toContain('no-such-scenario');
  });
});
