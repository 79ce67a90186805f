import { ZendeskApiError } from './errors.js';

/** Where a list was requested, to build the full-URL links Zendesk returns. */
export interface PageUrl {
  /** `http://host:port`. */
  origin: string;
  /** The path as requested (with or without `.json`). */
  path: string;
  /** The request's query, repeated parameters already refused. */
  query: Record<string, string>;
}

/** How a list request asked to be paged. */
export type Paging =
  | { kind: 'offset'; page: number; perPage: number }
  | { kind: 'cursor'; size: number; after?: number; before?: number };

/** What an endpoint supports. */
export interface PagingOptions {
  /** Whether this endpoint honours `page[size]` (otherwise it is ignored, as on OBP-only endpoints). */
  cursor: boolean;
  /** Offset paging refuses pages that start past this many records (Zendesk: 10,000). */
  offsetRecordLimit: number;
}

const MAX_PAGE_SIZE = 100;
const CURSOR_KEYS = ['page[size]', 'page[after]', 'page[before]'];

/** The query as single strings; a repeated parameter is refused, naming it. */
export function singleValues(query: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    if (Array.isArray(value)) throw ZendeskApiError.badParameter(key, `${key} must be given once`);
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

/**
 * Reads Zendesk's two paging methods: cursor paging when any `page[...]`
 * parameter is present (and the endpoint supports it), offset paging otherwise.
 * Offset paging caps `per_page` at 100 and refuses pages past the first
 * 10,000 records with a 400, as Zendesk has since 2024.
 */
export function parsePaging(query: Record<string, string>, options: PagingOptions): Paging {
  if (options.cursor && CURSOR_KEYS.some((key) => key in query)) {
    const size = query['page[size]'] === undefined ? MAX_PAGE_SIZE : positiveInt(query['page[size]'], 'page[size]');
    if (size > MAX_PAGE_SIZE) throw paginationError('page[size]', `page[size] must be less than or equal to ${MAX_PAGE_SIZE}`);
    const after = query['page[after]'] === undefined ? undefined : decodeCursor(query['page[after]'], 'page[after]');
    const before = query['page[before]'] === undefined ? undefined : decodeCursor(query['page[before]'], 'page[before]');
    if (after !== undefined && before !== undefined) {
      throw paginationError('page[before]', 'page[after] and page[before] cannot be used together');
    }
    return { kind: 'cursor', size, ...(after !== undefined && { after }), ...(before !== undefined && { before }) };
  }
  return parseOffsetPaging(query, options.offsetRecordLimit);
}

/** Offset paging alone, for endpoints that document no cursor paging (`page[...]` is ignored). */
export function parseOffsetPaging(query: Record<string, string>, offsetRecordLimit: number): { kind: 'offset'; page: number; perPage: number } {
  const page = query.page === undefined ? 1 : positiveInt(query.page, 'page');
  const perPage = Math.min(MAX_PAGE_SIZE, query.per_page === undefined ? MAX_PAGE_SIZE : positiveInt(query.per_page, 'per_page'));
  if ((page - 1) * perPage >= offsetRecordLimit) {
    throw paginationError(
      'page',
      `Offset pagination is limited to the first ${offsetRecordLimit} records. Use cursor pagination (page[size]) to go further.`,
    );
  }
  return { kind: 'offset', page, perPage };
}

/** `{<key>: [...], next_page, previous_page, count}` with full-URL links. */
export function offsetEnvelope<T>(
  key: string,
  items: readonly T[],
  paging: { page: number; perPage: number },
  url: PageUrl,
  serialize: (item: T) => unknown,
): Record<string, unknown> {
  const start = (paging.page - 1) * paging.perPage;
  const slice = items.slice(start, start + paging.perPage);
  const link = (page: number) => buildUrl(url, { page: String(page) }, ['page']);
  return {
    [key]: slice.map(serialize),
    next_page: start + paging.perPage < items.length ? link(paging.page + 1) : null,
    previous_page: paging.page > 1 ? link(paging.page - 1) : null,
    count: items.length,
  };
}

/**
 * `{<key>: [...], meta: {has_more, after_cursor, before_cursor}, links: {next, prev}}`.
 * Items must be sorted by id; cursors are opaque and encode an id, so they
 * stay valid when records are added or deleted between pages.
 */
export function cursorEnvelope<T extends { id: number }>(
  key: string,
  items: readonly T[],
  paging: { size: number; after?: number; before?: number },
  url: PageUrl,
  serialize: (item: T) => unknown,
): Record<string, unknown> {
  let slice: readonly T[];
  let hasMore: boolean;
  if (paging.before !== undefined) {
    const earlier = items.filter((item) => item.id < paging.before!);
    slice = earlier.slice(Math.max(0, earlier.length - paging.size));
    hasMore = earlier.length > paging.size;
  } else {
    const rest = paging.after === undefined ? items : items.filter((item) => item.id > paging.after!);
    slice = rest.slice(0, paging.size);
    hasMore = rest.length > paging.size;
  }
  const first = slice[0];
  const last = slice[slice.length - 1];
  const afterCursor = last ? encodeCursor(last.id) : null;
  const beforeCursor = first ? encodeCursor(first.id) : null;
  const size = String(paging.size);
  return {
    [key]: slice.map(serialize),
    meta: { has_more: hasMore, after_cursor: afterCursor, before_cursor: beforeCursor },
    links: {
      // Zendesk sends the next link even on the last page: has_more is what says stop.
      next: afterCursor && buildUrl(url, { 'page[size]': size, 'page[after]': afterCursor }, CURSOR_KEYS),
      prev: beforeCursor && buildUrl(url, { 'page[size]': size, 'page[before]': beforeCursor }, CURSOR_KEYS),
    },
  };
}

function buildUrl(url: PageUrl, set: Record<string, string>, drop: string[]): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(url.query)) if (!drop.includes(key)) params.append(key, value);
  for (const [key, value] of Object.entries(set)) params.set(key, value);
  return `${url.origin}${url.path}?${params.toString()}`;
}

function encodeCursor(id: number): string {
  return Buffer.from(JSON.stringify({ o: 'id', v: id })).toString('base64url');
}

function decodeCursor(cursor: string, name: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown; v?: unknown };
    if (parsed.o === 'id' && typeof parsed.v === 'number' && Number.isSafeInteger(parsed.v)) return parsed.v;
  } catch {
    // Falls through to the refusal below.
  }
  throw paginationError(name, `${name} is not a valid cursor`);
}

function positiveInt(raw: string, name: string): number {
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw paginationError(name, `${name} must be a positive integer`);
  return Number(raw);
}

function paginationError(name: string, description: string): ZendeskApiError {
  return ZendeskApiError.badParameter(name, description, 'InvalidPaginationParameter');
}
