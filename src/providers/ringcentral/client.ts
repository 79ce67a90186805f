import type { Headers } from 'got';
import { HttpClient, type RetryPolicy } from '../core/http.js';
import { ProviderError, codeForStatus, redact } from '../core/errors.js';
import { RingCentralAuth, type RingCentralCredentials } from './auth.js';
import { isExpiredToken, mapError } from './errors.js';
import {
  UnusableBody,
  parseAccountInfo,
  parseAccountPhoneNumber,
  parseBatchResponse,
  parseCompanyPhoneNumber,
  parseExtension,
  parseForwardingNumber,
  parseListPage,
  parseUserPhoneNumber,
} from './parse.js';
import type {
  RcAccountInfo,
  RcAccountPhoneNumber,
  RcAssignPhoneNumberRequest,
  RcCompanyPhoneNumber,
  RcExtension,
  RcExtensionStatus,
  RcExtensionType,
  RcForwardingNumber,
  RcPaymentType,
  RcPhoneNumberStatus,
  RcPhoneNumberType,
  RcUsageType,
  RcUsageTypeV2,
  RcUserPhoneNumber,
} from './wire.js';

/** Most ids one batch GET may carry (RingCentral answers 400 CMN-106 beyond). */
export const RINGCENTRAL_BATCH_LIMIT = 30;
/** The page size lists ask for: the documented maximum, to spend as few Heavy/Medium requests as possible. */
const MAX_PER_PAGE = 1000;
/** Page-number ceiling of RingCentral's paging model; a list claiming more is broken. */
const MAX_PAGES = 1000;
const MULTIPART_JSON = 'application/vnd.ringcentral.multipart+json';

/** Filters of `GET …/extension`. */
export interface ExtensionFilter {
  type?: RcExtensionType[];
  status?: RcExtensionStatus[];
  /** Page size (1–1000); default 1000. */
  perPage?: number;
}

/** Filters of `GET …/phone-number` (v1). */
export interface AccountPhoneNumberFilter {
  usageType?: RcUsageType[];
  status?: RcPhoneNumberStatus[];
  paymentType?: RcPaymentType[];
  extensionStatus?: RcExtensionStatus;
  perPage?: number;
}

/** Filters of `GET /restapi/v2/accounts/{accountId}/phone-numbers`. */
export interface PhoneNumberV2Filter {
  usageType?: RcUsageTypeV2[];
  type?: RcPhoneNumberType[];
  status?: RcPhoneNumberStatus;
  tollType?: 'Toll' | 'TollFree';
  extensionStatus?: RcExtensionStatus;
  /** E.164, `*` for any one digit. */
  phoneNumber?: string;
  perPage?: number;
}

/** Filters of `GET …/extension/{extensionId}/phone-number`. */
export interface ExtensionPhoneNumberFilter {
  usageType?: RcUsageType[];
  status?: RcPhoneNumberStatus;
  perPage?: number;
}

/** What the batch GET says about one requested id. */
export type PhoneNumberLookup =
  | { id: string; status: 'found'; phoneNumber: RcCompanyPhoneNumber }
  | { id: string; status: 'notFound' }
  | { id: string; status: 'error'; error: ProviderError };

/**
 * Everything Switchboard asks of RingCentral, one method per endpoint.
 * Resolvers and loaders see only this interface. Lists are async iterators
 * that page through on demand.
 */
export interface RingCentralApi {
  /** A valid access token (RingCX exchanges it for its own). */
  accessToken(): Promise<string>;
  /** `GET /restapi/v1.0/account/{accountId}` (Light). */
  getAccount(): Promise<RcAccountInfo>;
  /** `GET …/extension` (Medium), all pages. */
  listExtensions(filter?: ExtensionFilter): AsyncGenerator<RcExtension>;
  /** `GET …/extension/{extensionId}` (Light); `~` is the token's user. */
  getExtension(extensionId: string): Promise<RcExtension>;
  /** `GET …/phone-number` (Heavy, v1): company and extension numbers, not inventory. */
  listAccountPhoneNumbers(filter?: AccountPhoneNumberFilter): AsyncGenerator<RcCompanyPhoneNumber>;
  /** `GET /restapi/v2/accounts/{accountId}/phone-numbers` (Heavy): every number, inventory included. */
  listPhoneNumbersV2(filter?: PhoneNumberV2Filter): AsyncGenerator<RcAccountPhoneNumber>;
  /**
   * `GET …/phone-number/{id1,id2,…}` (Light) in chunks of at most 30 ids.
   * Returns one result per requested id, in the order given (duplicates
   * included); an id that does not exist is `notFound`, a chunk that failed
   * puts its error on each of its ids.
   */
  getPhoneNumbers(ids: readonly string[]): Promise<PhoneNumberLookup[]>;
  /** `GET …/extension/{extensionId}/phone-number` (Light): the extension's numbers plus company numbers it may use. */
  listExtensionPhoneNumbers(extensionId: string, filter?: ExtensionPhoneNumberFilter): AsyncGenerator<RcUserPhoneNumber>;
  /** `GET …/extension/{extensionId}/forwarding-number` (Light). */
  listForwardingNumbers(extensionId: string, options?: { perPage?: number }): AsyncGenerator<RcForwardingNumber>;
  /** `PATCH /restapi/v2/accounts/{accountId}/phone-numbers/{phoneNumberId}` (Medium): assign or move a number. Never retried. */
  assignPhoneNumber(phoneNumberId: string, request: RcAssignPhoneNumberRequest): Promise<RcAccountPhoneNumber>;
}

export interface RingCentralClientOptions extends RingCentralCredentials {
  /** Host root, e.g. `https://platform.ringcentral.com`. */
  baseUrl: string;
  /** Account to read; default `~` (the JWT user's account). */
  accountId?: string;
  /** Per-attempt timeout; default 10 s. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Renew the access token this long before it expires; default 60 s. */
  tokenRenewBeforeMs?: number;
}

const DEFAULT_RETRY: RetryPolicy = {
  limit: 2,
  backoffLimitMs: 2_000,
  maxRetryAfterMs: 10_000,
  // RingCentral: "if Retry-After is absent, wait at least 30 s"; after a 429
  // the group is in a 60 s penalty, so wait that out.
  fallbackRetryAfterMs: 60_000,
};

/**
 * The RingCentral platform client: one {@link HttpClient} (timeouts, retries
 * of idempotent calls, Retry-After, the per-group rate gate, error mapping)
 * plus OAuth, paging, batch GETs and RingCentral's throttling headers.
 *
 * Rate limits: every call names its throttling group from the spec. When a
 * response says a group has no requests left in its window, the group stays
 * quiet for the window; a request sent anyway would get a 429 and restart
 * RingCentral's 60-second penalty.
 */
export class RingCentralClient implements RingCentralApi {
  private readonly http: HttpClient;
  private readonly auth: RingCentralAuth;
  private readonly v1Account: string;
  private readonly v2Account: string;

  constructor(options: RingCentralClientOptions) {
    const accountId = encodeURIComponent(options.accountId ?? '~');
    this.v1Account = `/restapi/v1.0/account/${accountId}`;
    this.v2Account = `/restapi/v2/accounts/${accountId}`;
    this.http = new HttpClient({
      provider: 'ringcentral',
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs ?? 10_000,
      retry: { ...DEFAULT_RETRY, ...options.retry },
      authorize: async (headers) => {
        const token = await this.auth.accessToken();
        headers.authorization = `Bearer ${token}`;
      },
      secrets: () => this.auth.secrets(),
      mapError,
      observeRateLimit,
      isExpiredToken,
      onExpiredToken: (sent) => this.auth.invalidate(bearerToken(sent.authorization)),
    });
    this.auth = new RingCentralAuth(
      this.http,
      { clientId: options.clientId, clientSecret: options.clientSecret, jwt: options.jwt },
      { renewBeforeMs: options.tokenRenewBeforeMs },
    );
  }

  accessToken(): Promise<string> {
    return this.auth.accessToken();
  }

  async getAccount(): Promise<RcAccountInfo> {
    return this.get(this.v1Account, 'Light', parseAccountInfo);
  }

  listExtensions(filter: ExtensionFilter = {}): AsyncGenerator<RcExtension> {
    const params = new URLSearchParams();
    for (const type of filter.type ?? []) params.append('type', type);
    for (const status of filter.status ?? []) params.append('status', status);
    return this.pages(`${this.v1Account}/extension`, params, filter.perPage, 'Medium', parseExtension);
  }

  async getExtension(extensionId: string): Promise<RcExtension> {
    return this.get(`${this.v1Account}/extension/${encodeURIComponent(extensionId)}`, 'Light', parseExtension);
  }

  listAccountPhoneNumbers(filter: AccountPhoneNumberFilter = {}): AsyncGenerator<RcCompanyPhoneNumber> {
    const params = new URLSearchParams();
    for (const usageType of filter.usageType ?? []) params.append('usageType', usageType);
    for (const status of filter.status ?? []) params.append('status', status);
    for (const paymentType of filter.paymentType ?? []) params.append('paymentType', paymentType);
    if (filter.extensionStatus) params.set('extensionStatus', filter.extensionStatus);
    return this.pages(`${this.v1Account}/phone-number`, params, filter.perPage, 'Heavy', parseCompanyPhoneNumber);
  }

  listPhoneNumbersV2(filter: PhoneNumberV2Filter = {}): AsyncGenerator<RcAccountPhoneNumber> {
    const params = new URLSearchParams();
    for (const usageType of filter.usageType ?? []) params.append('usageType', usageType);
    for (const type of filter.type ?? []) params.append('type', type);
    if (filter.status) params.set('status', filter.status);
    if (filter.tollType) params.set('tollType', filter.tollType);
    if (filter.extensionStatus) params.set('extensionStatus', filter.extensionStatus);
    if (filter.phoneNumber) params.set('phoneNumber', filter.phoneNumber);
    return this.pages(`${this.v2Account}/phone-numbers`, params, filter.perPage, 'Heavy', parseAccountPhoneNumber);
  }

  async getPhoneNumbers(ids: readonly string[]): Promise<PhoneNumberLookup[]> {
    const results = new Map<string, PhoneNumberLookup>();
    const wanted: string[] = [];
    for (const id of new Set(ids)) {
      // An id that is not a number cannot exist, and must not reach the path,
      // where a comma or slash would change what we ask for.
      if (/^\d+$/.test(id)) wanted.push(id);
      else results.set(id, { id, status: 'notFound' });
    }
    const chunks: string[][] = [];
    for (let i = 0; i < wanted.length; i += RINGCENTRAL_BATCH_LIMIT) chunks.push(wanted.slice(i, i + RINGCENTRAL_BATCH_LIMIT));
    // One chunk at a time: the Light group allows 50 requests a minute, and
    // when a response says the group is spent, the chunks still to go wait
    // at the rate gate (or fail fast) instead of all being sent at once.
    for (const chunk of chunks) {
      try {
        for (const result of await this.getPhoneNumberChunk(chunk)) results.set(result.id, result);
      } catch (error) {
        const failure = error instanceof ProviderError ? error : this.unusable(`GET ${this.v1Account}/phone-number/{ids}`, error);
        for (const id of chunk) results.set(id, { id, status: 'error', error: failure });
      }
    }
    return ids.map((id) => results.get(id)!);
  }

  listExtensionPhoneNumbers(extensionId: string, filter: ExtensionPhoneNumberFilter = {}): AsyncGenerator<RcUserPhoneNumber> {
    const params = new URLSearchParams();
    for (const usageType of filter.usageType ?? []) params.append('usageType', usageType);
    if (filter.status) params.set('status', filter.status);
    const path = `${this.v1Account}/extension/${encodeURIComponent(extensionId)}/phone-number`;
    return this.pages(path, params, filter.perPage, 'Light', parseUserPhoneNumber);
  }

  listForwardingNumbers(extensionId: string, options: { perPage?: number } = {}): AsyncGenerator<RcForwardingNumber> {
    const path = `${this.v1Account}/extension/${encodeURIComponent(extensionId)}/forwarding-number`;
    return this.pages(path, new URLSearchParams(), options.perPage, 'Light', parseForwardingNumber);
  }

  async assignPhoneNumber(phoneNumberId: string, request: RcAssignPhoneNumberRequest): Promise<RcAccountPhoneNumber> {
    const path = `${this.v2Account}/phone-numbers/${encodeURIComponent(phoneNumberId)}`;
    // PATCH is not idempotent to the HttpClient, so a failed move is reported, never resent.
    const { body } = await this.http.request<unknown>('PATCH', path, { json: request, rateGroup: 'Medium' });
    return this.parse(`PATCH ${this.v2Account}/phone-numbers/{phoneNumberId}`, () => parseAccountPhoneNumber(body));
  }

  /**
   * One batch GET. A single id is a plain resource GET (200 or a 404
   * CMN-102); several ids answer 207 with a status per id.
   */
  private async getPhoneNumberChunk(chunk: string[]): Promise<PhoneNumberLookup[]> {
    const path = `${this.v1Account}/phone-number/${chunk.join(',')}`;
    const operation = `GET ${this.v1Account}/phone-number/{ids}`;
    if (chunk.length === 1) {
      const id = chunk[0]!;
      try {
        const { body } = await this.http.request<unknown>('GET', path, { rateGroup: 'Light' });
        return [{ id, status: 'found', phoneNumber: this.parse(operation, () => parseCompanyPhoneNumber(body)) }];
      } catch (error) {
        if (error instanceof ProviderError && error.status === 404 && error.providerCode === 'CMN-102') return [{ id, status: 'notFound' }];
        throw error;
      }
    }
    const { body, headers } = await this.http.request<unknown>('GET', path, { rateGroup: 'Light', headers: { accept: MULTIPART_JSON } });
    const parts = this.parse(operation, () => parseBatchResponse(body, headers));
    if (parts.length !== chunk.length) throw this.unusable(operation, new UnusableBody(`asked for ${chunk.length} ids, got ${parts.length} parts`));
    return parts.map((part, i): PhoneNumberLookup => {
      // Parts come back in request order; prefer the id the part names.
      const id = part.resourceId !== undefined && chunk.includes(part.resourceId) ? part.resourceId : chunk[i]!;
      if (part.status === 200) {
        try {
          return { id, status: 'found', phoneNumber: parseCompanyPhoneNumber(part.body) };
        } catch (error) {
          return { id, status: 'error', error: this.unusable(operation, error) };
        }
      }
      const mapped = mapError({ status: part.status, headers: {}, body: part.body });
      if (part.status === 404 && mapped.providerCode === 'CMN-102') return { id, status: 'notFound' };
      return {
        id,
        status: 'error',
        error: new ProviderError({
          provider: 'ringcentral',
          code: mapped.code ?? codeForStatus(part.status),
          status: part.status,
          providerCode: mapped.providerCode,
          operation,
          message: redact(`ringcentral ${operation} failed for id ${id} with ${part.status}: ${mapped.message}`, this.auth.secrets()),
        }),
      };
    });
  }

  private async get<T>(path: string, rateGroup: string, parse: (body: unknown) => T): Promise<T> {
    const { body } = await this.http.request<unknown>('GET', path, { rateGroup });
    return this.parse(`GET ${path}`, () => parse(body));
  }

  /** Pages through a v1 or v2 list, one request per page, as the caller consumes records. */
  private async *pages<T>(
    path: string,
    filters: URLSearchParams,
    perPage: number | undefined,
    rateGroup: string,
    parse: (record: unknown) => T,
  ): AsyncGenerator<T> {
    const size = Math.max(1, Math.min(MAX_PER_PAGE, perPage ?? MAX_PER_PAGE));
    const operation = `GET ${path}`;
    for (let page = 1; page <= MAX_PAGES; page++) {
      const searchParams = new URLSearchParams(filters);
      searchParams.set('page', String(page));
      searchParams.set('perPage', String(size));
      const { body } = await this.http.request<unknown>('GET', path, { searchParams, rateGroup });
      const { records, hasNext } = this.parse(operation, () => parseListPage(body, page, size));
      const parsed = this.parse(operation, () => records.map(parse));
      yield* parsed;
      if (!hasNext) return;
    }
    throw this.unusable(operation, new UnusableBody(`list did not end within ${MAX_PAGES} pages`));
  }

  private parse<T>(operation: string, parse: () => T): T {
    try {
      return parse();
    } catch (error) {
      throw this.unusable(operation, error);
    }
  }

  private unusable(operation: string, error: unknown): ProviderError {
    return this.http.invalidResponse(operation, error);
  }

}

/**
 * RingCentral's throttling headers: when `X-Rate-Limit-Remaining` reaches 0
 * the group must stay quiet for `X-Rate-Limit-Window` seconds, because the
 * next request would be refused and would put the group into a penalty that
 * every further request restarts. A 429 is left to the HttpClient, which
 * blocks the group for `Retry-After` (or the 60 s fallback).
 */
export function observeRateLimit(response: { status: number; headers: Headers }): number | undefined {
  if (response.status === 429) return undefined;
  const remaining = Number(response.headers['x-rate-limit-remaining']);
  const window = Number(response.headers['x-rate-limit-window']);
  if (response.headers['x-rate-limit-remaining'] === undefined || !Number.isFinite(remaining) || remaining > 0) return undefined;
  return Number.isFinite(window) && window > 0 ? window * 1000 : 60_000;
}

/** The token of an `Authorization: Bearer …` header. */
function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value?.startsWith('Bearer ') ? value.slice('Bearer '.length) : undefined;
}
