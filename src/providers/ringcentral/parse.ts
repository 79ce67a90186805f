import type { Headers } from 'got';
import type {
  RcAccountInfo,
  RcAccountPhoneNumber,
  RcCompanyPhoneNumber,
  RcExtension,
  RcForwardingNumber,
  RcNumberExtension,
  RcPaging,
  RcTokenInfo,
  RcUserPhoneNumber,
} from './wire.js';

/**
 * Tolerant parsers from RingCentral JSON to the wire types. Required fields
 * (ids, numbers, usage types) must be present or the body is unusable and we
 * throw {@link UnusableBody}; optional fields of an unexpected type are
 * dropped. Ids arrive as JSON numbers (v1) or strings (v2) and leave as
 * strings.
 */

/** A 2xx body Switchboard cannot use; the client reports it as INVALID_RESPONSE. */
export class UnusableBody extends Error {
  override readonly name = 'UnusableBody';
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(value: unknown, what: string): Json {
  if (!isObject(value)) throw new UnusableBody(`${what} is not a JSON object`);
  return value;
}

/** An id from a JSON number or a string of digits (ids must not lose precision, so unsafe numbers are refused). */
function idOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && value !== '') return value;
  return undefined;
}

function requiredId(value: unknown, what: string): string {
  const id = idOf(value);
  if (id === undefined) throw new UnusableBody(`${what} has no usable id`);
  return id;
}

function requiredString(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw new UnusableBody(`${what} is missing`);
  return value;
}

type Kind = 'string' | 'number' | 'boolean';
type KindOf<K extends Kind> = K extends 'string' ? string : K extends 'number' ? number : boolean;
type Picked<S extends Record<string, Kind>> = { [P in keyof S]?: KindOf<S[P]> };

/** Copies the listed optional fields whose values have the expected primitive type. */
function pick<S extends Record<string, Kind>>(source: Json, spec: S): Picked<S> {
  const out: Record<string, unknown> = {};
  for (const [key, kind] of Object.entries(spec)) if (typeof source[key] === kind) out[key] = source[key];
  return out as Picked<S>;
}

/** A nested object of optional primitives, or undefined when absent or malformed. */
function nested<S extends Record<string, Kind>>(value: unknown, spec: S): Picked<S> | undefined {
  return isObject(value) ? pick(value, spec) : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Assigns `value` to `target[key]` only when defined, so absent fields stay absent. */
function set<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

export function parseTokenInfo(body: unknown): RcTokenInfo {
  const json = object(body, 'token response');
  const access = requiredString(json.access_token, 'token response access_token');
  const expiresIn = typeof json.expires_in === 'string' ? Number(json.expires_in) : json.expires_in;
  if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0) {
    throw new UnusableBody('token response has no usable expires_in');
  }
  const token: RcTokenInfo = {
    access_token: access,
    token_type: typeof json.token_type === 'string' ? json.token_type : 'bearer',
    expires_in: expiresIn,
    ...pick(json, { refresh_token: 'string', refresh_token_expires_in: 'number', scope: 'string', endpoint_id: 'string', session_id: 'string' }),
  };
  set(token, 'owner_id', idOf(json.owner_id));
  return token;
}

export function parseAccountInfo(body: unknown): RcAccountInfo {
  const json = object(body, 'account');
  const account: RcAccountInfo = {
    id: requiredId(json.id, 'account'),
    ...pick(json, { uri: 'string', mainNumber: 'string', status: 'string', setupWizardState: 'string', federated: 'boolean' }),
  };
  if (isObject(json.operator)) {
    const id = idOf(json.operator.id);
    if (id) account.operator = { id, ...pick(json.operator, { uri: 'string', extensionNumber: 'string' }) };
  }
  if (isObject(json.serviceInfo)) {
    const info = json.serviceInfo;
    account.serviceInfo = {};
    set(account.serviceInfo, 'brand', nested(info.brand, { id: 'string', name: 'string' }));
    set(account.serviceInfo, 'servicePlan', nested(info.servicePlan, { id: 'string', name: 'string', edition: 'string' }));
    set(account.serviceInfo, 'billingPlan', nested(info.billingPlan, { id: 'string', name: 'string', type: 'string' }));
  }
  return account;
}

export function parseExtension(value: unknown): RcExtension {
  const json = object(value, 'extension');
  const extension: RcExtension = {
    id: requiredId(json.id, 'extension'),
    type: requiredString(json.type, 'extension type'),
    ...pick(json, { uri: 'string', extensionNumber: 'string', name: 'string', subType: 'string', status: 'string', hidden: 'boolean', creationTime: 'string' }),
  };
  set(
    extension,
    'contact',
    nested(json.contact, {
      firstName: 'string',
      lastName: 'string',
      name: 'string',
      company: 'string',
      jobTitle: 'string',
      email: 'string',
      businessPhone: 'string',
      mobilePhone: 'string',
      department: 'string',
    }),
  );
  if (isObject(json.permissions)) {
    extension.permissions = {};
    set(extension.permissions, 'admin', nested(json.permissions.admin, { enabled: 'boolean' }));
    set(extension.permissions, 'internationalCalling', nested(json.permissions.internationalCalling, { enabled: 'boolean' }));
  }
  if (isObject(json.site)) extension.site = { ...pick(json.site, { name: 'string', code: 'string' }), ...(idOf(json.site.id) && { id: idOf(json.site.id) }) };
  set(extension, 'costCenter', nested(json.costCenter, { id: 'string', name: 'string' }));
  set(
    extension,
    'callQueueInfo',
    nested(json.callQueueInfo, { slaGoal: 'number', slaThresholdSeconds: 'number', includeAbandonedCalls: 'boolean', abandonedThresholdSeconds: 'number' }),
  );
  if (isObject(json.account) && idOf(json.account.id)) {
    extension.account = { id: idOf(json.account.id)!, ...pick(json.account, { uri: 'string' }) };
  }
  set(extension, 'statusInfo', nested(json.statusInfo, { reason: 'string', comment: 'string' }));
  return extension;
}

function numberExtension(value: unknown): RcNumberExtension | undefined {
  if (!isObject(value)) return undefined;
  const id = idOf(value.id);
  if (id === undefined) return undefined;
  return { id, ...pick(value, { uri: 'string', name: 'string', extensionNumber: 'string', type: 'string' }) };
}

export function parseCompanyPhoneNumber(value: unknown): RcCompanyPhoneNumber {
  const json = object(value, 'phone number');
  const number: RcCompanyPhoneNumber = {
    id: requiredId(json.id, 'phone number'),
    phoneNumber: requiredString(json.phoneNumber, 'phone number phoneNumber'),
    usageType: requiredString(json.usageType, 'phone number usageType'),
    ...pick(json, {
      uri: 'string',
      label: 'string',
      location: 'string',
      paymentType: 'string',
      status: 'string',
      type: 'string',
      primary: 'boolean',
      activationStatus: 'string',
      callerIdName: 'string',
    }),
  };
  set(number, 'extension', numberExtension(json.extension));
  set(number, 'contactCenterProvider', contactCenterProvider(json.contactCenterProvider));
  if (isObject(json.temporaryNumber)) {
    number.temporaryNumber = { ...pick(json.temporaryNumber, { phoneNumber: 'string' }), ...(idOf(json.temporaryNumber.id) && { id: idOf(json.temporaryNumber.id) }) };
  }
  return number;
}

export function parseUserPhoneNumber(value: unknown): RcUserPhoneNumber {
  const json = object(value, 'phone number');
  const number: RcUserPhoneNumber = {
    ...parseCompanyPhoneNumber(json),
    features: strings(json.features),
    ...pick(json, { subType: 'string' }),
  };
  if (isObject(json.country)) {
    number.country = { ...pick(json.country, { name: 'string', isoCode: 'string' }), ...(idOf(json.country.id) && { id: idOf(json.country.id) }) };
  }
  return number;
}

export function parseAccountPhoneNumber(value: unknown): RcAccountPhoneNumber {
  const json = object(value, 'phone number');
  const number: RcAccountPhoneNumber = {
    id: requiredId(json.id, 'phone number'),
    phoneNumber: requiredString(json.phoneNumber, 'phone number phoneNumber'),
    usageType: requiredString(json.usageType, 'phone number usageType'),
    ...pick(json, {
      status: 'string',
      tollType: 'string',
      type: 'string',
      label: 'string',
      primary: 'boolean',
      byocNumber: 'boolean',
      mobileNumber: 'boolean',
      hotDeskNumber: 'boolean',
      callerIdName: 'string',
      activationStatus: 'string',
      providerId: 'string',
    }),
  };
  if (isObject(json.extension) && idOf(json.extension.id)) {
    number.extension = { id: idOf(json.extension.id)!, ...pick(json.extension, { extensionNumber: 'string' }) };
  }
  set(number, 'contactCenterProvider', contactCenterProvider(json.contactCenterProvider));
  return number;
}

export function parseForwardingNumber(value: unknown): RcForwardingNumber {
  const json = object(value, 'forwarding number');
  const number: RcForwardingNumber = {
    id: requiredId(json.id, 'forwarding number'),
    features: strings(json.features),
    ...pick(json, { uri: 'string', phoneNumber: 'string', label: 'string', flipNumber: 'string', type: 'string' }),
  };
  if (isObject(json.device) && idOf(json.device.id)) number.device = { id: idOf(json.device.id)! };
  if (isObject(json.extension) && idOf(json.extension.id)) {
    number.extension = { id: idOf(json.extension.id)!, ...pick(json.extension, { name: 'string', extensionNumber: 'string' }) };
  }
  return number;
}

function contactCenterProvider(value: unknown): RcCompanyPhoneNumber['contactCenterProvider'] {
  if (!isObject(value)) return undefined;
  const out: { id?: string; name?: string } = {};
  set(out, 'id', idOf(value.id));
  set(out, 'name', typeof value.name === 'string' ? value.name : undefined);
  return out;
}

/** One page of a list: its raw records and whether another page follows. */
export interface ListPage {
  records: unknown[];
  hasNext: boolean;
}

/**
 * Reads a list envelope. v1 lists say there is more with
 * `navigation.nextPage`; v2 lists have no navigation, so `paging.totalPages`
 * decides, and failing both a full page means "try the next one".
 */
export function parseListPage(body: unknown, page: number, perPage: number): ListPage {
  const json = object(body, 'list response');
  if (!Array.isArray(json.records)) throw new UnusableBody('list response has no records array');
  const records = json.records as unknown[];
  if (records.length === 0) return { records, hasNext: false };
  if (isObject(json.navigation)) return { records, hasNext: isObject(json.navigation.nextPage) };
  const paging = isObject(json.paging) ? (pick(json.paging, { totalPages: 'number' }) as RcPaging) : {};
  if (paging.totalPages !== undefined) return { records, hasNext: page < paging.totalPages };
  return { records, hasNext: records.length >= perPage };
}

/** One resource of a batch (multi-id) GET. */
export interface BatchPart {
  /** The requested id, when the response names it. */
  resourceId?: string;
  status: number;
  body: unknown;
}

/**
 * Reads a 207 batch response in either documented shape: RingCentral's
 * `application/vnd.ringcentral.multipart+json` array of
 * `{resourceId, status, body}`, or the default `multipart/mixed` whose first
 * part lists `{href, status}` per resource and whose next parts are the
 * bodies, in request order.
 */
export function parseBatchResponse(body: unknown, headers: Headers): BatchPart[] {
  if (Array.isArray(body)) {
    return body.map((item, i) => {
      const part = object(item, `batch part ${i + 1}`);
      if (typeof part.status !== 'number') throw new UnusableBody(`batch part ${i + 1} has no status`);
      const resourceId = idOf(part.resourceId);
      return { ...(resourceId !== undefined && { resourceId }), status: part.status, body: part.body };
    });
  }
  const type = String(headers['content-type'] ?? '');
  if (typeof body !== 'string' || !/^multipart\/mixed/i.test(type)) throw new UnusableBody(`batch response is neither a JSON array nor multipart/mixed (${type || 'no content type'})`);
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!boundary) throw new UnusableBody('multipart/mixed batch response has no boundary');

  const parts = body
    .split(`--${boundary}`)
    .slice(1)
    .filter((chunk) => !chunk.startsWith('--'))
    .map((chunk, i) => {
      const separator = /\r?\n\r?\n/.exec(chunk);
      if (!separator) throw new UnusableBody(`multipart part ${i + 1} has no body`);
      const text = chunk.slice(separator.index + separator[0].length).trim();
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new UnusableBody(`multipart part ${i + 1} is not JSON`);
      }
    });
  const [summary, ...bodies] = parts;
  const statuses = isObject(summary) && Array.isArray(summary.response) ? summary.response : undefined;
  if (!statuses || statuses.length !== bodies.length) throw new UnusableBody('multipart batch summary does not match its parts');
  return statuses.map((entry, i) => {
    const item = object(entry, `multipart summary entry ${i + 1}`);
    if (typeof item.status !== 'number') throw new UnusableBody(`multipart summary entry ${i + 1} has no status`);
    const href = typeof item.href === 'string' ? item.href : undefined;
    const resourceId = href?.split('?')[0]?.split('/').pop();
    return { ...(resourceId && { resourceId }), status: item.status, body: bodies[i] };
  });
}
