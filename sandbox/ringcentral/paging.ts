import type { FastifyRequest } from 'fastify';
import { RcHttpError, invalidParameter } from './errors.js';

/** RingCentral's documented page-size ceiling; larger requests get the maximum. */
export const MAX_PER_PAGE = 1000;

export interface PageRequest {
  page: number;
  perPage: number;
}

/** Reads `page` (1-based) and `perPage` (default 100, capped at 1000), rejecting non-positive values like the platform. */
export function readPage(query: Record<string, unknown>): PageRequest {
  return {
    page: positiveInteger(query, 'page') ?? 1,
    perPage: Math.min(MAX_PER_PAGE, positiveInteger(query, 'perPage') ?? 100),
  };
}

function positiveInteger(query: Record<string, unknown>, name: string): number | undefined {
  const raw = single(query, name);
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < 1) throw new RcHttpError(400, invalidParameter(name, raw));
  return value;
}

/** One value of a query parameter (the last, if repeated). */
export function single(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) return value.length === 0 ? undefined : String(value[value.length - 1]);
  return value === undefined ? undefined : String(value);
}

/** All values of a repeated (`style: form, explode: true`) query parameter; empty values are ignored. */
export function many(query: Record<string, unknown>, name: string): string[] {
  const value = query[name];
  const values = Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)];
  return values.filter((v) => v !== '');
}

/** `many`, rejecting any value outside `allowed` with a 400 naming the parameter. */
export function manyOf(query: Record<string, unknown>, name: string, allowed: readonly string[]): string[] {
  const values = many(query, name);
  for (const value of values) if (!allowed.includes(value)) throw new RcHttpError(400, invalidParameter(name, value));
  return values;
}

/** `single`, rejecting a value outside `allowed`. */
export function oneOf(query: Record<string, unknown>, name: string, allowed: readonly string[]): string | undefined {
  const value = single(query, name);
  if (value === undefined || value === '') return undefined;
  if (!allowed.includes(value)) throw new RcHttpError(400, invalidParameter(name, value));
  return value;
}

export interface Page<T> {
  records: T[];
  /** `EnumeratedPagingModel`. */
  paging: Record<string, number>;
}

/** Slices `items` for `request`; `pageStart`/`pageEnd` only when the page has records, as the spec says. */
export function paginate<T>(items: readonly T[], request: PageRequest): Page<T> {
  const start = (request.page - 1) * request.perPage;
  const records = items.slice(start, start + request.perPage);
  const paging: Record<string, number> = {
    page: request.page,
    totalPages: Math.ceil(items.length / request.perPage),
    perPage: request.perPage,
    totalElements: items.length,
  };
  if (records.length > 0) {
    paging.pageStart = start;
    paging.pageEnd = start + records.length - 1;
  }
  return { records, paging };
}

/**
 * `PageNavigationModel`: absolute uris to the first, previous, next and last
 * pages, keeping every filter of the request. `nextPage` is absent on the
 * last page, which is how clients know to stop.
 */
export function navigation(request: FastifyRequest, origin: string, page: PageRequest, totalPages: number): Record<string, { uri: string }> {
  const link = (n: number) => {
    const url = new URL(request.url, origin);
    url.searchParams.set('page', String(n));
    url.searchParams.set('perPage', String(page.perPage));
    return { uri: url.toString() };
  };
  const last = Math.max(1, totalPages);
  const out: Record<string, { uri: string }> = { firstPage: link(1) };
  if (page.page < totalPages) out.nextPage = link(page.page + 1);
  if (page.page > 1) out.previousPage = link(Math.min(page.page - 1, last));
  out.lastPage = link(last);
  return out;
}
