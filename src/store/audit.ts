import type { Db, Migration } from './database.js';

export const AUDIT_MIGRATION: Migration = {
  name: 'audit',
  sql: `
    CREATE TABLE audit (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      at TEXT NOT NULL,
      actor TEXT NOT NULL,
      operation TEXT NOT NULL,
      phone_number TEXT,
      subject TEXT,
      before TEXT,
      after TEXT,
      outcome TEXT NOT NULL,
      detail TEXT
    );
    CREATE INDEX audit_by_number ON audit (phone_number, id);
  `,
};

/** How a mutation ended. */
export type AuditOutcome = 'SUCCEEDED' | 'REJECTED' | 'FAILED' | 'ROLLED_BACK' | 'DRY_RUN' | 'RECOVERED';

export interface AuditEntryInput {
  actor: string;
  operation: string;
  /** The number changed, in E.164, when the mutation is about one. */
  phoneNumber?: string | null;
  /** What else was changed (a tracking group's global ID, an upload's id). */
  subject?: string | null;
  before?: unknown;
  after?: unknown;
  outcome: AuditOutcome;
  /** A message or the user-error codes. */
  detail?: string | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  operation: string;
  phoneNumber: string | null;
  subject: string | null;
  before: unknown;
  after: unknown;
  outcome: AuditOutcome;
  detail: string | null;
}

type Row = { id: number; at: string; actor: string; operation: string; phone_number: string | null; subject: string | null; before: string | null; after: string | null; outcome: AuditOutcome; detail: string | null };

/** The change history: every mutation, who made it, when, before and after, and how it ended. */
export class AuditLog {
  // Prepared once: an upload writes one entry per created number.
  private readonly insert;
  private readonly page;
  private readonly count;

  constructor(
    db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.insert = db.prepare(
      `INSERT INTO audit (at, actor, operation, phone_number, subject, before, after, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.page = db.prepare(`SELECT * FROM audit WHERE phone_number = ? AND id < ? ORDER BY id DESC LIMIT ?`);
    this.count = db.prepare(`SELECT count(*) AS total FROM audit WHERE phone_number = ?`);
  }

  write(entry: AuditEntryInput): AuditEntry {
    const at = this.now().toISOString();
    const result = this.insert
      .run(
        at,
        entry.actor,
        entry.operation,
        entry.phoneNumber ?? null,
        entry.subject ?? null,
        entry.before === undefined ? null : JSON.stringify(entry.before),
        entry.after === undefined ? null : JSON.stringify(entry.after),
        entry.outcome,
        entry.detail ?? null,
      );
    return {
      id: Number(result.lastInsertRowid),
      at,
      actor: entry.actor,
      operation: entry.operation,
      phoneNumber: entry.phoneNumber ?? null,
      subject: entry.subject ?? null,
      before: entry.before ?? null,
      after: entry.after ?? null,
      outcome: entry.outcome,
      detail: entry.detail ?? null,
    };
  }

  /** A number's entries, newest first, after the entry with id `beforeId` when given. */
  forNumber(phoneNumber: string, options: { limit: number; beforeId?: number }): { entries: AuditEntry[]; total: number } {
    const rows = this.page.all(phoneNumber, options.beforeId ?? Number.MAX_SAFE_INTEGER, options.limit) as Row[];
    const { total } = this.count.get(phoneNumber) as { total: number };
    return { entries: rows.map(toEntry), total };
  }
}

function toEntry(row: Row): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    operation: row.operation,
    phoneNumber: row.phone_number,
    subject: row.subject,
    before: row.before === null ? null : (JSON.parse(row.before) as unknown),
    after: row.after === null ? null : (JSON.parse(row.after) as unknown),
    outcome: row.outcome,
    detail: row.detail,
  };
}
