import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxKit } from '../core/server.js';
import { isAuthorized, type ZendeskCredentials } from './auth.js';
import { parseSearchQuery } from './available.js';
import { sendZendeskError, ZendeskApiError } from './errors.js';
import type { GroupRecord } from './model.js';
import { cursorEnvelope, offsetEnvelope, parseOffsetPaging, parsePaging, singleValues, type PageUrl } from './paging.js';
import { serializeMinimalNumber, serializeNumber, type ZendeskState } from './state.js';

export interface ZendeskRouteOptions {
  state: ZendeskState;
  credentials: ZendeskCredentials;
  /** Account-wide requests per minute (Growth/Professional plans: 400). */
  rateLimitPerMinute: number;
  /** Whether `GET /phone_numbers` honours cursor paging (unconfirmed for Talk). */
  cursorPagination: boolean;
  offsetRecordLimit: number;
  now: () => number;
}

const TALK = '/api/v2/channels/voice';
/** All Talk endpoints share 15,000 requests per 5 minutes, on top of the account limit. */
const TALK_LIMIT = { limit: 15_000, windowSeconds: 300 };
/** Rate-limit groups: `account` counts every request, `talk` the Talk endpoints too. */
export const RATE_LIMIT_GROUPS = ['account', 'talk'] as const;

type Handler = (request: FastifyRequest, reply: FastifyReply) => unknown;

/**
 * Registers the Talk phone-number endpoints, plus the Support groups and Talk
 * IVRs that numbers route to. Every request is authenticated and counted
 * against the account limit (headers `X-Rate-Limit`, `X-Rate-Limit-Remaining`)
 * before its handler runs; Talk paths also count against the Talk limit.
 */
export function registerZendeskRoutes(app: FastifyInstance, kit: SandboxKit, options: ZendeskRouteOptions): void {
  const { state } = options;

  void app.register(async (scope) => {
    scope.addHook('onRequest', async (request, reply) => {
      if (!isAuthorized(request.headers.authorization, options.credentials)) {
        return sendZendeskError(reply, 401, "Couldn't authenticate you");
      }
      const account = kit.limiter.take('account', kit.faults.rateLimit('account', { limit: options.rateLimitPerMinute, windowSeconds: 60 }));
      reply.header('x-rate-limit', String(account.limit)).header('x-rate-limit-remaining', String(account.remaining));
      if (!account.allowed) {
        reply.header('retry-after', String(account.retryAfterSeconds));
        return sendZendeskError(reply, 429, `Number of allowed API requests per minute exceeded. Retry after ${account.retryAfterSeconds} seconds.`);
      }
      if (request.url.startsWith(`${TALK}/`)) {
        const talk = kit.limiter.take('talk', kit.faults.rateLimit('talk', TALK_LIMIT));
        if (!talk.allowed) {
          reply.header('retry-after', String(talk.retryAfterSeconds));
          return sendZendeskError(reply, 429, `Talk API rate limit exceeded. Retry after ${talk.retryAfterSeconds} seconds.`);
        }
      }
      return undefined;
    });

    /** Registers `path` and `path.json`, which Zendesk serves alike. */
    const route = (method: 'GET' | 'POST', path: string, handler: Handler) => {
      for (const url of [path, `${path}.json`]) scope.route({ method, url, handler: guarded(handler) });
    };
    /** `/:id` routes: the id parser strips a `.json` suffix, so one template serves both. */
    const byId = (method: 'GET' | 'PUT' | 'DELETE', path: string, handler: Handler) => {
      scope.route({ method, url: path, handler: guarded(handler) });
    };

    route('GET', `${TALK}/phone_numbers`, (request) => {
      const query = singleValues(request.query);
      const serialize = query.minimal_mode === 'true' ? serializeMinimalNumber : serializeNumber;
      const paging = parsePaging(query, { cursor: options.cursorPagination, offsetRecordLimit: options.offsetRecordLimit });
      const url = pageUrl(request, query);
      return paging.kind === 'cursor'
        ? cursorEnvelope('phone_numbers', state.listNumbers(), paging, url, serialize)
        : offsetEnvelope('phone_numbers', state.listNumbers(), paging, url, serialize);
    });

    route('GET', `${TALK}/phone_numbers/search`, (request) => {
      const found = state.search(parseSearchQuery(singleValues(request.query)));
      return { phone_numbers: found, next_page: null, previous_page: null, count: found.length };
    });

    route('POST', `${TALK}/phone_numbers`, (request, reply) => {
      const record = state.provision(request.body, options.now());
      return reply.code(201).send({ phone_number: serializeNumber(record) });
    });

    byId('GET', `${TALK}/phone_numbers/:id`, (request) => ({ phone_number: serializeNumber(state.getNumber(idParam(request))) }));

    byId('PUT', `${TALK}/phone_numbers/:id`, (request) => ({
      phone_number: serializeNumber(state.update(idParam(request), request.body)),
    }));

    byId('DELETE', `${TALK}/phone_numbers/:id`, (request, reply) => {
      state.remove(idParam(request));
      return reply.code(204).send();
    });

    route('GET', '/api/v2/groups', (request) => {
      const query = singleValues(request.query);
      const groups = state.groups(query.exclude_deleted === 'true');
      const paging = parsePaging(query, { cursor: true, offsetRecordLimit: options.offsetRecordLimit });
      const url = pageUrl(request, query);
      const serialize = (group: GroupRecord) => serializeGroup(group, url.origin);
      return paging.kind === 'cursor'
        ? cursorEnvelope('groups', groups, paging, url, serialize)
        : offsetEnvelope('groups', groups, paging, url, serialize);
    });

    // IVRs document no cursor paging, so page[size] is ignored there as
    // Zendesk does on offset-only endpoints.
    route('GET', `${TALK}/ivr`, (request) => {
      const query = singleValues(request.query);
      const paging = parseOffsetPaging(query, options.offsetRecordLimit);
      return offsetEnvelope('ivrs', state.ivrs(), paging, pageUrl(request, query), (ivr) => state.serializeIvr(ivr));
    });
  });
}

function guarded(handler: Handler): Handler {
  return async (request, reply) => {
    try {
      return await handler(request, reply);
    } catch (error) {
      if (error instanceof ZendeskApiError) return sendZendeskError(reply, error.status, error.description, error.error, error.details);
      throw error;
    }
  };
}

function idParam(request: FastifyRequest): string {
  return (request.params as { id: string }).id;
}

function pageUrl(request: FastifyRequest, query: Record<string, string>): PageUrl {
  return { origin: `http://${request.headers.host ?? 'localhost'}`, path: request.url.split('?')[0]!, query };
}

function serializeGroup(group: GroupRecord, origin: string): Record<string, unknown> {
  return {
    url: `${origin}/api/v2/groups/${group.id}.json`,
    id: group.id,
    is_public: group.is_public,
    name: group.name,
    description: group.description,
    default: group.default,
    deleted: group.deleted,
    created_at: group.created_at,
    updated_at: group.updated_at,
  };
}
