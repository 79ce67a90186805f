import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { AuditLog } from './audit.js';
import { openDatabase, type Db, type Engine } from './database.js';
import { InventoryIndex } from './inventory.js';
import { Journal } from './journal.js';
import { UploadStore } from './uploads.js';

export { AuditLog, type AuditEntry, type AuditEntryInput, type AuditFilter, type AuditOutcome } from './audit.js';
export { ChangeInProgressError, Journal, type Intent, type IntentStatus } from './journal.js';
export { UploadStore } from './uploads.js';
export { InventoryIndex, type NumberQuery, type SyncState } from './inventory.js';
export { DatabaseOpenError, type Engine } from './database.js';

export interface StoreOptions {
  /** How long an open intent stays with the replica working on it without a renewal (default 30 s). */
  leaseMs?: number;
}

/**
 * Switchboard's store: the inventory index, the change journal, the history
 * and upload results.
 * An SQLite file for one server (the embedded default), or PostgreSQL
 * (`DATABASE_URL`) shared by every replica; the same code on both.
 */
export class Store {
  readonly journal: Journal;
  readonly audit: AuditLog;
  readonly uploads: UploadStore;
  readonly inventory: InventoryIndex;
  /** This process's name among replicas: the owner of its intents and leases. */
  readonly owner: string;

  private constructor(
    readonly db: Db,
    readonly engine: Engine,
    options: StoreOptions,
  ) {
    // Unique per process: a restarted replica is a new owner, so what its previous life held is recovered.
    const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.owner = owner;
    this.inventory = new InventoryIndex(db);
    this.journal = new Journal(db, { owner, leaseMs: options.leaseMs ?? 30_000 });
    this.audit = new AuditLog(db);
    this.uploads = new UploadStore(db, engine);
  }

  /** Opens the store at `location`: a `postgres://` URL, or an SQLite file (`:memory:` for a throwaway one). */
  static async open(location: string, options: StoreOptions = {}): Promise<Store> {
    const { db, engine } = await openDatabase(location);
    const store = new Store(db, engine, options);
    await store.uploads.init(store.singleProcess);
    return store;
  }

  /**
   * Whether one process owns the whole journal. An SQLite file is used by
   * one server, so at its start every open intent is orphaned; replicas on
   * PostgreSQL go by leases instead.
   */
  get singleProcess(): boolean {
    return this.engine === 'sqlite';
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
