import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { ProviderError } from '../../../src/providers/core/errors.js';
import { RingCxClient, isRingCxExpiredToken, mapRingCxError, parseDnisSearchResult, parseRcxDate, parseTnManagerSearchPage } from '../../../src/providers/ringcx/index.js';
import { jwtExpiry, parseBoolean, parseCloudRouteGroupsSkinny, parseTracNumber } from '../../../src/providers/ringcx/parse.js';
import { injectFaults, resetSandbox, sandboxStats } from '../../support/sandbox.js';
import { startRingCx, TNM, type RingCxHarness } from './support.js';

const ACCOUNTS = 'GET /voice/api/v1/admin/accounts';
const CREATE = `POST ${TNM}/dnisPool`;

describe('RingCX error handling against the sandbox', () => {
  let rcx: RingCxHarness;
  beforeAll(async () => {
    rcx = await startRingCx();
  });
  afterAll(async () => rcx.close());
  beforeEach(async () => resetSandbox(rcx.baseUrl));

  it.each([
    [401, 'unauthorized.exception', 'UNAUTHENTICATED', false],
    [403, 'access.denied.exception', 'FORBIDDEN', false],
    [404, 'resource.not.found.exception', 'NOT_FOUND', false],
    [409, 'dnis.already.assigned.exception', 'CONFLICT', false],
    [429, 'too.many.requests.exception', 'RATE_LIMITED', true],
    [500, 'internal.server.exception', 'UNAVAILABLE', true],
    [503, 'service.unavailable.exception', 'UNAVAILABLE', true],
  ])('maps %i (%s) to %s', async (status, providerCode, code, retryable) => {
    await injectFaults(rcx.baseUrl, { rules: [{ match: ACCOUNTS, error: { status, code: providerCode, message: 'You do not have permission to access this resource' } }] });
    const error = await rcx.client({ retry: { limit: 0 } }).listAccounts().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: 'ringcx', status, code, providerCode, retryable, operation: ACCOUNTS });
    expect((error as Error).message).toBe(`ringcx ${ACCOUNTS} failed with ${status}: You do not have permission to access this resource`);
  });

  it('retries an idempotent GET after 503s, honouring Retry-After', async () => {
    await injectFaults(rcx.baseUrl, { rules: [{ match: ACCOUNTS, error: { status: 503, retryAfterSeconds: 0.1 }, times: 2 }] });
    const started = Date.now();
    await expect(rcx.client().listAccounts()).resolves.toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect((await sandboxStats(rcx.baseUrl)).byRoute[ACCOUNTS]).toBe(3);
  });

  it('does not retry a 4xx', async () => {
    await injectFaults(rcx.baseUrl, { rules: [{ match: ACCOUNTS, error: { status: 403, code: 'access.denied.exception' } }] });
    await expect(rcx.client().listAccounts()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await sandboxStats(rcx.baseUrl)).byRoute[ACCOUNTS]).toBe(1);
  });

  it('meets the real per-credential limit: a 429 without Retry-After or rate-limit headers, retried after the fallback wait', async () => {
    await injectFaults(rcx.baseUrl, { rateLimits: { default: { limit: 2, windowSeconds: 60 } } });
    const raw429 = await (async () => {
      await rcx.raw('GET', '/voice/api/v1/admin/accounts');
      await rcx.raw('GET', '/voice/api/v1/admin/accounts');
      return rcx.raw('GET', '/voice/api/v1/admin/accounts');
    })();
    expect(raw429.status).toBe(429);
    expect(raw429.body).toEqual({
      errorCode: 'too.many.requests.exception',
      generalMessage: 'Too many requests',
      details: 'The rate limit is 2 requests per 60 s; retry with exponential backoff',
      requestUri: '/voice/api/v1/admin/accounts - GET',
      timestamp: expect.any(Number),
    });
    expect([...raw429.headers.keys()].filter((h) => h === 'retry-after' || h.includes('ratelimit'))).toEqual([]);

    const client = rcx.client({ retry: { limit: 2, backoffLimitMs: 10, maxRetryAfterMs: 1000, fallbackRetryAfterMs: 40 } });
    const started = Date.now();
    const error = await client.listAccounts().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, providerCode: 'too.many.requests.exception', retryable: true });
    // Two waits of the fallback (no Retry-After to honour), not got's 10 ms backoff.
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
    expect((await sandboxStats(rcx.baseUrl)).byRoute[ACCOUNTS]).toBe(6);
  });

  it('goes quiet after a 429 when the fallback wait is longer than a call may wait, instead of hammering', async () => {
    await injectFaults(rcx.baseUrl, { rateLimits: { default: { limit: 0, windowSeconds: 60 } } });
    const client = rcx.client({ retry: { limit: 2, backoffLimitMs: 10, maxRetryAfterMs: 100, fallbackRetryAfterMs: 5000 } });
    await expect(client.listAccounts()).rejects.toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    const blocked = (await client.listTnManagerAccounts().catch((e: unknown) => e)) as ProviderError;
    expect(blocked).toMatchObject({ code: 'RATE_LIMITED', status: undefined, retryable: true });
    expect(blocked.retryAfterMs).toBeGreaterThan(4000);
    expect(await sandboxStats(rcx.baseUrl)).toEqual({ rateLimited: 1, total: 1, byRoute: { [ACCOUNTS]: 1 } });
  });

  it('times out a hung GET (retrying it) and a hung POST (not retrying it)', async () => {
    await injectFaults(rcx.baseUrl, { rules: [{ match: ACCOUNTS, hang: true }, { match: CREATE, hang: true }] });
    const client = rcx.client({ timeoutMs: 150, retry: { limit: 1, backoffLimitMs: 10, maxRetryAfterMs: 100, fallbackRetryAfterMs: 10 } });
    await expect(client.listAccounts()).rejects.toMatchObject({ code: 'TIMEOUT', message: `ringcx ${ACCOUNTS} did not answer within 150 ms` });
    await expect(client.createDnisPool([{ dnis: '14155550150', reservedAccountId: '15300001' }])).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(await sandboxStats(rcx.baseUrl)).toEqual({ rateLimited: 0, total: 3, byRoute: { [ACCOUNTS]: 2, [CREATE]: 1 } });
  });

  it('reports reset connections as NETWORK, retrying only the idempotent call', async () => {
    await injectFaults(rcx.baseUrl, { rules: [{ match: ACCOUNTS, reset: true }, { match: CREATE, reset: true }] });
    const client = rcx.client();
    await expect(client.listAccounts()).rejects.toMatchObject({ code: 'NETWORK', retryable: true });
    await expect(client.createDnisPool([{ dnis: '14155550150', reservedAccountId: '15300001' }])).rejects.toMatchObject({ code: 'NETWORK' });
    expect(await sandboxStats(rcx.baseUrl)).toEqual({ rateLimited: 0, total: 4, byRoute: { [ACCOUNTS]: 3, [CREATE]: 1 } });
  });

  it('never puts the API token in an error message', async () => {
    await injectFaults(rcx.baseUrl, { rules: [{ match: ACCOUNTS, error: { status: 400, message: `token ${rcx.apiToken} is not allowed here` } }] });
    const error = (await rcx.client().listAccounts().catch((e: unknown) => e)) as ProviderError;
    expect(error.message).toBe(`ringcx ${ACCOUNTS} failed with 400: token [redacted] is not allowed here`);
    expect(JSON.stringify(error)).not.toContain(rcx.apiToken);
    expect(JSON.stringify(error.cause ?? null)).not.toContain(rcx.apiToken);
  });
});

/**
 * A stand-in RingCX for what the sandbox never does: 2xx bodies we cannot
 * use, and opaque (non-JWT) access tokens.
 */
describe('RingCX client against an odd server', () => {
  let app: FastifyInstance;
  let baseUrl: string;
  let exchanges = 0;
  let refreshes = 0;

  beforeAll(async () => {
    app = Fastify();
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    app.post('/api/auth/login/rc/accesstoken', async () => {
      exchanges += 1;
      return { accessToken: `opaque-${exchanges}`, refreshToken: `refresh-${exchanges}`, tokenType: 'Bearer' };
    });
    app.post('/api/auth/token/refresh', async () => {
      refreshes += 1;
      return { accessToken: `opaque-r${refreshes}`, refreshToken: `refresh-r${refreshes}`, tokenType: 'Bearer' };
    });
    app.get('/voice/api/v1/admin/accounts', async () => ({ unexpected: true }));
    app.get('/voice/api/v1/admin/utilities/tnManager/accounts', async () => [{ accountId: 15300001, accountName: 'Numeric id' }]);
    await app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => app.close());
  beforeEach(() => {
    exchanges = 0;
    refreshes = 0;
  });

  const client = (tokenTtlMs: number) =>
    new RingCxClient({ baseUrl, auth: { kind: 'ringcentral', ringCentralAccessToken: async () => 'rc-token-odd' }, tokenTtlMs, retry: { limit: 0 } });

  it('turns a 2xx body it cannot use into INVALID_RESPONSE', async () => {
    const error = await client(300_000).listAccounts().catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'INVALID_RESPONSE',
      operation: 'GET /voice/api/v1/admin/accounts',
      message: 'ringcx GET /voice/api/v1/admin/accounts returned a body we cannot use: expected the account list to be an array',
      retryable: false,
    });
  });

  it('reads numeric ids as strings', async () => {
    expect(await client(300_000).listTnManagerAccounts()).toEqual([{ accountId: '15300001', accountName: 'Numeric id' }]);
  });

  it('uses tokenTtlMs for tokens that are not JWTs', async () => {
    const longLived = client(120_000);
    await longLived.listTnManagerAccounts();
    await longLived.listTnManagerAccounts();
    expect([exchanges, refreshes]).toEqual([1, 0]);

    // 10 s is inside the 30 s renewal margin: the second call refreshes first.
    const shortLived = client(10_000);
    await shortLived.listTnManagerAccounts();
    await shortLived.listTnManagerAccounts();
    expect([exchanges, refreshes]).toEqual([2, 1]);
  });
});

describe('RingCX parsing and error mapping (unit)', () => {
  it('maps JSON error bodies, validation errors and plain text', () => {
    expect(
      mapRingCxError({
        status: 403,
        headers: {},
        body: { errorCode: 'access.denied.exception', generalMessage: 'You do not have permission to access this resource', details: '', requestUri: '/x - GET', timestamp: 1 },
      }),
    ).toEqual({ message: 'You do not have permission to access this resource', providerCode: 'access.denied.exception' });
    expect(
      mapRingCxError({ status: 400, headers: {}, body: { generalMessage: 'Bad', details: 'x', validationErrors: [{ attributeName: 'dnis', message: 'is required' }] } }),
    ).toEqual({ message: 'Bad (dnis is required)' });
    expect(mapRingCxError({ status: 401, headers: {}, body: 'Jwt is expired' })).toEqual({ message: 'Jwt is expired' });
    expect(mapRingCxError({ status: 502, headers: {}, body: null })).toEqual({ message: 'HTTP 502' });
    expect(mapRingCxError({ status: 500, headers: {}, body: { developerMessage: 'NPE in DnisService' } })).toEqual({ message: 'HTTP 500: NPE in DnisService' });
  });

  it('recognises only an expired token as renewable', () => {
    expect(isRingCxExpiredToken({ status: 401, headers: {}, body: 'Jwt is expired' })).toBe(true);
    expect(isRingCxExpiredToken({ status: 401, headers: {}, body: { errorCode: 'token.expired' } })).toBe(true);
    expect(isRingCxExpiredToken({ status: 401, headers: {}, body: { errorCode: 'invalid.rc.token.exception', generalMessage: 'RingCentral access token is invalid or expired' } })).toBe(false);
    expect(isRingCxExpiredToken({ status: 403, headers: {}, body: 'Jwt is expired' })).toBe(false);
  });

  it('parses both searchDnis shapes to the same rows', () => {
    const row = { dnis: '14155550100', dnisE164: '+14155550100', dnisCategory: 'Local', active: true, dnisState: 'UNASSIGNED' };
    expect(parseDnisSearchResult({ entries: { '15300001': { name: 'Patient Access', records: [row] } }, totalCount: 1 })).toEqual({
      records: [{ dnis: '14155550100', dnisE164: '+14155550100', dnisCategory: 'Local', active: true, dnisState: 'UNASSIGNED', accountId: '15300001', accountName: 'Patient Access' }],
      totalCount: 1,
    });
    expect(parseDnisSearchResult({ records: [{ ...row, reservedAccountId: 15300001 }], totalElements: 1 })).toEqual({
      records: [{ dnis: '14155550100', dnisE164: '+14155550100', dnisCategory: 'Local', active: true, dnisState: 'UNASSIGNED', accountId: '15300001' }],
      totalCount: 1,
    });
    expect(() => parseDnisSearchResult({ content: [] })).toThrow('search result has neither entries nor records');
  });

  it('parses tnManager/search pages in our shape, a Spring page, or a bare array', () => {
    const row = { dnis: '14155550100' };
    expect(parseTnManagerSearchPage({ records: [row], totalCount: 7, maxRows: 1 })).toEqual({ records: [{ dnis: '14155550100' }], totalCount: 7, maxRows: 1 });
    expect(parseTnManagerSearchPage({ content: [row], totalElements: 9, size: 20 })).toEqual({ records: [{ dnis: '14155550100' }], totalCount: 9, maxRows: 20 });
    expect(parseTnManagerSearchPage([row])).toEqual({ records: [{ dnis: '14155550100' }] });
  });

  it('parses dates as epoch ms, ISO strings or joda objects', () => {
    const at = new Date(Date.UTC(2024, 5, 1, 12));
    expect(parseRcxDate(at.getTime())).toEqual(at);
    expect(parseRcxDate(String(at.getTime()))).toEqual(at);
    expect(parseRcxDate('2024-06-01T12:00:00.000Z')).toEqual(at);
    expect(parseRcxDate({ millis: at.getTime(), year: 2024 })).toEqual(at);
    expect(parseRcxDate('not a date')).toBeUndefined();
    expect(parseRcxDate(null)).toBeUndefined();
  });

  it('reads the exp claim of a JWT and nothing else', () => {
    const payload = Buffer.from(JSON.stringify({ exp: 1_900_000_000 })).toString('base64url');
    expect(jwtExpiry(`eyJhbGciOiJIUzI1NiJ9.${payload}.sig`)).toBe(1_900_000_000_000);
    expect(jwtExpiry('opaque-token')).toBeUndefined();
    expect(jwtExpiry('a.b.c')).toBeUndefined();
  });

  it('reads lists sent as the spec\'s opaque "Collection" objects as well as arrays', () => {
    const profile = { cloudRouteProfileId: 5101, profileName: 'Overflow' };
    const asArray = parseCloudRouteGroupsSkinny([{ cloudGroupId: 501, cloudRouteProfiles: [profile], cloudRouteDestinations: [] }]);
    const asObject = parseCloudRouteGroupsSkinny([{ cloudGroupId: '501', cloudRouteProfiles: { 0: profile } }]);
    const expected = [{ cloudGroupId: '501', cloudRouteProfiles: [{ cloudProfileId: '5101', profileName: 'Overflow' }], cloudRouteDestinations: [] }];
    expect(asArray).toEqual(expected);
    expect(asObject).toEqual(expected);
  });

  it('reads booleans sent as JSON or text, and 0/1 flags sent as booleans', () => {
    expect([parseBoolean(true), parseBoolean('true'), parseBoolean(false)]).toEqual([true, true, false]);
    expect(() => parseBoolean({ ok: true })).toThrow('expected a boolean');
    expect(parseTracNumber({ tracId: 60101, recordCall: true, revMatch: 0, voicemailEnabled: '1' })).toEqual({ tracId: '60101', recordCall: 1, revMatch: 0, voicemailEnabled: 1 });
  });
});
