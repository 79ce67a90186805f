import type { IncomingHttpHeaders } from 'node:http';
import type { Random } from '../core/random.js';
import { RcxError } from './errors.js';
import type { AccountRec, MainAccountRec } from './model.js';

/** Verifies a RingCentral access token; supplied by the RingCentral sandbox. */
export type RingCentralTokenVerifier = (token: string) => { ownerId: string; accountId: string } | null;

/** Who a request acts as; rate limits are counted per principal. */
export interface Principal {
  /** Rate-limit key: the admin behind the tokens, or the API token. */
  key: string;
  kind: 'bearer' | 'apiToken';
}

interface AdminIdentity {
  adminId: number;
  ownerId: string;
  rcAccountId: string;
}

interface AccessTokenRec {
  admin: AdminIdentity;
  expiresAt: number;
}

/** What the exchange and refresh endpoints answer with. */
export type AuthOutcome =
  | { kind: 'ok'; body: Record<string, unknown> }
  | { kind: 'error'; error: RcxError };

/** What authenticating an API request gives: a principal, or how to refuse it. */
export type AuthCheck =
  | { kind: 'ok'; principal: Principal }
  | { kind: 'expired' }
  | { kind: 'error'; error: RcxError };

/**
 * RingCX's token service. A RingCentral access token (checked with the
 * RingCentral sandbox) is exchanged for a RingCX access token that lives
 * `ttlSeconds` (5 minutes by default, as documented) and, on request, a refresh
 * token. Refreshing rotates: the old refresh token stops working. A permanent
 * API token is accepted as `X-Auth-Token`.
 *
 * Issued tokens survive `reset()` on purpose: they are credentials held by
 * clients, not seed data, and a reset between tests must not turn a client's
 * valid token into an "invalid token" it cannot recover from.
 */
export class RingCxAuthority {
  readonly apiToken: string;
  private readonly accessTokens = new Map<string, AccessTokenRec>();
  private readonly refreshTokens = new Map<string, AdminIdentity>();
  private readonly admins = new Map<string, AdminIdentity>();
  private issued = 0;

  constructor(
    private readonly options: {
      verify: RingCentralTokenVerifier;
      ttlSeconds: number;
      random: Random;
      mainAccount: () => MainAccountRec;
      accounts: () => AccountRec[];
    },
  ) {
    this.apiToken = `rcx-api-${randomChars(options.random.fork('api-token'), 32)}`;
  }

  /** `POST /api/auth/login/rc/accesstoken`. */
  exchange(params: Record<string, unknown>, now: number): AuthOutcome {
    const rcAccessToken = params.rcAccessToken;
    if (typeof rcAccessToken !== 'string' || rcAccessToken === '') {
      return invalid('rcAccessToken', 'must not be blank');
    }
    const tokenType = params.rcTokenType;
    if (tokenType !== undefined && (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer')) {
      return invalid('rcTokenType', 'must be "Bearer"', String(tokenType));
    }
    const verified = this.options.verify(rcAccessToken);
    if (!verified) {
      return {
        kind: 'error',
        error: new RcxError(401, 'invalid.rc.token.exception', 'RingCentral access token is invalid or expired', 'The RingCentral token could not be verified'),
      };
    }
    const admin = this.adminFor(verified.ownerId, verified.accountId);
    const includeRefresh = String(params.includeRefresh ?? '').toLowerCase() === 'true';
    return { kind: 'ok', body: this.issue(admin, includeRefresh, now) };
  }

  /** `POST /api/auth/token/refresh`: single-use refresh tokens (rotation). */
  refresh(params: Record<string, unknown>, now: number): AuthOutcome {
    const token = params.refresh_token;
    if (typeof token !== 'string' || token === '') return invalid('refresh_token', 'must not be blank');
    const admin = this.refreshTokens.get(token);
    if (!admin) {
      return {
        kind: 'error',
        error: new RcxError(401, 'invalid.refresh.token.exception', 'Refresh token is invalid', 'The refresh token is unknown or has already been used'),
      };
    }
    this.refreshTokens.delete(token);
    return { kind: 'ok', body: this.issue(admin, true, now) };
  }

  /** Checks `X-Auth-Token` or `Authorization: Bearer`. */
  authenticate(headers: IncomingHttpHeaders, now: number): AuthCheck {
    const apiToken = headers['x-auth-token'];
    if (typeof apiToken === 'string' && apiToken !== '') {
      if (apiToken === this.apiToken) return { kind: 'ok', principal: { key: 'apiToken', kind: 'apiToken' } };
      return { kind: 'error', error: new RcxError(401, 'invalid.token.exception', 'Invalid API token', 'The X-Auth-Token is not valid') };
    }
    const authorization = headers.authorization;
    const match = typeof authorization === 'string' ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
    if (!match) {
      return { kind: 'error', error: new RcxError(401, 'unauthorized.exception', 'Full authentication is required to access this resource') };
    }
    const record = this.accessTokens.get(match[1]!);
    if (!record) return { kind: 'error', error: new RcxError(401, 'invalid.token.exception', 'Invalid access token', 'The bearer token was not issued by RingCX') };
    if (now >= record.expiresAt) return { kind: 'expired' };
    return { kind: 'ok', principal: { key: `admin:${record.admin.adminId}`, kind: 'bearer' } };
  }

  /** Expires every access token now (control route); refresh tokens stay usable. */
  expireAll(now: number): number {
    let count = 0;
    for (const record of this.accessTokens.values()) {
      if (record.expiresAt > now) {
        record.expiresAt = now;
        count += 1;
      }
    }
    return count;
  }

  private adminFor(ownerId: string, rcAccountId: string): AdminIdentity {
    let admin = this.admins.get(ownerId);
    if (!admin) {
      admin = { adminId: 1101 + this.admins.size, ownerId, rcAccountId };
      this.admins.set(ownerId, admin);
    }
    return admin;
  }

  /** An `AccessTokenUserDetails` body with a fresh JWT-shaped access token. */
  private issue(admin: AdminIdentity, includeRefresh: boolean, now: number): Record<string, unknown> {
    this.issued += 1;
    const random = this.options.random.fork(`token-${this.issued}`);
    const main = this.options.mainAccount();
    const exp = Math.floor(now / 1000) + this.options.ttlSeconds;
    const accessToken = jwt({
      iss: 'ringcx-sandbox',
      sub: String(admin.adminId),
      mainAccountId: main.mainAccountId,
      rcAccountId: admin.rcAccountId,
      rcUserId: admin.ownerId,
      iat: Math.floor(now / 1000),
      exp,
      jti: randomChars(random, 16),
    }, randomChars(random, 43));
    this.accessTokens.set(accessToken, { admin, expiresAt: exp * 1000 });
    let refreshToken: string | undefined;
    if (includeRefresh) {
      refreshToken = `rcx-rt-${randomChars(random, 40)}`;
      this.refreshTokens.set(refreshToken, admin);
    }
    const rcUserId = /^\d+$/.test(admin.ownerId) ? Number(admin.ownerId) : undefined;
    return {
      accessToken,
      ...(refreshToken && { refreshToken }),
      tokenType: 'Bearer',
      mainAccountId: main.mainAccountId,
      agentDetails: this.options.accounts().map((account, i) => ({
        agentId: 111_000 + admin.adminId * 10 + i,
        accountId: account.accountId,
        accountName: account.accountName,
        firstName: 'Jordan',
        lastName: 'Lee',
        email: 'jordan.lee@brightlinehealth.example',
        username: 'jordan.lee@brightlinehealth.example',
        agentType: 'AGENT',
        ...(rcUserId !== undefined && { rcUserId }),
        allowLoginControl: true,
        allowLoginUpdates: true,
      })),
      adminId: admin.adminId,
      adminUrl: '/voice/admin/',
      agentUrl: '/voice/agent/',
      platformId: 'c01',
      ssoLogin: true,
      rcUser: { firstName: 'Jordan', lastName: 'Lee', email: 'jordan.lee@brightlinehealth.example', company: main.mainAccountName, emailAsLoginName: true },
    };
  }
}

function invalid(field: string, message: string, value?: string): AuthOutcome {
  return {
    kind: 'error',
    error: new RcxError(400, 'validation.exception', 'The request failed validation', `${field}: ${message}`, [
      { attributeName: field, message, ...(value !== undefined && { value }) },
    ]),
  };
}

/** An unsigned-in-spirit JWT: real header and payload, a random signature segment. */
function jwt(payload: Record<string, unknown>, signature: string): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}.${signature}`;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function randomChars(random: Random, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += ALPHABET[random.int(0, ALPHABET.length - 1)];
  return out;
}
