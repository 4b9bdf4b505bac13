import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderOpenApi } from '../../src/app.js';

describe('openapi.yaml', () => {
  it('is what the route schemas generate (run `npm run openapi` after changing a route)', async () => {
    expect(readFileSync('openapi.yaml', 'utf8')).toBe(await renderOpenApi());
  });

  it('documents the preflight route, its request formats and the report', async () => {
    const yaml = await renderOpenApi();
    expect(yaml).toContain('/preflight:');
    expect(yaml).toContain('aws_account_id');
    expect(yaml).toContain('missingActions');
    expect(yaml).not.toContain('/openapi.yaml:');
  });
});
