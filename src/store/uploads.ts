import type { Statement } from 'better-sqlite3';
import type { Db, Migration } from './database.js';

export const UPLOADS_MIGRATION: Migration = {
  name: 'uploads',
  sql: `
    CREATE TABLE uploads (
      id TEXT PRIMARY KEY,
      -- NULL for uploads sent without a key; SQLite's UNIQUE lets NULLs repeat.
      idempotency_key TEXT UNIQUE,
      request_hash TEXT,
      status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
      dry_run INTEGER NOT NULL,
      actor TEXT NOT NULL,
      totals TEXT,
      detail TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE TABLE upload_rows (
      upload_id TEXT NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
      line INTEGER NOT NULL,
      phone_number TEXT,
      status TEXT NOT NULL CHECK (status IN ('PENDING', 'CREATED', 'EXISTS', 'DUPLICATE', 'INVALID', 'FAILED')),
      message TEXT,
      payload TEXT,
      PRIMARY KEY (upload_id, line)
    ) WITHOUT ROWID;
    -- Pages of one status in file order, and the batches of rows still to send.
    CREATE INDEX upload_rows_by_status ON upload_rows (upload_id, status, line);
    -- The earlier line with the same number, for duplicates within a file:
    -- equality on three columns, so the planner never prefers the index above.
    CREATE INDEX upload_rows_by_number ON upload_rows (upload_id, phone_number, status, line);
  `,
};

/** What happened to a row. `PENDING` is internal: valid and new, not yet sent (or settled by a dry run). */
export type UploadRowStatus = 'PENDING' | 'CREATED' | 'EXISTS' | 'DUPLICATE' | 'INVALID' | 'FAILED';
/** A reported status: every status but the internal `PENDING`. */
export type ReportedRowStatus = Exclude<UploadRowStatus, 'PENDING'>;
export type UploadStatus = 'running' | 'done' | 'failed';

/** Row counts of an upload. */
export interface UploadTotals {
  rows: number;
  created: number;
  exists: number;
  duplicate: number;
  invalid: number;
  failed: number;
}

export interface StoredUpload {
  id: string;
  idempotencyKey: string | null;
  requestHash: string | null;
  status: UploadStatus;
  dryRun: boolean;
  actor: string;
  totals: UploadTotals | null;
  detail: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A row as written by the first phase. */
export interface NewUploadRow {
  line: number;
  phoneNumber: string | null;
  status: UploadRowStatus;
  message: string | null;
  /** The record to send to the provider, for `PENDING` rows. */
  payload?: unknown;
}

/** A row of the report. */
export interface ReportRow {
  line: number;
  phoneNumber: string | null;
  status: ReportedRowStatus;
  message: string | null;
}

/** A row still to be sent, with its record. */
export interface PendingRow<P> {
  line: number;
  phoneNumber: string;
  payload: P;
}

/** A row's final status. */
export interface RowSettlement {
  line: number;
  status: ReportedRowStatus;
  message: string | null;
}

type UploadDbRow = {
  id: string;
  idempotency_key: string | null;
  request_hash: string | null;
  status: UploadStatus;
  dry_run: number;
  actor: string;
  totals: string | null;
  detail: string | null;
  created_at: string;
  updated_at: string;
};

const EMPTY_TOTALS: UploadTotals = { rows: 0, created: 0, exists: 0, duplicate: 0, invalid: 0, failed: 0 };

/**
 * Uploads and their per-row reports. The rows of a file live here rather than
 * in memory: the first phase writes them as the CSV streams in, the second
 * reads back the rows to send in bounded batches, and the GraphQL report
 * pages through them. An upload's idempotency key is unique, so a retry
 * finds the first request's result, and two requests racing with the same
 * key cannot both start.
 */
export class UploadStore {
  /** Prepared once: the first phase runs a lookup per row. */
  private readonly statements = new Map<string, Statement>();

  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {
    // The store is opened once, at start-up: an upload still marked running
    // belongs to a process that stopped mid-upload. Failing it frees its key
    // for a retry, which is safe: numbers the dead process created are found
    // in the pool again and reported EXISTS.
    const stale = this.sql(`SELECT id FROM uploads WHERE status = 'running'`).all() as { id: string }[];
    for (const { id } of stale) this.fail(id, 'the server stopped while this upload was running');
  }

  /**
   * Starts an upload. With a key, the key is claimed atomically: answers
   * `conflict` with the upload holding it (running or done); an upload that
   * failed with the same key is discarded, so the retry runs afresh.
   */
  begin(input: { id: string; idempotencyKey: string | null; dryRun: boolean; actor: string }): { kind: 'started' } | { kind: 'conflict'; upload: StoredUpload } {
    const at = this.now().toISOString();
    return this.db.transaction(() => {
      if (input.idempotencyKey !== null) {
        const holder = this.byKey(input.idempotencyKey);
        if (holder && holder.status !== 'failed') return { kind: 'conflict' as const, upload: holder };
        if (holder) this.discard(holder.id);
      }
      this.sql(
        `INSERT INTO uploads (id, idempotency_key, request_hash, status, dry_run, actor, totals, detail, created_at, updated_at)
         VALUES (?, ?, NULL, 'running', ?, ?, NULL, NULL, ?, ?)`,
      ).run(input.id, input.idempotencyKey, input.dryRun ? 1 : 0, input.actor, at, at);
      return { kind: 'started' as const };
    })();
  }

  get(id: string): StoredUpload | undefined {
    const row = this.sql(`SELECT * FROM uploads WHERE id = ?`).get(id) as UploadDbRow | undefined;
    return row && toUpload(row);
  }

  byKey(idempotencyKey: string): StoredUpload | undefined {
    const row = this.sql(`SELECT * FROM uploads WHERE idempotency_key = ?`).get(idempotencyKey) as UploadDbRow | undefined;
    return row && toUpload(row);
  }

  /** Appends rows of the first phase, in one transaction. */
  appendRows(uploadId: string, rows: readonly NewUploadRow[]): void {
    const insert = this.sql(`INSERT INTO upload_rows (upload_id, line, phone_number, status, message, payload) VALUES (?, ?, ?, ?, ?, ?)`);
    this.db.transaction(() => {
      for (const row of rows) {
        insert.run(uploadId, row.line, row.phoneNumber, row.status, row.message, row.payload === undefined ? null : JSON.stringify(row.payload));
      }
    })();
  }

  /** The first line already written with this number and still to be sent (the row a later duplicate repeats). */
  firstPendingLine(uploadId: string, phoneNumber: string): number | undefined {
    const row = this.sql(`SELECT min(line) AS line FROM upload_rows WHERE upload_id = ? AND phone_number = ? AND status = 'PENDING'`).get(uploadId, phoneNumber) as {
      line: number | null;
    };
    return row.line ?? undefined;
  }

  /** Up to `limit` lines and numbers of rows still to send, after `afterLine`, in file order (no payloads). */
  pendingNumbers(uploadId: string, afterLine: number, limit: number): { line: number; phoneNumber: string }[] {
    const rows = this.sql(`SELECT line, phone_number FROM upload_rows WHERE upload_id = ? AND status = 'PENDING' AND line > ? ORDER BY line LIMIT ?`).all(
      uploadId,
      afterLine,
      limit,
    ) as { line: number; phone_number: string }[];
    return rows.map((r) => ({ line: r.line, phoneNumber: r.phone_number }));
  }

  /** Up to `limit` rows still to send, after `afterLine`, in file order. */
  pendingRows<P>(uploadId: string, afterLine: number, limit: number): PendingRow<P>[] {
    const rows = this.sql(
      `SELECT line, phone_number, payload FROM upload_rows
       WHERE upload_id = ? AND status = 'PENDING' AND line > ? ORDER BY line LIMIT ?`,
    ).all(uploadId, afterLine, limit) as { line: number; phone_number: string; payload: string }[];
    return rows.map((r) => ({ line: r.line, phoneNumber: r.phone_number, payload: JSON.parse(r.payload) as P }));
  }

  /** Sets rows' final statuses. Run inside {@link transaction} to write them with what else they imply. */
  settle(uploadId: string, settlements: readonly RowSettlement[]): void {
    const update = this.sql(`UPDATE upload_rows SET status = ?, message = ?, payload = NULL WHERE upload_id = ? AND line = ?`);
    this.db.transaction(() => {
      for (const s of settlements) update.run(s.status, s.message, uploadId, s.line);
    })();
  }

  /** Settles every row still pending with one status and message (a dry run's verdict, or rows left unsent). */
  settleAllPending(uploadId: string, status: ReportedRowStatus, message: string | null): number {
    return this.sql(`UPDATE upload_rows SET status = ?, message = ?, payload = NULL WHERE upload_id = ? AND status = 'PENDING'`).run(status, message, uploadId)
      .changes;
  }

  /** Runs `work` in one transaction (nested calls become savepoints). */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  /** Row counts by status, from the rows themselves. */
  countTotals(uploadId: string): UploadTotals {
    const counts = this.sql(`SELECT status, count(*) AS n FROM upload_rows WHERE upload_id = ? GROUP BY status`).all(uploadId) as {
      status: UploadRowStatus;
      n: number;
    }[];
    const totals = { ...EMPTY_TOTALS };
    for (const { status, n } of counts) {
      totals.rows += n;
      if (status === 'CREATED') totals.created += n;
      else if (status === 'EXISTS') totals.exists += n;
      else if (status === 'DUPLICATE') totals.duplicate += n;
      else if (status === 'INVALID') totals.invalid += n;
      else if (status === 'FAILED') totals.failed += n;
    }
    return totals;
  }

  /** Marks the upload done with its totals and request hash (what a retry with the same key is compared with). */
  finish(id: string, result: { totals: UploadTotals; requestHash: string; detail?: string }): void {
    this.sql(`UPDATE uploads SET status = 'done', totals = ?, request_hash = ?, detail = ?, updated_at = ? WHERE id = ? AND status = 'running'`).run(
      JSON.stringify(result.totals),
      result.requestHash,
      result.detail ?? null,
      this.now().toISOString(),
      id,
    );
  }

  /** Marks an upload failed and drops its rows: there is no result to return, and its key may be retried. */
  fail(id: string, detail: string): void {
    this.db.transaction(() => {
      this.sql(`DELETE FROM upload_rows WHERE upload_id = ?`).run(id);
      this.sql(`UPDATE uploads SET status = 'failed', detail = ?, updated_at = ? WHERE id = ?`).run(detail, this.now().toISOString(), id);
    })();
  }

  /** Deletes an upload refused as a whole, with its rows: nothing of it is kept. */
  discard(id: string): void {
    this.sql(`DELETE FROM uploads WHERE id = ?`).run(id);
  }

  /**
   * A page of the report in file order: rows after `afterLine`, only those
   * with `statuses` when given. Reads `limit + 1` rows to tell whether
   * another page follows.
   */
  reportPage(uploadId: string, options: { statuses?: readonly ReportedRowStatus[]; afterLine: number; limit: number }): { rows: ReportRow[]; hasMore: boolean } {
    const { sql, values } = statusFilter(options.statuses);
    const rows = this.sql(
      `SELECT line, phone_number, status, message FROM upload_rows
       WHERE upload_id = ? AND line > ? ${sql} ORDER BY line LIMIT ?`,
    ).all(uploadId, options.afterLine, ...values, options.limit + 1) as { line: number; phone_number: string | null; status: ReportedRowStatus; message: string | null }[];
    const page = rows.slice(0, options.limit).map((r) => ({ line: r.line, phoneNumber: r.phone_number, status: r.status, message: r.message }));
    return { rows: page, hasMore: rows.length > options.limit };
  }

  /** Whether any reported row (with `statuses`, when given) precedes `line`. */
  hasRowsBefore(uploadId: string, line: number, statuses?: readonly ReportedRowStatus[]): boolean {
    const { sql, values } = statusFilter(statuses);
    return this.sql(`SELECT 1 FROM upload_rows WHERE upload_id = ? AND line <= ? ${sql} LIMIT 1`).get(uploadId, line, ...values) !== undefined;
  }

  /** How many reported rows the upload has with `statuses` (all when absent). */
  countRows(uploadId: string, statuses?: readonly ReportedRowStatus[]): number {
    const { sql, values } = statusFilter(statuses);
    const row = this.sql(`SELECT count(*) AS n FROM upload_rows WHERE upload_id = ? ${sql}`).get(uploadId, ...values) as { n: number };
    return row.n;
  }

  /** A prepared statement, prepared once per distinct text (the status filters give a handful). */
  private sql(text: string): Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }
}

/** The rows a report shows: those with `statuses`, or every settled row (never the internal PENDING). */
function statusFilter(statuses: readonly ReportedRowStatus[] | undefined): { sql: string; values: readonly string[] } {
  if (!statuses || statuses.length === 0) return { sql: `AND status <> 'PENDING'`, values: [] };
  return { sql: `AND status IN (${statuses.map(() => '?').join(', ')})`, values: statuses };
}

function toUpload(row: UploadDbRow): StoredUpload {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    requestHash: row.request_hash,
    status: row.status,
    dryRun: row.dry_run === 1,
    actor: row.actor,
    totals: row.totals === null ? null : (JSON.parse(row.totals) as UploadTotals),
    detail: row.detail,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
