import type { ChangeOutcome } from '../__generated__/resolvers-types.js';
import { boundText, type Db, type Migration } from './database.js';

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

/** Links history entries to the journaled change they belong to. */
export const AUDIT_CHANGE_ID_MIGRATION: Migration = {
  name: 'audit-change-id',
  sql: `ALTER TABLE audit ADD COLUMN change_id TEXT;`,
};

/** How a mutation ended (the schema's `ChangeOutcome`). */
export type AuditOutcome = ChangeOutcome;

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
  /** The journal intent of a routing change. */
  changeId?: string | null;
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
  changeId: string | null;
}

type Row = { id: number; at: string; actor: string; operation: string; phone_number: string | null; subject: string | null; before: string | null; after: string | null; outcome: AuditOutcome; detail: string | null; change_id: string | null };

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
      `INSERT INTO audit (at, actor, operation, phone_number, subject, before, after, outcome, detail, change_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.page = db.prepare(`SELECT * FROM audit WHERE phone_number = ? AND id < ? ORDER BY id DESC LIMIT ?`);
    this.count = db.prepare(`SELECT count(*) AS total FROM audit WHERE phone_number = ?`);
  }

  /**
   * Records one entry. Every text is bounded (see `boundText`): the history
   * must cost bounded storage whatever a caller sends. A state too large to
   * keep whole is kept as a note saying so.
   */
  write(entry: AuditEntryInput): AuditEntry {
    const at = this.now().toISOString();
    const bounded = {
      actor: boundText(entry.actor, 200),
      operation: boundText(entry.operation, 100),
      phoneNumber: entry.phoneNumber == null ? null : boundText(entry.phoneNumber, 64),
      subject: entry.subject == null ? null : boundText(entry.subject, 500),
      before: entry.before === undefined ? null : boundJson(entry.before),
      after: entry.after === undefined ? null : boundJson(entry.after),
      detail: entry.detail == null ? null : boundText(entry.detail),
      changeId: entry.changeId ?? null,
    };
    const result = this.insert.run(at, bounded.actor, bounded.operation, bounded.phoneNumber, bounded.subject, bounded.before, bounded.after, entry.outcome, bounded.detail, bounded.changeId);
    const row: Row = {
      id: Number(result.lastInsertRowid),
      at,
      actor: bounded.actor,
      operation: bounded.operation,
      phone_number: bounded.phoneNumber,
      subject: bounded.subject,
      before: bounded.before,
      after: bounded.after,
      outcome: entry.outcome,
      detail: bounded.detail,
      change_id: bounded.changeId,
    };
    return toEntry(row);
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
    changeId: row.change_id ?? null,
  };
}

/** A before/after state as JSON, or a note when it is too large to keep. */
function boundJson(value: unknown): string {
  const json = JSON.stringify(value ?? null);
  return json.length <= 8_000 ? json : JSON.stringify({ omitted: `a state of ${json.length} characters, over the 8,000 kept` });
}
