import { randomUUID } from 'node:crypto';
import pg from 'pg';

/**
 * PostgreSQL for tests: `DATABASE_URL` names a server the tests may create
 * databases on (.ci/run starts Debian's PostgreSQL and sets it). Each call
 * makes a fresh, empty database, so tests never see each other's rows.
 *
 * Without `DATABASE_URL` the caller skips, with a notice; under CI (`CI`
 * set) a missing `DATABASE_URL` is an error, so these tests cannot silently
 * stop running there.
 */
export function postgresAvailable(what: string): boolean {
  if (process.env.DATABASE_URL) return true;
  if (process.env.CI) throw new Error(`${what} needs PostgreSQL: DATABASE_URL is not set, and under CI these tests must run`);
  console.warn(`${what}: skipped, DATABASE_URL is not set (see README: PostgreSQL)`);
  return false;
}

/** A new empty database on the `DATABASE_URL` server; drop it with the returned function. */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = new URL(process.env.DATABASE_URL!);
  const name = `switchboard_t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: base.toString() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
