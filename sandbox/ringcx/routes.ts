import multipart from '@fastify/multipart';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxKit } from '../core/server.js';
import type { RingCxAuthority } from './auth.js';
import { RcxError, sendRcxError, validationError } from './errors.js';
import type { DestinationKind } from './model.js';
import {
  isObject,
  parseAssignItems,
  parseDnisList,
  parseDnisListRequest,
  parsePoolItems,
  parseSearchCriteria,
  parseTracGroup,
  parseTracNumber,
  pathInt,
  queryBool,
  queryInt,
} from './requests.js';
import { pageOf, type RingCxState } from './state.js';
import { importDnisCsv } from './upload.js';
import {
  accountView,
  assignedDnisView,
  cloudProfileView,
  cloudRouteGroupSkinnyView,
  cloudRouteGroupView,
  dnisPoolView,
  dnisRecordV1View,
  dnisRecordView,
  gateGroupView,
  gateView,
  tracGroupView,
  tracNumberView,
  type Json,
} from './views.js';

const ADMIN = '/voice/api/v1/admin';
const TN = `${ADMIN}/utilities/tnManager`;
const ACCOUNT = `${ADMIN}/accounts/:accountId`;

/** `maxRows` is capped here, as the real server caps it (its value there is unknown). */
export const MAX_ROWS = 1000;
/** `tnManager/search` page size when `maxRows` is absent. */
export const DEFAULT_SEARCH_ROWS = 100;
/** Limit of the token-exchange endpoint, per client address (documented: 5 a minute). */
export const EXCHANGE_RATE_LIMIT = { limit: 5, windowSeconds: 60 };
/** Rate-limit groups: `default` for the API per credential, `auth` for the token exchange. */
export const RATE_LIMIT_GROUPS = ['default', 'auth'] as const;

export interface RouteDeps {
  /** The current state; replaced by `reset()`, so always read through this. */
  state: () => RingCxState;
  authority: RingCxAuthority;
  rateLimitPerMinute: number;
  kit: SandboxKit;
}

type Params = Record<string, string>;

/**
 * Registers RingCX's routes. Two encapsulated contexts share one error
 * handler (so every refusal has RingCX's body): the token endpoints, which
 * are anonymous and limited to 5 exchanges a minute, and the `/voice/api`
 * routes, which authenticate first and then count against the per-credential
 * limit (120 a minute by default). The 429 carries no Retry-After and no
 * rate-limit headers, as RingCX documents none.
 */
export function registerRingCxRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { authority, kit } = deps;

  app.post('/__sandbox/tokens/expire', async () => ({ expired: authority.expireAll(Date.now()) }));

  app.register(async (auth) => {
    auth.setErrorHandler(handleError);

    auth.post('/api/auth/login/rc/accesstoken', async (request, reply) => {
      const rule = kit.faults.rateLimit('auth', EXCHANGE_RATE_LIMIT);
      if (!kit.limiter.take(`auth:${request.ip}`, rule).allowed) {
        return sendRcxError(reply, 429, 'Too many requests', 'too.many.requests.exception', `The token exchange allows ${rule.limit} requests per ${rule.windowSeconds} s`);
      }
      // The docs send a form body, the spec models query parameters: accept both.
      const params = { ...stringParams(request.query), ...stringParams(request.body) };
      return answer(reply, authority.exchange(params, Date.now()));
    });

    auth.post('/api/auth/token/refresh', async (request, reply) => {
      const params = { ...stringParams(request.query), ...stringParams(request.body) };
      return answer(reply, authority.refresh(params, Date.now()));
    });
  });

  app.register(async (api) => {
    api.setErrorHandler(handleError);
    await api.register(multipart, { limits: { fileSize: 5 * 1024 * 1024, files: 1 } });

    api.addHook('onRequest', async (request, reply) => {
      const check = authority.authenticate(request.headers, Date.now());
      if (check.kind === 'expired') return reply.code(401).type('text/plain').send('Jwt is expired');
      if (check.kind === 'error') return sendError(reply, check.error);
      const rule = kit.faults.rateLimit('default', { limit: deps.rateLimitPerMinute, windowSeconds: 60 });
      if (!kit.limiter.take(`default:${check.principal.key}`, rule).allowed) {
        return sendRcxError(reply, 429, 'Too many requests', 'too.many.requests.exception', `The rate limit is ${rule.limit} requests per ${rule.windowSeconds} s; retry with exponential backoff`);
      }
      return undefined;
    });

    registerAccounts(api, deps);
    registerSearch(api, deps);
    registerPool(api, deps);
    registerAssignments(api, deps);
    registerQueues(api, deps);
    registerTracking(api, deps);
  });
}

function registerAccounts(api: FastifyInstance, { state }: RouteDeps): void {
  const list = async () => state().accounts().map((a) => accountView(a, state().mainAccount));
  api.get(`${ADMIN}/accounts`, list);
  api.get(`${TN}/accounts`, list);
}

function registerSearch(api: FastifyInstance, { state }: RouteDeps): void {
  api.post('/voice/api/v2/admin/utilities/tnManager/searchDnis', async (request) => {
    const s = state();
    const { accounts, records } = s.searchDnis(parseDnisListRequest(request.body));
    const entries: Record<string, Json> = {};
    let totalCount = 0;
    for (const account of accounts) {
      const rows = records.get(account.accountId) ?? [];
      totalCount += rows.length;
      entries[account.accountId] = { name: account.accountName, records: rows.map((r) => dnisRecordView(r, s)) };
    }
    return { entries, totalCount };
  });

  // v1 is typed as a bare object in the spec; it answers the doc's
  // "illustrative" shape, so clients meet both shapes.
  api.post(`${TN}/searchDnis`, async (request) => {
    const s = state();
    const { accounts, records } = s.searchDnis(parseDnisListRequest(request.body));
    const rows = accounts.flatMap((a) => records.get(a.accountId) ?? []);
    return { records: rows.map((r) => dnisRecordV1View(r, s)), totalElements: rows.length };
  });

  /**
   * `tnManager/search` (typed as a bare object in the spec). Our shape:
   * `{ records: DnisPool[], page, maxRows }`, plus `totalCount` when
   * `count=true`. `page` is 0-based (the real base is unverified); `maxRows`
   * defaults to 100 and is capped at 1000.
   */
  api.post(`${TN}/search`, async (request) => {
    const s = state();
    const page = queryInt(request.query, 'page', 0) ?? 0;
    const maxRows = Math.min(queryInt(request.query, 'maxRows', 1) ?? DEFAULT_SEARCH_ROWS, MAX_ROWS);
    const count = queryBool(request.query, 'count') ?? false;
    const matches = s.search(parseSearchCriteria(request.body));
    return {
      records: pageOf(matches, page, maxRows).map((r) => dnisPoolView(r, s)),
      page,
      maxRows,
      ...(count && { totalCount: matches.length }),
    };
  });
}

function registerPool(api: FastifyInstance, { state }: RouteDeps): void {
  api.get(`${TN}/dnisPool/:dnis`, async (request) => {
    queryBool(request.query, 'phoneNumbersI18nEnabled');
    const s = state();
    return dnisPoolView(s.poolRecord((request.params as Params).dnis!), s);
  });

  api.post(`${TN}/dnisPool`, async (request) => {
    const s = state();
    return s.createPool(parsePoolItems(request.body), Date.now()).map((r) => dnisPoolView(r, s));
  });

  api.put(`${TN}/dnisPool`, async (request) => {
    const s = state();
    return s.updatePool(parsePoolItems(request.body), Date.now()).map((r) => dnisPoolView(r, s));
  });

  api.put(`${TN}/dnisPool/bulkDelete`, async (request) => {
    queryBool(request.query, 'phoneNumbersI18nEnabled');
    state().bulkDelete(parseDnisList(request.body));
    return true;
  });

  api.delete(`${TN}/dnisPool/:dnis`, async (request) => {
    state().deletePool((request.params as Params).dnis!);
    return true;
  });

  api.put(`${TN}/updateBulkDnisPool`, async (request) => {
    const { updated, skipped } = state().updateBulk(parsePoolItems(request.body), Date.now());
    return {
      status: skipped.length === 0 ? 'SUCCESS' : 'PARTIAL_SUCCESS',
      message: skipped.length === 0 ? `${updated} DNIS updated` : `${updated} DNIS updated; not in the DNIS pool: ${skipped.join(', ')}`,
      updatedRows: String(updated),
    };
  });

  api.post(`${TN}/uploadDnisPool`, async (request) => {
    const query = isObject(request.query) ? request.query : {};
    const fileType = query.fileType;
    if (fileType === undefined) throw validationError([{ attributeName: 'fileType', message: 'must not be null' }]);
    if (fileType !== 'COMMA') throw validationError([{ attributeName: 'fileType', message: 'must be one of COMMA', value: String(fileType) }]);
    const quote = query.quoteCharacter === undefined ? '"' : String(query.quoteCharacter);
    if (quote.length !== 1) throw validationError([{ attributeName: 'quoteCharacter', message: 'must be a single character', value: quote }]);
    queryBool(query, 'phoneNumbersI18nEnabled');
    if (!request.isMultipart()) {
      throw new RcxError(400, 'multipart.exception', 'Current request is not a multipart request', 'Send the file as multipart/form-data in a part named "file"');
    }
    let file: Buffer | undefined;
    for await (const part of request.parts()) {
      if (part.type !== 'file') continue;
      const content = await part.toBuffer();
      if (part.fieldname === 'file') file = content;
    }
    if (!file) throw new RcxError(400, 'missing.request.part.exception', "Required request part 'file' is not present");
    return importDnisCsv(state(), file, quote, Date.now());
  });
}

function registerAssignments(api: FastifyInstance, { state }: RouteDeps): void {
  const base = `${TN}/assignedDnis`;
  api.get(`${base}/:dnis`, async (request) => {
    const s = state();
    return assignedDnisView(s.assignmentOf((request.params as Params).dnis!), s);
  });

  api.delete(`${base}/:dnis`, async (request) => {
    state().deleteAssignment((request.params as Params).dnis!);
    return true;
  });

  const assignRoute = (segment: string, param: string, kind: DestinationKind) =>
    api.put(`${base}/${segment}/:${param}`, async (request) => {
      const s = state();
      const id = pathInt((request.params as Params)[param]!, param);
      const items = parseAssignItems(request.body);
      return s.assign({ kind, id }, items, Date.now()).map((a) => assignedDnisView(a, s));
    });
  assignRoute('gates', 'gateId', 'gate');
  assignRoute('visualIvrs', 'visualIvrId', 'visualIvr');
  assignRoute('cloudRouteProfiles', 'cloudRouteProfileId', 'cloudRouteProfile');
}

function registerQueues(api: FastifyInstance, { state }: RouteDeps): void {
  /** `page` is 0-based; without `maxRows` everything (up to the cap) comes back. */
  const paging = (request: FastifyRequest) => ({
    page: queryInt(request.query, 'page', 0) ?? 0,
    maxRows: Math.min(queryInt(request.query, 'maxRows', 1) ?? MAX_ROWS, MAX_ROWS),
  });

  api.get(`${ACCOUNT}/gateGroups/withChildren`, async (request) => {
    const s = state();
    queryBool(request.query, 'includePermissions');
    const { page, maxRows } = paging(request);
    const groups = pageOf(s.gateGroups((request.params as Params).accountId!), page, maxRows);
    return groups.map((group) => gateGroupView(group, s.gatesOf(group.gateGroupId)));
  });

  api.get(`${ACCOUNT}/gateGroups/:gateGroupId/gates`, async (request) => {
    const s = state();
    const params = request.params as Params;
    const { page, maxRows } = paging(request);
    const group = s.gateGroupIn(params.accountId!, pathInt(params.gateGroupId!, 'gateGroupId'));
    return pageOf(s.gatesOf(group.gateGroupId), page, maxRows).map((gate) => gateView(gate));
  });

  api.get(`${ACCOUNT}/gateGroups/:gateGroupId/gates/:gateId`, async (request) => {
    const s = state();
    const params = request.params as Params;
    const groupId = pathInt(params.gateGroupId!, 'gateGroupId');
    const gate = s.gateIn(params.accountId!, groupId, pathInt(params.gateId!, 'gateId'));
    return gateView(gate, s.gateGroup(groupId));
  });

  api.get(`${ACCOUNT}/cloudRouteProfileGroups/withChildren`, async (request) => {
    const s = state();
    queryBool(request.query, 'includePermissions');
    return s.cloudGroups((request.params as Params).accountId!).map((group) =>
      cloudRouteGroupView(group, { profiles: s.cloudProfilesOf(group.cloudGroupId), destinations: s.cloudDestinationsOf(group.cloudGroupId) }),
    );
  });

  api.get('/voice/api/v2-skinny/admin/accounts/:accountId/cloudRouteProfileGroups/withChildren', async (request) => {
    const s = state();
    return s.cloudGroups((request.params as Params).accountId!).map((group) =>
      cloudRouteGroupSkinnyView(group, s.cloudProfilesOf(group.cloudGroupId), s.cloudDestinationsOf(group.cloudGroupId)),
    );
  });

  api.get(`${ACCOUNT}/cloudRouteProfileGroups/:cloudRouteGroupId/cloudRouteProfiles`, async (request) => {
    const s = state();
    const params = request.params as Params;
    const group = s.cloudGroupIn(params.accountId!, pathInt(params.cloudRouteGroupId!, 'cloudRouteGroupId'));
    return s.cloudProfilesOf(group.cloudGroupId).map((profile) => cloudProfileView(profile, group));
  });

  api.get(`${ACCOUNT}/cloudRouteProfileGroups/:cloudRouteGroupId/cloudRouteProfiles/:cloudRouteProfileId`, async (request) => {
    const s = state();
    const params = request.params as Params;
    const groupId = pathInt(params.cloudRouteGroupId!, 'cloudRouteGroupId');
    const profile = s.cloudProfileIn(params.accountId!, groupId, pathInt(params.cloudRouteProfileId!, 'cloudRouteProfileId'));
    return cloudProfileView(profile, s.cloudGroupIn(params.accountId!, groupId));
  });
}

function registerTracking(api: FastifyInstance, { state }: RouteDeps): void {
  const groupPath = `${ACCOUNT}/tracGroups/:tracGroupId`;
  const ids = (request: FastifyRequest) => {
    const params = request.params as Params;
    return {
      accountId: params.accountId!,
      tracGroupId: pathInt(params.tracGroupId!, 'tracGroupId'),
      tracId: params.tracId === undefined ? 0 : pathInt(params.tracId, 'tracId'),
    };
  };
  const tracView = (s: RingCxState, tracId: number, accountId: string, tracGroupId: number, withGroup = true) => {
    const trac = s.tracNumberIn(accountId, tracGroupId, tracId);
    return tracNumberView(trac, s.tracGroupIn(accountId, tracGroupId), s.tracAssignment(tracId), s, withGroup);
  };

  api.get(`${ACCOUNT}/tracGroups/withChildren`, async (request) => {
    const s = state();
    queryBool(request.query, 'includePermissions');
    const accountId = (request.params as Params).accountId!;
    return s.tracGroups(accountId).map((group) =>
      tracGroupView(group, s.tracNumbersOf(group.tracGroupId).map((t) => tracView(s, t.tracId, accountId, group.tracGroupId, false))),
    );
  });

  api.get(groupPath, async (request) => {
    const { accountId, tracGroupId } = ids(request);
    return tracGroupView(state().tracGroupIn(accountId, tracGroupId));
  });

  api.put(groupPath, async (request) => {
    const { accountId, tracGroupId } = ids(request);
    return tracGroupView(state().updateTracGroup(accountId, tracGroupId, parseTracGroup(request.body)));
  });

  api.get(`${groupPath}/tracNumbers`, async (request) => {
    const s = state();
    const { accountId, tracGroupId } = ids(request);
    s.tracGroupIn(accountId, tracGroupId);
    return s.tracNumbersOf(tracGroupId).map((t) => tracView(s, t.tracId, accountId, tracGroupId));
  });

  api.post(`${groupPath}/tracNumbers`, async (request) => {
    const s = state();
    const { accountId, tracGroupId } = ids(request);
    const trac = s.createTracNumber(accountId, tracGroupId, parseTracNumber(request.body, { create: true }), Date.now());
    return tracView(s, trac.tracId, accountId, tracGroupId);
  });

  api.get(`${groupPath}/tracNumbers/:tracId`, async (request) => {
    const { accountId, tracGroupId, tracId } = ids(request);
    return tracView(state(), tracId, accountId, tracGroupId);
  });

  api.put(`${groupPath}/tracNumbers/:tracId`, async (request) => {
    const s = state();
    const { accountId, tracGroupId, tracId } = ids(request);
    s.updateTracNumber(accountId, tracGroupId, tracId, parseTracNumber(request.body, { create: false }), Date.now());
    return tracView(s, tracId, accountId, tracGroupId);
  });
}

function answer(reply: FastifyReply, outcome: ReturnType<RingCxAuthority['exchange']>): FastifyReply | Record<string, unknown> {
  return outcome.kind === 'ok' ? outcome.body : sendError(reply, outcome.error);
}

function sendError(reply: FastifyReply, error: RcxError): FastifyReply {
  return sendRcxError(reply, error.status, error.message, error.errorCode, error.details, error.validationErrors);
}

/** Query strings and form bodies as plain string maps. */
function stringParams(value: unknown): Record<string, unknown> {
  return isObject(value) ? value : {};
}

/**
 * The one error handler of both contexts: our refusals keep their code;
 * fastify's own (malformed JSON, wrong media type, oversized upload) get
 * RingCX's body with the Spring-style code a Java server would use.
 */
function handleError(error: FastifyError | RcxError, _request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof RcxError) return sendError(reply, error);
  const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
  if (status >= 500) return sendRcxError(reply, 500, 'Internal server error');
  if (status === 400 && (error instanceof SyntaxError || error.code?.startsWith('FST_ERR_CTP'))) {
    return sendRcxError(reply, 400, 'Malformed request body', 'http.message.not.readable.exception', error.message);
  }
  return sendRcxError(reply, status, error.message);
}
