import { ProviderError } from '../providers/core/errors.js';
import type { DnisPool, DnisPoolInput, RingCxApi } from '../providers/ringcx/index.js';
import { AuditLog } from '../store/audit.js';
import type { PendingRow, ReportedRowStatus, UploadStore } from '../store/uploads.js';

/** RingCX calls the second phase makes. */
export type ProvisionApi = Pick<RingCxApi, 'createDnisPool' | 'searchDnisPoolPage'>;

export interface ProvisionTuning {
  /** Rows per `POST dnisPool` (and per re-check with `tnManager/search`, whose pages hold 500). */
  batchSize: number;
  /**
   * Extra POSTs an upload may spend isolating the rows of a batch RingCX
   * refused (400): the batch is halved until the refused rows stand alone.
   */
  splitBudget: number;
  /** How many times a batch is re-checked and resent after a 409. */
  conflictRounds: number;
  /** How long an upload may wait out RingCX's rate limit in all, in ms. */
  maxRateLimitWaitMs: number;
  /** The wait after a 429 without `Retry-After` (RingCX sends none; its window is a minute). */
  rateLimitWaitMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_PROVISION_TUNING: ProvisionTuning = {
  batchSize: 500,
  splitBudget: 32,
  conflictRounds: 3,
  maxRateLimitWaitMs: 120_000,
  rateLimitWaitMs: 10_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface ProvisionContext {
  uploadId: string;
  actor: string;
  uploads: UploadStore;
  ringcx: ProvisionApi;
  tuning?: Partial<ProvisionTuning>;
}

type Row = PendingRow<DnisPoolInput>;

/** What became of one row; `record` for rows now in the pool because of us. */
interface Result {
  row: Row;
  status: ReportedRowStatus;
  message: string | null;
  record?: DnisPool | DnisPoolInput;
}

/**
 * The second phase of a real upload: sends the rows left PENDING by the first
 * phase to RingCX (`POST dnisPool`), in batches read back from the store, and
 * settles each row with what RingCX did. Each batch's statuses and the audit
 * entries of the numbers it created are written in one transaction.
 *
 * RingCX's POST is all-or-nothing, so a refusal says nothing about which rows
 * were at fault:
 * - 409 (a number was added by someone else since our check): the batch is
 *   re-checked with one `tnManager/search`, rows now in the pool are EXISTS,
 *   the rest is resent.
 * - 400 (RingCX refuses a row our validation accepted): the batch is halved
 *   and each half resent, within a budget, so one bad row does not fail 499
 *   good ones; a row refused alone is FAILED with RingCX's message.
 * - 429: the batch was not taken; wait and resend, within a time budget.
 * - Timeout, network error or 5xx: the batch may or may not have been
 *   created. It is re-checked: rows in the pool are CREATED, the others
 *   FAILED. RingCX is then failing, so the remaining rows are not sent
 *   (FAILED, "not sent") rather than each waiting out a timeout.
 * - 401/403: FAILED, and the remaining rows are not sent.
 * The POST itself is never retried blind: a replay could create twice.
 */
export async function provision(context: ProvisionContext): Promise<void> {
  await new Provisioner(context, { ...DEFAULT_PROVISION_TUNING, ...context.tuning }).run();
}

class Provisioner {
  private splitsLeft: number;
  private waitLeftMs: number;
  /** Why the remaining rows are not sent, once RingCX is failing. */
  private halted: string | null = null;

  constructor(
    private readonly context: ProvisionContext,
    private readonly tuning: ProvisionTuning,
  ) {
    this.splitsLeft = tuning.splitBudget;
    this.waitLeftMs = tuning.maxRateLimitWaitMs;
  }

  async run(): Promise<void> {
    const { uploads, uploadId } = this.context;
    let after = 0;
    for (;;) {
      if (this.halted !== null) {
        await uploads.settleAllPending(uploadId, 'FAILED', `Not sent: ${this.halted}`);
        return;
      }
      const batch = await uploads.pendingRows<DnisPoolInput>(uploadId, after, this.tuning.batchSize);
      if (batch.length === 0) return;
      after = batch.at(-1)!.line;
      await this.record(await this.send(batch, 0));
    }
  }

  /**
   * Writes a batch's statuses and a history entry for each number it added,
   * in one transaction: a number reported CREATED always has its entry.
   */
  private async record(results: Result[]): Promise<void> {
    const { uploadId, actor } = this.context;
    await this.context.uploads.transaction(async (uploads, db) => {
      await uploads.settle(
        uploadId,
        results.map((r) => ({ line: r.row.line, status: r.status, message: r.message })),
      );
      await new AuditLog(db).writeMany(
        results
          .filter((r) => r.status === 'CREATED')
          .map((r) => ({ actor, operation: 'uploadPhoneNumbers', provider: 'ringcx', phoneNumber: r.row.phoneNumber, subject: uploadId, before: null, after: r.record ?? r.row.payload, outcome: 'SUCCEEDED' as const, detail: r.message })),
      );
    });
  }

  private async send(rows: Row[], conflictRound: number): Promise<Result[]> {
    try {
      const created = await this.context.ringcx.createDnisPool(rows.map((r) => r.payload));
      const byDnis = new Map(created.map((record) => [record.dnis, record]));
      return rows.map((row) => ({ row, status: 'CREATED' as const, message: null, record: byDnis.get(row.payload.dnis) ?? row.payload }));
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      return this.recover(rows, error, conflictRound);
    }
  }

  private async recover(rows: Row[], error: ProviderError, conflictRound: number): Promise<Result[]> {
    const failAll = (message: string): Result[] => rows.map((row) => ({ row, status: 'FAILED' as const, message }));
    switch (error.code) {
      case 'CONFLICT': {
        if (conflictRound >= this.tuning.conflictRounds) return failAll(`RingCX refused it: ${error.message}`);
        const present = await this.lookup(rows);
        if (present instanceof ProviderError) {
          return failAll(`RingCX refused the batch (${error.message}) and could not be re-checked: ${present.message}`);
        }
        const exists = rows.filter((row) => present.has(row.payload.dnis));
        // A 409 for none of these rows is not a conflict we can resolve by resending.
        if (exists.length === 0) return failAll(`RingCX refused it: ${error.message}`);
        const rest = rows.filter((row) => !present.has(row.payload.dnis));
        return [
          ...exists.map((row) => ({ row, status: 'EXISTS' as const, message: 'Added to the RingCX DNIS pool by someone else during the upload; left as it is.' })),
          ...(rest.length > 0 ? await this.send(rest, conflictRound + 1) : []),
        ];
      }
      case 'BAD_REQUEST': {
        if (rows.length === 1) return failAll(`RingCX refused it: ${error.message}`);
        if (this.splitsLeft < 2) return failAll(`RingCX refused the batch of ${rows.length} rows this row was sent in: ${error.message}`);
        this.splitsLeft -= 2;
        const middle = Math.ceil(rows.length / 2);
        return [...(await this.send(rows.slice(0, middle), conflictRound)), ...(await this.send(rows.slice(middle), conflictRound))];
      }
      case 'RATE_LIMITED': {
        const wait = error.retryAfterMs ?? this.tuning.rateLimitWaitMs;
        if (wait > this.waitLeftMs) {
          this.halted = `RingCX's rate limit was still reached after waiting (${error.message}); upload the rest again later.`;
          return failAll(`RingCX's rate limit: ${error.message}`);
        }
        this.waitLeftMs -= wait;
        await this.tuning.sleep(wait);
        return this.send(rows, conflictRound);
      }
      case 'TIMEOUT':
      case 'NETWORK':
      case 'UNAVAILABLE':
      case 'INVALID_RESPONSE': {
        if (error.code !== 'INVALID_RESPONSE') this.halted = `RingCX failed an earlier batch (${error.message}).`;
        const present = await this.lookup(rows);
        if (present instanceof ProviderError) {
          return failAll(`RingCX failed (${error.message}); whether the number was added is unknown, check the pool before uploading it again.`);
        }
        return rows.map((row) => {
          const record = present.get(row.payload.dnis);
          return record
            ? { row, status: 'CREATED' as const, message: `RingCX answered with an error (${error.message}), but the number is in the pool.`, record }
            : { row, status: 'FAILED' as const, message: `RingCX failed: ${error.message}` };
        });
      }
      default:
        this.halted = `RingCX refused an earlier batch (${error.message}).`;
        return failAll(`RingCX refused it: ${error.message}`);
    }
  }

  /** The rows' pool records, by DNIS, from one `tnManager/search` (a batch is at most one page). */
  private async lookup(rows: Row[]): Promise<Map<string, DnisPool> | ProviderError> {
    try {
      const page = await this.context.ringcx.searchDnisPoolPage({ dnis: rows.map((r) => r.payload.dnis) }, { page: 0, maxRows: rows.length });
      return new Map(page.records.map((record) => [record.dnis, record]));
    } catch (error) {
      if (error instanceof ProviderError) return error;
      throw error;
    }
  }
}
