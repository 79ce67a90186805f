/** The `UserErrorCode`s an upload can be refused with (a subset of the schema's enum). */
export type UploadErrorCode =
  | 'UPLOAD_REQUIRED'
  | 'UPLOAD_TOO_LARGE'
  | 'TOO_MANY_ROWS'
  | 'INVALID_CSV'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'UPLOAD_IN_PROGRESS'
  | 'INVALID_INPUT'
  | 'PROVIDER_FAILED';

/** Why an upload was refused as a whole: becomes a `UserError`. */
export interface UploadUserError {
  field: string[];
  message: string;
  code: UploadErrorCode;
}

/**
 * Base of the refusals raised while the CSV is read. They stop the read at
 * once; the pipeline turns them into a user error on the input field the CSV
 * came from (`file` or `csv`), which is why they carry no field themselves.
 */
export class UploadError extends Error {
  constructor(
    readonly code: UploadErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

/** Thrown when the CSV has more bytes than the limit. */
export class UploadTooLargeError extends UploadError {
  constructor(readonly maxBytes: number) {
    super('UPLOAD_TOO_LARGE', `The CSV is larger than the limit of ${maxBytes.toLocaleString('en-US')} bytes; split it into smaller files.`);
    this.name = 'UploadTooLargeError';
  }
}

/** Thrown when the CSV has more data rows than the limit. */
export class TooManyRowsError extends UploadError {
  constructor(readonly maxRows: number) {
    super('TOO_MANY_ROWS', `The CSV has more than the limit of ${maxRows.toLocaleString('en-US')} data rows; split it into smaller files.`);
    this.name = 'TooManyRowsError';
  }
}

/** Thrown when the CSV cannot be read: broken quoting, no header, a missing or unknown column. */
export class InvalidCsvError extends UploadError {
  constructor(message: string) {
    super('INVALID_CSV', message);
    this.name = 'InvalidCsvError';
  }
}
