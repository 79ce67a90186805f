/**
 * graphql-upload 17 ships ES modules typed by JSDoc, which TypeScript reads
 * only with `allowJs`; these are the parts Switchboard uses.
 */
declare module 'graphql-upload/processRequest.mjs' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  import type { Readable } from 'node:stream';

  /** A file of the multipart request, once its part has begun to stream in. */
  export interface FileUpload {
    filename: string;
    mimetype: string;
    encoding: string;
    /** A stream of the file's bytes, buffered to a temporary file; each call returns a new stream. */
    createReadStream(options?: { encoding?: BufferEncoding; highWaterMark?: number }): Readable;
  }

  export interface ProcessRequestOptions {
    /** Largest `operations` or `map` field, in bytes (default 1 MB). */
    maxFieldSize?: number;
    /** Largest file, in bytes; a longer file is truncated and its stream fails with a 413. */
    maxFileSize?: number;
    maxFiles?: number;
  }

  /**
   * Parses a GraphQL multipart request into its operation(s), with an
   * `Upload` wherever the `map` puts a file. Rejects with an http-errors
   * error (`status` 400 or 413) for a malformed request.
   */
  export default function processRequest(
    request: IncomingMessage,
    response: ServerResponse,
    options?: ProcessRequestOptions,
  ): Promise<Record<string, unknown> | Record<string, unknown>[]>;
}

declare module 'graphql-upload/GraphQLUpload.mjs' {
  import type { GraphQLScalarType } from 'graphql';

  /** The `Upload` scalar: its value in resolvers is a promise of the file. */
  const GraphQLUpload: GraphQLScalarType;
  export default GraphQLUpload;
}
