import { sql } from 'kysely';
import { isUniqueViolation, type Db, type Engine, type UploadsTable } from './database.js';

/** What happened to a row. `PENDING` is internal: valid and new, not yet sent by a real run. */
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
  /** Refreshed while the upload runs (see {@link UploadStore.keepAlive}). */
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

export interface UploadStoreOptions {
  now?: () => Date;
  /** How long a running upload may go without a refresh before it counts as abandoned (default 10 minutes). */
  staleAfterMs?: number;
}

export type BeginResult = { kind: 'started' } | { kind: 'conflict'; upload: StoredUpload };

const EMPTY_TOTALS: UploadTotals = { rows: 0, created: 0, exists: 0, duplicate: 0, invalid: 0, failed: 0 };
const ABANDONED = 'the server stopped while this upload was running';
/** Values per IN list: well under SQLite's and PostgreSQL's bound-parameter limits. */
const STATEMENT_ROWS = 1000;

/**
 * Uploads and their per-row reports. The rows of a file live here rather than
 * in memory: the first phase writes them as the CSV streams in, the second
 * reads back the rows to send in bounded batches, and the GraphQL report
 * pages through them. An upload's idempotency key is unique, so a retry
 * finds the first request's result, and two requests racing with the same
 * key cannot both start, on one server or across replicas.
 *
 * Abandoned uploads. An upload still `running` may belong to a server that
 * died mid-upload; its key must be freed for a retry, but on a shared
 * PostgreSQL it may as well be running on another replica right now. So the
 * server running an upload refreshes its `updated_at` every minute
 * ({@link keepAlive}), and an upload not refreshed for `staleAfterMs`
 * (10 minutes) is abandoned: {@link begin} fails it when a retry asks for its
 * key, and {@link init} fails every such upload at start-up. The bound is
 * ten refreshes long, so a slow phase (a long file, RingCX's rate limit) or
 * clocks a little apart never pass for death. Failing an abandoned upload
 * is safe: numbers the dead server created are found in the pool again and
 * reported EXISTS.
 */
export class UploadStore {
  private readonly now: () => Date;
  private readonly staleAfterMs: number;

  constructor(
    private readonly db: Db,
    private readonly engine: Engine,
    options: UploadStoreOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.staleAfterMs = options.staleAfterMs ?? 10 * 60_000;
  }

  /**
   * Fails the uploads abandoned by a server that stopped. When one process
   * owns the store (`Store.singleProcess`: an SQLite file), at its start
   * every running upload is abandoned; with replicas, only those no replica
   * has refreshed for `staleAfterMs`.
   */
  async init(singleProcess: boolean): Promise<void> {
    const before = singleProcess ? null : this.staleBefore();
    const stale = await this.db
      .selectFrom('uploads')
      .select('id')
      .where('status', '=', 'running')
      .$if(before !== null, (q) => q.where('updated_at', '<', before!))
      .execute();
    for (const { id } of stale) await this.failIf(id, ABANDONED, before);
  }

  /**
   * Starts an upload. With a key, the key is claimed atomically (its unique
   * index decides between concurrent claims, on any replica): answers
   * `conflict` with the upload holding it (running or done). An upload that
   * failed with the same key, or was abandoned, is discarded, so the retry
   * runs afresh.
   */
  async begin(input: { id: string; idempotencyKey: string | null; dryRun: boolean; actor: string }): Promise<BeginResult> {
    const at = this.now().toISOString();
    const row: UploadsTable = {
      id: input.id,
      idempotency_key: input.idempotencyKey,
      request_hash: null,
      status: 'running',
      dry_run: input.dryRun ? 1 : 0,
      actor: input.actor,
      totals: null,
      detail: null,
      created_at: at,
      updated_at: at,
    };
    if (input.idempotencyKey === null) {
      await this.db.insertInto('uploads').values(row).execute();
      return { kind: 'started' };
    }
    // Each round frees a failed holder or loses to a live one; a third round
    // means other claims keep failing under us, which is a fault, not a race.
    for (let round = 0; round < 3; round += 1) {
      const holder = await this.byKey(input.idempotencyKey);
      if (holder) {
        const staleBefore = this.staleBefore();
        if (holder.status === 'done' || (holder.status === 'running' && holder.updatedAt >= staleBefore)) return { kind: 'conflict', upload: holder };
        if (holder.status === 'running') await this.failIf(holder.id, ABANDONED, staleBefore);
        await this.db.deleteFrom('uploads').where('id', '=', holder.id).where('status', '=', 'failed').execute();
      }
      try {
        await this.db.insertInto('uploads').values(row).execute();
        return { kind: 'started' };
      } catch (error) {
        // Another request claimed the key between our read and our insert: the next round meets it.
        if (!isUniqueViolation(error)) throw error;
      }
    }
    throw new Error(`the idempotency key of upload ${input.id} could not be claimed: concurrent claims kept replacing each other`);
  }

  /**
   * Keeps a running upload from looking abandoned: refreshes its
   * `updated_at` every tenth of `staleAfterMs` until stopped. A refresh that
   * fails is retried at the next tick; ten must fail in a row to lose it.
   */
  keepAlive(id: string): { stop(): void } {
    const timer = setInterval(() => void this.touch(id).catch(() => {}), this.staleAfterMs / 10);
    timer.unref();
    return { stop: () => clearInterval(timer) };
  }

  /** Refreshes a running upload's `updated_at`; false when it is no longer running (it was failed as abandoned). */
  async touch(id: string): Promise<boolean> {
    const result = await this.db.updateTable('uploads').set({ updated_at: this.now().toISOString() }).where('id', '=', id).where('status', '=', 'running').executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async get(id: string): Promise<StoredUpload | undefined> {
    const row = await this.db.selectFrom('uploads').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toUpload(row);
  }

  async byKey(idempotencyKey: string): Promise<StoredUpload | undefined> {
    const row = await this.db.selectFrom('uploads').selectAll().where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
    return row && toUpload(row);
  }

  /**
   * Appends rows of the first phase, in one statement. The rows travel as one
   * JSON array that the database expands into rows (SQLite's `json_each`,
   * PostgreSQL's `json_array_elements`): bound one value at a time, a batch
   * of 1,000 rows is 6,000 parameters, which both engines parse and bind far
   * slower than one string (100,000 rows took about 0.8 s instead of 0.6 s
   * on SQLite, and 3.4 s instead of 1.8 s on PostgreSQL).
   */
  async appendRows(uploadId: string, rows: readonly NewUploadRow[]): Promise<void> {
    if (rows.length === 0) return;
    const json = JSON.stringify(rows.map((row) => [row.line, row.phoneNumber, row.status, row.message, row.payload === undefined ? null : JSON.stringify(row.payload)]));
    const elements = this.engine === 'postgres' ? sql`json_array_elements(${json}::json)` : sql`json_each(${json})`;
    await this.db
      .insertInto('upload_rows')
      .columns(['upload_id', 'line', 'phone_number', 'status', 'message', 'payload'])
      .expression(sql`select ${uploadId}, cast(value ->> 0 as integer), value ->> 1, value ->> 2, value ->> 3, value ->> 4 from ${elements}`)
      .execute();
  }

  /** Up to `limit` rows still to send, after `afterLine`, in file order. */
  async pendingRows<P>(uploadId: string, afterLine: number, limit: number): Promise<PendingRow<P>[]> {
    const rows = await this.pending(uploadId, afterLine, limit).select(['line', 'phone_number', 'payload']).execute();
    return rows.map((r) => ({ line: r.line, phoneNumber: r.phone_number!, payload: JSON.parse(r.payload!) as P }));
  }

  /**
   * Sets rows' final statuses, in one transaction. Rows that end alike (a
   * batch CREATED, the EXISTS of one account) are settled by one statement.
   */
  async settle(uploadId: string, settlements: readonly RowSettlement[]): Promise<void> {
    const alike = new Map<string, { status: ReportedRowStatus; message: string | null; lines: number[] }>();
    for (const s of settlements) {
      const key = JSON.stringify([s.status, s.message]);
      const group = alike.get(key) ?? { status: s.status, message: s.message, lines: [] };
      group.lines.push(s.line);
      alike.set(key, group);
    }
    await this.atomically(async (db) => {
      for (const { status, message, lines } of alike.values()) {
        for (const chunk of chunks(lines)) {
          await db.updateTable('upload_rows').set({ status, message, payload: null }).where('upload_id', '=', uploadId).where('line', 'in', chunk).execute();
        }
      }
    });
  }

  /** Settles every row still pending with one status and message (a dry run's verdict, or rows left unsent). */
  async settleAllPending(uploadId: string, status: ReportedRowStatus, message: string | null): Promise<number> {
    const result = await this.db
      .updateTable('upload_rows')
      .set({ status, message, payload: null })
      .where('upload_id', '=', uploadId)
      .where('status', '=', 'PENDING')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /**
   * Runs `work` in one transaction, with this store bound to it. `db` is the
   * transaction, for writes of other stores that must commit with these (the
   * history entries of the numbers a batch created). Inside a transaction,
   * `work` joins it.
   */
  async transaction<T>(work: (uploads: UploadStore, db: Db) => Promise<T>): Promise<T> {
    return this.atomically((db) => work(db === this.db ? this : new UploadStore(db, this.engine, { now: this.now, staleAfterMs: this.staleAfterMs }), db));
  }

  /** Row counts by status, from the rows themselves. */
  async countTotals(uploadId: string): Promise<UploadTotals> {
    const counts = await this.db
      .selectFrom('upload_rows')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .where('upload_id', '=', uploadId)
      .groupBy('status')
      .execute();
    const totals = { ...EMPTY_TOTALS };
    for (const { status, n: count } of counts) {
      const n = Number(count);
      totals.rows += n;
      if (status === 'CREATED') totals.created += n;
      else if (status === 'EXISTS') totals.exists += n;
      else if (status === 'DUPLICATE') totals.duplicate += n;
      else if (status === 'INVALID') totals.invalid += n;
      else if (status === 'FAILED') totals.failed += n;
    }
    return totals;
  }

  /**
   * Marks the upload done with its totals and request hash (what a retry with
   * the same key is compared with). False when it was no longer running: it
   * was failed as abandoned meanwhile, and its result is not kept.
   */
  async finish(id: string, result: { totals: UploadTotals; requestHash: string; detail?: string }): Promise<boolean> {
    const updated = await this.db
      .updateTable('uploads')
      .set({ status: 'done', totals: JSON.stringify(result.totals), request_hash: result.requestHash, detail: result.detail ?? null, updated_at: this.now().toISOString() })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) === 1;
  }

  /** Marks an upload failed and drops its rows: there is no result to return, and its key may be retried. */
  async fail(id: string, detail: string): Promise<void> {
    await this.failIf(id, detail, null);
  }

  /** Deletes an upload refused as a whole, with its rows: nothing of it is kept. */
  async discard(id: string): Promise<void> {
    await this.db.deleteFrom('uploads').where('id', '=', id).execute();
  }

  /**
   * A page of the report in file order: rows after `afterLine`, only those
   * with `statuses` when given. Reads `limit + 1` rows to tell whether
   * another page follows.
   */
  async reportPage(uploadId: string, options: { statuses?: readonly ReportedRowStatus[]; afterLine: number; limit: number }): Promise<{ rows: ReportRow[]; hasMore: boolean }> {
    const rows = await this.reported(uploadId, options.statuses)
      .select(['line', 'phone_number', 'status', 'message'])
      .where('line', '>', options.afterLine)
      .orderBy('line')
      .limit(options.limit + 1)
      .execute();
    const page = rows.slice(0, options.limit).map((r) => ({ line: r.line, phoneNumber: r.phone_number, status: r.status as ReportedRowStatus, message: r.message }));
    return { rows: page, hasMore: rows.length > options.limit };
  }

  /** Whether any reported row (with `statuses`, when given) precedes `line`. */
  async hasRowsBefore(uploadId: string, line: number, statuses?: readonly ReportedRowStatus[]): Promise<boolean> {
    const row = await this.reported(uploadId, statuses).select('line').where('line', '<=', line).limit(1).executeTakeFirst();
    return row !== undefined;
  }

  /** How many reported rows the upload has with `statuses` (all when absent). */
  async countRows(uploadId: string, statuses?: readonly ReportedRowStatus[]): Promise<number> {
    const row = await this.reported(uploadId, statuses)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Fails an upload and drops its rows, together. With `staleBefore`, only
   * while it is still running and was last refreshed before then: a refresh
   * that comes first keeps it. True when it was failed.
   */
  private async failIf(id: string, detail: string, staleBefore: string | null): Promise<boolean> {
    return this.atomically(async (db) => {
      const result = await db
        .updateTable('uploads')
        .set({ status: 'failed', detail, updated_at: this.now().toISOString() })
        .where('id', '=', id)
        .$if(staleBefore !== null, (q) => q.where('status', '=', 'running').where('updated_at', '<', staleBefore!))
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      await db.deleteFrom('upload_rows').where('upload_id', '=', id).execute();
      return true;
    });
  }

  /** Running uploads last refreshed before this moment are abandoned. */
  private staleBefore(): string {
    return new Date(this.now().getTime() - this.staleAfterMs).toISOString();
  }

  private pending(uploadId: string, afterLine: number, limit: number) {
    return this.db.selectFrom('upload_rows').where('upload_id', '=', uploadId).where('status', '=', 'PENDING').where('line', '>', afterLine).orderBy('line').limit(limit);
  }

  /** The rows a report shows: those with `statuses`, or every settled row (never the internal PENDING). */
  private reported(uploadId: string, statuses: readonly ReportedRowStatus[] | undefined) {
    return this.db
      .selectFrom('upload_rows')
      .where('upload_id', '=', uploadId)
      .$if(!statuses || statuses.length === 0, (q) => q.where('status', '<>', 'PENDING'))
      .$if(!!statuses && statuses.length > 0, (q) => q.where('status', 'in', [...statuses!]));
  }

  /** Runs `work` in a transaction: this store's, when it is bound to one, or a new one. */
  private atomically<T>(work: (db: Db) => Promise<T>): Promise<T> {
    return this.db.isTransaction ? work(this.db) : this.db.transaction().execute(work);
  }
}

/** `items` in slices of {@link STATEMENT_ROWS}. */
function* chunks<T>(items: readonly T[]): Generator<T[]> {
  for (let start = 0; start < items.length; start += STATEMENT_ROWS) yield items.slice(start, start + STATEMENT_ROWS);
}

function toUpload(row: UploadsTable): StoredUpload {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    requestHash: row.request_hash,
    status: row.status as UploadStatus,
    dryRun: row.dry_run === 1,
    actor: row.actor,
    totals: row.totals === null ? null : (JSON.parse(row.totals) as UploadTotals),
    detail: row.detail,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
