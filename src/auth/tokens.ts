import { createPublicKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { AuthSettings } from '../config.js';

/** Who a verified token says is calling, and what it may do. */
export interface Principal {
  /** The token's `sub`. */
  subject: string;
  /** `email`, else `name`, when the token carries one: for people reading the history. */
  label: string | null;
  scopes: ReadonlySet<string>;
}

/** Why a request is not authenticated; the message is safe to show the caller. */
export class AuthenticationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

/**
 * The key set could not be fetched (the identity provider is down or
 * unreachable): no token can be judged, which is the server's problem, not
 * the caller's, so it is not reported as a bad token.
 */
export class KeySetUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`The key set at AUTH_JWKS_URL could not be fetched: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'KeySetUnavailableError';
  }
}

/** The asymmetric algorithms accepted: never `none`, never an HMAC a public key could be misused as. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** Longest token looked at; a header this long is not a token. */
const MAX_TOKEN_LENGTH = 16_384;

/**
 * Verifies bearer tokens with `jose`: the signature against the configured
 * key set (fetched once, cached, re-fetched when a token names a key it does
 * not know, so key rotation is honoured) or public key, plus issuer,
 * audience, expiry and not-before with the configured clock tolerance.
 */
export class TokenVerifier {
  private readonly key: JWTVerifyGetKey | KeyObject;

  constructor(private readonly settings: AuthSettings) {
    if (settings.jwksUrl) this.key = createRemoteJWKSet(new URL(settings.jwksUrl), { cooldownDuration: 30_000, timeoutDuration: 5_000 });
    else if (settings.publicKeyPem) this.key = createPublicKey(settings.publicKeyPem);
    else throw new Error('TokenVerifier needs AUTH_JWKS_URL or AUTH_JWT_PUBLIC_KEY');
  }

  /** The principal of an `Authorization` header's bearer token, or why there is none. */
  async verify(authorization: string | undefined): Promise<Principal> {
    if (!authorization) throw new AuthenticationError('Authentication required: send Authorization: Bearer <token>');
    const match = /^Bearer +(\S+)$/i.exec(authorization.trim());
    if (!match || match[1]!.length > MAX_TOKEN_LENGTH) throw new AuthenticationError('The Authorization header must be "Bearer <token>"');
    let payload: JWTPayload;
    try {
      const options = { issuer: this.settings.issuer!, audience: this.settings.audience!, clockTolerance: this.settings.clockToleranceSeconds, algorithms: ALGORITHMS };
      // jose types the two key forms through separate overloads.
      payload = (typeof this.key === 'function' ? await jwtVerify(match[1]!, this.key, options) : await jwtVerify(match[1]!, this.key, options)).payload;
    } catch (error) {
      if (keySetUnavailable(error)) throw new KeySetUnavailableError(error);
      throw new AuthenticationError(reason(error));
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') throw new AuthenticationError('The token has no subject (sub)');
    const label = stringClaim(payload.email) ?? stringClaim(payload.name);
    return { subject: payload.sub, label, scopes: scopesOf(payload) };
  }
}

/** Scopes from `scope` (space-separated, OAuth 2) or `scp` (an array, or a string). */
function scopesOf(payload: JWTPayload): Set<string> {
  const raw = payload.scope ?? payload.scp;
  const list = typeof raw === 'string' ? raw.split(' ') : Array.isArray(raw) ? raw.filter((s): s is string => typeof s === 'string') : [];
  return new Set(list.filter(Boolean));
}

function stringClaim(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value.slice(0, 200) : null;
}

/** Whether verifying failed because the key set could not be had, not because of the token. */
function keySetUnavailable(error: unknown): boolean {
  if (!(error instanceof errors.JOSEError)) return true; // a network failure from fetch
  return error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || /JSON Web Key Set HTTP response/.test(error.message);
}

/** A short reason for the caller; never the token, never a stack. */
function reason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `The token's ${error.claim} claim is not accepted`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return "The token's signature does not verify";
  if (error instanceof errors.JWKSNoMatchingKey) return "The token's key is not in the key set";
  if (error instanceof errors.JOSEAlgNotAllowed) return "The token's algorithm is not accepted";
  if (error instanceof errors.JOSENotSupported) return 'The token could not be verified';
  return 'The token is not a valid JWT';
}
