import { Readable } from 'node:stream';
import { UploadError, UploadTooLargeError } from './errors.js';

/** A file from the multipart request (graphql-upload's `FileUpload`, as far as the upload needs it). */
export interface UploadedFile {
  createReadStream(): NodeJS.ReadableStream;
}

/** Where the CSV comes from: the input field that carried it and a way to read its bytes. */
export interface CsvSource {
  field: 'file' | 'csv';
  /** A fresh stream of the CSV's bytes. */
  open(): Promise<NodeJS.ReadableStream>;
}

/** Inline CSV text is read in chunks like a file, so both go through the same streaming parser. */
const TEXT_CHUNK_CHARS = 64 * 1024;

/** A source for a multipart file. Failures of the multipart layer become the refusals they stand for. */
export function fileSource(file: Promise<UploadedFile>, maxBytes: number): CsvSource {
  return {
    field: 'file',
    async open() {
      try {
        return (await file).createReadStream();
      } catch (error) {
        throw multipartError(error, maxBytes);
      }
    },
  };
}

/** A source for CSV text given inline; its size is known at once, so the byte limit is checked before reading. */
export function textSource(text: string, maxBytes: number): CsvSource {
  return {
    field: 'csv',
    async open() {
      if (Buffer.byteLength(text, 'utf8') > maxBytes) throw new UploadTooLargeError(maxBytes);
      return Readable.from(chunks(text));
    },
  };
}

function* chunks(text: string): Generator<Buffer> {
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + TEXT_CHUNK_CHARS, text.length);
    // Each chunk is encoded on its own: never split a surrogate pair.
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end += 1;
    yield Buffer.from(text.slice(start, end), 'utf8');
    start = end;
  }
}

/** graphql-upload rejects with http-errors: 413 past its size limit, 400 when the file part never came. */
function multipartError(error: unknown, maxBytes: number): unknown {
  const status = (error as { status?: unknown }).status;
  if (status === 413) return new UploadTooLargeError(maxBytes);
  if (status === 400) return new UploadError('UPLOAD_REQUIRED', `The file could not be read from the multipart request: ${error instanceof Error ? error.message : String(error)}`);
  return error;
}
