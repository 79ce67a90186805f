import { createHash, type Hash } from 'node:crypto';
import { finished, pipeline, Transform, Writable, type Readable, type TransformCallback } from 'node:stream';
import { pipeline as pipelineAsync } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { InvalidCsvError, UploadError, UploadTooLargeError } from './errors.js';

/** One CSV record and the line of the file it starts on (1-based, blank lines counted). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * The longest record read. A quote that is never closed would otherwise make
 * the parser buffer the rest of the file as one field; this bounds memory and
 * names the line instead.
 */
export const MAX_RECORD_BYTES = 64 * 1024;

/**
 * Counts and hashes the bytes of the CSV as they pass, and fails the stream
 * with {@link UploadTooLargeError} as soon as they exceed the limit, so an
 * oversized file is never read to its end. The hash identifies the request
 * for idempotency; `seed` mixes in the request's other parameters.
 */
export class ByteMeter extends Transform {
  private count = 0;
  private readonly hash: Hash;

  constructor(
    readonly maxBytes: number,
    seed = '',
  ) {
    super();
    this.hash = createHash('sha256').update(seed);
  }

  get bytes(): number {
    return this.count;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.count += chunk.length;
    if (this.count > this.maxBytes) return callback(new UploadTooLargeError(this.maxBytes));
    this.hash.update(chunk);
    callback(null, chunk);
  }

  /** The SHA-256 of the seed and every byte read, once the stream has ended. */
  digest(): string {
    return this.hash.digest('hex');
  }
}

const CR = 13;
const LF = 10;
const CR_BYTE = Buffer.from([CR]);

/**
 * CRLF to LF. The parser counts a CR and an LF inside quotes as two lines,
 * which would shift every later line number; with LF alone its count is the
 * file's. A value's line breaks reach RingCX as LF. A CR that ends a chunk is
 * held until the next chunk says whether an LF follows.
 */
class CrlfToLf extends Transform {
  private heldCr = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const parts: Buffer[] = [];
    let start = 0;
    if (this.heldCr) {
      if (chunk[0] !== LF) parts.push(CR_BYTE);
      this.heldCr = false;
    }
    for (let cr = chunk.indexOf(CR); cr !== -1; cr = chunk.indexOf(CR, cr + 1)) {
      if (cr === chunk.length - 1) {
        parts.push(chunk.subarray(start, cr));
        this.heldCr = true;
        start = chunk.length;
        break;
      }
      if (chunk[cr + 1] === LF) {
        parts.push(chunk.subarray(start, cr));
        start = cr + 1;
      }
    }
    parts.push(chunk.subarray(start));
    callback(null, parts.length === 1 ? parts[0] : Buffer.concat(parts));
  }

  override _flush(callback: TransformCallback): void {
    callback(null, this.heldCr ? CR_BYTE : undefined);
  }
}

/** The most records {@link readCsv} hands over at once. */
const MAX_BATCH = 250;

/**
 * Reads CSV records from a byte stream, with backpressure: the file is never
 * held in memory. RFC 4180 quoting (commas, quotes and line breaks inside
 * quotes), a UTF-8 byte-order mark, CRLF or LF line ends (mixed, too), and
 * blank lines (empty, or only commas and spaces) skipped. The first record
 * is the header; it is returned like any other. Records come in file order,
 * as many as have been parsed (up to 250) at a time: one `await` per
 * record would cost more than the parsing.
 *
 * Errors: {@link UploadTooLargeError} past the meter's limit (also when the
 * multipart layer truncated the file at its own limit), {@link InvalidCsvError}
 * naming the line for broken quoting or an overlong record.
 */
export async function* readCsv(source: NodeJS.ReadableStream, meter: ByteMeter): AsyncGenerator<CsvRecord[]> {
  // Blank lines come out as records too, and are skipped below: each
  // record's line is then the count of those before it. The parser's own
  // per-record `info`, which has the line, doubles the cost of parsing.
  const parser = parse({
    bom: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    max_record_size: MAX_RECORD_BYTES,
  });
  // Errors of any stage reach the parser, and so the loop below; when the
  // loop stops early (a limit), the parser is destroyed and the source with it.
  pipeline(source, meter, new CrlfToLf(), parser, () => {});
  let line = 1;
  try {
    for await (const batch of batches<string[]>(parser, MAX_BATCH)) {
      const records: CsvRecord[] = [];
      for (const fields of batch) {
        const start = line;
        let blank = true;
        for (const field of fields) {
          if (blank && field.trim() !== '') blank = false;
          // Each line break inside a quoted field is a line of the file.
          line += lineBreaks(field);
        }
        line += 1;
        if (!blank) records.push({ line: start, fields });
      }
      if (records.length > 0) yield records;
    }
  } catch (error) {
    throw readError(error, meter);
  }
}

/** The line breaks inside a (quoted) field, as the parser counts lines: a CR or an LF each (CRLF reached it as LF). */
function lineBreaks(field: string): number {
  if (field.indexOf('\n') === -1 && field.indexOf('\r') === -1) return 0;
  let breaks = 0;
  for (let i = 0; i < field.length; i += 1) {
    const c = field.charCodeAt(i);
    if (c === LF || c === CR) breaks += 1;
  }
  return breaks;
}

/**
 * What an object stream has buffered, up to `max` at a time, in order: the
 * async iteration of a stream, without an `await` per object. Stopping early
 * destroys the stream.
 */
async function* batches<T>(stream: Readable, max: number): AsyncGenerator<T[]> {
  let wake: (() => void) | undefined;
  const signal = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  let ended = false;
  let failure: unknown;
  stream.on('readable', signal);
  const stopWatching = finished(stream, (error) => {
    ended = true;
    failure = error;
    signal();
  });
  try {
    for (;;) {
      const batch: T[] = [];
      while (batch.length < max) {
        const item = stream.read() as T | null;
        if (item === null) break;
        batch.push(item);
      }
      if (batch.length > 0) {
        yield batch;
        continue;
      }
      if (failure) throw failure;
      if (ended) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    stream.off('readable', signal);
    stopWatching();
    if (!ended) stream.destroy();
  }
}

/**
 * Reads the source to its end through the meter without parsing it: what a
 * retry with a known idempotency key needs, to compare its content.
 */
export async function drain(source: NodeJS.ReadableStream, meter: ByteMeter): Promise<void> {
  try {
    await pipelineAsync(source, meter, new Writable({ write: (_chunk, _encoding, callback) => callback() }));
  } catch (error) {
    throw readError(error, meter);
  }
}

/** The refusal a read error stands for; errors that are not about the CSV pass through. */
function readError(error: unknown, meter: ByteMeter): unknown {
  if (error instanceof UploadError) return error;
  // graphql-upload truncates a file at its own size limit (ours + 1 byte) and
  // fails the stream with an http-errors 413.
  const status = (error as { status?: unknown }).status;
  if (status === 413) return new UploadTooLargeError(meter.maxBytes);
  // The client went away mid-file: a refusal, not a server fault (nobody reads the answer, but nothing is kept).
  if (status === 499) return new UploadError('UPLOAD_REQUIRED', 'The request ended before the whole file arrived.');
  if (error instanceof CsvError) return new InvalidCsvError(csvMessage(error));
  return error;
}

function csvMessage(error: CsvError): string {
  const line = (error as CsvError & { lines?: number }).lines;
  const at = typeof line === 'number' ? `Line ${line}` : 'The CSV';
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return `The CSV ends inside a quoted field (at line ${line ?? '?'}): a quote opened on an earlier line is never closed.`;
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return `${at}: a closing quote is followed by text; inside a quoted field, write a quote as two quotes ("").`;
    case 'INVALID_OPENING_QUOTE':
      return `${at}: a quote appears inside an unquoted field; quote the whole field and write the quote as two quotes ("").`;
    case 'CSV_MAX_RECORD_SIZE':
      return `${at}: a row is longer than ${MAX_RECORD_BYTES / 1024} KiB (a missing closing quote?).`;
    default:
      return `${at}: ${error.message}`;
  }
}
