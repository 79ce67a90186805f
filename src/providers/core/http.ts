import got, {
  HTTPError,
  RequestError,
  type Got,
  type Headers,
  type Method,
  type OptionsInit,
  type Response,
  type RetryObject,
} from 'got';
import { USER_AGENT } from '../../version.js';
import { ProviderError, codeForStatus, redact, type ProviderErrorCode, type ProviderName } from './errors.js';
import { HomeOrigin, originOf } from './origin.js';
import { currentPacer } from './pacing.js';
import { RateGate } from './rate-gate.js';

/** A response body as we received it: parsed JSON when it was JSON, the text otherwise. */
export type ResponseBody = unknown;

/** What a provider's error mapping reads from a failed response. */
export interface FailedResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the body was JSON, else the raw text (`Jwt is expired`). */
  body: ResponseBody;
}

/** What a provider's error mapping returns; the HTTP client adds the rest. */
export interface MappedError {
  message: string;
  providerCode?: string;
  /** Overrides the code derived from the status (e.g. a 400 that means NOT_FOUND). */
  code?: ProviderErrorCode;
}

export interface RetryPolicy {
  /** Retries after the first attempt. */
  limit: number;
  /** Cap on the exponential backoff between retries. */
  backoffLimitMs: number;
  /**
   * Longest `Retry-After` we are willing to wait inside one call. A provider
   * asking for longer makes the call fail fast with RATE_LIMITED instead, so a
   * GraphQL request does not hang for a minute.
   */
  maxRetryAfterMs: number;
  /**
   * Wait used on a 429 that carries no `Retry-After` (RingCentral: "wait at
   * least 30 s"; RingCX sends none at all).
   */
  fallbackRetryAfterMs: number;
}

export interface HttpClientOptions {
  provider: ProviderName;
  /**
   * Host root; request paths are the provider's own absolute paths. Its
   * origin is the only one requests (and so credentials) are ever sent to.
   */
  baseUrl: string;
  /** Per-attempt timeout. got has none by default. */
  timeoutMs: number;
  retry: RetryPolicy;
  /** Headers sent on every request (after User-Agent and Accept). */
  headers?: Record<string, string>;
  /** Sets credentials on each attempt; runs again on retries so renewed tokens are picked up. */
  authorize?: (headers: Headers) => Promise<void> | void;
  /** Strings that must never appear in an error message (tokens, secrets, keys). */
  secrets: () => readonly (string | undefined)[];
  /** The provider's one error mapping: status and body to a message and provider code. */
  mapError: (response: FailedResponse) => MappedError;
  /**
   * Reads a response's rate-limit signals and returns how long its group must
   * stay quiet, if at all. Called on every response, including 429s.
   */
  observeRateLimit?: (response: { status: number; headers: Headers }, group: string) => number | undefined;
  /**
   * Whether a 401 means "renew the token and try once more" (an access token
   * that expired before our proactive refresh caught it).
   */
  isExpiredToken?: (response: FailedResponse) => boolean;
  /**
   * Drops the cached token so the next `authorize` renews it. Receives the
   * headers the refused request carried: when several calls sent with one
   * token fail together, each must drop only the token it used, never one a
   * sibling has just renewed (token endpoints allow ~5 calls a minute).
   */
  onExpiredToken?: (sentHeaders: Headers) => void;
}

export interface RequestOptions {
  searchParams?: URLSearchParams | Record<string, string | number | boolean | undefined>;
  json?: unknown;
  form?: Record<string, string>;
  body?: OptionsInit['body'];
  headers?: Record<string, string>;
  /**
   * Whether this call may be retried. Defaults from the method: GET, HEAD, PUT
   * and DELETE are idempotent; POST and PATCH are not. Read-only POSTs (search)
   * pass `true`; nothing that creates something ever does.
   */
  idempotent?: boolean;
  /** Rate-limit group the endpoint belongs to (RingCentral's Light/Medium/Heavy/Auth). */
  rateGroup?: string;
  /** Skip `authorize` (the token endpoints themselves). */
  anonymous?: boolean;
}

export interface HttpResult<T> {
  status: number;
  headers: Headers;
  body: T;
}

const RETRY_STATUS = [408, 429, 500, 502, 503, 504];
const RETRY_ERRORS = ['ETIMEDOUT', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND'];
const IDEMPOTENT: Method[] = ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'];

/**
 * One got instance per provider, with the policy every provider shares:
 * explicit timeout, retries for idempotent calls only (429, 5xx, network
 * errors) that honour `Retry-After`, a rate gate that stops sending while a
 * provider has told us to back off, one token renewal on an expired token, and
 * one error type. Provider clients only add paths, bodies and parsing.
 *
 * Nothing is sent off the base URL's origin ({@link HomeOrigin}): a redirect
 * elsewhere fails the call with INVALID_RESPONSE before anything reaches the
 * other host, and links a client follows are checked by {@link resolveLink}.
 */
export class HttpClient {
  readonly provider: ProviderName;
  readonly got: Got;
  private readonly home: HomeOrigin;
  private readonly options: HttpClientOptions;
  private readonly gate = new RateGate();

  constructor(options: HttpClientOptions) {
    this.options = options;
    this.provider = options.provider;
    this.home = new HomeOrigin(options.baseUrl);
    const { retry } = options;
    this.got = got.extend({
      prefixUrl: options.baseUrl.replace(/\/+$/, ''),
      timeout: { request: options.timeoutMs },
      responseType: 'text',
      throwHttpErrors: true,
      headers: { 'user-agent': USER_AGENT, accept: 'application/json', ...options.headers },
      retry: {
        limit: retry.limit,
        methods: IDEMPOTENT,
        statusCodes: RETRY_STATUS,
        errorCodes: RETRY_ERRORS,
        backoffLimit: retry.backoffLimitMs,
        maxRetryAfter: retry.maxRetryAfterMs,
        calculateDelay: (attempt) => this.retryDelay(attempt),
      },
      hooks: {
        beforeRequest: [
          async (opts) => {
            const ctx = contextOf(opts.context);
            // Static headers (Zendesk's and Ringyo's Authorization) are on
            // every request, so the check comes first, not only before `authorize`.
            if (!opts.url || !this.home.contains(opts.url)) throw this.offOrigin(ctx.operation, 'was about to be sent to', opts.url);
            await this.gate.wait(ctx.rateGroup, retry.maxRetryAfterMs, () => this.rateLimitedError(ctx));
            if (!ctx.anonymous && options.authorize) await options.authorize(opts.headers);
          },
        ],
        beforeRedirect: [
          // got only drops `Authorization` when the host changes, and our
          // beforeRequest hook would put credentials back: refuse instead.
          (opts) => {
            if (!opts.url || !this.home.contains(opts.url)) throw this.offOrigin(contextOf(opts.context).operation, 'was redirected to', opts.url);
          },
        ],
        afterResponse: [
          (response) => {
            const ctx = contextOf(response.request.options.context);
            const quietMs = options.observeRateLimit?.(
              { status: response.statusCode, headers: response.headers },
              ctx.rateGroup,
            );
            if (quietMs !== undefined && quietMs > 0) this.gate.block(ctx.rateGroup, quietMs);
            else if (response.statusCode === 429) this.gate.block(ctx.rateGroup, retryAfterMs(response) ?? retry.fallbackRetryAfterMs);
            return response;
          },
        ],
      },
    });
  }

  /** Sends a request and parses the JSON (or text) body. Throws {@link ProviderError}. */
  async request<T = ResponseBody>(method: Method, path: string, options: RequestOptions = {}): Promise<HttpResult<T>> {
    const operation = operationOf(method, path);
    // Background work (the sync) spends only its share of the group. The wait
    // is here, before got starts its timeout; token requests are not paced
    // (they are made on behalf of a call that already waited its turn).
    if (!options.anonymous) await currentPacer()?.take(this.provider, options.rateGroup ?? 'default');
    for (let renewed = false; ; renewed = true) {
      try {
        const response = await this.send(method, path, options);
        return { status: response.statusCode, headers: response.headers, body: parseBody(response) as T };
      } catch (error) {
        if (!renewed && this.isExpiredTokenError(error)) {
          this.options.onExpiredToken?.((error as HTTPError).request.options.headers);
          continue;
        }
        throw this.toProviderError(error, operation);
      }
    }
  }

  /**
   * Sends a request and reads its body with `parse`, the provider's tolerant
   * parser. A 2xx body that `parse` rejects is INVALID_RESPONSE.
   */
  async fetch<T>(method: Method, path: string, options: RequestOptions, parse: (body: ResponseBody) => T): Promise<T> {
    const { body } = await this.request(method, path, options);
    try {
      return parse(body);
    } catch (error) {
      throw this.invalidResponse(operationOf(method, path), error);
    }
  }

  /**
   * A link from a provider's answer (a next-page URL), resolved against the
   * base URL. A link that is not a URL, or that points to another origin, is
   * INVALID_RESPONSE: credentials never follow a link off the home origin.
   */
  resolveLink(operation: string, link: string): URL {
    let url: URL;
    try {
      url = new URL(link, this.options.baseUrl);
    } catch {
      throw this.invalidResponse(operation, `link is not a URL: ${link}`);
    }
    if (!this.home.contains(url)) throw this.offOrigin(operation, 'linked to', url);
    return url;
  }

  /** The one way a 2xx answer we cannot use becomes a {@link ProviderError}; credentials scrubbed. */
  invalidResponse(operation: string, reason: unknown): ProviderError {
    if (reason instanceof ProviderError) return reason;
    const detail = reason instanceof Error ? reason.message : String(reason);
    return new ProviderError({
      provider: this.provider,
      code: 'INVALID_RESPONSE',
      operation,
      message: redact(`${this.provider} ${operation} returned a body we cannot use: ${detail}`, this.options.secrets()),
      retryable: false,
      cause: reason,
    });
  }

  /** The raw got response, for the few calls that need headers or a non-JSON body. */
  private send(method: Method, path: string, options: RequestOptions): Promise<Response<string>> {
    const idempotent = options.idempotent ?? IDEMPOTENT.includes(method);
    const context: RequestContext = {
      rateGroup: options.rateGroup ?? 'default',
      anonymous: options.anonymous ?? false,
      operation: operationOf(method, path),
    };
    const init: OptionsInit = {
      method,
      context,
      retry: idempotent ? { methods: [method] } : { limit: 0 },
    };
    if (options.searchParams) init.searchParams = cleanParams(options.searchParams);
    if (options.json !== undefined) init.json = options.json;
    if (options.form) init.form = options.form;
    if (options.body !== undefined) init.body = options.body;
    if (options.headers) init.headers = options.headers;
    return this.got(path.replace(/^\/+/, ''), init) as unknown as Promise<Response<string>>;
  }

  private retryDelay({ error, computedValue, retryAfter, attemptCount, retryOptions }: RetryObject): number {
    if (computedValue === 0) return 0;
    // got asks for a retry on a 429 without Retry-After after its short
    // exponential backoff; providers want us to wait longer than that.
    const status = error.response?.statusCode;
    if (status === 429 && retryAfter === undefined) {
      const wait = this.options.retry.fallbackRetryAfterMs;
      return wait > this.options.retry.maxRetryAfterMs ? 0 : wait;
    }
    void attemptCount;
    void retryOptions;
    return computedValue;
  }

  private isExpiredTokenError(error: unknown): boolean {
    if (!(error instanceof HTTPError) || error.response.statusCode !== 401 || !this.options.isExpiredToken) return false;
    return this.options.isExpiredToken(failedResponse(error.response as Response<string>));
  }

  /** A request, redirect or link that would leave the home origin; names both origins, never the credentials. */
  private offOrigin(operation: string, what: string, url: string | URL | undefined): ProviderError {
    const elsewhere = url === undefined ? 'no URL' : originOf(url);
    return new ProviderError({
      provider: this.provider,
      code: 'INVALID_RESPONSE',
      operation,
      message: `${this.provider} ${operation} ${what} ${elsewhere}, not the configured origin ${this.home.origin}; refused so that credentials stay on ${this.home.origin}`,
      retryable: false,
    });
  }

  private rateLimitedError(ctx: RequestContext): ProviderError {
    return new ProviderError({
      provider: this.provider,
      code: 'RATE_LIMITED',
      message: `${this.provider} asked us to pause ${ctx.rateGroup === 'default' ? '' : `${ctx.rateGroup} `}requests; not sending until the window passes`,
      retryable: true,
      retryAfterMs: this.gate.remainingMs(ctx.rateGroup),
    });
  }

  /** The one place a got failure becomes a {@link ProviderError}. */
  private toProviderError(error: unknown, operation: string): ProviderError {
    if (error instanceof ProviderError) return error;
    const scrub = (text: string) => redact(text, this.options.secrets());
    if (error instanceof HTTPError) {
      const failed = failedResponse(error.response as Response<string>);
      const mapped = this.options.mapError(failed);
      return new ProviderError({
        provider: this.provider,
        code: mapped.code ?? codeForStatus(failed.status),
        status: failed.status,
        providerCode: mapped.providerCode,
        retryAfterMs: retryAfterMs(error.response),
        operation,
        message: scrub(`${this.provider} ${operation} failed with ${failed.status}: ${mapped.message}`),
        cause: sanitizedCause(error),
      });
    }
    if (error instanceof RequestError) {
      // The request-level cause (a got TimeoutError wrapping its own
      // RequestError) may itself have been a ProviderError thrown by a hook.
      if (error.cause instanceof ProviderError) return error.cause;
      const timeout = error.code === 'ETIMEDOUT' || error.name === 'TimeoutError';
      const code: ProviderErrorCode = timeout ? 'TIMEOUT' : 'NETWORK';
      return new ProviderError({
        provider: this.provider,
        code,
        operation,
        message: scrub(
          timeout
            ? `${this.provider} ${operation} did not answer within ${this.options.timeoutMs} ms`
            : `${this.provider} ${operation} failed: connection error (${error.code ?? error.message})`,
        ),
        cause: sanitizedCause(error),
      });
    }
    const message = error instanceof Error ? error.message : String(error);
    return new ProviderError({
      provider: this.provider,
      code: 'INVALID_RESPONSE',
      operation,
      message: scrub(`${this.provider} ${operation} failed: ${message}`),
      retryable: false,
      cause: error,
    });
  }
}

/** Per-request settings carried through got's `context` to the hooks. */
type RequestContext = {
  rateGroup: string;
  anonymous: boolean;
  /** `METHOD /path`, for errors raised inside hooks. */
  operation: string;
};

function contextOf(context: Record<string, unknown>): RequestContext {
  return {
    rateGroup: String(context.rateGroup ?? 'default'),
    anonymous: context.anonymous === true,
    operation: String(context.operation ?? 'request'),
  };
}

/** `METHOD /path` without the query string, as errors name a call. */
function operationOf(method: Method, path: string): string {
  return `${method} ${path.split('?')[0]}`;
}

function failedResponse(response: Response<string>): FailedResponse {
  return { status: response.statusCode, headers: response.headers, body: parseBody(response) };
}

/** JSON when the body is JSON, text otherwise; providers mix both (RingCX 401s are text). */
function parseBody(response: Response<string>): ResponseBody {
  const text = response.body;
  if (typeof text !== 'string' || text === '') return text === '' ? null : text;
  const type = String(response.headers['content-type'] ?? '');
  if (type.includes('json') || /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      if (type.includes('json')) throw new Error(`response declared ${type} but its body is not JSON`);
    }
  }
  return text;
}

/** `Retry-After` in milliseconds, from seconds or an HTTP date. */
export function retryAfterMs(response: { headers: Headers } | undefined): number | undefined {
  const value = response?.headers['retry-after'];
  if (typeof value !== 'string' || value === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function cleanParams(params: URLSearchParams | Record<string, string | number | boolean | undefined>): URLSearchParams {
  if (params instanceof URLSearchParams) return params;
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) out.append(key, String(value));
  return out;
}

/**
 * got errors carry the request options, headers included, so the original is
 * never kept: the cause keeps only what helps debugging.
 */
function sanitizedCause(error: RequestError): Error {
  const cause = new Error(error.message);
  cause.name = error.name;
  Object.assign(cause, { code: error.code });
  return cause;
}
