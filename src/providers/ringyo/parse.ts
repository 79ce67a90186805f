import type { RingyoPhoneNumber, RingyoRecentCall, RingyoStats } from './wire.js';

/** A 2xx body we cannot use; the client turns it into INVALID_RESPONSE. */
export class RingyoParseError extends Error {
  override readonly name = 'RingyoParseError';
}

/** Where the next page is: a cursor (list page) or an offset (intro page). */
export type RingyoNext = { cursor: string } | { offset: number };

/** One page of the list, whichever envelope answered. */
export interface RingyoPage {
  items: RingyoPhoneNumber[];
  next: RingyoNext | null;
  total: number | null;
}

/**
 * Reads one page of `GET /v1/phone-numbers` in either documented envelope:
 *
 * - the endpoint page's `{data, has_more, next_cursor, total}` → next by cursor;
 * - the introduction's `{data, pagination: {total, limit, offset, has_more}}` → next by offset.
 *
 * A bare `{data: [...]}` is a single, final page.
 */
export function parseRingyoPage(body: unknown): RingyoPage {
  const root = object(body, 'body');
  if (!Array.isArray(root.data)) throw new RingyoParseError('data must be an array');
  const items = root.data.map((raw, i) => parseRingyoPhoneNumber(raw, `data[${i}]`));

  if (root.pagination !== undefined && root.pagination !== null) {
    const p = object(root.pagination, 'pagination');
    const total = optionalCount(p.total, 'pagination.total');
    if (p.has_more !== true) return { items, next: null, total };
    const offset = optionalCount(p.offset, 'pagination.offset') ?? 0;
    // An empty page that claims more would have us ask for the same offset forever.
    if (items.length === 0) throw new RingyoParseError('pagination.has_more is true on an empty page');
    return { items, next: { offset: offset + items.length }, total };
  }
  const total = optionalCount(root.total, 'total');
  if (root.has_more !== true) return { items, next: null, total };
  if (typeof root.next_cursor !== 'string' || root.next_cursor === '') {
    throw new RingyoParseError('has_more is true but next_cursor is missing');
  }
  return { items, next: { cursor: root.next_cursor }, total };
}

/** A single number, bare (as the endpoint page shows) or wrapped in `{data: …}` (as the introduction shows). */
export function parseRingyoPhoneNumberBody(body: unknown): RingyoPhoneNumber {
  const root = object(body, 'body');
  return isObject(root.data) ? parseRingyoPhoneNumber(root.data, 'data') : parseRingyoPhoneNumber(root, 'body');
}

/**
 * One number. `id`, `phone_number` and `status` are required; absent
 * capabilities read as none; `stats` and `recent_calls` are kept when present.
 */
export function parseRingyoPhoneNumber(raw: unknown, where: string): RingyoPhoneNumber {
  const o = object(raw, where);
  const at = (field: string) => `${where}.${field}`;
  const capabilities = o.capabilities === undefined || o.capabilities === null ? {} : object(o.capabilities, at('capabilities'));
  const out: RingyoPhoneNumber = {
    id: string(o.id, at('id')),
    phone_number: string(o.phone_number, at('phone_number')),
    friendly_name: optionalString(o.friendly_name, at('friendly_name')),
    country: optionalString(o.country, at('country')),
    region: optionalString(o.region, at('region')),
    capabilities: { voice: capabilities.voice === true, sms: capabilities.sms === true },
    status: string(o.status, at('status')),
    default_agent_id: optionalString(o.default_agent_id, at('default_agent_id')),
    created_at: optionalString(o.created_at, at('created_at')),
  };
  if (typeof o.updated_at === 'string') out.updated_at = o.updated_at;
  if (o.stats !== undefined && o.stats !== null) out.stats = stats(o.stats, at('stats'));
  if (Array.isArray(o.recent_calls)) out.recent_calls = o.recent_calls.map((c, i) => recentCall(c, `${at('recent_calls')}[${i}]`));
  return out;
}

function stats(raw: unknown, where: string): RingyoStats {
  const o = object(raw, where);
  const count = (field: string) => optionalCount(o[field], `${where}.${field}`) ?? 0;
  return {
    total_calls: count('total_calls'),
    total_minutes: count('total_minutes'),
    calls_this_month: count('calls_this_month'),
    minutes_this_month: count('minutes_this_month'),
  };
}

function recentCall(raw: unknown, where: string): RingyoRecentCall {
  const o = object(raw, where);
  const call: RingyoRecentCall = { id: string(o.id, `${where}.id`) };
  for (const field of ['direction', 'from_number', 'to_number', 'status', 'started_at'] as const) {
    if (typeof o[field] === 'string') call[field] = o[field];
  }
  if (typeof o.duration_seconds === 'number') call.duration_seconds = o.duration_seconds;
  if (typeof o.agent_id === 'string' || o.agent_id === null) call.agent_id = o.agent_id;
  return call;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(value: unknown, where: string): Record<string, unknown> {
  if (!isObject(value)) throw new RingyoParseError(`${where} must be an object`);
  return value;
}

function string(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '') throw new RingyoParseError(`${where} must be a non-empty string`);
  return value;
}

function optionalString(value: unknown, where: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new RingyoParseError(`${where} must be a string`);
  return value;
}

function optionalCount(value: unknown, where: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new RingyoParseError(`${where} must be a non-negative integer`);
  return value;
}
