import { randomUUID } from 'node:crypto';
import type { UploadLimits } from '../config.js';
import { normalizeToE164 } from '../domain/phone-number.js';
import { ProviderError } from '../providers/core/errors.js';
import type { DnisRecord } from '../providers/ringcx/index.js';
import type { AuditLog, AuditOutcome } from '../store/audit.js';
import type { NewUploadRow, RowSettlement, StoredUpload, UploadStore, UploadTotals } from '../store/uploads.js';
import { ByteMeter, drain, readCsv } from './csv.js';
import { InvalidCsvError, TooManyRowsError, UploadError, type UploadUserError } from './errors.js';
import { provision, type ProvisionApi, type ProvisionTuning } from './provision.js';
import { readHeader, validateRow, type CsvHeader, type RowContext, type RowVerdict } from './rows.js';
import { fileSource, textSource, type CsvSource, type UploadedFile } from './source.js';

/** One `uploadPhoneNumbers` request. */
export interface UploadRequest {
  file?: Promise<UploadedFile> | null;
  csv?: string | null;
  dryRun: boolean;
  idempotencyKey?: string | null;
  defaultAccountId?: string | null;
  /** Who asks, for the history. */
  actor: string;
}

/** What the pipeline needs from the rest of Switchboard. */
export interface UploadServices {
  uploads: UploadStore;
  audit: AuditLog;
  limits: UploadLimits;
  ringcx: ProvisionApi;
  /** The RingCX sub-accounts rows may name. */
  accountIds(): Promise<string[]>;
  /** Every DNIS in the pool, read fresh: one `searchDnis`, the batched existence check. */
  freshInventory(): Promise<DnisRecord[]>;
  /** Called after a real run, so cached inventories show the new numbers. */
  changed(): void;
  tuning?: Partial<ProvisionTuning>;
}

/** An upload's report (its rows are read from the store page by page). */
export interface UploadReport {
  id: string;
  dryRun: boolean;
  replayed: boolean;
  totals: UploadTotals;
}

export type UploadOutcome = { kind: 'report'; upload: UploadReport } | { kind: 'refused'; errors: UploadUserError[] };

export const OPERATION = 'uploadPhoneNumbers';
/**
 * Rows written together (one insert) in the first phase. Rows waiting for
 * their write outlive the young generation's collections, so the batch size
 * sets how much garbage the old generation collects after an upload: with
 * 1,000 rows the server's peak RSS over a 100,000-row dry run was some
 * 12 MB higher, and no faster.
 */
const WRITE_BATCH = 500;
const DRY_RUN_CREATED = 'Would be added to the RingCX DNIS pool (dry run: nothing was changed).';
const MAX_KEY_LENGTH = 200;

/**
 * Runs an upload end to end.
 *
 * 1. The request is checked (a file or CSV text, a usable key) and, with an
 *    idempotency key, the key is claimed. A key already done answers with its
 *    stored report when the content is the same (the CSV's bytes, `dryRun`
 *    and `defaultAccountId`, compared by SHA-256), and is refused otherwise.
 * 2. The CSV is streamed: rows are validated and written to the store in
 *    batches of 500, so the file is never held; only each valid number's
 *    first line is kept for the whole upload ({@link FirstRows}). A valid row
 *    that repeats an earlier row's number is written DUPLICATE; the others
 *    are written with the status they end with unless the pool says
 *    otherwise: CREATED ("would be added") in a dry run, PENDING (to send) in
 *    a real run. Past the byte or row limit the read stops; the upload is
 *    then refused as a whole and nothing of it is kept but the audit entry.
 * 3. The pool is read once, fresh (one `searchDnis`), and the rows of the
 *    numbers already in it become EXISTS, settled 1,000 at a time.
 * 4. A real run sends the remaining rows to RingCX in batches
 *    ({@link provision}); a dry run has nothing left to do.
 * Every request, refused or not, leaves an audit entry.
 */
export async function runUpload(request: UploadRequest, services: UploadServices): Promise<UploadOutcome> {
  const { uploads, limits } = services;
  const refuse = async (errors: UploadUserError[], subject: string | null, outcome: AuditOutcome = 'REJECTED'): Promise<UploadOutcome> => {
    await audit(services, request, { subject, outcome, detail: errors.map((e) => `${e.code}: ${e.message}`).join('\n') });
    return { kind: 'refused', errors };
  };

  const checked = checkRequest(request, limits.maxBytes);
  if ('errors' in checked) return refuse(checked.errors, null);
  const { source, key, defaultAccountId } = checked;
  const sourceField = ['input', source.field];
  const seed = `${JSON.stringify({ dryRun: request.dryRun, defaultAccountId })}\n`;

  // Claim the key; a retry of a finished upload gets its report back.
  const id = randomUUID();
  const claim = await uploads.begin({ id, idempotencyKey: key, dryRun: request.dryRun, actor: request.actor });
  if (claim.kind === 'conflict') {
    const holder = claim.upload;
    if (holder.status === 'running') {
      return refuse(
        [{ field: ['input', 'idempotencyKey'], code: 'UPLOAD_IN_PROGRESS', message: `An upload with this idempotencyKey is still running (upload ${holder.id}); retry when it ends.` }],
        holder.id,
      );
    }
    const meter = new ByteMeter(limits.maxBytes, seed);
    try {
      await drain(await source.open(), meter);
    } catch (error) {
      if (error instanceof UploadError) return refuse([{ field: sourceField, code: error.code, message: error.message }], holder.id);
      throw error;
    }
    if (meter.digest() === holder.requestHash) return replay(holder, request, services);
    return refuse(
      [{ field: ['input', 'idempotencyKey'], code: 'IDEMPOTENCY_KEY_REUSED', message: `This idempotencyKey was used for a different upload (upload ${holder.id}); use a new key for new content.` }],
      holder.id,
    );
  }

  const alive = uploads.keepAlive(id);
  try {
    const accounts = new Set(await services.accountIds());
    if (defaultAccountId !== null && !accounts.has(defaultAccountId)) {
      await uploads.discard(id);
      return await refuse([{ field: ['input', 'defaultAccountId'], code: 'INVALID_INPUT', message: `defaultAccountId ${JSON.stringify(defaultAccountId)} is not a RingCX sub-account Switchboard manages.` }], id);
    }

    const meter = new ByteMeter(limits.maxBytes, seed);
    const firstRows = await ingest(id, await source.open(), meter, { accounts, defaultAccountId }, request.dryRun, services);
    await markExisting(id, firstRows, inventoryIndex(await services.freshInventory()), uploads);

    if (!request.dryRun) {
      try {
        await provision({ uploadId: id, actor: request.actor, uploads, ringcx: services.ringcx, ...(services.tuning && { tuning: services.tuning }) });
      } finally {
        services.changed();
      }
    }

    const totals = await uploads.countTotals(id);
    if (!(await uploads.finish(id, { totals, requestHash: meter.digest() }))) {
      throw new Error(`upload ${id} was failed as abandoned while it ran (it could not be kept alive in the store); its result was not kept`);
    }
    await audit(services, request, { subject: id, outcome: outcomeOf(totals, request.dryRun), after: { upload: id, dryRun: request.dryRun, totals }, detail: summary(totals, request.dryRun) });
    return { kind: 'report', upload: { id, dryRun: request.dryRun, replayed: false, totals } };
  } catch (error) {
    if (error instanceof UploadError) {
      await uploads.discard(id);
      return await refuse([{ field: sourceField, code: error.code, message: error.message }], id);
    }
    // Only reads come before the first POST (accounts, the pool), and the
    // POSTs handle their own failures: a provider error here changed nothing.
    if (error instanceof ProviderError) {
      await uploads.discard(id);
      return await refuse([{ field: ['input'], code: 'PROVIDER_FAILED', message: `RingCX could not be read, so nothing was checked or changed: ${error.message}` }], id, 'FAILED');
    }
    await uploads.fail(id, error instanceof Error ? error.message : String(error));
    await audit(services, request, { subject: id, outcome: 'FAILED', detail: `The upload failed on the server and was dropped; it may be retried: ${error instanceof Error ? error.message : String(error)}` });
    throw error;
  } finally {
    alive.stop();
  }
}

/** The request's shape: exactly one source, a usable key and account. */
function checkRequest(
  request: UploadRequest,
  maxBytes: number,
): { source: CsvSource; key: string | null; defaultAccountId: string | null } | { errors: UploadUserError[] } {
  const errors: UploadUserError[] = [];
  const hasFile = request.file != null;
  const hasCsv = request.csv != null;
  if (!hasFile && !hasCsv) {
    errors.push({ field: ['input', 'file'], code: 'UPLOAD_REQUIRED', message: 'Give the CSV as file (a multipart upload) or as csv (text).' });
  } else if (hasFile && hasCsv) {
    errors.push({ field: ['input', 'csv'], code: 'UPLOAD_REQUIRED', message: 'Give the CSV as file or as csv, not both.' });
  }
  const key = request.idempotencyKey ?? null;
  if (key !== null && (key.trim() === '' || key.length > MAX_KEY_LENGTH)) {
    errors.push({ field: ['input', 'idempotencyKey'], code: 'INVALID_INPUT', message: `idempotencyKey must be 1 to ${MAX_KEY_LENGTH} characters, not blank.` });
  }
  const defaultAccountId = request.defaultAccountId?.trim() ?? null;
  if (defaultAccountId === '') errors.push({ field: ['input', 'defaultAccountId'], code: 'INVALID_INPUT', message: 'defaultAccountId must not be blank.' });
  if (errors.length > 0) return { errors };
  const source = request.file != null ? fileSource(request.file, maxBytes) : textSource(request.csv!, maxBytes);
  return { source, key, defaultAccountId };
}

/**
 * The first valid row of each number, by number: how a later row with the
 * number is known for a duplicate as it is read, and which row becomes
 * EXISTS when the number is in the pool. Kept here rather than asked of the
 * store batch by batch: that cost a query per batch, and on PostgreSQL the
 * plan of such a query rests on statistics that the upload's own inserts
 * have just made stale, so it could scan every row of the upload for each
 * batch. It is the one part of an upload that grows with the file: about
 * 50 bytes a valid row (5 MB for 100,000), within the row limit.
 */
type FirstRows = Map<number, number>;

/** A number's key in {@link FirstRows}: E.164 has at most 15 digits, which a double holds exactly, for less than the string. */
function numberKey(e164: string): number {
  // "+" reads as the sign.
  return Number(e164);
}

/** The first phase: every row validated and written to the store, the file never held whole. */
async function ingest(
  uploadId: string,
  stream: NodeJS.ReadableStream,
  meter: ByteMeter,
  context: RowContext,
  dryRun: boolean,
  services: UploadServices,
): Promise<FirstRows> {
  const { uploads, limits } = services;
  const firstRows: FirstRows = new Map();
  let header: CsvHeader | undefined;
  let rows = 0;
  let batch: NewUploadRow[] = [];
  // One batch is written while the next is read: on PostgreSQL the two overlap.
  let writing: Promise<void> | undefined;
  const flush = async () => {
    await writing;
    const full = batch;
    batch = [];
    writing = uploads.appendRows(uploadId, full);
    // Awaited at the next flush; until then a failure must not count as unhandled.
    writing.catch(() => {});
  };

  try {
    for await (const records of readCsv(stream, meter)) {
      for (const { line, fields } of records) {
        if (!header) {
          header = readHeader(fields, line, { defaultAccountId: context.defaultAccountId });
          continue;
        }
        rows += 1;
        if (rows > limits.maxRows) throw new TooManyRowsError(limits.maxRows);
        batch.push(toRow(line, validateRow(fields, header, context), dryRun, firstRows));
        if (batch.length >= WRITE_BATCH) await flush();
      }
    }
    await flush();
    await writing;
  } finally {
    // A refusal mid-file discards the upload: no write of it may still be running then.
    await writing?.catch(() => {});
  }
  if (!header) throw new InvalidCsvError('The CSV is empty; its first row must name the columns (phoneNumber, accountId, description, category, notes, active).');
  return firstRows;
}

/**
 * A row as the first phase stores it; a valid one is recorded in
 * `firstRows`, or found there as a duplicate. Only what is stored is kept,
 * so a batch waiting for its write holds one small object per row.
 */
function toRow(line: number, verdict: RowVerdict, dryRun: boolean, firstRows: FirstRows): NewUploadRow {
  if (!verdict.ok) return { line, phoneNumber: verdict.e164, status: 'INVALID', message: verdict.message };
  const key = numberKey(verdict.e164);
  const first = firstRows.get(key);
  if (first !== undefined) return { line, phoneNumber: verdict.e164, status: 'DUPLICATE', message: `Same number as line ${first}; this row is ignored.` };
  firstRows.set(key, line);
  // A dry run sends nothing: its rows need no record to send, and their message says what would have happened.
  return dryRun
    ? { line, phoneNumber: verdict.e164, status: 'CREATED', message: DRY_RUN_CREATED }
    : { line, phoneNumber: verdict.e164, status: 'PENDING', message: null, payload: verdict.record };
}

/** The pool by E.164, with each number's account. */
function inventoryIndex(records: readonly DnisRecord[]): Map<string, string | undefined> {
  const index = new Map<string, string | undefined>();
  for (const record of records) {
    // RingCX writes DNIS as E.164 digits without "+"; anything else goes through the normaliser.
    if (/^[1-9]\d{6,14}$/.test(record.dnis)) {
      index.set(`+${record.dnis}`, record.accountId);
      continue;
    }
    const parsed = normalizeToE164(record.dnisE164 ?? record.dnis, { strict: false });
    if (parsed.ok) index.set(parsed.e164, record.accountId);
  }
  return index;
}

/** The first row of each number already in the pool becomes EXISTS (rows repeating it stay DUPLICATE of it). */
async function markExisting(uploadId: string, firstRows: FirstRows, pool: Map<string, string | undefined>, uploads: UploadStore): Promise<void> {
  const settled: RowSettlement[] = [];
  for (const [number, account] of pool) {
    const line = firstRows.get(numberKey(number));
    if (line !== undefined) settled.push({ line, status: 'EXISTS', message: `Already in the RingCX DNIS pool${account ? ` (account ${account})` : ''}; left as it is.` });
  }
  if (settled.length > 0) await uploads.settle(uploadId, settled);
}

/** The stored report of an earlier request with the same key and content. */
async function replay(upload: StoredUpload, request: UploadRequest, services: UploadServices): Promise<UploadOutcome> {
  const totals = upload.totals ?? (await services.uploads.countTotals(upload.id));
  await audit(services, request, {
    subject: upload.id,
    outcome: outcomeOf(totals, upload.dryRun),
    detail: `A retry with the same idempotencyKey and content: answered with the report of upload ${upload.id}; nothing was changed.`,
  });
  return { kind: 'report', upload: { id: upload.id, dryRun: upload.dryRun, replayed: true, totals } };
}

/** How an upload that ran ended, for the history: FAILED when RingCX took none of the rows it was sent. */
function outcomeOf(totals: UploadTotals, dryRun: boolean): AuditOutcome {
  if (dryRun) return 'DRY_RUN';
  return totals.failed > 0 && totals.created === 0 ? 'FAILED' : 'SUCCEEDED';
}

function summary(totals: UploadTotals, dryRun: boolean): string {
  return [
    `${totals.rows} rows: ${totals.created} ${dryRun ? 'would be created' : 'created'}`,
    `${totals.exists} already in the pool`,
    `${totals.duplicate} duplicate`,
    `${totals.invalid} invalid`,
    `${totals.failed} failed`,
  ].join(', ');
}

async function audit(services: UploadServices, request: UploadRequest, entry: { subject: string | null; outcome: AuditOutcome; after?: unknown; detail: string }): Promise<void> {
  await services.audit.write({
    // Uploads add numbers to RingCX's DNIS pool.
    provider: 'ringcx',
    actor: request.actor,
    operation: OPERATION,
    subject: entry.subject,
    before: null,
    ...(entry.after !== undefined && { after: entry.after }),
    outcome: entry.outcome,
    detail: entry.detail,
  });
}
