import { afterAll, afterEach, describe, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { Store } from '../../src/store/index.js';
import { freshDatabase, postgresAvailable } from '../support/postgres.js';

/** The store on one engine, for the tests of one `describe`. */
export interface StoreEngine {
  name: 'SQLite' | 'PostgreSQL';
  /** Opens a store on an empty database. */
  fresh(): Promise<Store>;
  /** Opens another store on the last fresh database: a second replica, or the same server started again. */
  reopen(): Promise<Store>;
  /** Closes a store before the test ends (a server stopping). */
  close(store: Store): Promise<void>;
}

/**
 * Declares `body` once per engine: SQLite (an on-disk file, so that a second
 * store can open it), and PostgreSQL when `DATABASE_URL` is set, on a
 * database of its own, dropped after. Without `DATABASE_URL` the PostgreSQL
 * tests are skipped with a notice, and under CI they fail (see
 * `test/support/postgres.ts`).
 */
export function describeEachEngine(title: string, body: (engine: StoreEngine) => void): void {
  describe(`${title} (SQLite)`, () => withEngine(sqliteEngine(), body));
  let available: boolean;
  try {
    available = postgresAvailable(`${title} on PostgreSQL`);
  } catch (error) {
    // Under CI: a failing test beside the SQLite ones, rather than a file that does not load.
    describe(`${title} (PostgreSQL)`, () => {
      it('runs on PostgreSQL', () => {
        throw error;
      });
    });
    return;
  }
  if (available) describe(`${title} (PostgreSQL)`, () => withEngine(postgresEngine(), body));
}

interface EngineHarness extends StoreEngine {
  /** Closes every store still open. */
  closeAll(): Promise<void>;
  dispose(): Promise<void>;
}

function withEngine(engine: EngineHarness, body: (engine: StoreEngine) => void): void {
  afterEach(() => engine.closeAll());
  afterAll(() => engine.dispose());
  body(engine);
}

/** Tracks the stores a harness opened, so each is closed exactly once. */
function tracked(open: () => Promise<Store>) {
  const stores = new Set<Store>();
  return {
    async open() {
      const store = await open();
      stores.add(store);
      return store;
    },
    async close(store: Store) {
      if (stores.delete(store)) await store.close();
    },
    async closeAll() {
      await Promise.all([...stores].map((s) => s.close()));
      stores.clear();
    },
  };
}

function sqliteEngine(): EngineHarness {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-store-'));
  let files = 0;
  let path = '';
  const stores = tracked(() => Store.open(path));
  return {
    name: 'SQLite',
    fresh() {
      path = join(dir, `store-${(files += 1)}.db`);
      return stores.open();
    },
    reopen: () => stores.open(),
    close: (store) => stores.close(store),
    closeAll: () => stores.closeAll(),
    async dispose() {
      await stores.closeAll();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A database of its own for one `describe`; `fresh()` empties its tables. */
function postgresEngine(): EngineHarness {
  let database: Promise<{ url: string; drop(): Promise<void> }> | undefined;
  const stores = tracked(async () => Store.open((await database!).url));
  return {
    name: 'PostgreSQL',
    async fresh() {
      database ??= freshDatabase();
      const store = await stores.open();
      const tables = (await store.db.introspection.getTables()).map((t) => t.name).filter((t) => !t.startsWith('kysely_'));
      await sql`TRUNCATE ${sql.join(tables.map((t) => sql.table(t)))}`.execute(store.db);
      return store;
    },
    reopen: () => stores.open(),
    close: (store) => stores.close(store),
    closeAll: () => stores.closeAll(),
    async dispose() {
      await stores.closeAll();
      if (database) await (await database).drop();
    },
  };
}
