import { ProviderError } from '../core/errors.js';
import { HttpClient, type RequestOptions, type RetryPolicy } from '../core/http.js';
import { ApiTokenAuth, RingCentralExchangeAuth, type RingCxAuth, type RingCxAuthOptions } from './auth.js';
import { isRingCxExpiredToken, mapRingCxError } from './errors.js';
import {
  parseAccounts,
  parseAssignedDnis,
  parseAssignedDnisList,
  parseBoolean,
  parseBulkUpdate,
  parseCloudRouteGroupsSkinny,
  parseCloudRouteProfile,
  parseCloudRouteProfileList,
  parseDnisPool,
  parseDnisPoolList,
  parseDnisSearchResult,
  parseGate,
  parseGateGroupList,
  parseGateList,
  parseTnManagerSearchPage,
  parseTracGroup,
  parseTracGroupList,
  parseTracNumber,
  parseTracNumberList,
  parseUploadPreview,
} from './parse.js';
import type {
  AssignedDnis,
  AssignedDnisInput,
  CloudRouteGroupSkinny,
  CloudRouteProfile,
  DnisBulkUpdateResult,
  DnisListRequest,
  DnisPool,
  DnisPoolInput,
  DnisSearchResult,
  DnisUploadPreview,
  Gate,
  GateGroup,
  RcxAccount,
  TnManagerSearchCriteria,
  TnManagerSearchPage,
  TracGroup,
  TracGroupInput,
  TracNumber,
  TracNumberInput,
} from './wire.js';

/**
 * Everything Switchboard does with RingCX, one method per endpoint. Resolvers
 * and loaders depend on this interface, never on HTTP.
 */
export interface RingCxApi {
  /** `GET /voice/api/v1/admin/accounts`: the sub-accounts the credentials can see. */
  listAccounts(): Promise<RcxAccount[]>;
  /** `GET …/tnManager/accounts`: the accounts visible to the TN manager. */
  listTnManagerAccounts(): Promise<RcxAccount[]>;

  /**
   * Every DNIS of the requested accounts in one call (`searchDnis`, v2 by
   * default), flattened and tagged with each row's account. Both response
   * shapes are understood. No paging: the endpoint has none.
   */
  searchDnis(request?: DnisListRequest, options?: { version?: 'v1' | 'v2' }): Promise<DnisSearchResult>;
  /**
   * `tnManager/search`, page after page: the batch lookup by many DNIS
   * (`criteria.dnis`) and filtered listings (e.g. product ACD + objectId =
   * numbers on a queue). `pageSize` is sent as `maxRows` (default 500).
   */
  searchDnisPool(criteria: TnManagerSearchCriteria, options?: { pageSize?: number }): AsyncGenerator<DnisPool>;
  /** One page of `tnManager/search`; `page` is 0-based (the real base is unverified). */
  searchDnisPoolPage(criteria: TnManagerSearchCriteria, options?: { page?: number; maxRows?: number; count?: boolean }): Promise<TnManagerSearchPage>;
  /** How many pool records match (`tnManager/search?count=true`). */
  countDnisPool(criteria: TnManagerSearchCriteria): Promise<number>;

  /** `GET dnisPool/{dnis}`; null when the DNIS is not in the pool. */
  getDnisPool(dnis: string): Promise<DnisPool | null>;
  /** `POST dnisPool`: creates records. Never retried (a replay could create twice). */
  createDnisPool(records: DnisPoolInput[]): Promise<DnisPool[]>;
  /** `PUT dnisPool`: updates the fields given on existing records. */
  updateDnisPool(records: DnisPoolInput[]): Promise<DnisPool[]>;
  /** `DELETE dnisPool/{dnis}`. */
  deleteDnisPool(dnis: string): Promise<boolean>;
  /** `PUT dnisPool/bulkDelete`. */
  bulkDeleteDnisPool(dnis: string[]): Promise<boolean>;
  /** `PUT updateBulkDnisPool`: bulk edit that also updates assignments. */
  updateBulkDnisPool(records: DnisPoolInput[]): Promise<DnisBulkUpdateResult>;
  /**
   * `POST uploadDnisPool?fileType=COMMA`: a CSV file as multipart part
   * `file`. Never retried. Valid rows are stored; refused rows are listed in
   * `uploadStatus.errorMessage`.
   */
  uploadDnisPool(file: string | Buffer, options?: { quoteCharacter?: string; fileName?: string; phoneNumbersI18nEnabled?: boolean }): Promise<DnisUploadPreview>;

  /** `GET assignedDnis/{dnis}`; null when the DNIS is not assigned. Throws NOT_FOUND for a DNIS not in the pool. */
  getAssignedDnis(dnis: string): Promise<AssignedDnis | null>;
  /** `DELETE assignedDnis/{dnis}`: unassigns. */
  deleteAssignedDnis(dnis: string): Promise<boolean>;
  /** `PUT assignedDnis/gates/{gateId}`. A DNIS assigned elsewhere fails the call with CONFLICT. */
  assignToGate(gateId: string, items: AssignedDnisInput[]): Promise<AssignedDnis[]>;
  /** `PUT assignedDnis/visualIvrs/{visualIvrId}`. */
  assignToVisualIvr(visualIvrId: string, items: AssignedDnisInput[]): Promise<AssignedDnis[]>;
  /** `PUT assignedDnis/cloudRouteProfiles/{cloudRouteProfileId}`. */
  assignToCloudRouteProfile(cloudRouteProfileId: string, items: AssignedDnisInput[]): Promise<AssignedDnis[]>;

  /** `GET gateGroups/withChildren`, page after page: queue groups with their queues. */
  listGateGroupsWithGates(accountId: string, options?: { pageSize?: number }): AsyncGenerator<GateGroup>;
  /** `GET gateGroups/{gateGroupId}/gates`, page after page. */
  listGates(accountId: string, gateGroupId: string, options?: { pageSize?: number }): AsyncGenerator<Gate>;
  /** `GET gateGroups/{gateGroupId}/gates/{gateId}`. */
  getGate(accountId: string, gateGroupId: string, gateId: string): Promise<Gate>;

  /** `GET /voice/api/v2-skinny/…/cloudRouteProfileGroups/withChildren`: groups with their profiles. */
  listCloudRouteGroups(accountId: string): Promise<CloudRouteGroupSkinny[]>;
  /** `GET cloudRouteProfileGroups/{cloudRouteGroupId}/cloudRouteProfiles`. */
  listCloudRouteProfiles(accountId: string, cloudRouteGroupId: string): Promise<CloudRouteProfile[]>;
  /** `GET cloudRouteProfileGroups/{cloudRouteGroupId}/cloudRouteProfiles/{cloudRouteProfileId}`. */
  getCloudRouteProfile(accountId: string, cloudRouteGroupId: string, cloudRouteProfileId: string): Promise<CloudRouteProfile>;

  /** `GET tracGroups/withChildren`: tracking groups with their numbers, in one call. */
  listTracGroups(accountId: string): Promise<TracGroup[]>;
  /** `GET tracGroups/{tracGroupId}`. */
  getTracGroup(accountId: string, tracGroupId: string): Promise<TracGroup>;
  /** `PUT tracGroups/{tracGroupId}`. */
  updateTracGroup(accountId: string, tracGroupId: string, changes: TracGroupInput): Promise<TracGroup>;
  /** `GET tracGroups/{tracGroupId}/tracNumbers`. */
  listTracNumbers(accountId: string, tracGroupId: string): Promise<TracNumber[]>;
  /** `POST tracGroups/{tracGroupId}/tracNumbers`; `assignedDnis.dnis` assigns that number. Never retried. */
  createTracNumber(accountId: string, tracGroupId: string, input: TracNumberInput): Promise<TracNumber>;
  /** `GET tracGroups/{tracGroupId}/tracNumbers/{tracId}`. */
  getTracNumber(accountId: string, tracGroupId: string, tracId: string): Promise<TracNumber>;
  /** `PUT tracGroups/{tracGroupId}/tracNumbers/{tracId}`. */
  updateTracNumber(accountId: string, tracGroupId: string, tracId: string, changes: TracNumberInput): Promise<TracNumber>;
}

export interface RingCxClientOptions {
  /** Host root, e.g. `https://ringcx.ringcentral.com`. */
  baseUrl: string;
  auth: RingCxAuthOptions;
  /** Per-attempt timeout (default 10 s). */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Access-token lifetime assumed when the token is not a readable JWT (default 5 min, as documented). */
  tokenTtlMs?: number;
}

/**
 * RingCX sends no `Retry-After` on a 429 and documents a 120-a-minute window,
 * so a 429 makes us wait 5 s before the one retry we allow ourselves inside a
 * call; a longer wait would hold a GraphQL request too long.
 */
const DEFAULT_RETRY: RetryPolicy = { limit: 2, backoffLimitMs: 2000, maxRetryAfterMs: 10_000, fallbackRetryAfterMs: 5000 };
const TNM = '/voice/api/v1/admin/utilities/tnManager';
const DEFAULT_SEARCH_PAGE = 500;
const DEFAULT_GROUP_PAGE = 100;

/** The production RingCX client: one {@link HttpClient}, RingCX's error mapping and token handling. */
export class RingCxClient implements RingCxApi {
  private readonly http: HttpClient;
  private readonly auth: RingCxAuth;

  constructor(options: RingCxClientOptions) {
    this.auth =
      options.auth.kind === 'apiToken'
        ? new ApiTokenAuth(options.auth.token)
        : new RingCentralExchangeAuth(() => this.http, options.auth.ringCentralAccessToken, options.tokenTtlMs ?? 300_000);
    const auth = this.auth;
    this.http = new HttpClient({
      provider: 'ringcx',
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs ?? 10_000,
      retry: { ...DEFAULT_RETRY, ...options.retry },
      authorize: (headers) => auth.authorize(headers),
      secrets: () => auth.secrets(),
      mapError: mapRingCxError,
      ...(auth.onExpiredToken && {
        isExpiredToken: isRingCxExpiredToken,
        onExpiredToken: (sent) => auth.onExpiredToken!(sent),
      }),
    });
  }

  // -------------------------------------------------------------------------------------------
  // Accounts

  async listAccounts(): Promise<RcxAccount[]> {
    return this.call('GET', '/voice/api/v1/admin/accounts', {}, parseAccounts);
  }

  async listTnManagerAccounts(): Promise<RcxAccount[]> {
    return this.call('GET', `${TNM}/accounts`, {}, parseAccounts);
  }

  // -------------------------------------------------------------------------------------------
  // Searches

  async searchDnis(request: DnisListRequest = {}, options: { version?: 'v1' | 'v2' } = {}): Promise<DnisSearchResult> {
    const path = options.version === 'v1' ? `${TNM}/searchDnis` : '/voice/api/v2/admin/utilities/tnManager/searchDnis';
    return this.call('POST', path, { json: request, idempotent: true }, parseDnisSearchResult);
  }

  async *searchDnisPool(criteria: TnManagerSearchCriteria, options: { pageSize?: number } = {}): AsyncGenerator<DnisPool> {
    const pageSize = options.pageSize ?? DEFAULT_SEARCH_PAGE;
    let previousFirst: string | undefined;
    for (let page = 0; ; page += 1) {
      const result = await this.searchPage(criteria, page, pageSize, false);
      // A server that ignores `page` would hand us page 0 forever.
      if (page > 0 && result.records[0]?.dnis === previousFirst) return;
      previousFirst = result.records[0]?.dnis;
      yield* result.records;
      // The server may cap maxRows below what we asked; a page is full when it
      // holds as many rows as the server says it serves.
      const served = Math.min(pageSize, result.maxRows ?? pageSize);
      if (result.records.length === 0 || result.records.length < served) return;
    }
  }

  async searchDnisPoolPage(criteria: TnManagerSearchCriteria, options: { page?: number; maxRows?: number; count?: boolean } = {}): Promise<TnManagerSearchPage> {
    const { maxRows: _served, ...page } = await this.searchPage(criteria, options.page ?? 0, options.maxRows ?? DEFAULT_SEARCH_PAGE, options.count ?? false);
    return page;
  }

  async countDnisPool(criteria: TnManagerSearchCriteria): Promise<number> {
    const result = await this.searchPage(criteria, 0, 1, true);
    if (result.totalCount === undefined) {
      throw this.http.invalidResponse(`POST ${TNM}/search`, 'count=true answered without totalCount or totalElements');
    }
    return result.totalCount;
  }

  private searchPage(criteria: TnManagerSearchCriteria, page: number, maxRows: number, count: boolean) {
    return this.call(
      'POST',
      `${TNM}/search`,
      { json: searchCriteriaBody(criteria), searchParams: { page, maxRows, count }, idempotent: true },
      parseTnManagerSearchPage,
    );
  }

  // -------------------------------------------------------------------------------------------
  // DNIS pool

  async getDnisPool(dnis: string): Promise<DnisPool | null> {
    try {
      return await this.call('GET', `${TNM}/dnisPool/${segment(dnis)}`, {}, parseDnisPool);
    } catch (error) {
      if (error instanceof ProviderError && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }

  async createDnisPool(records: DnisPoolInput[]): Promise<DnisPool[]> {
    return this.call('POST', `${TNM}/dnisPool`, { json: records, idempotent: false }, parseDnisPoolList);
  }

  async updateDnisPool(records: DnisPoolInput[]): Promise<DnisPool[]> {
    return this.call('PUT', `${TNM}/dnisPool`, { json: records }, parseDnisPoolList);
  }

  async deleteDnisPool(dnis: string): Promise<boolean> {
    return this.call('DELETE', `${TNM}/dnisPool/${segment(dnis)}`, {}, parseBoolean);
  }

  async bulkDeleteDnisPool(dnis: string[]): Promise<boolean> {
    return this.call('PUT', `${TNM}/dnisPool/bulkDelete`, { json: dnis }, parseBoolean);
  }

  async updateBulkDnisPool(records: DnisPoolInput[]): Promise<DnisBulkUpdateResult> {
    return this.call('PUT', `${TNM}/updateBulkDnisPool`, { json: records }, parseBulkUpdate);
  }

  async uploadDnisPool(
    file: string | Buffer,
    options: { quoteCharacter?: string; fileName?: string; phoneNumbersI18nEnabled?: boolean } = {},
  ): Promise<DnisUploadPreview> {
    const form = new FormData();
    const bytes = typeof file === 'string' ? Buffer.from(file, 'utf8') : file;
    form.append('file', new Blob([new Uint8Array(bytes)], { type: 'text/csv' }), options.fileName ?? 'dnis_pool.csv');
    return this.call(
      'POST',
      `${TNM}/uploadDnisPool`,
      {
        body: form,
        searchParams: { fileType: 'COMMA', quoteCharacter: options.quoteCharacter, phoneNumbersI18nEnabled: options.phoneNumbersI18nEnabled },
        idempotent: false,
      },
      parseUploadPreview,
    );
  }

  // -------------------------------------------------------------------------------------------
  // Assignments

  async getAssignedDnis(dnis: string): Promise<AssignedDnis | null> {
    try {
      return await this.call('GET', `${TNM}/assignedDnis/${segment(dnis)}`, {}, parseAssignedDnis);
    } catch (error) {
      // "Not assigned" is an answer; a DNIS missing from the pool is an error.
      if (error instanceof ProviderError && error.code === 'NOT_FOUND' && error.providerCode !== 'dnis.not.found.exception') return null;
      throw error;
    }
  }

  async deleteAssignedDnis(dnis: string): Promise<boolean> {
    return this.call('DELETE', `${TNM}/assignedDnis/${segment(dnis)}`, {}, parseBoolean);
  }

  async assignToGate(gateId: string, items: AssignedDnisInput[]): Promise<AssignedDnis[]> {
    return this.assign('gates', gateId, items);
  }

  async assignToVisualIvr(visualIvrId: string, items: AssignedDnisInput[]): Promise<AssignedDnis[]> {
    return this.assign('visualIvrs', visualIvrId, items);
  }

  async assignToCloudRouteProfile(cloudRouteProfileId: string, items: AssignedDnisInput[]): Promise<AssignedDnis[]> {
    return this.assign('cloudRouteProfiles', cloudRouteProfileId, items);
  }

  private assign(kind: string, id: string, items: AssignedDnisInput[]): Promise<AssignedDnis[]> {
    // PUT is idempotent here: assigning the same DNIS to the same destination
    // again only rewrites the same fields, so a retry cannot do harm.
    return this.call('PUT', `${TNM}/assignedDnis/${kind}/${segment(id)}`, { json: items.map(assignmentBody) }, parseAssignedDnisList);
  }

  // -------------------------------------------------------------------------------------------
  // Queues and cloud routing

  async *listGateGroupsWithGates(accountId: string, options: { pageSize?: number } = {}): AsyncGenerator<GateGroup> {
    yield* this.pages(`${accountPath(accountId)}/gateGroups/withChildren`, options.pageSize ?? DEFAULT_GROUP_PAGE, parseGateGroupList);
  }

  async *listGates(accountId: string, gateGroupId: string, options: { pageSize?: number } = {}): AsyncGenerator<Gate> {
    yield* this.pages(`${accountPath(accountId)}/gateGroups/${segment(gateGroupId)}/gates`, options.pageSize ?? DEFAULT_GROUP_PAGE, parseGateList);
  }

  async getGate(accountId: string, gateGroupId: string, gateId: string): Promise<Gate> {
    return this.call('GET', `${accountPath(accountId)}/gateGroups/${segment(gateGroupId)}/gates/${segment(gateId)}`, {}, parseGate);
  }

  async listCloudRouteGroups(accountId: string): Promise<CloudRouteGroupSkinny[]> {
    return this.call('GET', `/voice/api/v2-skinny/admin/accounts/${segment(accountId)}/cloudRouteProfileGroups/withChildren`, {}, parseCloudRouteGroupsSkinny);
  }

  async listCloudRouteProfiles(accountId: string, cloudRouteGroupId: string): Promise<CloudRouteProfile[]> {
    return this.call('GET', `${accountPath(accountId)}/cloudRouteProfileGroups/${segment(cloudRouteGroupId)}/cloudRouteProfiles`, {}, parseCloudRouteProfileList);
  }

  async getCloudRouteProfile(accountId: string, cloudRouteGroupId: string, cloudRouteProfileId: string): Promise<CloudRouteProfile> {
    return this.call(
      'GET',
      `${accountPath(accountId)}/cloudRouteProfileGroups/${segment(cloudRouteGroupId)}/cloudRouteProfiles/${segment(cloudRouteProfileId)}`,
      {},
      parseCloudRouteProfile,
    );
  }

  // -------------------------------------------------------------------------------------------
  // Tracking

  async listTracGroups(accountId: string): Promise<TracGroup[]> {
    return this.call('GET', `${accountPath(accountId)}/tracGroups/withChildren`, {}, parseTracGroupList);
  }

  async getTracGroup(accountId: string, tracGroupId: string): Promise<TracGroup> {
    return this.call('GET', tracGroupPath(accountId, tracGroupId), {}, parseTracGroup);
  }

  async updateTracGroup(accountId: string, tracGroupId: string, changes: TracGroupInput): Promise<TracGroup> {
    return this.call('PUT', tracGroupPath(accountId, tracGroupId), { json: changes }, parseTracGroup);
  }

  async listTracNumbers(accountId: string, tracGroupId: string): Promise<TracNumber[]> {
    return this.call('GET', `${tracGroupPath(accountId, tracGroupId)}/tracNumbers`, {}, parseTracNumberList);
  }

  async createTracNumber(accountId: string, tracGroupId: string, input: TracNumberInput): Promise<TracNumber> {
    return this.call('POST', `${tracGroupPath(accountId, tracGroupId)}/tracNumbers`, { json: tracNumberBody(input), idempotent: false }, parseTracNumber);
  }

  async getTracNumber(accountId: string, tracGroupId: string, tracId: string): Promise<TracNumber> {
    return this.call('GET', `${tracGroupPath(accountId, tracGroupId)}/tracNumbers/${segment(tracId)}`, {}, parseTracNumber);
  }

  async updateTracNumber(accountId: string, tracGroupId: string, tracId: string, changes: TracNumberInput): Promise<TracNumber> {
    return this.call('PUT', `${tracGroupPath(accountId, tracGroupId)}/tracNumbers/${segment(tracId)}`, { json: tracNumberBody(changes) }, parseTracNumber);
  }

  // -------------------------------------------------------------------------------------------

  /** Sends a request and parses its body; a body we cannot use is INVALID_RESPONSE. */
  private call<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, options: RequestOptions, parse: (body: unknown) => T): Promise<T> {
    return this.http.fetch(method, path, options, parse);
  }

  /** `page`/`maxRows` lists (0-based pages), until a short or empty page. */
  private async *pages<T>(path: string, pageSize: number, parse: (body: unknown) => T[]): AsyncGenerator<T> {
    for (let page = 0; ; page += 1) {
      const items = await this.call('GET', path, { searchParams: { page, maxRows: pageSize } }, parse);
      yield* items;
      if (items.length < pageSize) return;
    }
  }
}

function segment(value: string): string {
  return encodeURIComponent(value);
}

function accountPath(accountId: string): string {
  return `/voice/api/v1/admin/accounts/${segment(accountId)}`;
}

function tracGroupPath(accountId: string, tracGroupId: string): string {
  return `${accountPath(accountId)}/tracGroups/${segment(tracGroupId)}`;
}

/** int32 fields travel as numbers; ids we hold as strings are converted back. */
function int32(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new ProviderError({ provider: 'ringcx', code: 'BAD_REQUEST', message: `ringcx ${field} must be an integer id, got "${value}"`, retryable: false });
  return n;
}

function searchCriteriaBody(criteria: TnManagerSearchCriteria): Record<string, unknown> {
  const { objectId, groupId, ...rest } = criteria;
  return { ...rest, objectId: int32(objectId, 'objectId'), groupId: int32(groupId, 'groupId') };
}

/** Dates go out as epoch ms, the form Jackson reads into a joda DateTime by default. */
function assignmentBody(item: AssignedDnisInput): Record<string, unknown> {
  return { ...item, startDate: item.startDate?.getTime(), endDate: item.endDate?.getTime() };
}

function tracNumberBody(input: TracNumberInput): Record<string, unknown> {
  return { ...input, assignedDnis: input.assignedDnis && assignmentBody(input.assignedDnis) };
}
