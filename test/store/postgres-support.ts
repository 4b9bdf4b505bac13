// The PostgreSQL the store's tests run against: PREFLIGHT_TEST_DATABASE_URL, which CI sets
// (.ci/start-postgres starts one from Debian's packages). Without it those tests are skipped,
// except in CI, where its absence is a failure. Each test gets a schema of its own. The server can
// be frozen for a test (it must run on this machine, as .ci/start-postgres starts it).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
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

/** A process's parent, from /proc (Linux): the test server must run on this machine. */
function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // pid (comm) state ppid …: the command name may hold spaces and parentheses, the last ')' ends it.
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

function signal(pids: number[], name: 'STOP' | 'CONT') {
  const notOurs: number[] = [];
  for (const pid of pids) {
    try {
      process.kill(pid, `SIG${name}`);
    } catch (error) {
      const { code } = error as NodeJS.ErrnoException;
      if (code === 'EPERM') notOurs.push(pid);
      else if (code !== 'ESRCH') throw error; // ESRCH: a backend that ended meanwhile
    }
  }
  // CI's server belongs to the postgres user: signal it as .ci/start-postgres started it.
  if (notOurs.length) execFileSync('sudo', ['-n', 'kill', `-${name}`, ...notOurs.map(String)]);
}

/**
 * The test server frozen (SIGSTOP on the postmaster and every process of it: it accepts
 * connections into its backlog and answers nothing), as a server that hangs, swaps or is paused
 * would be. thaw() lets it go; so do a timer and the test process's exit, whatever the test does.
 */
export async function freezeServer(mostMs = 15_000): Promise<{ thaw(): void }> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const postmaster = parentOf(rows[0]!.pid);
  await client.end();
  if (readFileSync(`/proc/${postmaster}/comm`, 'utf8').trim() !== 'postgres') throw new Error(`process ${postmaster} is not the test server's postmaster: is PREFLIGHT_TEST_DATABASE_URL on this machine?`);
  const pids = [postmaster, ...readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number).filter((pid) => {
    try {
      return parentOf(pid) === postmaster;
    } catch {
      return false; // gone meanwhile
    }
  })];
  signal(pids, 'STOP');
  let frozen = true;
  const thaw = () => {
    if (!frozen) return;
    frozen = false;
    clearTimeout(timer);
    process.off('exit', thaw);
    signal(pids, 'CONT');
  };
  const timer = setTimeout(thaw, mostMs);
  process.on('exit', thaw);
  return { thaw };
}
