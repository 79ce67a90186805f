import type { Method } from 'got';
import { HttpClient, type RequestOptions, type RetryPolicy } from '../core/http.js';
import { mapRingyoError, ringyoQuietMs } from './errors.js';
import { parseRingyoPage, parseRingyoPhoneNumberBody, type RingyoNext, type RingyoPage } from './parse.js';
import type { RingyoInclude, RingyoPhoneNumber, RingyoPhoneNumberFilter } from './wire.js';

/**
 * Every Ringyo call Switchboard makes, one method per endpoint. Ringyo's API
 * is read-only for phone numbers: there is no documented update, assign,
 * purchase or release.
 */
export interface RingyoApi {
  /** Every number matching `filter`, paged through whichever envelope Ringyo answers with. */
  listPhoneNumbers(filter?: RingyoPhoneNumberFilter): AsyncIterable<RingyoPhoneNumber>;
  /** One number (`pn_…`), with stats or recent calls when asked; NOT_FOUND when unknown. */
  getPhoneNumber(id: string, options?: { include?: RingyoInclude[] }): Promise<RingyoPhoneNumber>;
}

export interface RingyoClientOptions {
  /** Host root, e.g. `https://api.ringyo.ai` (paths start with `/v1`). */
  baseUrl: string;
  /** `vb_live_…`. */
  apiKey: string;
  /** Per-attempt timeout; default 10 s. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
}

const PHONE_NUMBERS = '/v1/phone-numbers';
/** Ringyo's largest `limit`. */
const PAGE_SIZE = 100;

/**
 * Ringyo sends no `Retry-After`; the rate gate waits for `X-RateLimit-Reset`
 * instead, and this fallback only spaces a retry when that header is missing.
 */
const DEFAULT_RETRY: RetryPolicy = { limit: 2, backoffLimitMs: 2_000, maxRetryAfterMs: 10_000, fallbackRetryAfterMs: 1_000 };

/**
 * The Ringyo client: one HttpClient with Bearer API-key auth, Ringyo's error
 * mapping, a rate gate fed by `X-RateLimit-Remaining`/`X-RateLimit-Reset` (so
 * we stop before the 429 rather than after), and parsing that accepts both of
 * Ringyo's contradictory documented envelopes.
 */
export class RingyoClient implements RingyoApi {
  private readonly http: HttpClient;

  constructor(options: RingyoClientOptions) {
    this.http = new HttpClient({
      provider: 'ringyo',
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs ?? 10_000,
      retry: { ...DEFAULT_RETRY, ...options.retry },
      headers: { authorization: `Bearer ${options.apiKey}` },
      secrets: () => [options.apiKey],
      mapError: mapRingyoError,
      observeRateLimit: (response) => ringyoQuietMs(response),
    });
  }

  async *listPhoneNumbers(filter: RingyoPhoneNumberFilter = {}): AsyncGenerator<RingyoPhoneNumber> {
    const base: Record<string, string | number> = { limit: PAGE_SIZE };
    if (filter.status !== undefined) base.status = filter.status;
    if (filter.country !== undefined) base.country = filter.country;
    let next: RingyoNext | null = null;
    const seen = new Set<string>();
    do {
      const searchParams: Record<string, string | number> = next === null ? base : 'cursor' in next ? { ...base, cursor: next.cursor } : { ...base, offset: next.offset };
      const key = JSON.stringify(next);
      if (seen.has(key)) throw this.http.invalidResponse(`GET ${PHONE_NUMBERS}`, `the list pointed back to a page it already returned (${key})`);
      seen.add(key);
      const page: RingyoPage = await this.call('GET', PHONE_NUMBERS, { searchParams }, parseRingyoPage);
      yield* page.items;
      next = page.next;
    } while (next !== null);
  }

  getPhoneNumber(id: string, options: { include?: RingyoInclude[] } = {}): Promise<RingyoPhoneNumber> {
    const include = options.include && options.include.length > 0 ? { include: [...new Set(options.include)].join(',') } : undefined;
    return this.call('GET', `${PHONE_NUMBERS}/${encodeURIComponent(id)}`, include ? { searchParams: include } : {}, parseRingyoPhoneNumberBody);
  }

  /** Sends a request and parses its 2xx body; a body we cannot use becomes INVALID_RESPONSE. */
  private call<T>(method: Method, path: string, options: RequestOptions, parse: (body: unknown) => T): Promise<T> {
    return this.http.fetch(method, path, options, parse);
  }

}
