import { CsvError, parse } from 'csv-parse/sync';
import { RcxError } from './errors.js';
import type { PoolRec } from './model.js';
import type { RingCxState } from './state.js';

/**
 * The columns of a DNIS pool upload file. The contract says only "delimited
 * file containing DNIS pool records", so the sandbox defines them: a header
 * row naming DnisPool fields (any order, case-insensitive), `dnis` and
 * `reservedAccountId` required, the rest optional.
 *
 *   dnis,dnisDescription,dnisCategory,reservedAccountId,notes,active
 *   14155550100,"Support, West",Local,15300001,,true
 */
export const UPLOAD_COLUMNS = ['dnis', 'dnisDescription', 'dnisCategory', 'reservedAccountId', 'notes', 'active'] as const;
type Column = (typeof UPLOAD_COLUMNS)[number];
const REQUIRED: Column[] = ['dnis', 'reservedAccountId'];
const BOOLEAN = new Map([['true', true], ['false', false], ['1', true], ['0', false], ['yes', true], ['no', false], ['y', true], ['n', false]]);

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

/** `DnisListPreviewResponse`. */
export interface UploadResult {
  records: Record<string, unknown>[];
  uploadStatus: {
    validated: boolean;
    totalRecords: number;
    validRecords: number;
    errorCode?: string;
    errorMessage: string[];
  };
}

/**
 * Parses an upload and stores its valid rows; invalid rows are reported per
 * line in `uploadStatus.errorMessage` and skipped. `validated` is true only
 * when every row was accepted. A file that cannot be read at all (no header,
 * unknown or missing columns, broken quoting) is refused with 400 and stores
 * nothing.
 */
export function importDnisCsv(state: RingCxState, file: Buffer, quoteCharacter: string, now: number): UploadResult {
  let parsed: ParsedRecord[];
  try {
    parsed = parse(file, {
      quote: quoteCharacter,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
    }) as unknown as ParsedRecord[];
  } catch (error) {
    const message = error instanceof CsvError ? error.message : String(error);
    throw new RcxError(400, 'dnis.upload.parse.exception', 'The file could not be parsed', message);
  }
  const [header, ...rows] = parsed;
  if (!header) throw new RcxError(400, 'dnis.upload.empty.file', 'The file is empty', 'Expected a header row naming the columns');

  const columns = header.record.map((name) => UPLOAD_COLUMNS.find((c) => c.toLowerCase() === name.toLowerCase()));
  const unknown = header.record.filter((_, i) => columns[i] === undefined);
  if (unknown.length > 0) {
    throw new RcxError(400, 'dnis.upload.invalid.header', 'The file has unknown columns', `Unknown column(s): ${unknown.join(', ')}; expected ${UPLOAD_COLUMNS.join(', ')}`);
  }
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    throw new RcxError(400, 'dnis.upload.invalid.header', 'The file is missing required columns', `Missing column(s): ${missing.join(', ')}`);
  }

  const errors: string[] = [];
  const accepted: { line: number; record: PoolRec }[] = [];
  const seen = new Set<string>();
  for (const { record: fields, info } of rows) {
    const line = info.lines;
    if (fields.length !== columns.length) {
      errors.push(`Line ${line}: expected ${columns.length} fields but found ${fields.length} (quote values that contain the delimiter)`);
      continue;
    }
    const value = (column: Column) => fields[columns.indexOf(column)] ?? '';
    const problems: string[] = [];
    const check = state.checkNew(value('dnis'));
    if (!check.ok) problems.push(check.reason);
    else if (seen.has(check.dnis)) problems.push(`dnis ${check.dnis} appears more than once in the file`);
    const accountId = value('reservedAccountId');
    if (!state.accountExists(accountId)) problems.push(`reservedAccountId "${accountId}" is not an account you can manage`);
    const activeText = value('active').toLowerCase();
    const active = activeText === '' ? true : BOOLEAN.get(activeText);
    if (active === undefined) problems.push(`active "${value('active')}" must be true or false`);
    if (problems.length > 0 || !check.ok) {
      errors.push(`Line ${line}: ${problems.join('; ')}`);
      continue;
    }
    seen.add(check.dnis);
    accepted.push({
      line,
      record: {
        dnis: check.dnis,
        dnisE164: check.dnisE164,
        reservedAccountId: accountId,
        dnisDescription: value('dnisDescription'),
        dnisCategory: value('dnisCategory') || 'Local',
        notes: value('notes'),
        active: active!,
        carrier: 'Bandwidth',
        dnisManagedByRC: false,
        phoneNumbersI18nEnabled: true,
        smsEnabled: false,
        inboundContext: '',
        vendorId: '',
        dateCreated: now,
        lastModified: now,
        lastModifiedBy: 'api.integration@brightlinehealth.example',
      },
    });
  }

  for (const { record } of accepted) state.insertPool(record);
  return {
    records: accepted.map(({ line, record }) => ({
      lineNumber: line,
      dnis: record.dnis,
      dnisE164: record.dnisE164,
      dnisDescription: record.dnisDescription,
      dnisCategory: record.dnisCategory,
      reservedAccountId: record.reservedAccountId,
      notes: record.notes,
      active: record.active,
    })),
    uploadStatus: {
      validated: errors.length === 0,
      totalRecords: rows.length,
      validRecords: accepted.length,
      ...(errors.length > 0 && { errorCode: 'dnis.upload.invalid.rows' }),
      errorMessage: errors,
    },
  };
}
