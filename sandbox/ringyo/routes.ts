import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isSupportedCountry } from 'libphonenumber-js/max';
import type { SandboxKit } from '../core/server.js';
import { isAuthorized, type RingyoCredentials } from './auth.js';
import type { RingyoNumberRecord, RingyoStatus } from './model.js';

/**
 * Which of Ringyo's two documented envelopes the sandbox speaks. The endpoint
 * pages (`endpoint`) show a cursor list `{data, has_more, next_cursor, total}`
 * and a bare object for one number; the introduction page (`intro`) shows
 * `{data, pagination: {total, limit, offset, has_more}}` paged by offset and
 * `{data, meta}` for one object. The docs contradict each other, so clients
 * must read both.
 */
export type RingyoEnvelopes = 'endpoint' | 'intro';

/** Rate-limit groups: one, `api`, per key. */
export const RATE_LIMIT_GROUPS = ['api'] as const;

export interface RingyoRouteOptions {
  numbers: () => readonly RingyoNumberRecord[];
  credentials: RingyoCredentials;
  rateLimitPerMinute: number;
  envelopes: RingyoEnvelopes;
  requestId: () => string;
}

/** A refusal in Ringyo's error envelope. */
export class RingyoApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const STATUSES: RingyoStatus[] = ['active', 'pending', 'inactive'];
const INCLUDES = ['stats', 'recent_calls'];
const DEFAULT_CODES: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  415: 'unsupported_media_type',
  422: 'validation_error',
  429: 'rate_limit_exceeded',
  500: 'internal_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

/** Writes `{error: {code, message, details}, meta: {request_id}}`. */
export function sendRingyoError(
  reply: FastifyReply,
  requestId: string,
  status: number,
  message: string,
  code?: string,
  details: Record<string, unknown> = {},
): FastifyReply {
  return reply.code(status).send({
    error: { code: code ?? DEFAULT_CODES[status] ?? 'error', message, details },
    meta: { request_id: requestId },
  });
}

/**
 * The read-only phone-number API. Every request is authenticated, then counted
 * against the key's per-minute limit; every authenticated response carries
 * `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset`.
 */
export function registerRingyoRoutes(app: FastifyInstance, kit: SandboxKit, options: RingyoRouteOptions): void {
  void app.register(async (scope) => {
    scope.addHook('onRequest', async (request, reply) => {
      if (!isAuthorized(request.headers.authorization, options.credentials)) {
        return sendRingyoError(reply, options.requestId(), 401, 'Invalid or missing API key');
      }
      const decision = kit.limiter.take('api', kit.faults.rateLimit('api', { limit: options.rateLimitPerMinute, windowSeconds: 60 }));
      reply
        .header('x-ratelimit-limit', String(decision.limit))
        .header('x-ratelimit-remaining', String(decision.remaining))
        .header('x-ratelimit-reset', String(decision.resetAtSeconds));
      if (!decision.allowed) {
        return sendRingyoError(reply, options.requestId(), 429, `Rate limit exceeded. Try again in ${decision.retryAfterSeconds} seconds.`);
      }
      return undefined;
    });

    scope.get('/v1/phone-numbers', guarded(options, (request) => listNumbers(options, query(request))));
    scope.get('/v1/phone-numbers/:phone_number_id', guarded(options, (request) => {
      const { phone_number_id: id } = request.params as { phone_number_id: string };
      const include = parseInclude(query(request).include);
      const record = options.numbers().find((n) => n.id === id);
      if (!record) throw new RingyoApiError(404, 'not_found', `Phone number ${id} not found`);
      const body = serialize(record, { detail: true, include });
      return options.envelopes === 'intro' ? { data: body, meta: { request_id: options.requestId() } } : body;
    }));
  });
}

function listNumbers(options: RingyoRouteOptions, q: Record<string, string>): Record<string, unknown> {
  const limit = q.limit === undefined ? 20 : intParam(q.limit, 'limit', 1, 100);
  if (q.status !== undefined && !STATUSES.includes(q.status as RingyoStatus)) {
    throw new RingyoApiError(400, 'invalid_parameter', `status must be one of ${STATUSES.join(', ')}`, { parameter: 'status', allowed: STATUSES });
  }
  let country: string | undefined;
  if (q.country !== undefined) {
    country = q.country.toUpperCase();
    if (!/^[A-Z]{2}$/.test(country) || !isSupportedCountry(country)) {
      throw new RingyoApiError(400, 'invalid_country', `Country code ${q.country} is not valid`, { parameter: 'country' });
    }
  }
  const matching = options
    .numbers()
    .filter((n) => (q.status === undefined || n.status === q.status) && (country === undefined || n.country === country));
  const item = (n: RingyoNumberRecord) => serialize(n, { detail: false, include: [] });

  if (options.envelopes === 'intro') {
    const offset = q.offset === undefined ? 0 : intParam(q.offset, 'offset', 0, 1_000_000);
    const page = matching.slice(offset, offset + limit);
    return { data: page.map(item), pagination: { total: matching.length, limit, offset, has_more: offset + page.length < matching.length } };
  }
  let start = 0;
  if (q.cursor !== undefined) {
    const after = decodeCursor(q.cursor);
    const index = matching.findIndex((n) => n.id === after);
    if (index === -1) throw new RingyoApiError(400, 'invalid_cursor', 'The pagination cursor is invalid', { parameter: 'cursor' });
    start = index + 1;
  }
  const page = matching.slice(start, start + limit);
  const hasMore = start + page.length < matching.length;
  const last = page[page.length - 1];
  return { data: page.map(item), has_more: hasMore, next_cursor: hasMore && last ? encodeCursor(last.id) : null, total: matching.length };
}

/**
 * A number as the docs show it: list items carry no `updated_at` and no
 * stats; the single-number view adds `updated_at` and whatever `include` asked for.
 */
function serialize(n: RingyoNumberRecord, view: { detail: boolean; include: string[] }): Record<string, unknown> {
  const body: Record<string, unknown> = {
    id: n.id,
    phone_number: n.phone_number,
    friendly_name: n.friendly_name,
    country: n.country,
    region: n.region,
    capabilities: n.capabilities,
    status: n.status,
    default_agent_id: n.default_agent_id,
  };
  if (view.include.includes('stats')) body.stats = n.stats;
  if (view.include.includes('recent_calls')) body.recent_calls = n.recent_calls;
  body.created_at = n.created_at;
  if (view.detail) body.updated_at = n.updated_at;
  return body;
}

function parseInclude(raw: string | undefined): string[] {
  if (raw === undefined || raw === '') return [];
  const parts = raw.split(',').map((part) => part.trim()).filter(Boolean);
  const unknown = parts.filter((part) => !INCLUDES.includes(part));
  if (unknown.length > 0) {
    throw new RingyoApiError(400, 'invalid_parameter', `include accepts ${INCLUDES.join(', ')}; got ${unknown.join(', ')}`, {
      parameter: 'include',
      allowed: INCLUDES,
    });
  }
  return parts;
}

function query(request: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
    if (Array.isArray(value)) throw new RingyoApiError(400, 'invalid_parameter', `${key} must be given once`, { parameter: key });
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

function intParam(raw: string, name: string, min: number, max: number): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new RingyoApiError(400, 'invalid_parameter', `${name} must be an integer between ${min} and ${max}`, { parameter: name });
  }
  return value;
}

function encodeCursor(id: string): string {
  return Buffer.from(JSON.stringify({ after: id })).toString('base64url');
}

function decodeCursor(cursor: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string') return parsed.after;
  } catch {
    // Falls through to the refusal below.
  }
  throw new RingyoApiError(400, 'invalid_cursor', 'The pagination cursor is invalid', { parameter: 'cursor' });
}

type Handler = (request: FastifyRequest, reply: FastifyReply) => unknown;

function guarded(options: RingyoRouteOptions, handler: Handler): Handler {
  return async (request, reply) => {
    try {
      return await handler(request, reply);
    } catch (error) {
      if (error instanceof RingyoApiError) {
        return sendRingyoError(reply, options.requestId(), error.status, error.message, error.code, error.details);
      }
      throw error;
    }
  };
}
