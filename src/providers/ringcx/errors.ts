import type { FailedResponse, MappedError } from '../core/http.js';

/**
 * RingCX's one error mapping. Error bodies come in two forms: JSON
 * `{ errorCode?, generalMessage?, details?, requestUri?, timestamp?,
 * validationErrors? }` (doc examples plus the spec's `Errors`), or plain text
 * (`Jwt is expired`). The status decides the {@link ProviderErrorCode}; the
 * provider's `errorCode` is kept as `providerCode` (e.g. a 409's
 * `dnis.already.assigned.exception`).
 */
export function mapRingCxError({ status, body }: FailedResponse): MappedError {
  if (typeof body === 'string') {
    const text = body.trim();
    return { message: text === '' ? `HTTP ${status}` : truncate(text) };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { message: `HTTP ${status}` };
  const error = body as Record<string, unknown>;
  const errorCode = typeof error.errorCode === 'string' && error.errorCode !== '' ? error.errorCode : undefined;
  const general = firstText(error.generalMessage, error.message, error.error);
  const details = firstText(error.details, error.developerMessage);
  const validation = Array.isArray(error.validationErrors)
    ? error.validationErrors
        .map((v) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {}))
        .map((v) => [v.attributeName, v.message].filter((part) => typeof part === 'string' && part !== '').join(' '))
        .filter((text) => text !== '')
    : [];
  let message = general ?? errorCode ?? `HTTP ${status}`;
  // Field errors say it all; `details` then only repeats one of them.
  if (validation.length > 0) message += ` (${validation.join('; ')})`;
  else if (details && details !== message) message += `: ${details}`;
  return { message: truncate(message), ...(errorCode && { providerCode: errorCode }) };
}

/**
 * Whether a 401 means our RingCX access token expired (renew and replay)
 * rather than bad credentials (give up). RingCX answers the text
 * `Jwt is expired`; a JSON body whose code says "expired" counts too.
 */
export function isRingCxExpiredToken({ status, body }: FailedResponse): boolean {
  if (status !== 401) return false;
  if (typeof body === 'string') return /jwt\s+is\s+expired/i.test(body);
  if (typeof body !== 'object' || body === null) return false;
  const { errorCode, generalMessage } = body as Record<string, unknown>;
  return (typeof errorCode === 'string' && /expired/i.test(errorCode)) || (typeof generalMessage === 'string' && /jwt\s+is\s+expired/i.test(generalMessage));
}

function firstText(...values: unknown[]): string | undefined {
  for (const value of values) if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return undefined;
}

function truncate(text: string): string {
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}
