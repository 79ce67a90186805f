import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Generated } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import { migrationsFor } from './migrations.js';

/**
 * The store's tables, as the one query layer (Kysely) sees them on both
 * engines. Dialect-neutral types only: text (ISO timestamps sort as text;
 * JSON is text), integers, and integer 0/1 for flags.
 */
export interface IntentsTable {
  id: string;
  phone_number: string;
  provider: string;
  operation: string;
  actor: string;
  plan: string;
  status: string;
  step: string;
  detail: string | null;
  created_at: string;
  updated_at: string;
  /** The replica working on the intent, and until when it holds it (see Journal). */
  owner: string | null;
  lease_until: string | null;
}

export interface AuditTable {
  id: Generated<number>;
  at: string;
  actor: string;
  operation: string;
  phone_number: string | null;
  subject: string | null;
  before: string | null;
  after: string | null;
  outcome: string;
  detail: string | null;
  change_id: string | null;
  provider: string | null;
}

export interface UploadsTable {
  id: string;
  idempotency_key: string | null;
  request_hash: string | null;
  status: string;
  dry_run: number;
  actor: string;
  totals: string | null;
  detail: string | null;
  created_at: string;
  updated_at: string;
}

export interface UploadRowsTable {
  upload_id: string;
  line: number;
  phone_number: string | null;
  status: string;
  message: string | null;
  payload: string | null;
}

/** One number of the inventory index: what filters need, computed by the sync from its sources. */
export interface InventoryNumbersTable {
  e164: string;
  country: string | null;
  toll_free: number;
  national: string;
  international: string;
  routed: number;
  search: string;
}

/** One provider's record of a number, as the last sync (or our own change) read it. */
export interface InventorySourcesTable {
  provider: string;
  provider_id: string;
  e164: string;
  /** The wire record(s), JSON. */
  record: string;
  /** Of `record`: an unchanged record is not written again. */
  hash: string;
  /** Where it routes (routing/model.ts `Routing`), JSON; null when nowhere. */
  routing: string | null;
  /** The global ID of its destination, for the `destination` filter. */
  destination: string | null;
  /** The RingCentral extension that holds the number. */
  owner: string | null;
  synced_at: string;
}

/** Reference data: queues, extensions, groups and the like, by kind and key. */
export interface InventoryDirectoryTable {
  kind: string;
  key: string;
  sort_key: string;
  record: string;
  synced_at: string;
}

export interface SyncStateTable {
  provider: string;
  started_at: string | null;
  success_at: string | null;
  duration_ms: number | null;
  records: number | null;
  calls: number | null;
  error: string | null;
  error_at: string | null;
  next_run_at: string | null;
  replica: string | null;
}

export interface LeasesTable {
  name: string;
  owner: string;
  until: string;
}

export interface InventoryVersionTable {
  id: number;
  version: number;
}

export interface Tables {
  inventory_numbers: InventoryNumbersTable;
  inventory_version: InventoryVersionTable;
  inventory_sources: InventorySourcesTable;
  inventory_directory: InventoryDirectoryTable;
  sync_state: SyncStateTable;
  leases: LeasesTable;
  intents: IntentsTable;
  audit: AuditTable;
  uploads: UploadsTable;
  upload_rows: UploadRowsTable;
}

export type Db = Kysely<Tables>;
export type Engine = 'sqlite' | 'postgres';

/** An open store database and which engine it runs on. */
export interface OpenDatabase {
  db: Db;
  engine: Engine;
}

// PostgreSQL returns count(*) and other bigints as strings; every count and
// id here fits in a double, so they are read as numbers on both engines.
pg.types.setTypeParser(20, (value) => Number(value));

/**
 * Opens the store and brings its schema up to date (Kysely's migrator; on
 * PostgreSQL it takes a lock, so replicas starting together migrate once).
 * `location` is a `postgres://` URL (`DATABASE_URL`) or an SQLite file
 * (`SWITCHBOARD_DB_PATH`, `:memory:` for a throwaway one).
 *
 * On SQLite, WAL lets readers (history queries) run beside the writer, and
 * `synchronous = FULL` makes every committed transaction durable before the
 * call returns, which is the point of a journal written ahead of a provider
 * call: after a crash, what was written is there.
 */
export async function openDatabase(location: string): Promise<OpenDatabase> {
  const engine: Engine = /^postgres(ql)?:\/\//.test(location) ? 'postgres' : 'sqlite';
  let db: Db;
  try {
    db = engine === 'postgres' ? postgres(location) : sqlite(location);
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrationsFor(engine) } });
    const { error } = await migrator.migrateToLatest();
    if (error) throw error;
  } catch (error) {
    throw new DatabaseOpenError(engine === 'postgres' ? redactUrl(location) : location, error);
  }
  return { db, engine };
}

function sqlite(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new Database(path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  // Two server processes on one file (a restart overlapping the old one) wait for each other.
  database.pragma('busy_timeout = 5000');
  return new Kysely<Tables>({ dialect: new SqliteDialect({ database }) });
}

function postgres(url: string): Db {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5_000 });
  // An idle client's error (the server restarted) must not crash the process; the pool replaces it.
  pool.on('error', (error) => process.stderr.write(`store: PostgreSQL connection error: ${error.message}\n`));
  return new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
}

/** A database URL without its password, for messages. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'DATABASE_URL';
  }
}

/** The store's database cannot be created, opened or migrated. */
export class DatabaseOpenError extends Error {
  constructor(
    readonly location: string,
    cause: unknown,
  ) {
    const code = (cause as NodeJS.ErrnoException).code;
    const message = cause instanceof Error ? cause.message : String(cause);
    super(`${location} cannot be opened: ${code && !message.includes(code) ? `${code}: ` : ''}${message}`, { cause });
    this.name = 'DatabaseOpenError';
  }
}

/** Whether `error` is a unique-constraint violation, on either engine. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
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
