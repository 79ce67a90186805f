/** The four providers Switchboard federates. */
export type ProviderName = 'ringcx' | 'ringcentral' | 'zendesk' | 'ringyo';

/**
 * Stable, provider-independent reasons a provider call failed. The GraphQL
 * error formatter maps these to `extensions.code`; tests and callers branch on
 * them, never on messages.
 */
export type ProviderErrorCode =
  /** 401: credentials missing, wrong or expired beyond recovery. */
  | 'UNAUTHENTICATED'
  /** 403: the credentials lack a permission or role. */
  | 'FORBIDDEN'
  /** 404: the resource does not exist at the provider. */
  | 'NOT_FOUND'
  /** 409: the change conflicts with the provider's state (e.g. DNIS assigned elsewhere). */
  | 'CONFLICT'
  /** 400/415/422: the provider rejected what we sent. */
  | 'BAD_REQUEST'
  /** 429: over the provider's rate limit (after our retries, if any). */
  | 'RATE_LIMITED'
  /** 5xx: the provider failed. */
  | 'UNAVAILABLE'
  /** No answer within our timeout. */
  | 'TIMEOUT'
  /** The connection failed or was reset. */
  | 'NETWORK'
  /**
   * The provider answered 2xx with a body we cannot use, or pointed us (a
   * redirect, a next-page link) off the configured origin.
   */
  | 'INVALID_RESPONSE';

export interface ProviderErrorOptions {
  provider: ProviderName;
  code: ProviderErrorCode;
  message: string;
  /** HTTP status, when the provider answered. */
  status?: number;
  /** The provider's own error code (`CMN-102`, `RecordNotFound`, `access.denied.exception`…). */
  providerCode?: string;
  /** Whether sending the same request later may succeed. */
  retryable?: boolean;
  /** How long the provider asked us to wait, when it said. */
  retryAfterMs?: number;
  /** `METHOD /path` of the failed call, without query string. */
  operation?: string;
  cause?: unknown;
}

/**
 * Thrown by every provider client for every failed call. Messages are built
 * from the method, the path without its query string, and the provider's own
 * message, and are scrubbed of the client's credentials, so an instance can be
 * logged or shown to a user as is.
 */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly provider: ProviderName;
  readonly code: ProviderErrorCode;
  readonly status: number | undefined;
  readonly providerCode: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly operation: string | undefined;

  constructor(options: ProviderErrorOptions) {
    super(options.message);
    this.provider = options.provider;
    this.code = options.code;
    this.status = options.status;
    this.providerCode = options.providerCode;
    this.retryable = options.retryable ?? defaultRetryable(options.code);
    this.retryAfterMs = options.retryAfterMs;
    this.operation = options.operation;
    // Non-enumerable, like got's own heavy fields: the cause is for debugging
    // and must not be serialised into logs or GraphQL responses.
    Object.defineProperty(this, 'cause', { value: options.cause, enumerable: false, writable: true });
  }
}

/** The stable code for an HTTP status. */
export function codeForStatus(status: number): ProviderErrorCode {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'UNAVAILABLE';
  return 'BAD_REQUEST';
}

function defaultRetryable(code: ProviderErrorCode): boolean {
  return code === 'RATE_LIMITED' || code === 'UNAVAILABLE' || code === 'TIMEOUT' || code === 'NETWORK';
}

/** Replaces every occurrence of each secret with `[redacted]`. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out;
}

/**
 * Whether a failure means the provider could not be asked right now (rate
 * limited, down, slow, unreachable) rather than that it refused what was
 * asked. The first kind says nothing about the provider's state; the second
 * is an answer.
 */
export function unavailability(code: ProviderErrorCode): 'RATE_LIMITED' | 'UNAVAILABLE' | null {
  return UNAVAILABLE[code as UnavailableCode] ?? null;
}

/** The codes that mean the provider could not be asked; every other code is its answer. */
export type UnavailableCode = 'RATE_LIMITED' | 'UNAVAILABLE' | 'TIMEOUT' | 'NETWORK' | 'INVALID_RESPONSE';
const UNAVAILABLE: Record<UnavailableCode, 'RATE_LIMITED' | 'UNAVAILABLE'> = {
  RATE_LIMITED: 'RATE_LIMITED',
  UNAVAILABLE: 'UNAVAILABLE',
  TIMEOUT: 'UNAVAILABLE',
  NETWORK: 'UNAVAILABLE',
  INVALID_RESPONSE: 'UNAVAILABLE',
};
