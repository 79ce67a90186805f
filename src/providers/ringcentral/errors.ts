import type { FailedResponse, MappedError } from '../core/http.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** OAuth errors that mean our own credentials are wrong or spent, not that the caller sent bad input. */
const CREDENTIAL_ERRORS = new Set(['invalid_client', 'invalid_grant', 'unauthorized_client']);

/**
 * RingCentral's one error mapping. Bodies come in three shapes and we read
 * them in this order:
 *
 * 1. `errors[0].errorCode` / `.message` (the spec's `ApiErrorResponseModel`),
 * 2. the top-level `errorCode` / `message` real responses also carry,
 * 3. OAuth's `error` / `error_description` (the token endpoint).
 *
 * A proxy in front of the platform may answer with text or nothing; that
 * text becomes the message. `parameterName` is appended when the message does
 * not already name it, because it says which field to fix.
 */
export function mapError(response: FailedResponse): MappedError {
  const { status, body } = response;
  if (typeof body === 'string') return { message: body.trim().slice(0, 300) || `HTTP ${status}` };
  if (!isObject(body)) return { message: `HTTP ${status} with no error body` };

  const first = Array.isArray(body.errors) ? body.errors.find(isObject) : undefined;
  const providerCode = text(first?.errorCode) ?? text(body.errorCode) ?? text(body.error);
  let message = text(first?.message) ?? text(body.message) ?? text(body.error_description) ?? text(body.error) ?? `HTTP ${status}`;
  const parameter = text(first?.parameterName) ?? text(body.parameterName);
  if (parameter && !message.includes(parameter)) message = `${message} (parameter ${parameter})`;

  const mapped: MappedError = { message };
  if (providerCode) mapped.providerCode = providerCode;
  const oauthError = text(body.error);
  if (oauthError && CREDENTIAL_ERRORS.has(oauthError)) mapped.code = 'UNAUTHENTICATED';
  return mapped;
}

/**
 * Whether a 401 means "this access token is no longer good" (expired, or
 * revoked/unknown: `TokenInvalid`), so that renewing it and replaying the call
 * once can succeed. Other 401s (a malformed Authorization header) cannot be
 * fixed by a new token.
 */
export function isExpiredToken(response: FailedResponse): boolean {
  if (response.status !== 401 || !isObject(response.body)) return false;
  const { body } = response;
  if (body.errorCode === 'TokenInvalid') return true;
  const codes = Array.isArray(body.errors) ? body.errors.filter(isObject).map((e) => e.errorCode) : [];
  return codes.includes('OAU-128') || body.errorCode === 'OAU-128';
}
