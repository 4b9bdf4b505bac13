// POST /setup and the setup generators as the tests that compare them with `preflight setup` read
// them: a service whose trusted principal is the sandbox's service role, its route with the test
// API key, and the generators called directly for the same body.
import { afterAll, beforeAll } from 'vitest';
import { type Setup, buildSetup } from '../../src/setup/generate.js';
import { validateSetupRequest } from '../../src/setup/request.js';
import { type Harness, TEST_API_KEY, startHarness } from './service.js';

/** The principal the generated role trusts (the service's own role), as `--trusted-principal` gives it. */
export const SETUP_PRINCIPAL = 'arn:aws:iam::999999999999:role/preflight-service';
export const SETUP_EXTERNAL_ID = 'acme-7f3c2a';

/**
 * Starts the service for the enclosing describe (or file) and stops it after: POST /setup with a
 * body, answered as JSON or, with `accept`, as Markdown.
 */
export function setupRoute() {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness('full-access', { config: { trustedPrincipal: SETUP_PRINCIPAL } });
  });
  afterAll(async () => {
    await harness?.close();
  });
  return (body: object, accept = 'application/json') =>
    harness.app.inject({ method: 'POST', url: '/setup', headers: { authorization: `Bearer ${TEST_API_KEY}`, accept }, payload: body });
}

/** What the generators make of a body, as POST /setup does: throws on a body it would refuse. */
export function setupFor(body: Record<string, unknown>): Setup {
  const validation = validateSetupRequest(body);
  if (!validation.ok) throw new Error(JSON.stringify(validation.issues));
  return buildSetup(validation.input, { trustedPrincipalArn: SETUP_PRINCIPAL });
}
