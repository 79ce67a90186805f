import type { HttpClient } from '../core/http.js';
import { ProviderError } from '../core/errors.js';
import { TokenCache, type IssuedToken } from '../core/token-cache.js';
import { UnusableBody, parseTokenInfo } from './parse.js';

const TOKEN_PATH = '/restapi/oauth/token';
const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface RingCentralCredentials {
  clientId: string;
  clientSecret: string;
  /** The user's JWT credential (Developer Console → Credentials). */
  jwt: string;
}

export interface RingCentralAuthOptions {
  /** Renew this long before the access token expires (default 60 s). */
  renewBeforeMs?: number;
}

/**
 * RingCentral OAuth for a confidential app with a JWT credential.
 *
 * RingCentral's rules (errors guide): authenticate once and share the token,
 * refresh proactively from `expires_in` rather than on a 401, and keep the
 * token endpoint quiet (the Auth group allows 5 requests a minute). So one
 * {@link TokenCache} holds the token: the first JWT grant logs in, later
 * renewals use the refresh grant (refresh tokens are single-use and rotate),
 * and concurrent callers share one in-flight renewal.
 *
 * A 401 `TokenInvalid` can still happen (the platform expired the token
 * early). Several requests sent with that token fail together; only the first
 * may drop it, or each failure would throw away the token the previous one
 * just obtained and spend another Auth request. {@link invalidate} therefore
 * takes the token the failed request carried and ignores stale reports.
 */
export class RingCentralAuth {
  private readonly cache: TokenCache;
  private readonly basic: string;
  /** The access token the cache holds now (set as soon as a grant succeeds). */
  private current: string | undefined;
  /** Tokens issued to us recently, so error messages can be scrubbed of them. */
  private readonly issued: string[] = [];

  constructor(
    private readonly http: HttpClient,
    private readonly credentials: RingCentralCredentials,
    options: RingCentralAuthOptions = {},
  ) {
    this.basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64');
    this.cache = new TokenCache({
      login: () => this.grant({ grant_type: JWT_GRANT, assertion: credentials.jwt }, true),
      // A refresh is not retried: the first attempt may have spent the
      // refresh token even if its answer was lost. The cache falls back to a
      // (retryable) JWT login instead.
      refresh: (refreshToken) => this.grant({ grant_type: 'refresh_token', refresh_token: refreshToken }, false),
      renewBeforeMs: options.renewBeforeMs ?? 60_000,
    });
  }

  /** A token valid for at least the renewal margin. */
  accessToken(): Promise<string> {
    return this.cache.accessToken();
  }

  /**
   * The platform refused `token`. Drops it if it is still the current one;
   * when `token` is unknown (no request context) drops whatever is current.
   */
  invalidate(token?: string): void {
    if (token === undefined || token === this.current) this.cache.invalidate();
  }

  /** Strings that must never appear in an error message. */
  secrets(): string[] {
    return [this.credentials.clientSecret, this.credentials.jwt, this.basic, ...this.issued];
  }

  private async grant(form: Record<string, string>, idempotent: boolean): Promise<IssuedToken> {
    const sentAt = Date.now();
    const { body } = await this.http.request<unknown>('POST', TOKEN_PATH, {
      form,
      headers: { authorization: `Basic ${this.basic}` },
      anonymous: true,
      rateGroup: 'Auth',
      idempotent,
    });
    let info;
    try {
      info = parseTokenInfo(body);
    } catch (error) {
      if (!(error instanceof UnusableBody)) throw error;
      throw new ProviderError({
        provider: 'ringcentral',
        code: 'INVALID_RESPONSE',
        operation: `POST ${TOKEN_PATH}`,
        message: `ringcentral POST ${TOKEN_PATH} answered with an unusable body: ${error.message}`,
        retryable: false,
      });
    }
    this.remember(info.access_token, info.refresh_token);
    this.current = info.access_token;
    // Lifetimes count from when we asked, so we never think a token lives longer than it does.
    const token: IssuedToken = { accessToken: info.access_token, expiresAt: sentAt + info.expires_in * 1000 };
    if (info.refresh_token) token.refreshToken = info.refresh_token;
    if (info.refresh_token_expires_in !== undefined) token.refreshExpiresAt = sentAt + info.refresh_token_expires_in * 1000;
    return token;
  }

  private remember(...tokens: (string | undefined)[]): void {
    for (const token of tokens) if (token) this.issued.push(token);
    // The last two pairs cover a token in use while its successor arrives.
    this.issued.splice(0, Math.max(0, this.issued.length - 4));
  }
}
