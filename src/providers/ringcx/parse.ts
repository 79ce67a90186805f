import type {
  AccessTokenUserDetails,
  AssignedDnis,
  CloudRouteDestinationSkinny,
  CloudRouteGroupSkinny,
  CloudRouteProfile,
  CloudRouteProfileSkinny,
  DnisBulkUpdateResult,
  DnisPool,
  DnisRecord,
  DnisSearchResult,
  DnisUploadPreview,
  Gate,
  GateGroup,
  GateGroupV2,
  GateSkinnyAssignable,
  RcxAccount,
  TnManagerSearchPage,
  TracGroup,
  TracNumber,
  TracNumberSkinny,
  VisualIvrSkinny,
} from './wire.js';

/**
 * Tolerant parsing of RingCX responses. Several shapes are unverified
 * (untyped `object` responses, joda `DateTime`, ids as numbers or strings),
 * so each reader accepts every plausible form and throws a plain Error only
 * when something we cannot do without (an id, the list itself) is missing;
 * the client turns that into INVALID_RESPONSE.
 */

type Raw = Record<string, unknown>;

function isRaw(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown, what: string): Raw {
  if (!isRaw(value)) throw new Error(`expected ${what} to be an object`);
  return value;
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** int32 ids become strings; string ids pass through. */
function id(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return undefined;
}

function requireId(raw: Raw, field: string, what: string): string {
  const value = id(raw[field]);
  if (value === undefined) throw new Error(`${what} without ${field}`);
  return value;
}

/** Booleans, 0/1 ints and "true"/"false" strings. */
function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (value === 'true' || value === 'false') return value === 'true';
  return undefined;
}

function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/**
 * `DateTime*`: epoch ms (number or numeric string), an ISO-8601 string, or a
 * serialised joda object carrying `millis`.
 */
export function parseRcxDate(value: unknown): Date | undefined {
  let ms: number | undefined;
  if (typeof value === 'number') ms = value;
  else if (typeof value === 'string' && /^\d+$/.test(value.trim())) ms = Number(value);
  else if (typeof value === 'string') ms = Date.parse(value);
  else if (isRaw(value)) ms = num(value.millis);
  return ms === undefined || Number.isNaN(ms) ? undefined : new Date(ms);
}

/** Lists: arrays, or the spec's opaque "Collection" objects (values taken). */
function list(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isRaw(value)) return Object.values(value);
  return [];
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}

/** Drops undefined fields so parsed objects print and compare cleanly. */
function defined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}

function array(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`expected ${what} to be an array`);
  return value;
}

// ---------------------------------------------------------------------------------------------

export function parseAccounts(body: unknown): RcxAccount[] {
  return array(body, 'the account list').map((item) => {
    const raw = record(item, 'an account');
    return defined({
      accountId: requireId(raw, 'accountId', 'account'),
      accountName: str(raw.accountName),
      mainAccountId: id(raw.mainAccountId),
      mainAccountName: str(raw.mainAccountName),
      archivedAccount: bool(raw.archivedAccount),
      enableTracking: bool(raw.enableTracking),
      enableVisualIvr: bool(raw.enableVisualIvr),
      enableCloudRouting: bool(raw.enableCloudRouting),
      defaultCallerid: str(raw.defaultCallerid),
      startDate: parseRcxDate(raw.startDate),
    });
  });
}

function gateGroupV2(value: unknown): GateGroupV2 | undefined {
  if (!isRaw(value)) return undefined;
  const gateGroupId = id(value.gateGroupId);
  if (gateGroupId === undefined) return undefined;
  return defined({ gateGroupId, groupName: str(value.groupName), accountId: id(value.accountId), billingKey: str(value.billingKey) });
}

function gateSkinny(value: unknown): GateSkinnyAssignable | undefined {
  if (!isRaw(value)) return undefined;
  const gateId = id(value.gateId);
  if (gateId === undefined) return undefined;
  return defined({
    gateId,
    gateName: str(value.gateName),
    gateGroupId: id(value.gateGroupId),
    groupId: id(value.groupId),
    accountId: id(value.accountId),
    isActive: bool(value.isActive),
    gateGroup: gateGroupV2(value.gateGroup),
  });
}

function visualIvrSkinny(value: unknown): VisualIvrSkinny | undefined {
  if (!isRaw(value)) return undefined;
  const visualIvrId = id(value.visualIvrId);
  if (visualIvrId === undefined) return undefined;
  return defined({
    visualIvrId,
    visualIvrName: str(value.visualIvrName),
    visualIvrDesc: str(value.visualIvrDesc),
    visualIvrGroupId: id(value.visualIvrGroupId),
    groupId: id(value.groupId),
    accountId: id(value.accountId),
    isActive: bool(value.isActive),
    isDeleted: bool(value.isDeleted),
  });
}

function cloudProfileSkinny(value: unknown): CloudRouteProfileSkinny | undefined {
  if (!isRaw(value)) return undefined;
  // The spec's field is cloudProfileId; accept the path's name too.
  const cloudProfileId = id(value.cloudProfileId) ?? id(value.cloudRouteProfileId);
  if (cloudProfileId === undefined) return undefined;
  return defined({
    cloudProfileId,
    profileName: str(value.profileName),
    cloudGroupId: id(value.cloudGroupId),
    groupId: id(value.groupId),
    accountId: id(value.accountId),
    isActive: bool(value.isActive),
    isDeleted: bool(value.isDeleted),
  });
}

function tracSkinny(value: unknown): TracNumberSkinny | undefined {
  if (!isRaw(value)) return undefined;
  const tracId = id(value.tracId);
  if (tracId === undefined) return undefined;
  return defined({
    tracId,
    tracGroupId: id(value.tracGroupId),
    groupId: id(value.groupId),
    accountId: id(value.accountId),
    description: str(value.description),
  });
}

export function parseAssignedDnis(body: unknown): AssignedDnis {
  const raw = record(body, 'an assignment');
  const dnis = str(raw.dnis);
  if (!dnis) throw new Error('assignment without dnis');
  return defined({
    dnis,
    dnisE164: str(raw.dnisE164),
    dnisDescription: str(raw.dnisDescription),
    isActive: bool(raw.isActive),
    originatingDnis: str(raw.originatingDnis),
    startDate: parseRcxDate(raw.startDate),
    endDate: parseRcxDate(raw.endDate),
    endPointId: id(raw.endPointId),
    endPointType: str(raw.endPointType),
    phoneNumbersI18nEnabled: bool(raw.phoneNumbersI18nEnabled),
    gate: gateSkinny(raw.gate),
    visualIvr: visualIvrSkinny(raw.visualIvr),
    cloudRouteProfile: cloudProfileSkinny(raw.cloudRouteProfile),
    tracNumber: tracSkinny(raw.tracNumber),
  });
}

export function parseAssignedDnisList(body: unknown): AssignedDnis[] {
  return array(body, 'the assignment list').map(parseAssignedDnis);
}

/** `DnisPool`, and the shared fields of search rows. */
export function parseDnisPool(body: unknown): DnisPool {
  const raw = record(body, 'a DNIS pool record');
  const dnis = str(raw.dnis);
  if (!dnis) throw new Error('DNIS pool record without dnis');
  return defined({
    dnis,
    dnisE164: str(raw.dnisE164),
    reservedAccountId: id(raw.reservedAccountId),
    dnisDescription: str(raw.dnisDescription),
    dnisCategory: str(raw.dnisCategory),
    notes: str(raw.notes),
    active: bool(raw.active),
    carrier: str(raw.carrier),
    dnisManagedByRC: bool(raw.dnisManagedByRC),
    smsEnabled: bool(raw.smsEnabled),
    phoneNumbersI18nEnabled: bool(raw.phoneNumbersI18nEnabled),
    inboundContext: str(raw.inboundContext),
    vendorId: str(raw.vendorId),
    lastModifiedBy: str(raw.lastModifiedBy),
    dateCreated: parseRcxDate(raw.dateCreated),
    lastModified: parseRcxDate(raw.lastModified),
    assignedDnis: isRaw(raw.assignedDnis) && str(raw.assignedDnis.dnis) ? parseAssignedDnis(raw.assignedDnis) : undefined,
  });
}

export function parseDnisPoolList(body: unknown): DnisPool[] {
  return array(body, 'the DNIS pool list').map(parseDnisPool);
}

function dnisRecord(value: unknown, account: { accountId?: string; accountName?: string }): DnisRecord {
  const { reservedAccountId, ...pool } = parseDnisPool(value);
  const dnisState = isRaw(value) ? str(value.dnisState) : undefined;
  return defined({ ...pool, accountId: account.accountId ?? reservedAccountId, accountName: account.accountName, dnisState });
}

/**
 * `searchDnis`, in either shape: v2's `DnisSearchResultDTO`
 * `{ entries: { <accountId>: { name, records } }, totalCount }` (per the
 * spec) or the doc's `{ records: [...], totalElements }`; a bare array is
 * accepted too. Rows come back flat, each tagged with its account.
 */
export function parseDnisSearchResult(body: unknown): DnisSearchResult {
  if (Array.isArray(body)) {
    const records = body.map((row) => dnisRecord(row, {}));
    return { records, totalCount: records.length };
  }
  const raw = record(body, 'the search result');
  if (isRaw(raw.entries)) {
    const records: DnisRecord[] = [];
    for (const [accountId, entry] of Object.entries(raw.entries)) {
      if (!isRaw(entry)) throw new Error(`search entry ${accountId} is not an object`);
      const accountName = str(entry.name);
      for (const row of list(entry.records)) records.push(dnisRecord(row, { accountId, accountName }));
    }
    return { records, totalCount: num(raw.totalCount) ?? records.length };
  }
  if (Array.isArray(raw.records)) {
    const records = raw.records.map((row) => dnisRecord(row, {}));
    return { records, totalCount: num(raw.totalElements) ?? num(raw.totalCount) ?? records.length };
  }
  throw new Error('search result has neither entries nor records');
}

/**
 * `tnManager/search` (untyped in the spec): `{ records, totalCount? }` from
 * the sandbox; a Spring page `{ content, totalElements }` or a bare array
 * are accepted too.
 */
export function parseTnManagerSearchPage(body: unknown): TnManagerSearchPage & { maxRows?: number } {
  if (Array.isArray(body)) return { records: body.map(parseDnisPool) };
  const raw = record(body, 'the search page');
  const rows = Array.isArray(raw.records) ? raw.records : Array.isArray(raw.content) ? raw.content : undefined;
  if (!rows) throw new Error('search page has no records');
  return defined({
    records: rows.map(parseDnisPool),
    totalCount: num(raw.totalCount) ?? num(raw.totalElements),
    maxRows: num(raw.maxRows) ?? num(raw.size),
  });
}

export function parseBulkUpdate(body: unknown): DnisBulkUpdateResult {
  const raw = record(body, 'the bulk update result');
  return defined({ status: str(raw.status), message: str(raw.message), updatedRows: num(raw.updatedRows) });
}

export function parseUploadPreview(body: unknown): DnisUploadPreview {
  const raw = record(body, 'the upload result');
  const status = record(raw.uploadStatus, 'uploadStatus');
  return {
    records: list(raw.records).filter(isRaw),
    uploadStatus: defined({
      validated: bool(status.validated) ?? false,
      totalRecords: num(status.totalRecords) ?? 0,
      validRecords: num(status.validRecords) ?? 0,
      errorCode: str(status.errorCode),
      errorMessage: strings(status.errorMessage) ?? (typeof status.errorMessage === 'string' ? [status.errorMessage] : []),
    }),
  };
}

/** Boolean answers (`true`), sent as JSON or text. */
export function parseBoolean(body: unknown): boolean {
  const value = bool(body);
  if (value === undefined) throw new Error('expected a boolean');
  return value;
}

export function parseGate(body: unknown): Gate {
  const raw = record(body, 'a gate');
  return defined({
    gateId: requireId(raw, 'gateId', 'gate'),
    gateName: str(raw.gateName),
    gateDesc: str(raw.gateDesc),
    isActive: bool(raw.isActive),
    gateOpen: bool(raw.gateOpen),
    gatePriority: num(raw.gatePriority),
    billingCode: str(raw.billingCode),
    outboundCallerId: str(raw.outboundCallerId),
    createdOn: parseRcxDate(raw.createdOn),
    gateGroup: isRaw(raw.gateGroup) ? parseGateGroup(raw.gateGroup) : undefined,
  });
}

export function parseGateList(body: unknown): Gate[] {
  return array(body, 'the gate list').map(parseGate);
}

export function parseGateGroup(body: unknown): GateGroup {
  const raw = record(body, 'a gate group');
  return defined({
    gateGroupId: requireId(raw, 'gateGroupId', 'gate group'),
    groupName: str(raw.groupName),
    billingKey: str(raw.billingKey),
    createdOn: parseRcxDate(raw.createdOn),
    gates: list(raw.gates).map(parseGate),
  });
}

export function parseGateGroupList(body: unknown): GateGroup[] {
  return array(body, 'the gate group list').map(parseGateGroup);
}

function cloudDestination(value: unknown): CloudRouteDestinationSkinny | undefined {
  if (!isRaw(value)) return undefined;
  const cloudDestinationId = id(value.cloudDestinationId);
  if (cloudDestinationId === undefined) return undefined;
  return defined({ cloudDestinationId, destinationName: str(value.destinationName), cloudGroupId: id(value.cloudGroupId), isActive: bool(value.isActive) });
}

export function parseCloudRouteGroupsSkinny(body: unknown): CloudRouteGroupSkinny[] {
  return array(body, 'the cloud route group list').map((item) => {
    const raw = record(item, 'a cloud route group');
    return defined({
      cloudGroupId: requireId(raw, 'cloudGroupId', 'cloud route group'),
      groupName: str(raw.groupName),
      accountId: id(raw.accountId),
      cloudRouteProfiles: list(raw.cloudRouteProfiles).map(cloudProfileSkinny).filter((p): p is CloudRouteProfileSkinny => p !== undefined),
      cloudRouteDestinations: list(raw.cloudRouteDestinations).map(cloudDestination).filter((d): d is CloudRouteDestinationSkinny => d !== undefined),
    });
  });
}

export function parseCloudRouteProfile(body: unknown): CloudRouteProfile {
  const raw = record(body, 'a cloud route profile');
  const group = isRaw(raw.cloudRouteGroup) ? raw.cloudRouteGroup : undefined;
  const groupId = group ? id(group.cloudGroupId) : undefined;
  return defined({
    cloudProfileId: id(raw.cloudProfileId) ?? requireId(raw, 'cloudRouteProfileId', 'cloud route profile'),
    profileName: str(raw.profileName),
    profileDesc: str(raw.profileDesc),
    routingType: str(raw.routingType),
    isActive: bool(raw.isActive),
    isDeleted: bool(raw.isDeleted),
    cloudRouteGroup: groupId === undefined ? undefined : defined({ cloudGroupId: groupId, groupName: str(group!.groupName) }),
  });
}

export function parseCloudRouteProfileList(body: unknown): CloudRouteProfile[] {
  return array(body, 'the cloud route profile list').map(parseCloudRouteProfile);
}

export function parseTracNumber(body: unknown): TracNumber {
  const raw = record(body, 'a tracking number');
  const group = isRaw(raw.tracGroup) ? raw.tracGroup : undefined;
  const groupId = group ? id(group.tracGroupId) : undefined;
  return defined({
    tracId: requireId(raw, 'tracId', 'tracking number'),
    accountId: id(raw.accountId),
    description: str(raw.description),
    tracGroup: groupId === undefined ? undefined : defined({ tracGroupId: groupId, groupName: str(group!.groupName) }),
    assignedDnis: isRaw(raw.assignedDnis) && str(raw.assignedDnis.dnis) ? parseAssignedDnis(raw.assignedDnis) : undefined,
    billingCode: str(raw.billingCode),
    billingKey: str(raw.billingKey),
    introMsg: str(raw.introMsg),
    whisperMsg: str(raw.whisperMsg),
    endcallMsg: str(raw.endcallMsg),
    outboundCallerId: str(raw.outboundCallerId),
    openType: str(raw.openType),
    closeType: str(raw.closeType),
    dequeueDelay: num(raw.dequeueDelay),
    shortCallTime: num(raw.shortCallTime),
    recordCall: flag(raw.recordCall),
    revMatch: flag(raw.revMatch),
    voicemailEnabled: flag(raw.voicemailEnabled),
    monSched: str(raw.monSched),
    tueSched: str(raw.tueSched),
    wedSched: str(raw.wedSched),
    thuSched: str(raw.thuSched),
    friSched: str(raw.friSched),
    satSched: str(raw.satSched),
    sunSched: str(raw.sunSched),
  });
}

/** 0/1 ints per the spec; booleans (as other RingCX objects use) are read as 0/1. */
function flag(value: unknown): number | undefined {
  if (typeof value === 'boolean') return value ? 1 : 0;
  return num(value);
}

export function parseTracNumberList(body: unknown): TracNumber[] {
  return array(body, 'the tracking number list').map(parseTracNumber);
}

export function parseTracGroup(body: unknown): TracGroup {
  const raw = record(body, 'a tracking group');
  return defined({
    tracGroupId: requireId(raw, 'tracGroupId', 'tracking group'),
    groupName: str(raw.groupName),
    isDefault: bool(raw.isDefault),
    permissions: strings(raw.permissions),
    tracNumbers: list(raw.tracNumbers).map(parseTracNumber),
  });
}

export function parseTracGroupList(body: unknown): TracGroup[] {
  return array(body, 'the tracking group list').map(parseTracGroup);
}

export function parseAccessToken(body: unknown): AccessTokenUserDetails {
  const raw = record(body, 'the token response');
  const accessToken = str(raw.accessToken);
  if (!accessToken) throw new Error('token response without accessToken');
  return defined({
    accessToken,
    refreshToken: str(raw.refreshToken) || undefined,
    tokenType: str(raw.tokenType),
    mainAccountId: id(raw.mainAccountId),
    adminId: id(raw.adminId),
  });
}

/** The `exp` claim of a JWT, in epoch ms; undefined when the token is not a readable JWT. */
export function jwtExpiry(token: string): number | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown;
    const exp = isRaw(payload) ? num(payload.exp) : undefined;
    return exp === undefined ? undefined : exp * 1000;
  } catch {
    return undefined;
  }
}
