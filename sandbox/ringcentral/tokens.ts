import type { Random } from '../core/random.js';
import type { RcApiError } from './errors.js';

/** What an access token grants: RingCX's sandbox asks for exactly this. */
export interface TokenOwner {
  ownerId: string;
  accountId: string;
}

interface AccessEntry extends TokenOwner {
  clientId: string;
  sessionId: string;
  expiresAt: number;
}

interface RefreshEntry extends TokenOwner {
  clientId: string;
  sessionId: string;
  expiresAt: number;
  scope: string;
  endpointId: string;
}

/** The `TokenInfo` body of `POST /restapi/oauth/token`. */
export interface TokenInfo {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  refresh_token: string;
  refresh_token_expires_in: number;
  scope: string;
  owner_id: string;
  endpoint_id: string;
  session_id: string;
}

export interface IssueOptions extends TokenOwner {
  clientId: string;
  scope: string;
  endpointId?: string;
  /** Requested lifetimes; the server's own TTL caps the access token's. */
  accessTtlSeconds?: number;
  refreshTtlSeconds?: number;
}

export type TokenCheck =
  | { ok: true; owner: TokenOwner & { clientId: string } }
  | { ok: false; error: RcApiError; topCode: string };

export type RefreshResult = { ok: true; token: TokenInfo } | { ok: false; error: RcApiError };

/** Marks our tokens so that a foreign string is "unparsable", as RingCentral tells them apart. */
const ACCESS_MARK = 'SBX01PAS01|A|';
const REFRESH_MARK = 'SBX01PAS01|R|';

/**
 * Every token this sandbox has issued. Access tokens expire after the
 * configured TTL (or when a test calls `expireAll`); refresh tokens are
 * single-use: a refresh consumes the old one and returns a new pair in the
 * same session. Older access tokens stay valid until they expire, which is
 * what lets in-flight requests finish while another caller refreshes.
 *
 * Tokens outlive `reset()`: resetting the account's data must not log every
 * client (and RingCX's sessions built on these tokens) out.
 */
export class TokenStore {
  private readonly access = new Map<string, AccessEntry>();
  private readonly refreshTokens = new Map<string, RefreshEntry>();
  private readonly revokedSessions = new Set<string>();

  constructor(
    private readonly random: Random,
    private readonly accessTtlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Issues a new session (JWT grant). */
  issue(options: IssueOptions): TokenInfo {
    return this.mint({ ...options, sessionId: this.text(24) });
  }

  /** Exchanges a refresh token for a new pair; the old refresh token is spent either way. */
  refresh(clientId: string, refreshToken: string, accessTtlSeconds?: number, refreshTtlSeconds?: number): RefreshResult {
    const entry = this.refreshTokens.get(refreshToken);
    if (!entry || entry.clientId !== clientId || this.revokedSessions.has(entry.sessionId)) {
      return { ok: false, error: { errorCode: 'OAU-211', message: 'Token is revoked' } };
    }
    this.refreshTokens.delete(refreshToken);
    if (entry.expiresAt <= this.now()) return { ok: false, error: { errorCode: 'OAU-211', message: 'Token is expired' } };
    return {
      ok: true,
      token: this.mint({
        clientId,
        ownerId: entry.ownerId,
        accountId: entry.accountId,
        scope: entry.scope,
        endpointId: entry.endpointId,
        sessionId: entry.sessionId,
        accessTtlSeconds,
        refreshTtlSeconds,
      }),
    };
  }

  /** Checks a bearer token the way RingCentral's gateway answers for it. */
  check(token: string): TokenCheck {
    const entry = this.access.get(token);
    if (!entry) {
      return isOurShape(token, ACCESS_MARK)
        ? { ok: false, topCode: 'TokenInvalid', error: { errorCode: 'OAU-213', message: 'Token not found' } }
        : { ok: false, topCode: 'TokenInvalid', error: { errorCode: 'OAU-149', message: 'Unparsable access token' } };
    }
    if (this.revokedSessions.has(entry.sessionId)) {
      return { ok: false, topCode: 'TokenInvalid', error: { errorCode: 'OAU-213', message: 'Token not found' } };
    }
    if (entry.expiresAt <= this.now()) {
      return { ok: false, topCode: 'TokenInvalid', error: { errorCode: 'OAU-128', message: 'Access token expired' } };
    }
    return { ok: true, owner: { ownerId: entry.ownerId, accountId: entry.accountId, clientId: entry.clientId } };
  }

  /** The owner of a live access token, or null. */
  verify(token: string): TokenOwner | null {
    const result = this.check(token);
    return result.ok ? { ownerId: result.owner.ownerId, accountId: result.owner.accountId } : null;
  }

  /** Ends the session `token` (access or refresh) belongs to; unknown tokens are ignored, as RFC 7009 asks. */
  revoke(token: string): void {
    const sessionId = this.access.get(token)?.sessionId ?? this.refreshTokens.get(token)?.sessionId;
    if (sessionId) this.revokedSessions.add(sessionId);
  }

  /** Makes every access token issued so far expired (refresh tokens stay usable). Returns how many. */
  expireAll(): number {
    const now = this.now();
    let count = 0;
    for (const entry of this.access.values()) {
      if (entry.expiresAt > now) {
        entry.expiresAt = now;
        count += 1;
      }
    }
    return count;
  }

  private mint(options: IssueOptions & { sessionId: string }): TokenInfo {
    const now = this.now();
    const accessTtl = Math.min(this.accessTtlSeconds, options.accessTtlSeconds ?? this.accessTtlSeconds);
    const refreshTtl = options.refreshTtlSeconds ?? 604_800;
    const endpointId = options.endpointId ?? this.text(22);
    const accessToken = this.token(ACCESS_MARK);
    const refreshToken = this.token(REFRESH_MARK);
    const owner = { ownerId: options.ownerId, accountId: options.accountId, clientId: options.clientId, sessionId: options.sessionId };
    this.access.set(accessToken, { ...owner, expiresAt: now + accessTtl * 1000 });
    this.refreshTokens.set(refreshToken, { ...owner, expiresAt: now + refreshTtl * 1000, scope: options.scope, endpointId });
    return {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: accessTtl,
      refresh_token: refreshToken,
      refresh_token_expires_in: refreshTtl,
      scope: options.scope,
      owner_id: options.ownerId,
      endpoint_id: endpointId,
      session_id: options.sessionId,
    };
  }

  private token(mark: string): string {
    const bytes = Buffer.from(Array.from({ length: 36 }, () => this.random.int(0, 255)));
    return Buffer.concat([Buffer.from(mark), bytes]).toString('base64url');
  }

  private text(length: number): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    return Array.from({ length }, () => alphabet[this.random.int(0, alphabet.length - 1)]).join('');
  }
}

function isOurShape(token: string, mark: string): boolean {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return false;
  return Buffer.from(token, 'base64url').subarray(0, mark.length).toString('latin1') === mark;
}
