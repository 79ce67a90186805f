import type {
  ZendeskAvailableNumber,
  ZendeskCapabilities,
  ZendeskGroup,
  ZendeskIvr,
  ZendeskIvrMenu,
  ZendeskIvrRoute,
  ZendeskPhoneNumber,
} from './wire.js';

/** A 2xx body we cannot use; the client turns it into INVALID_RESPONSE. */
export class ZendeskParseError extends Error {
  override readonly name = 'ZendeskParseError';
}

/** Where the next page is: a link to follow, or a cursor to send. */
export type NextPage = { url: string } | { after: string };

/** One page of a Zendesk list, whichever paging method answered. */
export interface ListPage<T> {
  items: T[];
  next: NextPage | null;
}

/**
 * Reads one page of a Zendesk list in either envelope:
 *
 * - cursor paging: `{<key>: [...], meta: {has_more, after_cursor}, links: {next}}`;
 *   the next page is `links.next`, or `page[after]=after_cursor`, and only
 *   while `has_more` (Zendesk sends `links.next` on the last page too);
 * - offset paging: `{<key>: [...], next_page, previous_page, count}`; the next
 *   page is the `next_page` URL until it is null.
 *
 * `keys` lists the collection names to accept, first match wins (IVRs come
 * back as `ivrs`, though the endpoint is `/ivr`).
 */
export function parseListPage<T>(body: unknown, keys: readonly string[], parseItem: (raw: unknown, where: string) => T): ListPage<T> {
  const root = object(body, 'body');
  const key = keys.find((k) => Array.isArray(root[k]));
  if (key === undefined) throw new ZendeskParseError(`expected an array at ${keys.join(' or ')}`);
  const items = (root[key] as unknown[]).map((raw, i) => parseItem(raw, `${key}[${i}]`));

  if (root.meta !== undefined && root.meta !== null) {
    const meta = object(root.meta, 'meta');
    if (typeof meta.has_more !== 'boolean') throw new ZendeskParseError('meta.has_more must be a boolean');
    if (!meta.has_more) return { items, next: null };
    const links = root.links === undefined || root.links === null ? {} : object(root.links, 'links');
    if (typeof links.next === 'string' && links.next !== '') return { items, next: { url: links.next } };
    if (typeof meta.after_cursor === 'string' && meta.after_cursor !== '') return { items, next: { after: meta.after_cursor } };
    throw new ZendeskParseError('meta.has_more is true but neither links.next nor meta.after_cursor says where the next page is');
  }
  const nextPage = root.next_page;
  if (nextPage === undefined || nextPage === null || nextPage === '') return { items, next: null };
  if (typeof nextPage !== 'string') throw new ZendeskParseError('next_page must be a URL or null');
  return { items, next: { url: nextPage } };
}

/** `{phone_number: {...}}`, the single-number envelope. */
export function parsePhoneNumberEnvelope(body: unknown): ZendeskPhoneNumber {
  return parsePhoneNumber(object(body, 'body').phone_number, 'phone_number');
}

/** A Talk number; ids become strings, absent booleans read as false. */
export function parsePhoneNumber(raw: unknown, where = 'phone_number'): ZendeskPhoneNumber {
  const o = object(raw, where);
  const at = (field: string) => `${where}.${field}`;
  const displayNumber = optionalString(o.display_number, at('display_number'));
  const number = optionalString(o.number, at('number'));
  if (displayNumber === null && number === null) throw new ZendeskParseError(`${where} has neither number nor display_number`);

  const out: ZendeskPhoneNumber = {
    id: id(o.id, at('id')),
    number,
    display_number: displayNumber ?? number!,
    name: optionalString(o.name, at('name')),
    nickname: optionalString(o.nickname, at('nickname')),
    country_code: optionalString(o.country_code, at('country_code')),
    location: optionalString(o.location, at('location')),
    toll_free: flag(o.toll_free, at('toll_free')),
    external: flag(o.external, at('external')),
    created_at: optionalString(o.created_at, at('created_at')),
    capabilities: capabilities(o.capabilities, at('capabilities')),
    group_ids: idList(o.group_ids, at('group_ids')),
    default_group_id: optionalId(o.default_group_id, at('default_group_id')),
    sms_group_id: optionalId(o.sms_group_id, at('sms_group_id')),
    greeting_ids: idList(o.greeting_ids, at('greeting_ids')),
    ivr_id: optionalId(o.ivr_id, at('ivr_id')),
    schedule_id: optionalId(o.schedule_id, at('schedule_id')),
    priority: optionalNumber(o.priority, at('priority')),
    line_type: optionalString(o.line_type, at('line_type')),
    failover_number: optionalString(o.failover_number, at('failover_number')),
    brand_id: optionalId(o.brand_id, at('brand_id')),
  };
  for (const field of ['sms_enabled', 'voice_enabled', 'outbound_enabled', 'recorded', 'transcription'] as const) {
    if (o[field] !== undefined && o[field] !== null) out[field] = flag(o[field], at(field));
  }
  if (typeof o.call_recording_consent === 'string') out.call_recording_consent = o.call_recording_consent;
  if (Array.isArray(o.default_greeting_ids)) out.default_greeting_ids = o.default_greeting_ids.map((g) => String(g));
  if (isObject(o.categorised_greetings)) out.categorised_greetings = o.categorised_greetings;
  if (isObject(o.categorised_greetings_with_sub_settings)) out.categorised_greetings_with_sub_settings = o.categorised_greetings_with_sub_settings;
  if (typeof o.token === 'string') out.token = o.token;
  return out;
}

/** One search result; a price sent as a number is kept as its string. */
export function parseAvailableNumber(raw: unknown, where: string): ZendeskAvailableNumber {
  const o = object(raw, where);
  const number = string(o.number, `${where}.number`);
  return {
    number,
    display_number: optionalString(o.display_number, `${where}.display_number`) ?? number,
    toll_free: flag(o.toll_free, `${where}.toll_free`),
    location: optionalString(o.location, `${where}.location`),
    country_code: string(o.country_code, `${where}.country_code`),
    token: string(o.token, `${where}.token`),
    // Zendesk has sent prices both as strings and as numbers.
    price: typeof o.price === 'number' ? String(o.price) : optionalString(o.price, `${where}.price`),
    address_requirements: optionalString(o.address_requirements, `${where}.address_requirements`),
  };
}

/** A Support group; ids become strings. */
export function parseGroup(raw: unknown, where: string): ZendeskGroup {
  const o = object(raw, where);
  const group: ZendeskGroup = {
    id: id(o.id, `${where}.id`),
    name: string(o.name, `${where}.name`),
    description: optionalString(o.description, `${where}.description`),
    default: flag(o.default, `${where}.default`),
    deleted: flag(o.deleted, `${where}.deleted`),
    created_at: optionalString(o.created_at, `${where}.created_at`),
    updated_at: optionalString(o.updated_at, `${where}.updated_at`),
  };
  if (typeof o.is_public === 'boolean') group.is_public = o.is_public;
  return group;
}

/** An IVR with its menus and routes; ids (also route `group_ids`) become strings. */
export function parseIvr(raw: unknown, where: string): ZendeskIvr {
  const o = object(raw, where);
  const menus = o.menus === undefined || o.menus === null ? [] : array(o.menus, `${where}.menus`);
  return {
    id: id(o.id, `${where}.id`),
    name: string(o.name, `${where}.name`),
    menus: menus.map((m, i) => parseIvrMenu(m, `${where}.menus[${i}]`)),
    phone_number_ids: idList(o.phone_number_ids, `${where}.phone_number_ids`),
    phone_number_names: (o.phone_number_names === undefined || o.phone_number_names === null ? [] : array(o.phone_number_names, `${where}.phone_number_names`)).map(
      (n) => String(n),
    ),
  };
}

function parseIvrMenu(raw: unknown, where: string): ZendeskIvrMenu {
  const o = object(raw, where);
  const routes = o.routes === undefined || o.routes === null ? [] : array(o.routes, `${where}.routes`);
  return {
    id: id(o.id, `${where}.id`),
    name: string(o.name, `${where}.name`),
    default: flag(o.default, `${where}.default`),
    greeting_id: optionalId(o.greeting_id, `${where}.greeting_id`),
    routes: routes.map((r, i) => parseIvrRoute(r, `${where}.routes[${i}]`)),
  };
}

function parseIvrRoute(raw: unknown, where: string): ZendeskIvrRoute {
  const o = object(raw, where);
  const options = o.options === undefined || o.options === null ? {} : { ...object(o.options, `${where}.options`) };
  if (options.group_ids !== undefined) options.group_ids = idList(options.group_ids, `${where}.options.group_ids`);
  return {
    id: id(o.id, `${where}.id`),
    keypress: String(o.keypress ?? ''),
    greeting: optionalString(o.greeting, `${where}.greeting`),
    action: string(o.action, `${where}.action`),
    options: options as ZendeskIvrRoute['options'],
    option_text: optionalString(o.option_text, `${where}.option_text`),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(value: unknown, where: string): Record<string, unknown> {
  if (!isObject(value)) throw new ZendeskParseError(`${where} must be an object`);
  return value;
}

function array(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new ZendeskParseError(`${where} must be an array`);
  return value;
}

function string(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new ZendeskParseError(`${where} must be a string`);
  return value;
}

function optionalString(value: unknown, where: string): string | null {
  return value === undefined || value === null ? null : string(value, where);
}

function optionalNumber(value: unknown, where: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ZendeskParseError(`${where} must be a number`);
  return value;
}

function flag(value: unknown, where: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw new ZendeskParseError(`${where} must be a boolean`);
  return value;
}

/** An id as a string: Zendesk sends integers; digit strings are accepted as they are. */
function id(value: unknown, where: string): string {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && /^\d+$/.test(value)) return value;
  throw new ZendeskParseError(`${where} must be an integer id`);
}

function optionalId(value: unknown, where: string): string | null {
  return value === undefined || value === null ? null : id(value, where);
}

function idList(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  return array(value, where).map((v, i) => id(v, `${where}[${i}]`));
}

function capabilities(value: unknown, where: string): ZendeskCapabilities {
  // Absent capabilities read as none, rather than failing a whole list.
  if (value === undefined || value === null) return { sms: false, mms: false, voice: false };
  const o = object(value, where);
  const out: ZendeskCapabilities = {
    sms: flag(o.sms, `${where}.sms`),
    mms: flag(o.mms, `${where}.mms`),
    voice: flag(o.voice, `${where}.voice`),
  };
  if (typeof o.emergency_address === 'boolean') out.emergency_address = o.emergency_address;
  return out;
}
