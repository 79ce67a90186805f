import type { Headers } from 'got';
import type { FailedResponse, MappedError } from '../core/http.js';

const MAX_TEXT = 300;
/** Never stay quiet longer than one rate window on the strength of a clock we do not share. */
const MAX_QUIET_MS = 60_000;

/**
 * The one Ringyo error mapping: `{error: {code, message, details}, meta: {request_id}}`.
 * The code (`invalid_cursor`, `not_found`…) becomes `providerCode`; a
 * `details.parameter` is named in the message. Text bodies (proxies) are quoted.
 */
export function mapRingyoError({ status, body }: FailedResponse): MappedError {
  if (typeof body === 'string') return { message: clip(body.trim()) || `HTTP ${status}` };
  const root = isObject(body) ? body : {};
  const error = isObject(root.error) ? root.error : {};
  let message = typeof error.message === 'string' ? error.message : typeof root.error === 'string' ? root.error : `HTTP ${status}`;
  const details = isObject(error.details) ? error.details : {};
  if (typeof details.parameter === 'string' && !message.includes(details.parameter)) message += ` (parameter: ${details.parameter})`;
  return { message: clip(message), ...(typeof error.code === 'string' && { providerCode: error.code }) };
}

/**
 * How long to hold back after a response, from Ringyo's rate headers: when a
 * 429 arrives, or a response says no requests remain, wait until
 * `X-RateLimit-Reset` (epoch seconds). Ringyo sends no `Retry-After`.
 */
export function ringyoQuietMs(response: { status: number; headers: Headers }, now = Date.now()): number | undefined {
  const remaining = header(response.headers, 'x-ratelimit-remaining');
  if (response.status !== 429 && remaining !== '0') return undefined;
  const reset = Number(header(response.headers, 'x-ratelimit-reset'));
  if (!Number.isFinite(reset) || reset <= 0) return undefined;
  return Math.min(MAX_QUIET_MS, Math.max(0, reset * 1000 - now));
}

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}
