import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { SandboxKit } from '../core/server.js';
import { RcHttpError, invalidParameter, notFound, rcErrorBody, sendRcError } from './errors.js';
import { takeRateLimit, type RateGroup } from './limits.js';
import type { ExtensionRecord, PhoneNumberRecord } from './model.js';
import { manyOf, navigation, oneOf, paginate, readPage, single, many } from './paging.js';
import type { RingCentralState } from './state.js';
import type { TokenStore } from './tokens.js';
import { Views } from './views.js';

/** Documented limit of ids in one batch GET; more is a 400 CMN-106. */
export const BATCH_LIMIT = 30;
const MULTIPART_JSON = 'application/vnd.ringcentral.multipart+json';

const EXTENSION_TYPES = [
  'User', 'Department', 'Announcement', 'Voicemail', 'DigitalUser', 'VirtualUser', 'FaxUser', 'PagingOnly', 'SharedLinesGroup',
  'DelegatedLinesGroup', 'GroupCallPickup', 'IvrMenu', 'ApplicationExtension', 'ProxyAdmin', 'RoomConnector', 'ParkLocation',
  'Limited', 'Bot', 'Site', 'Room', 'FlexibleUser', 'TieLine', 'Unknown',
];
const EXTENSION_STATUSES = ['Enabled', 'Disabled', 'Frozen', 'NotActivated', 'Unassigned'];
const V1_USAGE_TYPES = [
  'MainCompanyNumber', 'AdditionalCompanyNumber', 'CompanyNumber', 'DirectNumber', 'CompanyFaxNumber', 'FmcBusinessMobileNumber',
  'InventoryFmcBusinessMobileNumber', 'ForwardedNumber', 'ForwardedCompanyNumber', 'ContactCenterNumber', 'ConferencingNumber',
  'MeetingsNumber', 'NumberPool', 'BusinessMobileNumber', 'ELIN', 'PartnerBusinessMobileNumber', 'NumberPoolPartnerBusinessMobileNumber',
  'NumberStorage', 'IntegrationNumber', 'InventoryMobileNumber',
];
const V2_USAGE_TYPES = [
  'MainCompanyNumber', 'DirectNumber', 'Inventory', 'InventoryPartnerBusinessMobileNumber', 'InventoryFmcBusinessMobileNumber',
  'PartnerBusinessMobileNumber', 'AdditionalCompanyNumber', 'CompanyNumber', 'PhoneLine', 'CompanyFaxNumber', 'ForwardedNumber',
  'ForwardedCompanyNumber', 'ContactCenterNumber', 'ConferencingNumber', 'MeetingsNumber', 'NumberStorage', 'BusinessMobileNumber',
  'FmcBusinessMobileNumber', 'ELIN', 'InventoryMobileNumber',
];
const NUMBER_STATUSES = ['Normal', 'Pending', 'PortedIn', 'Temporary', 'Unknown'];
const PAYMENT_TYPES = ['External', 'TollFree', 'Local', 'BusinessMobileNumberProvider', 'ExternalNumberProvider', 'ExternalNumberProviderTollFree', 'Mobile'];
const NUMBER_TYPES = ['VoiceFax', 'VoiceOnly', 'FaxOnly'];

/** Who is calling: the token's client and user. */
export interface Caller {
  clientId: string;
  ownerId: string;
  accountId: string;
}

export interface RoutesContext {
  kit: SandboxKit;
  state: RingCentralState;
  tokens: TokenStore;
}

type Query = Record<string, unknown>;
type Params = Record<string, string>;

/**
 * The REST API routes. Each request is authenticated with its bearer token,
 * then counted against its throttling group (client × user × group), then
 * answered; every failure uses RingCentral's error body.
 */
export function registerApiRoutes(app: FastifyInstance, ctx: RoutesContext): void {
  const { state } = ctx;
  let batches = 0;

  const api = (
    method: HTTPMethods,
    url: string,
    group: RateGroup,
    handler: (request: FastifyRequest, reply: FastifyReply, views: Views, caller: Caller) => unknown,
  ) => {
    app.route({
      method,
      url,
      handler: async (request, reply) => {
        const caller = authenticate(request, reply, ctx.tokens);
        if (!caller) return reply;
        if (!takeRateLimit(ctx.kit, reply, group, `${caller.clientId}:${caller.ownerId}`)) return reply;
        try {
          checkAccount((request.params as Params).accountId!, state.account.id);
          const views = new Views(`${request.protocol}://${request.host}`, state.account.id);
          return await handler(request, reply, views, caller);
        } catch (error) {
          if (error instanceof RcHttpError) return sendRcError(reply, error.status, error.error);
          throw error;
        }
      },
    });
  };

  const resolveExtension = (raw: string, caller: Caller): ExtensionRecord => {
    const id = raw === '~' ? caller.ownerId : raw;
    // Multi-id extension GETs are not documented for this resource: refuse rather than guess.
    if (id.includes(',')) throw new RcHttpError(400, invalidParameter('extensionId', raw, 'batch requests are not supported for this resource'));
    const extension = state.extension(id);
    if (!extension) throw new RcHttpError(404, notFound('extensionId', raw));
    return extension;
  };

  const ownerOf = (number: PhoneNumberRecord) => (number.extensionId ? state.extension(number.extensionId) : undefined);

  api('GET', '/restapi/v1.0/account/:accountId', 'Light', (_request, _reply, views) => {
    return views.account(state.account, state.extension(state.account.operatorId)!);
  });

  api('GET', '/restapi/v1.0/account/:accountId/extension', 'Medium', (request, _reply, views) => {
    const query = request.query as Query;
    const page = readPage(query);
    const types = manyOf(query, 'type', EXTENSION_TYPES);
    const statuses = manyOf(query, 'status', EXTENSION_STATUSES);
    const extensionNumber = single(query, 'extensionNumber');
    const emails = many(query, 'email').map((e) => e.toLowerCase());
    const matches = state.extensions.filter(
      (e) =>
        (types.length === 0 || types.includes(e.type)) &&
        (statuses.length === 0 || statuses.includes(e.status)) &&
        (!extensionNumber || e.extensionNumber === extensionNumber) &&
        (emails.length === 0 || emails.includes(e.contact.email?.toLowerCase() ?? '')),
    );
    return listBody(request, views, page, matches, (e) => views.extensionSummary(e));
  });

  api('GET', '/restapi/v1.0/account/:accountId/extension/:extensionId', 'Light', (request, _reply, views, caller) => {
    const extension = resolveExtension((request.params as Params).extensionId!, caller);
    return views.extension(extension, extension.id === caller.ownerId);
  });

  api('GET', '/restapi/v1.0/account/:accountId/extension/:extensionId/phone-number', 'Light', (request, _reply, views, caller) => {
    const extension = resolveExtension((request.params as Params).extensionId!, caller);
    const query = request.query as Query;
    const page = readPage(query);
    const usageTypes = manyOf(query, 'usageType', V1_USAGE_TYPES);
    const status = oneOf(query, 'status', NUMBER_STATUSES);
    const matches = state
      .extensionNumbers(extension)
      .filter((n) => (usageTypes.length === 0 || usageTypes.includes(n.usageType)) && (!status || n.status === status));
    return listBody(request, views, page, matches, (n) => views.userNumber(n, extension));
  });

  api('GET', '/restapi/v1.0/account/:accountId/extension/:extensionId/forwarding-number', 'Light', (request, _reply, views, caller) => {
    const extension = resolveExtension((request.params as Params).extensionId!, caller);
    const page = readPage(request.query as Query);
    return listBody(request, views, page, state.forwardingNumbers(extension.id), (f) => views.forwardingNumber(f));
  });

  api('GET', '/restapi/v1.0/account/:accountId/phone-number', 'Heavy', (request, _reply, views) => {
    const query = request.query as Query;
    const page = readPage(query);
    const usageTypes = manyOf(query, 'usageType', V1_USAGE_TYPES);
    const statuses = manyOf(query, 'status', NUMBER_STATUSES);
    const paymentTypes = manyOf(query, 'paymentType', PAYMENT_TYPES);
    const extensionStatus = oneOf(query, 'extensionStatus', EXTENSION_STATUSES);
    const matches = state.numbers.filter(
      (n) =>
        n.usageType !== 'Inventory' &&
        (usageTypes.length === 0 || usageTypes.includes(n.usageType)) &&
        (statuses.length === 0 || statuses.includes(n.status)) &&
        (paymentTypes.length === 0 || paymentTypes.includes(n.tollFree ? 'TollFree' : 'Local')) &&
        (!extensionStatus || ownerOf(n)?.status === extensionStatus),
    );
    return listBody(request, views, page, matches, (n) => views.companyNumber(n, ownerOf(n)));
  });

  // `GET …/phone-number/{phoneNumberId}`. One id answers like any resource
  // (200/404); several ids (comma separated, at most 30) answer 207 with a
  // status per id, as multipart/mixed by default or as a JSON array when the
  // client asks for RingCentral's multipart+json.
  api('GET', '/restapi/v1.0/account/:accountId/phone-number/:phoneNumberId', 'Light', (request, reply, views) => {
    const raw = (request.params as Params).phoneNumberId ?? '';
    const ids = raw.split(',');
    if (ids.length > BATCH_LIMIT) throw new RcHttpError(400, { errorCode: 'CMN-106', message: `Batch request is limited to ${BATCH_LIMIT} entries` });
    if (ids.some((id) => id === '')) throw new RcHttpError(400, invalidParameter('phoneNumberId', raw));

    const lookup = (id: string) => {
      const number = state.number(id);
      // Inventory numbers are not account numbers in v1 until assigned.
      return number && number.usageType !== 'Inventory'
        ? { status: 200, body: views.companyNumber(number, ownerOf(number)) }
        : { status: 404, body: rcErrorBody(notFound('phoneNumberId', id)) };
    };
    if (ids.length === 1) {
      const result = lookup(ids[0]!);
      return reply.code(result.status).send(result.body);
    }
    const parts = ids.map((id) => ({ id, ...lookup(id) }));
    const accept = String(request.headers.accept ?? '');
    if (accept.includes(MULTIPART_JSON)) {
      return reply
        .code(207)
        .type(MULTIPART_JSON)
        .send(JSON.stringify(parts.map((part) => ({ resourceId: part.id, status: part.status, body: part.body }))));
    }
    const boundary = `Boundary_${++batches}_${state.account.id}`;
    return reply
      .code(207)
      .type(`multipart/mixed; boundary=${boundary}`)
      .send(multipartMixed(boundary, parts.map((part) => ({ ...part, href: `${views.accountUri}/phone-number/${part.id}` }))));
  });

  api('GET', '/restapi/v2/accounts/:accountId/phone-numbers', 'Heavy', (request, _reply, views) => {
    const query = request.query as Query;
    const page = readPage(query);
    if (page.page > 1000) throw new RcHttpError(400, invalidParameter('page', page.page));
    const usageTypes = manyOf(query, 'usageType', V2_USAGE_TYPES);
    const types = manyOf(query, 'type', NUMBER_TYPES);
    const status = oneOf(query, 'status', NUMBER_STATUSES);
    const tollType = oneOf(query, 'tollType', ['Toll', 'TollFree']);
    const extensionStatus = oneOf(query, 'extensionStatus', EXTENSION_STATUSES);
    const byoc = oneOf(query, 'byocNumber', ['true', 'false']);
    const mobile = oneOf(query, 'mobileNumber', ['true', 'false']);
    const pattern = phoneNumberPattern(single(query, 'phoneNumber'));
    const matches = state.numbers.filter(
      (n) =>
        (usageTypes.length === 0 || usageTypes.includes(n.usageType)) &&
        (types.length === 0 || (n.usageType !== 'Inventory' && types.includes(n.type))) &&
        (!status || n.status === status) &&
        (!tollType || (tollType === 'TollFree') === n.tollFree) &&
        (!extensionStatus || ownerOf(n)?.status === extensionStatus) &&
        byoc !== 'true' &&
        mobile !== 'true' &&
        (!pattern || pattern.test(n.phoneNumber)),
    );
    const { records, paging } = paginate(matches, page);
    return { records: records.map((n) => views.accountNumber(n, ownerOf(n))), paging };
  });

  api('PATCH', '/restapi/v2/accounts/:accountId/phone-numbers/:phoneNumberId', 'Medium', (request, _reply, views) => {
    const body = request.body;
    if (body === INVALID_JSON) throw new RcHttpError(400, { errorCode: 'CMN-103', message: "JSON can't be parsed" });
    const number = state.assign((request.params as Params).phoneNumberId!, body);
    return views.accountNumber(number, number.extensionId ? state.extension(number.extensionId) : undefined);
  });
}

/** Stands in for a JSON body that did not parse, so the route can answer RingCentral's CMN-103. */
export const INVALID_JSON: unique symbol = Symbol('invalid JSON body');

function authenticate(request: FastifyRequest, reply: FastifyReply, tokens: TokenStore): Caller | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string' || header.trim() === '') {
    sendRcError(reply, 401, { errorCode: 'OAU-134', message: 'Invalid Authorization header' });
    return undefined;
  }
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) {
    sendRcError(reply, 401, { errorCode: 'OAU-151', message: 'Authorization method not supported' });
    return undefined;
  }
  const result = tokens.check(match[1]!);
  if (!result.ok) {
    sendRcError(reply, 401, result.error, result.topCode);
    return undefined;
  }
  return result.owner;
}

/** `~` or the account's own id; any other account is not visible to this app's user. */
function checkAccount(raw: string, accountId: string): void {
  if (raw === '~' || raw === accountId) return;
  throw new RcHttpError(403, {
    errorCode: 'CMN-408',
    message: 'In order to call this API endpoint, user needs to have [ReadCompanyInfo] permission for requested resource.',
    parameterName: 'accountId',
    parameterValue: raw,
  });
}

function listBody<T>(
  request: FastifyRequest,
  views: Views,
  page: ReturnType<typeof readPage>,
  items: readonly T[],
  render: (item: T) => Record<string, unknown>,
): Record<string, unknown> {
  const { records, paging } = paginate(items, page);
  return {
    uri: new URL(request.url, views.origin).toString(),
    records: records.map(render),
    paging,
    navigation: navigation(request, views.origin, page, paging.totalPages!),
  };
}

/** The v2 `phoneNumber` filter: E.164, where each `*` stands for one digit. */
function phoneNumberPattern(raw: string | undefined): RegExp | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^\+[0-9*]{1,17}$/.test(raw)) throw new RcHttpError(400, invalidParameter('phoneNumber', raw, 'expected an E.164 number, optionally with * wildcards'));
  return new RegExp(`^${raw.replace('+', '\\+').replace(/\*/g, '\\d')}$`);
}

/**
 * The documented default batch shape: a first part summarising each
 * resource's status, then one JSON part per resource in request order.
 */
function multipartMixed(boundary: string, parts: { href: string; status: number; body: unknown }[]): string {
  const describe = (status: number) => (status === 200 ? 'OK' : status === 404 ? 'Not Found' : 'Error');
  const summary = { response: parts.map((p) => ({ href: p.href, status: p.status, responseDescription: describe(p.status) })) };
  const chunks = [summary, ...parts.map((p) => p.body)].map(
    (json) => `--${boundary}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(json, null, 2)}\r\n`,
  );
  return `${chunks.join('')}--${boundary}--\r\n`;
}
