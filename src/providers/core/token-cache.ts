/** An access token and what we know of its lifetime. */
export interface IssuedToken {
  accessToken: string;
  /** Epoch ms after which the provider will refuse the token. */
  expiresAt: number;
  refreshToken?: string;
  /** Epoch ms after which the refresh token is useless; unknown means "try it". */
  refreshExpiresAt?: number;
}

export interface TokenCacheOptions {
  /** Obtains a new token from scratch (JWT grant, token exchange). */
  login: () => Promise<IssuedToken>;
  /** Renews with the refresh token; providers that rotate it return the new one. */
  refresh?: (refreshToken: string) => Promise<IssuedToken>;
  /**
   * Renew this long before expiry, so that a token never expires between the
   * moment we read it and the moment the provider checks it.
   */
  renewBeforeMs: number;
  now?: () => number;
}

/**
 * Caches one access token per client and renews it proactively.
 *
 * Providers throttle their token endpoints hard (RingCentral's Auth group and
 * RingCX's exchange allow 5 a minute), so concurrent callers must share one
 * renewal: the first caller to find the token stale starts it and everyone
 * else awaits the same promise. Refresh is preferred over a full login; if the
 * refresh fails (revoked, rotated elsewhere) we fall back to login once.
 */
export class TokenCache {
  private token: IssuedToken | undefined;
  private renewal: Promise<IssuedToken> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: TokenCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  /** A token valid for at least `renewBeforeMs`, renewing it if needed. */
  async accessToken(): Promise<string> {
    const current = this.token;
    if (current && current.expiresAt - this.options.renewBeforeMs > this.now()) return current.accessToken;
    return (await this.renew()).accessToken;
  }

  /**
   * Forgets the current token (the provider said it expired before we thought
   * it would). The refresh token is kept: it is still the best way back in.
   */
  invalidate(): void {
    if (this.token) this.token = { ...this.token, expiresAt: 0 };
  }

  /** The refresh token currently held, for tests and diagnostics. */
  get refreshToken(): string | undefined {
    return this.token?.refreshToken;
  }

  private renew(): Promise<IssuedToken> {
    this.renewal ??= this.obtain().finally(() => {
      this.renewal = undefined;
    });
    return this.renewal;
  }

  private async obtain(): Promise<IssuedToken> {
    const previous = this.token;
    const canRefresh =
      this.options.refresh &&
      previous?.refreshToken &&
      (previous.refreshExpiresAt === undefined || previous.refreshExpiresAt > this.now());
    let next: IssuedToken | undefined;
    if (canRefresh) {
      try {
        next = await this.options.refresh!(previous!.refreshToken!);
      } catch {
        next = undefined; // fall through to a full login
      }
    }
    next ??= await this.options.login();
    this.token = next;
    return next;
  }
}
