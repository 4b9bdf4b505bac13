// The PostgreSQL the store's tests run against: PREFLIGHT_TEST_DATABASE_URL, which CI sets
// (.ci/start-postgres starts one from Debian's packages). Without it those tests are skipped,
// except in CI, where its absence is a failure. Each test gets a schema of its own.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_DATABASE_URL = process.env.PREFLIGHT_TEST_DATABASE_URL;
if (!TEST_DATABASE_URL && process.env.CI) throw new Error('PREFLIGHT_TEST_DATABASE_URL is not set: CI must run the PostgreSQL store tests (.ci/start-postgres)');

/** A new schema, and the URL of a connection whose search_path is that schema. */
export async function newSchema() {
  const schema = `preflight_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL!);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    async remove() {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}
