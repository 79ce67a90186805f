import type { Headers } from 'got';
import { ProviderError } from '../core/errors.js';
import type { HttpClient } from '../core/http.js';
import { TokenCache, type IssuedToken } from '../core/token-cache.js';
import { jwtExpiry, parseAccessToken } from './parse.js';

/** How the client proves who it is to RingCX. */
export type RingCxAuthOptions =
  /** A permanent API token, sent as `X-Auth-Token`. */
  | { kind: 'apiToken'; token: string }
  /**
   * A RingCentral access token (from the RingCentral client), exchanged for a
   * short-lived RingCX token. Called for every exchange, so it should return
   * a currently valid token.
   */
  | { kind: 'ringcentral'; ringCentralAccessToken: () => Promise<string> };

/** What the HTTP client needs from an auth mode. */
export interface RingCxAuth {
  authorize(headers: Headers): Promise<void> | void;
  secrets(): readonly (string | undefined)[];
  /** Drops the access token the refused call sent, after RingCX said `Jwt is expired`. */
  onExpiredToken?(sentHeaders: Headers): void;
}

/** `X-Auth-Token: <permanent API token>`: nothing to renew. */
export class ApiTokenAuth implements RingCxAuth {
  constructor(private readonly token: string) {}

  authorize(headers: Headers): void {
    headers['x-auth-token'] = this.token;
  }

  secrets(): readonly string[] {
    return [this.token];
  }
}

/** Renew this long before the token's expiry (RingCX tokens live 5 minutes). */
const RENEW_BEFORE_MS = 30_000;
/** How many past tokens stay in the redaction list (one exchange plus a few rotations). */
const REMEMBERED_SECRETS = 12;

/**
 * The RingCentral → RingCX token exchange, with the refresh cycle RingCX
 * requires.
 *
 * RingCX access tokens last 5 minutes and are never refreshed for us, and
 * the exchange endpoint allows only 5 calls a minute, so the token is cached
 * and renewed by one caller on behalf of all ({@link TokenCache}'s single
 * flight). Renewal prefers `/api/auth/token/refresh`, which rotates: each
 * answer carries a new refresh token and the old one is dead, so we always
 * keep the newest. If the refresh fails (rotated elsewhere, revoked), the cache
 * falls back to a fresh exchange. The expiry comes from the JWT `exp` claim
 * when the token is a JWT, else from `tokenTtlMs`; the cache renews 30 s
 * early. A token that expires anyway (clock skew, server-side expiry) is
 * answered `401 Jwt is expired`; the HTTP client then drops it, renews once
 * and replays the call.
 */
export class RingCentralExchangeAuth implements RingCxAuth {
  readonly cache: TokenCache;
  private readonly remembered: string[] = [];
  /** The newest access token obtained. */
  private current: string | undefined;

  constructor(
    private readonly http: () => HttpClient,
    private readonly ringCentralAccessToken: () => Promise<string>,
    private readonly tokenTtlMs: number,
  ) {
    this.cache = new TokenCache({
      login: () => this.exchange(),
      refresh: (refreshToken) => this.refresh(refreshToken),
      renewBeforeMs: RENEW_BEFORE_MS,
    });
  }

  async authorize(headers: Headers): Promise<void> {
    headers.authorization = `Bearer ${await this.cache.accessToken()}`;
  }

  secrets(): readonly string[] {
    return this.remembered;
  }

  /**
   * Concurrent calls sent with the same token all come back `Jwt is expired`;
   * the first renews. A later one must not throw away the token renewed
   * after it was sent, so only the token a call actually used is dropped.
   */
  onExpiredToken(sentHeaders: Headers): void {
    const header = sentHeaders.authorization;
    const used = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
    if (used === undefined || used === this.current) this.cache.invalidate();
  }

  private async exchange(): Promise<IssuedToken> {
    let rcAccessToken: string;
    try {
      rcAccessToken = await this.ringCentralAccessToken();
    } catch (error) {
      // A RingCentral failure is reported as RingCentral's (it says why);
      // anything else means we could not even start the exchange.
      if (error instanceof ProviderError) throw error;
      throw new ProviderError({
        provider: 'ringcx',
        code: 'UNAUTHENTICATED',
        message: 'ringcx token exchange failed: no RingCentral access token available',
        retryable: false,
        cause: error,
      });
    }
    this.remember(rcAccessToken);
    const { body } = await this.http().request('POST', '/api/auth/login/rc/accesstoken', {
      form: { rcAccessToken, rcTokenType: 'Bearer', includeRefresh: 'true' },
      anonymous: true,
    });
    return this.issued(body, 'POST /api/auth/login/rc/accesstoken', undefined);
  }

  private async refresh(refreshToken: string): Promise<IssuedToken> {
    const { body } = await this.http().request('POST', '/api/auth/token/refresh', {
      form: { refresh_token: refreshToken },
      anonymous: true,
    });
    return this.issued(body, 'POST /api/auth/token/refresh', refreshToken);
  }

  private issued(body: unknown, operation: string, previousRefresh: string | undefined): IssuedToken {
    let details;
    try {
      details = parseAccessToken(body);
    } catch (error) {
      throw new ProviderError({
        provider: 'ringcx',
        code: 'INVALID_RESPONSE',
        operation,
        message: `ringcx ${operation} failed: ${(error as Error).message}`,
        retryable: false,
        cause: error,
      });
    }
    this.current = details.accessToken;
    this.remember(details.accessToken);
    if (details.refreshToken) this.remember(details.refreshToken);
    return {
      accessToken: details.accessToken,
      expiresAt: jwtExpiry(details.accessToken) ?? Date.now() + this.tokenTtlMs,
      // Rotation: the newest refresh token wins; keep the old one only if
      // the answer carried none.
      ...((details.refreshToken ?? previousRefresh) && { refreshToken: details.refreshToken ?? previousRefresh }),
    };
  }

  private remember(secret: string): void {
    this.remembered.push(secret);
    if (this.remembered.length > REMEMBERED_SECRETS) this.remembered.shift();
  }
}
