import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type Db = Database.Database;

/** One schema change, applied once, in order (tracked in SQLite's `user_version`). */
export interface Migration {
  name: string;
  sql: string;
}

/**
 * Opens (creating if needed) the SQLite file and brings its schema up to
 * date. WAL lets readers (history queries) run beside the writer;
 * `synchronous = FULL` makes every committed transaction durable before the
 * call returns, which is the point of a journal written ahead of a provider
 * call: after a crash, what was written is there.
 */
export function openDatabase(path: string, migrations: readonly Migration[]): Db {
  let db: Db;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
    db.pragma('journal_mode = WAL');
  } catch (error) {
    throw new DatabaseOpenError(path, error);
  }
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // Two server processes on one file (a restart overlapping the old one) wait for each other.
  db.pragma('busy_timeout = 5000');
  const applied = db.pragma('user_version', { simple: true }) as number;
  migrations.slice(applied).forEach((migration, i) => {
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${applied + i + 1}`);
    })();
  });
  return db;
}

/** The store's file cannot be created or opened (a missing or read-only directory, not a database). */
export class DatabaseOpenError extends Error {
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    const code = (cause as NodeJS.ErrnoException).code;
    const message = cause instanceof Error ? cause.message : String(cause);
    super(`${path} cannot be opened: ${code && !message.includes(code) ? `${code}: ` : ''}${message}`, { cause });
    this.name = 'DatabaseOpenError';
  }
}

/**
 * The most text one stored field keeps. A refused mutation's input (a 5 MB
 * "phone number") is echoed in messages and history: without a bound, every
 * such call would cost megabytes of storage.
 */
export const MAX_STORED_TEXT = 2_000;

/** `text`, cut to {@link MAX_STORED_TEXT} characters with a note of how much was left out. */
export function boundText(text: string, max = MAX_STORED_TEXT): string {
  return text.length <= max ? text : `${text.slice(0, max)}… [${text.length - max} more characters not kept]`;
}
