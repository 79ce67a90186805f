import { AUDIT_CHANGE_ID_MIGRATION, AUDIT_MIGRATION, AuditLog } from './audit.js';
import { openDatabase, type Db, type Migration } from './database.js';
import { JOURNAL_MIGRATION, Journal } from './journal.js';
import { UPLOADS_MIGRATION, UploadStore } from './uploads.js';

export { AuditLog, type AuditEntry, type AuditEntryInput, type AuditOutcome } from './audit.js';
export { ChangeInProgressError, Journal, type Intent, type IntentStatus } from './journal.js';
export { UploadStore } from './uploads.js';
export { DatabaseOpenError } from './database.js';

/**
 * Every schema change, in order. Append only: a migration that has shipped
 * is never edited, because databases in the field have already applied it.
 */
const MIGRATIONS: readonly Migration[] = [JOURNAL_MIGRATION, AUDIT_MIGRATION, UPLOADS_MIGRATION, AUDIT_CHANGE_ID_MIGRATION];

/** Switchboard's embedded store: the change journal and the audit log, in one SQLite file. */
export class Store {
  readonly journal: Journal;
  readonly audit: AuditLog;
  readonly uploads: UploadStore;

  private constructor(readonly db: Db) {
    this.journal = new Journal(db);
    this.audit = new AuditLog(db);
    this.uploads = new UploadStore(db);
  }

  /** Opens the store at `path` (`:memory:` for a throwaway one). */
  static open(path: string): Store {
    return new Store(openDatabase(path, MIGRATIONS));
  }

  close(): void {
    this.db.close();
  }
}
