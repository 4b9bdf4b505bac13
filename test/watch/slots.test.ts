// The run slots, shared by POST /preflight and the watch, over real requests: with two slots and a
// watched run in flight, one API caller still gets the other and a second is answered 503 busy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleRequest } from '../../src/sandbox/sample.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { parseWatchFile } from '../../src/watch/file.js';
import { type TempStore, tempStore } from '../store/support.js';
import { watchRequests } from '../support/sandbox.js';
import { WATCH_API_KEY, fakeClock, watchedApp } from './support.js';

let sandbox: Sandbox;
let temp: TempStore;
beforeAll(async () => {
  [sandbox, temp] = await Promise.all([startSandbox({ scenario: 'full-access' }), tempStore()]);
});
afterAll(async () => {
  await Promise.all([sandbox?.close(), temp?.remove()]);
});

describe('the run slots', () => {
  it('count a watched run: with two, a caller gets the other and the next caller is told busy', async () => {
    const connections = await parseWatchFile(
      { connections: [{ label: 'acme', region: 'eu-west-1', accountId: '123456789012', roleArn: 'arn:aws:iam::123456789012:role/PreflightReadOnly', externalIdEnv: 'X', capabilities: ['metadata'] }] },
      { env: { X: 'acme-7f3c2a' }, baseDir: '.' },
    );
    const time = fakeClock();
    const { app, clients } = await watchedApp(sandbox, temp.store, { connections, clock: time.clock, random: () => 0 }, { maxConcurrentRuns: 2 });
    // Glue answers after a second: runs last long enough to overlap.
    sandbox.state.scenario.faults.push({ service: 'glue', latencyMs: 1000 });
    const requests = watchRequests(sandbox);
    try {
      await app.ready();
      const watched = time.advance(1000);
      await requests.next(2); // the watched run is under way (its role assumed)
      const post = () => app.inject({ method: 'POST', url: '/preflight', headers: { authorization: `Bearer ${WATCH_API_KEY}` }, payload: sampleRequest(sandbox, { capabilities: ['metadata'] }) });
      const [first, second] = await Promise.all([post(), post()]);
      expect([first.statusCode, second.statusCode].sort()).toEqual([200, 503]);
      expect([first, second].find((r) => r.statusCode === 503)!.json()).toMatchObject({ error: 'busy' });
      await watched;
      expect((await app.inject({ url: '/watch', headers: { authorization: `Bearer ${WATCH_API_KEY}` } })).json().connections[0].lastRun).toMatchObject({ status: 'ok' });
      // Once the watched run is done, both slots are free again.
      const [third, fourth] = await Promise.all([post(), post()]);
      expect([third.statusCode, fourth.statusCode]).toEqual([200, 200]);
    } finally {
      requests.stop();
      sandbox.state.scenario.faults.splice(0);
      await app.close();
      clients.destroy();
    }
  }, 30_000);
});
