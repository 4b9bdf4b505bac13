// The SDK's own cost per AWS call, as a floor for the service's CPU per preflight: clients from the
// service's factory (same settings, same keep-alive handler), one small Glue call after another on
// 32 workers, a new client every 38 calls as a preflight would. No engine, no HTTP API.
// Run as its own process by bench/measurements.ts; prints one JSON line.
import { createClientFactory } from '../src/aws/clients.js';

const { ENDPOINT, REGION, ACCESS_KEY_ID, SECRET_ACCESS_KEY, CALLS_PER_CLIENT } = process.env;
const factory = createClientFactory({ defaultEndpoint: ENDPOINT });
const { GetDatabasesCommand } = await factory.sdk('glue');
const credentials = { accessKeyId: ACCESS_KEY_ID!, secretAccessKey: SECRET_ACCESS_KEY! };
const perClient = Number(CALLS_PER_CLIENT);

async function work(until: number): Promise<number> {
  let calls = 0;
  while (performance.now() < until) {
    const glue = await factory.create('glue', REGION!, credentials);
    for (let i = 0; i < perClient; i++, calls++) await glue.send(new GetDatabasesCommand({ MaxResults: 10 }));
  }
  return calls;
}

const run = async (ms: number) => (await Promise.all(Array.from({ length: 32 }, () => work(performance.now() + ms)))).reduce((a, b) => a + b, 0);
await run(1000); // warm up
const before = process.cpuUsage();
const calls = await run(4000);
const cpu = process.cpuUsage(before);
factory.destroy();
process.stdout.write(`${JSON.stringify({ calls, cpuMsPerCall: (cpu.user + cpu.system) / 1000 / calls })}\n`);
