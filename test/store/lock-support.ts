// Another process holding a SQLite file's write lock (a backup, the sqlite3 shell in a transaction),
// and a count of the event loop's turns: how a test sees the loop is free without timing it.
import { spawn } from 'node:child_process';

/** A child process that holds `path`'s write lock (BEGIN IMMEDIATE) until release() is called. */
export async function holdLock(path: string): Promise<{ release(): Promise<void> }> {
  const script = `
    const { DatabaseSync } = require('node:sqlite');
    const db = new DatabaseSync(process.env.LOCKED_FILE);
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('locked\\n');
    process.stdin.once('data', () => { db.exec('COMMIT'); db.close(); process.exit(0); });
  `;
  const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, LOCKED_FILE: path }, stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the lock holder exited (${code}) before taking the lock`)));
  });
  let released: Promise<void> | undefined;
  return {
    release() {
      released ??= (child.stdin.end('release\n'), exited);
      return released;
    },
  };
}

/** Turns of the event loop (setImmediate) until `done()` or `most` turns: many while a store waits means it waits off the loop. */
export async function loopTurnsUntil(done: () => boolean, most = Number.POSITIVE_INFINITY): Promise<number> {
  let turns = 0;
  while (!done() && turns < most) {
    await new Promise((resolve) => setImmediate(resolve));
    turns += 1;
  }
  return turns;
}
