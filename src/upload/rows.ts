import { normalizeToE164 } from '../domain/phone-number.js';
import type { DnisPoolInput } from '../providers/ringcx/index.js';
import { InvalidCsvError } from './errors.js';

/** The columns of an upload CSV, as documented on `UploadPhoneNumbersInput`. */
export const UPLOAD_COLUMNS = ['phoneNumber', 'accountId', 'description', 'category', 'notes', 'active'] as const;
export type UploadColumn = (typeof UPLOAD_COLUMNS)[number];

/** Where each known column sits in a row. */
export interface CsvHeader {
  columns: Partial<Record<UploadColumn, number>>;
  /** Fields in the header row, named or not. */
  width: number;
  /** Positions of header fields left blank (a trailing comma): their values must stay empty. */
  unnamed: number[];
}

/** What a data row says, once checked. */
export type RowVerdict =
  | { ok: true; e164: string; record: DnisPoolInput }
  /** `e164` is the number when it could be read, though another field is wrong. */
  | { ok: false; e164: string | null; message: string };

export interface RowContext {
  /** The RingCX sub-accounts Switchboard manages. */
  accounts: ReadonlySet<string>;
  /** The account of rows without one. */
  defaultAccountId: string | null;
}

/** A number written with more characters than this cannot be valid (E.164 has 15 digits; formats add a few). */
const MAX_NUMBER_CHARS = 40;

/** Header names are matched ignoring case, spaces, `_` and `-`: `Phone Number`, `phone_number`. */
const BY_KEY = new Map<string, UploadColumn>(UPLOAD_COLUMNS.map((c) => [headerKey(c), c]));

function headerKey(name: string): string {
  return name.toLowerCase().replace(/[\s_-]/g, '');
}

/**
 * Reads the header row. An unknown column is refused rather than ignored, so
 * a misspelt `descripton` cannot silently drop every description; so is a
 * file without `phoneNumber`, or without `accountId` when no default account
 * is given.
 */
export function readHeader(fields: readonly string[], line: number, options: { defaultAccountId: string | null }): CsvHeader {
  const columns: Partial<Record<UploadColumn, number>> = {};
  const unnamed: number[] = [];
  const expected = `the columns are ${UPLOAD_COLUMNS.join(', ')}`;
  fields.forEach((raw, i) => {
    const name = raw.trim();
    if (name === '') {
      unnamed.push(i);
      return;
    }
    const column = BY_KEY.get(headerKey(name));
    if (!column) throw new InvalidCsvError(`Line ${line} (the header): unknown column ${quote(name)}; ${expected}.`);
    if (columns[column] !== undefined) throw new InvalidCsvError(`Line ${line} (the header): the column ${column} appears twice.`);
    columns[column] = i;
  });
  if (columns.phoneNumber === undefined) {
    throw new InvalidCsvError(`Line ${line} (the header): the phoneNumber column is missing; the first row must name the columns (${expected}).`);
  }
  if (columns.accountId === undefined && options.defaultAccountId === null) {
    throw new InvalidCsvError(`Line ${line} (the header): the accountId column is missing; add it, or give defaultAccountId.`);
  }
  return { columns, width: fields.length, unnamed };
}

/**
 * Checks one data row and builds the DNIS pool record it asks for. Every
 * problem of the row is reported, each naming its column, so one pass over
 * the report is enough to fix the file.
 */
export function validateRow(fields: readonly string[], header: CsvHeader, context: RowContext): RowVerdict {
  const problems: string[] = [];
  const value = (column: UploadColumn): string => {
    const at = header.columns[column];
    return at === undefined ? '' : (fields[at] ?? '').trim();
  };

  if (fields.length > header.width) {
    problems.push(`the row has ${fields.length} fields but the header has ${header.width} (a comma in a value that is not quoted?)`);
  }
  for (const at of header.unnamed) {
    if ((fields[at] ?? '').trim() !== '') problems.push(`field ${at + 1} has a value but no column name in the header`);
  }

  let e164: string | null = null;
  let dnis = '';
  const number = value('phoneNumber');
  if (number === '') problems.push('phoneNumber is required');
  else if (number.length > MAX_NUMBER_CHARS) problems.push(`phoneNumber is too long to be a phone number: ${quote(number)}`);
  else {
    const parsed = normalizeToE164(number, { strict: true });
    if (parsed.ok) {
      e164 = parsed.e164;
      dnis = parsed.dnis;
    } else problems.push(`phoneNumber ${parsed.reason}`);
  }

  const accountId = value('accountId') || (context.defaultAccountId ?? '');
  if (accountId === '') problems.push('accountId is required (or give defaultAccountId)');
  else if (!context.accounts.has(accountId)) problems.push(`accountId ${quote(accountId)} is not a RingCX sub-account Switchboard manages`);

  let active: boolean | undefined;
  const activeText = value('active');
  if (/^true$/i.test(activeText)) active = true;
  else if (/^false$/i.test(activeText)) active = false;
  else if (activeText !== '') problems.push(`active must be true or false, not ${quote(activeText)}`);

  if (problems.length > 0 || e164 === null) return { ok: false, e164, message: `${problems.join('; ')}.` };

  const description = value('description');
  const category = value('category');
  const notes = value('notes');
  const record: DnisPoolInput = {
    dnis,
    reservedAccountId: accountId,
    ...(description && { dnisDescription: description }),
    ...(category && { dnisCategory: category }),
    ...(notes && { notes }),
    ...(active !== undefined && { active }),
  };
  return { ok: true, e164, record };
}

/** A user's value in a message: quoted, and cut short when long. */
function quote(text: string): string {
  return JSON.stringify(text.length > MAX_NUMBER_CHARS ? `${text.slice(0, MAX_NUMBER_CHARS)}…` : text);
}
