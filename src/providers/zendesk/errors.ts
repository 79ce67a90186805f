import type { FailedResponse, MappedError } from '../core/http.js';

/** Longest provider text we quote in an error message. */
const MAX_TEXT = 300;

/**
 * The one Zendesk error mapping. Zendesk answers in several shapes:
 *
 * - `{"error": "RecordInvalid", "description": "…", "details": {"<field>": [{"description", "error"}]}}`
 *   (validation, not found, bad parameters): the code becomes `providerCode`,
 *   and each field's descriptions are appended so the message names the field;
 * - `{"error": "Couldn't authenticate you"}` (401): the `error` is a sentence, not a code;
 * - `{"error": {"title": "Forbidden", "message": "…"}}` (some 403s);
 * - plain text (the 429 throttle, proxies): quoted as is.
 *
 * Status alone decides the ProviderError code (401, 403, 404, 422→BAD_REQUEST, 429, 5xx).
 */
export function mapZendeskError({ status, body }: FailedResponse): MappedError {
  if (typeof body === 'string') return { message: clip(body.trim()) || `HTTP ${status}` };
  if (!isObject(body)) return { message: `HTTP ${status}` };

  const { error, description, details } = body;
  let message = `HTTP ${status}`;
  let providerCode: string | undefined;
  if (isObject(error)) {
    if (typeof error.title === 'string') providerCode = error.title;
    if (typeof error.message === 'string') message = error.message;
    else if (providerCode) message = providerCode;
  } else if (typeof error === 'string') {
    // Codes are CamelCase identifiers (RecordNotFound); sentences are messages.
    if (/^[A-Z][A-Za-z]*$/.test(error)) providerCode = error;
    message = typeof description === 'string' ? description : error;
  } else if (typeof description === 'string') {
    message = description;
  }
  const fields = fieldMessages(details, message);
  if (fields.length > 0) message = `${message} (${fields.join('; ')})`;
  return { message: clip(message), ...(providerCode !== undefined && { providerCode }) };
}

/**
 * `details` as `field: description` entries in Zendesk's order, so the
 * message names every bad field; a description that only repeats the
 * top-level one is reduced to the field name.
 */
function fieldMessages(details: unknown, summary: string): string[] {
  if (!isObject(details)) return [];
  const out: string[] = [];
  for (const [field, problems] of Object.entries(details)) {
    const list = Array.isArray(problems) ? problems : [problems];
    for (const problem of list) {
      const text = isObject(problem) ? problem.description ?? problem.error : problem;
      if (typeof text !== 'string' || text === '') continue;
      out.push(text === summary ? field : `${field}: ${text}`);
    }
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}
