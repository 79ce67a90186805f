import type { Method } from 'got';
import { HttpClient, type RequestOptions, type RetryPolicy } from '../core/http.js';
import { mapZendeskError } from './errors.js';
import {
  parseAvailableNumber,
  parseGroup,
  parseIvr,
  parseListPage,
  parsePhoneNumber,
  parsePhoneNumberEnvelope,
  type ListPage,
  type NextPage,
} from './parse.js';
import type {
  ZendeskAvailableNumber,
  ZendeskAvailableNumberQuery,
  ZendeskGroup,
  ZendeskIvr,
  ZendeskPhoneNumber,
  ZendeskPhoneNumberCreate,
  ZendeskPhoneNumberUpdate,
} from './wire.js';

/**
 * Every Zendesk Talk call Switchboard makes, one method per endpoint.
 * Resolvers and loaders see only this interface.
 */
export interface ZendeskApi {
  /** Every Talk number, paged through (cursor paging requested, offset paging understood). */
  listPhoneNumbers(): AsyncIterable<ZendeskPhoneNumber>;
  /** One number; NOT_FOUND when Zendesk has no such id. */
  getPhoneNumber(id: string): Promise<ZendeskPhoneNumber>;
  /** Numbers available to provision; each carries the token `createPhoneNumber` needs. */
  searchAvailablePhoneNumbers(query: ZendeskAvailableNumberQuery): Promise<ZendeskAvailableNumber[]>;
  /** Provisions (and bills) a number from a search token. Never retried. */
  createPhoneNumber(input: ZendeskPhoneNumberCreate): Promise<ZendeskPhoneNumber>;
  /** Changes a number's writable attributes (routing, nickname, recording…). Idempotent. */
  updatePhoneNumber(id: string, changes: ZendeskPhoneNumberUpdate): Promise<ZendeskPhoneNumber>;
  /** Releases a number. */
  deletePhoneNumber(id: string): Promise<void>;
  /** Every Support group (including deleted ones, flagged `deleted`). */
  listGroups(): AsyncIterable<ZendeskGroup>;
  /** Every Talk IVR with its menus and the numbers routed to it. */
  listIvrs(): Promise<ZendeskIvr[]>;
}

export interface ZendeskClientOptions {
  /** `https://{subdomain}.zendesk.com` (or the sandbox's host root). */
  baseUrl: string;
  /** The agent's email address. */
  email: string;
  /** An API token from Admin Center (API-token access must be enabled there). */
  apiToken: string;
  /** Per-attempt timeout; default 10 s. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
}

const TALK = '/api/v2/channels/voice';
const PHONE_NUMBERS = `${TALK}/phone_numbers`;
/** Zendesk's largest page, for both paging methods. */
const PAGE_SIZE = 100;

/**
 * Zendesk always sends `Retry-After` on a 429; the fallback covers proxies
 * that do not. Windows are per minute, so a few seconds is a fair guess.
 */
const DEFAULT_RETRY: RetryPolicy = { limit: 2, backoffLimitMs: 2_000, maxRetryAfterMs: 10_000, fallbackRetryAfterMs: 5_000 };

/**
 * The Zendesk Talk client: one HttpClient with API-token Basic auth
 * (`{email}/token:{api_token}`), Zendesk's error mapping, and parsing that
 * turns integer ids into strings and reads both of Zendesk's list envelopes.
 */
export class ZendeskClient implements ZendeskApi {
  private readonly http: HttpClient;

  constructor(options: ZendeskClientOptions) {
    const basic = Buffer.from(`${options.email}/token:${options.apiToken}`).toString('base64');
    this.http = new HttpClient({
      provider: 'zendesk',
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs ?? 10_000,
      retry: { ...DEFAULT_RETRY, ...options.retry },
      headers: { authorization: `Basic ${basic}` },
      secrets: () => [options.apiToken, basic],
      mapError: mapZendeskError,
    });
  }

  listPhoneNumbers(): AsyncIterable<ZendeskPhoneNumber> {
    return this.paginate(PHONE_NUMBERS, { 'page[size]': PAGE_SIZE }, (body) => parseListPage(body, ['phone_numbers'], parsePhoneNumber));
  }

  getPhoneNumber(id: string): Promise<ZendeskPhoneNumber> {
    return this.call('GET', `${PHONE_NUMBERS}/${encodeURIComponent(id)}`, {}, parsePhoneNumberEnvelope);
  }

  async searchAvailablePhoneNumbers(query: ZendeskAvailableNumberQuery): Promise<ZendeskAvailableNumber[]> {
    const searchParams: Record<string, string> = { country: query.country };
    if (query.area_code !== undefined) searchParams.area_code = query.area_code;
    if (query.contains !== undefined) searchParams.contains = query.contains;
    if (query.toll_free !== undefined) searchParams.toll_free = String(query.toll_free);
    const found: ZendeskAvailableNumber[] = [];
    for await (const number of this.paginate(`${PHONE_NUMBERS}/search`, searchParams, (body) =>
      parseListPage(body, ['phone_numbers'], parseAvailableNumber),
    )) {
      found.push(number);
    }
    return found;
  }

  createPhoneNumber(input: ZendeskPhoneNumberCreate): Promise<ZendeskPhoneNumber> {
    // POST provisions and bills a number: the HttpClient never retries it.
    return this.call('POST', PHONE_NUMBERS, { json: { phone_number: input } }, parsePhoneNumberEnvelope);
  }

  updatePhoneNumber(id: string, changes: ZendeskPhoneNumberUpdate): Promise<ZendeskPhoneNumber> {
    return this.call('PUT', `${PHONE_NUMBERS}/${encodeURIComponent(id)}`, { json: { phone_number: toWireUpdate(changes) } }, parsePhoneNumberEnvelope);
  }

  async deletePhoneNumber(id: string): Promise<void> {
    await this.http.request('DELETE', `${PHONE_NUMBERS}/${encodeURIComponent(id)}`);
  }

  listGroups(): AsyncIterable<ZendeskGroup> {
    return this.paginate('/api/v2/groups', { 'page[size]': PAGE_SIZE }, (body) => parseListPage(body, ['groups'], parseGroup));
  }

  async listIvrs(): Promise<ZendeskIvr[]> {
    const ivrs: ZendeskIvr[] = [];
    // The endpoint is /ivr; the documented and observed collection key is `ivrs`.
    for await (const ivr of this.paginate(`${TALK}/ivr`, {}, (body) => parseListPage(body, ['ivrs', 'ivr'], parseIvr))) ivrs.push(ivr);
    return ivrs;
  }

  /**
   * Pages through a list. Links (`links.next`, `next_page`) are full URLs on
   * the account's host, which is our base URL's origin; a link to any other
   * origin is refused (INVALID_RESPONSE) rather than followed, so the API
   * token never goes where a response points. A link seen twice means the
   * provider is looping.
   */
  private async *paginate<T>(
    path: string,
    firstParams: Record<string, string | number>,
    parse: (body: unknown) => ListPage<T>,
  ): AsyncGenerator<T> {
    let request: PageRequest = { path, searchParams: firstParams };
    const seen = new Set<string>();
    for (;;) {
      const key = requestKey(request);
      if (seen.has(key)) throw this.http.invalidResponse(`GET ${path}`, `the list pointed back to a page it already returned (${key})`);
      seen.add(key);
      const page = await this.call('GET', request.path, request.searchParams ? { searchParams: request.searchParams } : {}, parse);
      yield* page.items;
      if (!page.next) return;
      request = this.nextRequest(path, page.next);
    }
  }

  private nextRequest(path: string, next: NextPage): PageRequest {
    if ('after' in next) return { path, searchParams: { 'page[size]': PAGE_SIZE, 'page[after]': next.after } };
    const url = this.http.resolveLink(`GET ${path}`, next.url);
    return { path: `${url.pathname}${url.search}` };
  }

  /** Sends a request and parses its 2xx body; a body we cannot use becomes INVALID_RESPONSE. */
  private call<T>(method: Method, path: string, options: RequestOptions, parse: (body: unknown) => T): Promise<T> {
    return this.http.fetch(method, path, options, parse);
  }

}

/** The request for one page: a path (maybe with a query from a link) and parameters. */
type PageRequest = { path: string; searchParams?: Record<string, string | number> };

function requestKey(request: PageRequest): string {
  const params = new URLSearchParams(Object.entries(request.searchParams ?? {}).map(([k, v]): [string, string] => [k, String(v)]));
  return params.size > 0 ? `${request.path}?${params.toString()}` : request.path;
}

/**
 * Our string ids back to Zendesk's integers. A non-numeric id is sent as is,
 * so Zendesk's own validation names the field rather than ours guessing.
 */
function toWireUpdate(changes: ZendeskPhoneNumberUpdate): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    if (key === 'group_ids' || key === 'greeting_ids') out[key] = (value as string[]).map(toWireId);
    else if (key.endsWith('_id') && typeof value === 'string') out[key] = toWireId(value);
    else out[key] = value;
  }
  return out;
}

function toWireId(id: string): number | string {
  return /^\d+$/.test(id) && Number.isSafeInteger(Number(id)) ? Number(id) : id;
}
