import { normalizePhoneNumber } from '../../src/domain/phone-number.js';
import { RcxError, validationError, type ValidationErrorData } from './errors.js';
import type { TracRouteType } from './model.js';

/**
 * Request validation with RingCX's error shape: each problem names the field
 * (`[2].dnis`, `assignedDnis.isActive`), and all problems of a body are
 * reported at once, as Spring's bean validation does.
 */

type Obj = Record<string, unknown>;

export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Reader {
  readonly errors: ValidationErrorData[] = [];

  fail(attributeName: string, message: string, value?: unknown): undefined {
    this.errors.push({ attributeName, message, ...(value !== undefined && { value: typeof value === 'string' ? value : JSON.stringify(value) }) });
    return undefined;
  }

  /** Strings; numbers are accepted for id-like fields the way Jackson coerces them. */
  string(obj: Obj, key: string, path: string, opts: { required?: boolean; nonEmpty?: boolean; coerceNumber?: boolean } = {}): string | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return opts.required ? this.fail(path, 'must not be null') : undefined;
    if (typeof value === 'number' && opts.coerceNumber && Number.isFinite(value)) return String(value);
    if (typeof value !== 'string') return this.fail(path, 'must be a string', value);
    if (opts.nonEmpty && value.trim() === '') return this.fail(path, 'must not be blank', value);
    return value;
  }

  boolean(obj: Obj, key: string, path: string): boolean | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') return this.fail(path, 'must be a boolean', value);
    return value;
  }

  integer(obj: Obj, key: string, path: string, min = -(2 ** 31), max = 2 ** 31 - 1): number | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      return this.fail(path, `must be an integer between ${min} and ${max}`, value);
    }
    return value;
  }

  flag(obj: Obj, key: string, path: string): 0 | 1 | undefined {
    const value = this.integer(obj, key, path, 0, 1);
    return value === undefined ? undefined : (value as 0 | 1);
  }

  oneOf<T extends string>(obj: Obj, key: string, path: string, allowed: readonly T[]): T | undefined {
    const value = this.string(obj, key, path);
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) return this.fail(path, `must be one of ${allowed.join(', ')}`, value);
    return value as T;
  }

  stringArray(obj: Obj, key: string, path: string, opts: { coerceNumber?: boolean } = {}): string[] | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) return this.fail(path, 'must be an array', value);
    const out: string[] = [];
    value.forEach((item, i) => {
      if (typeof item === 'string') out.push(item);
      else if (typeof item === 'number' && opts.coerceNumber) out.push(String(item));
      else this.fail(`${path}[${i}]`, 'must be a string', item);
    });
    return out;
  }

  /** DateTime: epoch ms or an ISO-8601 string; stored as epoch ms. */
  date(obj: Obj, key: string, path: string): number | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return Date.parse(value);
    return this.fail(path, 'must be epoch milliseconds or an ISO-8601 date-time', value);
  }

  done(): void {
    if (this.errors.length > 0) throw validationError(this.errors);
  }
}

/** Digits only, so `+1 (415) 555-0100`, `+14155550100` and `14155550100` all find the same DNIS. */
export function canonicalDnis(raw: string): string {
  return raw.replace(/\D/g, '');
}

/**
 * A DNIS for a new pool record: any format libphonenumber can read as a valid
 * number (strict), stored as E.164 digits without "+" (`14155550100`,
 * `442071234567`). Returns null when the number is not valid.
 */
export function newDnis(raw: string): { dnis: string; dnisE164: string } | null {
  const result = normalizePhoneNumber(raw);
  return result.ok ? { dnis: result.dnis, dnisE164: result.e164 } : null;
}

function body(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw validationError([{ attributeName: '(body)', message: `must be an array of ${what}` }]);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Searches

export const DNIS_STATES = ['ALL', 'ASSIGNED', 'UNASSIGNED', 'INACTIVE'] as const;
export type DnisStateFilter = (typeof DNIS_STATES)[number];

export interface DnisListRequestIn {
  accountIds?: string[];
  dnisState?: DnisStateFilter;
  searchText?: string;
}

/** `DnisListRequest`; an absent body means "everything visible". */
export function parseDnisListRequest(value: unknown): DnisListRequestIn {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw validationError([{ attributeName: '(body)', message: 'must be a DnisListRequest object' }]);
  const r = new Reader();
  const out: DnisListRequestIn = {
    accountIds: r.stringArray(value, 'accountIds', 'accountIds', { coerceNumber: true }),
    dnisState: r.oneOf(value, 'dnisState', 'dnisState', DNIS_STATES),
    searchText: r.string(value, 'searchText', 'searchText'),
  };
  r.boolean(value, 'phoneNumbersI18nEnabled', 'phoneNumbersI18nEnabled');
  r.done();
  return out;
}

/** The `product` values of TnManagerSearchCriteria (the spec's enum). */
export const PRODUCTS = [
  'ACCOUNT', 'ACD', 'AGENT', 'CHAT_QUEUE', 'OUTBOUND', 'VISUAL_IVR', 'CLOUD_PROFILE', 'CLOUD_DESTINATION',
  'TRAC_NUMBER', 'HTTP_SERVICES', 'SCRIPTING', 'TN_MANAGER', 'SURVEY', 'DNIS', 'TEAMS', 'KNOWLEDGE_BASE', 'UTILITIES',
] as const;
export type Product = (typeof PRODUCTS)[number];

export interface SearchCriteriaIn {
  dnis?: string[];
  accountIds?: string[];
  active?: boolean;
  assigned?: boolean;
  product?: Product;
  objectId?: number;
  groupId?: number;
  dnisFilter?: string;
  notes?: string;
}

/** `TnManagerSearchCriteria`: the subset the sandbox filters on; other known fields are accepted and ignored. */
export function parseSearchCriteria(value: unknown): SearchCriteriaIn {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw validationError([{ attributeName: '(body)', message: 'must be a TnManagerSearchCriteria object' }]);
  const r = new Reader();
  const accountId = r.string(value, 'accountId', 'accountId', { coerceNumber: true });
  const accountIds = r.stringArray(value, 'accountIds', 'accountIds', { coerceNumber: true });
  const out: SearchCriteriaIn = {
    dnis: r.stringArray(value, 'dnis', 'dnis'),
    accountIds: accountId === undefined ? accountIds : [...(accountIds ?? []), accountId],
    active: r.boolean(value, 'active', 'active'),
    assigned: r.boolean(value, 'assigned', 'assigned'),
    product: r.oneOf(value, 'product', 'product', PRODUCTS),
    objectId: r.integer(value, 'objectId', 'objectId', 0),
    groupId: r.integer(value, 'groupId', 'groupId', 0),
    dnisFilter: r.string(value, 'dnisFilter', 'dnisFilter'),
    notes: r.string(value, 'notes', 'notes'),
  };
  if ((out.objectId !== undefined || out.groupId !== undefined) && (value.product === undefined || value.product === null)) {
    r.fail(out.objectId !== undefined ? 'objectId' : 'groupId', 'requires product');
  }
  r.done();
  return out;
}

/** Optional integer query parameter, e.g. `page` or `maxRows`. */
export function queryInt(query: unknown, name: string, min: number): number | undefined {
  const raw = isObject(query) ? query[name] : undefined;
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || !/^-?\d+$/.test(raw) || Number(raw) < min) {
    throw validationError([{ attributeName: name, message: `must be an integer >= ${min}`, value: String(raw) }]);
  }
  return Number(raw);
}

/** Optional boolean query parameter (`count`, `includeRefresh`). */
export function queryBool(query: unknown, name: string): boolean | undefined {
  const raw = isObject(query) ? query[name] : undefined;
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw validationError([{ attributeName: name, message: 'must be true or false', value: String(raw) }]);
}

/** An int32 path parameter; a non-number answers 400 like Spring's type mismatch. */
export function pathInt(value: string, name: string): number {
  if (!/^\d{1,10}$/.test(value) || Number(value) > 2 ** 31 - 1) {
    throw new RcxError(400, 'method.argument.type.mismatch', `Failed to convert value of path variable '${name}'`, `${name}: "${value}" is not an integer`);
  }
  return Number(value);
}

// ---------------------------------------------------------------------------------------------
// DNIS pool

/** Writable DnisPool fields. */
export interface PoolIn {
  /** Raw as sent; creation validates it as a phone number, updates look it up. */
  dnis: string;
  dnisE164?: string;
  reservedAccountId?: string;
  dnisDescription?: string;
  dnisCategory?: string;
  notes?: string;
  active?: boolean;
  carrier?: string;
  inboundContext?: string;
  vendorId?: string;
  smsEnabled?: boolean;
  /** updateBulkDnisPool: edits the current assignment too. */
  assignedDnis?: { dnisDescription?: string; isActive?: boolean };
}

/** `DnisPool[]`; `dnis` is required on every item. */
export function parsePoolItems(value: unknown): PoolIn[] {
  const items = body(value, 'DnisPool');
  const r = new Reader();
  const out: PoolIn[] = [];
  items.forEach((item, i) => {
    const at = `[${i}]`;
    if (!isObject(item)) {
      r.fail(at, 'must be a DnisPool object');
      return;
    }
    const dnis = r.string(item, 'dnis', `${at}.dnis`, { required: true, nonEmpty: true });
    const parsed: PoolIn = {
      dnis: dnis ?? '',
      dnisE164: r.string(item, 'dnisE164', `${at}.dnisE164`),
      reservedAccountId: r.string(item, 'reservedAccountId', `${at}.reservedAccountId`, { coerceNumber: true }),
      dnisDescription: r.string(item, 'dnisDescription', `${at}.dnisDescription`),
      dnisCategory: r.string(item, 'dnisCategory', `${at}.dnisCategory`),
      notes: r.string(item, 'notes', `${at}.notes`),
      active: r.boolean(item, 'active', `${at}.active`),
      carrier: r.string(item, 'carrier', `${at}.carrier`),
      inboundContext: r.string(item, 'inboundContext', `${at}.inboundContext`),
      vendorId: r.string(item, 'vendorId', `${at}.vendorId`),
      smsEnabled: r.boolean(item, 'smsEnabled', `${at}.smsEnabled`),
    };
    const assigned = item.assignedDnis;
    if (assigned !== undefined && assigned !== null) {
      if (!isObject(assigned)) r.fail(`${at}.assignedDnis`, 'must be an AssignedDnis object');
      else {
        parsed.assignedDnis = {
          dnisDescription: r.string(assigned, 'dnisDescription', `${at}.assignedDnis.dnisDescription`),
          isActive: r.boolean(assigned, 'isActive', `${at}.assignedDnis.isActive`),
        };
      }
    }
    out.push(parsed);
  });
  r.done();
  return out;
}

/** `string[]` of DNIS (bulkDelete). */
export function parseDnisList(value: unknown): string[] {
  const items = body(value, 'DNIS strings');
  const r = new Reader();
  const out = r.stringArray({ items }, 'items', '') ?? [];
  r.done();
  return out;
}

// ---------------------------------------------------------------------------------------------
// Assignments

export interface AssignIn {
  dnis: string;
  dnisDescription?: string;
  isActive?: boolean;
  originatingDnis?: string;
  startDate?: number;
  endDate?: number;
}

function readAssign(r: Reader, item: Obj, at: string): AssignIn {
  const dnis = r.string(item, 'dnis', `${at}dnis`, { required: true, nonEmpty: true });
  const out: AssignIn = {
    dnis: canonicalDnis(dnis ?? ''),
    dnisDescription: r.string(item, 'dnisDescription', `${at}dnisDescription`),
    isActive: r.boolean(item, 'isActive', `${at}isActive`),
    originatingDnis: r.string(item, 'originatingDnis', `${at}originatingDnis`),
    startDate: r.date(item, 'startDate', `${at}startDate`),
    endDate: r.date(item, 'endDate', `${at}endDate`),
  };
  if (out.startDate !== undefined && out.endDate !== undefined && out.endDate < out.startDate) {
    r.fail(`${at}endDate`, 'must not be before startDate');
  }
  return out;
}

/** `AssignedDnis[]` for a destination; a DNIS may appear only once per request. */
export function parseAssignItems(value: unknown): AssignIn[] {
  const items = body(value, 'AssignedDnis');
  const r = new Reader();
  const out: AssignIn[] = [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (!isObject(item)) {
      r.fail(`[${i}]`, 'must be an AssignedDnis object');
      return;
    }
    const parsed = readAssign(r, item, `[${i}].`);
    if (parsed.dnis !== '' && seen.has(parsed.dnis)) r.fail(`[${i}].dnis`, 'appears more than once in the request', parsed.dnis);
    seen.add(parsed.dnis);
    out.push(parsed);
  });
  if (items.length === 0) r.fail('(body)', 'must contain at least one AssignedDnis');
  r.done();
  return out;
}

// ---------------------------------------------------------------------------------------------
// Tracking

export interface TracGroupIn {
  groupName?: string;
  isDefault?: boolean;
}

export function parseTracGroup(value: unknown): TracGroupIn {
  if (!isObject(value)) throw validationError([{ attributeName: '(body)', message: 'must be a TracGroup object' }]);
  const r = new Reader();
  const out = { groupName: r.string(value, 'groupName', 'groupName', { nonEmpty: true }), isDefault: r.boolean(value, 'isDefault', 'isDefault') };
  r.done();
  return out;
}

const ROUTE_TYPES: readonly TracRouteType[] = ['STANDARD', 'STANDARD_PARALLEL', 'LOCATOR'];
const SCHEDULES = ['monSched', 'tueSched', 'wedSched', 'thuSched', 'friSched', 'satSched', 'sunSched'] as const;
const TEXTS = ['billingCode', 'billingKey', 'introMsg', 'whisperMsg', 'endcallMsg', 'outboundCallerId'] as const;
const INTS = ['openLocatorId', 'closeLocatorId', 'dequeueDelay', 'shortCallTime', 'surveyId'] as const;
const FLAGS = ['recordCall', 'revMatch', 'voicemailEnabled'] as const;

/** Writable TracNumber fields; everything optional (a PUT merges what it is given). */
export type TracNumberIn = Partial<Record<(typeof SCHEDULES)[number] | (typeof TEXTS)[number] | 'description', string>> &
  Partial<Record<(typeof INTS)[number], number>> &
  Partial<Record<(typeof FLAGS)[number], 0 | 1>> & {
    openType?: TracRouteType;
    closeType?: TracRouteType;
    assignedDnis?: AssignIn;
  };

/**
 * `TracNumber` in the spec's shape. The doc's flat `dnis`/`tracGroupId`/
 * `active` fields do not exist in the spec; a body that uses them is refused
 * with a pointer to the right field instead of being silently half-applied.
 */
export function parseTracNumber(value: unknown, opts: { create: boolean }): TracNumberIn {
  if (!isObject(value)) throw validationError([{ attributeName: '(body)', message: 'must be a TracNumber object' }]);
  const r = new Reader();
  const out: TracNumberIn = {};
  const description = r.string(value, 'description', 'description', { required: opts.create, nonEmpty: true });
  if (description !== undefined) out.description = description;
  for (const key of [...SCHEDULES, ...TEXTS]) {
    const v = r.string(value, key, key);
    if (v !== undefined) out[key] = v;
  }
  for (const key of INTS) {
    const v = r.integer(value, key, key, 0);
    if (v !== undefined) out[key] = v;
  }
  for (const key of FLAGS) {
    const v = r.flag(value, key, key);
    if (v !== undefined) out[key] = v;
  }
  const openType = r.oneOf(value, 'openType', 'openType', ROUTE_TYPES);
  if (openType) out.openType = openType;
  const closeType = r.oneOf(value, 'closeType', 'closeType', ROUTE_TYPES);
  if (closeType) out.closeType = closeType;
  for (const misplaced of ['dnis', 'dnisDescription', 'active']) {
    if (value[misplaced] !== undefined) r.fail(misplaced, `is not a TracNumber field; use assignedDnis.${misplaced === 'active' ? 'isActive' : misplaced}`);
  }
  const assigned = value.assignedDnis;
  if (assigned !== undefined && assigned !== null) {
    if (!isObject(assigned)) r.fail('assignedDnis', 'must be an AssignedDnis object');
    else out.assignedDnis = readAssign(r, assigned, 'assignedDnis.');
  }
  r.done();
  return out;
}
