import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { GraphResponse } from './graph.js';

/** The file part of a multipart request: whole, or produced chunk by chunk (never held whole). */
export type FileContent = string | Buffer | AsyncIterable<string | Buffer> | Iterable<string | Buffer>;

export interface MultipartRequest {
  query: string;
  /** Variables; the file goes to `variables.<filePath>`, set to null here as the spec asks. */
  variables: Record<string, unknown>;
  /** Where the file goes in `variables`, as a dotted path (default `input.file`). */
  filePath?: string;
  file: FileContent;
  filename?: string;
  /** Extra headers. `apollo-require-preflight` is sent unless `preflight: false`. */
  headers?: Record<string, string>;
  preflight?: boolean;
}

/**
 * Sends a GraphQL multipart request (`operations`, `map`, one file) as a
 * stream: the body is written as the file's chunks are produced, so a test
 * can send a 100,000-row file without building it, or hold a request open.
 */
export async function postMultipart<T = Record<string, unknown>>(url: string, request: MultipartRequest): Promise<GraphResponse<T>> {
  const boundary = `----switchboard-${randomBytes(8).toString('hex')}`;
  const path = request.filePath ?? 'input.file';
  const variables = structuredClone(request.variables);
  setPath(variables, path, null);
  const operations = JSON.stringify({ query: request.query, variables });
  const map = JSON.stringify({ '0': [`variables.${path}`] });

  async function* body(): AsyncGenerator<Buffer> {
    const part = (headers: string) => Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`);
    yield part('Content-Disposition: form-data; name="operations"');
    yield Buffer.from(`${operations}\r\n`);
    yield part('Content-Disposition: form-data; name="map"');
    yield Buffer.from(`${map}\r\n`);
    yield part(`Content-Disposition: form-data; name="0"; filename="${request.filename ?? 'numbers.csv'}"\r\nContent-Type: text/csv`);
    const file = request.file;
    if (typeof file === 'string' || Buffer.isBuffer(file)) yield Buffer.from(file);
    else for await (const chunk of file) yield Buffer.from(chunk);
    yield Buffer.from(`\r\n--${boundary}--\r\n`);
  }

  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      ...(request.preflight !== false && { 'apollo-require-preflight': 'true' }),
      ...request.headers,
    },
    body: Readable.toWeb(Readable.from(body())) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  return { status: response.status, body: (await response.json()) as GraphResponse<T>['body'] };
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) throw new Error(`variables has no object at ${key} (path ${path})`);
    node = next as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
}
