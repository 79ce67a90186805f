import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProviderError } from '../../../src/providers/core/errors.js';
import { HttpClient } from '../../../src/providers/core/http.js';
import { RingCentralClient } from '../../../src/providers/ringcentral/index.js';
import { RingCxClient } from '../../../src/providers/ringcx/index.js';
import { RingyoClient } from '../../../src/providers/ringyo/index.js';
import { ZendeskClient } from '../../../src/providers/zendesk/index.js';
import { collect } from '../../support/collect.js';

/**
 * "Credentials stay home": no request, and so no `Authorization`,
 * `X-Auth-Token` or token-endpoint body, ever reaches an origin other than
 * the configured base URL. Two real HTTP servers on loopback: `home` is the
 * configured provider, `foreign` records everything it is sent and answers
 * as the provider would, so a client that followed it would succeed.
 */

/** One request as a fake server saw it. */
interface Seen {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

interface FakeHost {
  url: string;
  seen: Seen[];
  /** `METHOD /path` (no query) → answer; anything else is a 404. */
  routes: Map<string, (request: Seen) => Answer>;
}

const RETRY = { limit: 2, backoffLimitMs: 20, maxRetryAfterMs: 1_000, fallbackRetryAfterMs: 30 };
const CREDENTIAL_HEADERS = ['authorization', 'x-auth-token', 'cookie', 'proxy-authorization'];

const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

async function startHost(): Promise<FakeHost> {
  const host: FakeHost = { url: '', seen: [], routes: new Map() };
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const seen: Seen = { method: request.method!, path: request.url!, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
      host.seen.push(seen);
      const route = host.routes.get(`${seen.method} ${seen.path.split('?')[0]}`);
      const answer = route ? route(seen) : { status: 404, body: { error: 'no such route' } };
      const body = answer.body === undefined ? '' : JSON.stringify(answer.body);
      response.writeHead(answer.status, { ...(body && { 'content-type': 'application/json' }), ...answer.headers });
      response.end(body);
    });
  });
  servers.push(server); // registered before it starts, so a failed start is still closed
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  host.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return host;
}

/** The credential headers of one request, by name. */
function credentials(seen: Seen): Record<string, unknown> {
  return Object.fromEntries(CREDENTIAL_HEADERS.filter((name) => seen.headers[name] !== undefined).map((name) => [name, seen.headers[name]]));
}

/** What a host saw, as `METHOD /path` with the credentials each request carried. */
function calls(host: FakeHost): { call: string; credentials: Record<string, unknown> }[] {
  return host.seen.map((seen) => ({ call: `${seen.method} ${seen.path.split('?')[0]}`, credentials: credentials(seen) }));
}

/** What a call settled with, so the foreign host can be checked before the outcome. */
function settle(promise: Promise<unknown>): Promise<{ value?: unknown; error?: unknown }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

function failed(outcome: { value?: unknown; error?: unknown }): ProviderError {
  expect(outcome).toEqual({ error: expect.any(ProviderError) });
  return outcome.error as ProviderError;
}

/**
 * One provider under test: the call, the route it hits, the body that route
 * answers, the credentials the call must carry at home, and any token
 * endpoint the home server answers first.
 */
interface ProviderCase {
  name: string;
  provider: string;
  method: 'GET' | 'POST';
  path: string;
  body: unknown;
  call: (baseUrl: string) => Promise<unknown>;
  expected: unknown;
  /** Credentials the request carries in headers. */
  sent: Record<string, unknown>;
  /** A credential the request carries in its body (token endpoints). */
  secretInBody?: string;
  /** Routes answered before the API call (token endpoints), with what they are sent. */
  login?: { route: string; answer: unknown; sent: Record<string, unknown> };
}

const ZENDESK_BASIC = `Basic ${Buffer.from('agent@example.com/token:zd-api-token-secret').toString('base64')}`;
const RC_BASIC = `Basic ${Buffer.from('rc-client-id:rc-client-secret').toString('base64')}`;

const zendesk = (baseUrl: string) =>
  new ZendeskClient({ baseUrl, email: 'agent@example.com', apiToken: 'zd-api-token-secret', timeoutMs: 1_000, retry: RETRY });
const ringcentral = (baseUrl: string) =>
  new RingCentralClient({ baseUrl, clientId: 'rc-client-id', clientSecret: 'rc-client-secret', jwt: 'rc-jwt-credential', timeoutMs: 1_000, retry: RETRY });
const ringcxApiToken = (baseUrl: string) =>
  new RingCxClient({ baseUrl, auth: { kind: 'apiToken', token: 'rcx-api-token-secret' }, timeoutMs: 1_000, retry: RETRY });
const ringcxExchange = (baseUrl: string) =>
  new RingCxClient({
    baseUrl,
    auth: { kind: 'ringcentral', ringCentralAccessToken: async () => 'rc-access-for-exchange' },
    timeoutMs: 1_000,
    retry: RETRY,
  });

const CASES: ProviderCase[] = [
  {
    name: 'Zendesk (Basic API token)',
    provider: 'zendesk',
    method: 'GET',
    path: '/api/v2/channels/voice/phone_numbers/7',
    body: { phone_number: { id: 7, number: '+15550100007' } },
    call: async (baseUrl) => (await zendesk(baseUrl).getPhoneNumber('7')).number,
    expected: '+15550100007',
    sent: { authorization: ZENDESK_BASIC },
  },
  {
    name: 'Ringyo (Bearer API key)',
    provider: 'ringyo',
    method: 'GET',
    path: '/v1/phone-numbers/pn_7',
    body: { data: { id: 'pn_7', phone_number: '+15550100007', status: 'active' } },
    call: async (baseUrl) =>
      (await new RingyoClient({ baseUrl, apiKey: 'vb_live_secret_key', timeoutMs: 1_000, retry: RETRY }).getPhoneNumber('pn_7')).phone_number,
    expected: '+15550100007',
    sent: { authorization: 'Bearer vb_live_secret_key' },
  },
  {
    name: 'RingCentral (Bearer access token)',
    provider: 'ringcentral',
    method: 'GET',
    path: '/restapi/v1.0/account/~',
    body: { id: '925786193004' },
    call: async (baseUrl) => (await ringcentral(baseUrl).getAccount()).id,
    expected: '925786193004',
    sent: { authorization: 'Bearer rc-access-secret' },
    login: { route: 'POST /restapi/oauth/token', answer: { access_token: 'rc-access-secret', expires_in: 3600 }, sent: { authorization: RC_BASIC } },
  },
  {
    name: 'RingCentral token endpoint (Basic client secret, JWT in the body)',
    provider: 'ringcentral',
    method: 'POST',
    path: '/restapi/oauth/token',
    body: { access_token: 'rc-access-secret', expires_in: 3600 },
    call: (baseUrl) => ringcentral(baseUrl).accessToken(),
    expected: 'rc-access-secret',
    sent: { authorization: RC_BASIC },
    secretInBody: 'rc-jwt-credential',
  },
  {
    name: 'RingCX (X-Auth-Token API token)',
    provider: 'ringcx',
    method: 'GET',
    path: '/voice/api/v1/admin/accounts',
    body: [{ accountId: '15300001' }],
    call: async (baseUrl) => (await ringcxApiToken(baseUrl).listAccounts()).map((a) => a.accountId),
    expected: ['15300001'],
    sent: { 'x-auth-token': 'rcx-api-token-secret' },
  },
  {
    name: 'RingCX (Bearer token from the RingCentral exchange)',
    provider: 'ringcx',
    method: 'GET',
    path: '/voice/api/v1/admin/accounts',
    body: [{ accountId: '15300001' }],
    call: async (baseUrl) => (await ringcxExchange(baseUrl).listAccounts()).map((a) => a.accountId),
    expected: ['15300001'],
    sent: { authorization: 'Bearer rcx-access-secret' },
    login: { route: 'POST /api/auth/login/rc/accesstoken', answer: { accessToken: 'rcx-access-secret', refreshToken: 'rcx-refresh-secret' }, sent: {} },
  },
  {
    name: 'RingCX token exchange (RingCentral token in the body)',
    provider: 'ringcx',
    method: 'POST',
    path: '/api/auth/login/rc/accesstoken',
    body: { accessToken: 'rcx-access-secret', refreshToken: 'rcx-refresh-secret' },
    call: async (baseUrl) => (await ringcxExchange(baseUrl).listAccounts()).length,
    expected: 1,
    sent: {},
    secretInBody: 'rc-access-for-exchange',
  },
];

describe('credentials stay on the configured origin', () => {
  let home: FakeHost;
  let foreign: FakeHost;

  beforeAll(async () => {
    home = await startHost();
    foreign = await startHost();
  });
  beforeEach(() => {
    for (const host of [home, foreign]) {
      host.seen.length = 0;
      host.routes.clear();
    }
  });

  /** Home answers `kase`'s route with a redirect to `location`; whoever receives it answers as the provider would. */
  function serve(kase: ProviderCase, status: number, location: (path: string) => string): void {
    const route = `${kase.method} ${kase.path}`;
    const moved = `${kase.path}-moved`;
    if (kase.login) home.routes.set(kase.login.route, () => ({ status: 200, body: kase.login!.answer }));
    home.routes.set(route, () => ({ status, headers: { location: location(moved) } }));
    for (const host of [home, foreign]) host.routes.set(`${kase.method} ${moved}`, () => ({ status: 200, body: kase.body }));
    // The exchange cases also need the API call that follows a successful login.
    if (kase.path === '/api/auth/login/rc/accesstoken') {
      for (const host of [home, foreign]) host.routes.set('GET /voice/api/v1/admin/accounts', () => ({ status: 200, body: [{ accountId: '15300001' }] }));
    }
  }

  /** What home must have seen up to and including the redirected call. */
  function homeCalls(kase: ProviderCase): { call: string; credentials: Record<string, unknown> }[] {
    return [...(kase.login ? [{ call: kase.login.route, credentials: kase.login.sent }] : []), { call: `${kase.method} ${kase.path}`, credentials: kase.sent }];
  }

  describe.each(CASES)('$name', (kase) => {
    it.each([302, 307])('refuses a %i to another origin: nothing reaches it, and the call fails with INVALID_RESPONSE', async (status) => {
      serve(kase, status, (path) => `${foreign.url}${path}`);

      const outcome = await settle(kase.call(home.url));

      // Credentials first, so a regression names what leaked; then nothing at all.
      expect(calls(foreign).filter((seen) => Object.keys(seen.credentials).length > 0)).toEqual([]);
      expect(foreign.seen).toEqual([]);
      const error = failed(outcome);
      expect(error).toMatchObject({ provider: kase.provider, code: 'INVALID_RESPONSE', retryable: false, operation: `${kase.method} ${kase.path}` });
      expect(error.message).toBe(
        `${kase.provider} ${kase.method} ${kase.path} was redirected to ${foreign.url}, not the configured origin ${home.url}; refused so that credentials stay on ${home.url}`,
      );
      // The credentials were in play at home, and the refused call was not retried.
      expect(calls(home)).toEqual(homeCalls(kase));
      if (kase.secretInBody) expect(home.seen.at(-1)!.body).toContain(kase.secretInBody);
    });

    it('follows a redirect on its own origin, with its credentials', async () => {
      serve(kase, 307, (path) => `${home.url}${path}`);

      await expect(kase.call(home.url)).resolves.toEqual(kase.expected);

      expect(foreign.seen).toEqual([]);
      const moved = { call: `${kase.method} ${kase.path}-moved`, credentials: kase.sent };
      expect(calls(home).slice(0, homeCalls(kase).length + 1)).toEqual([...homeCalls(kase), moved]);
    });
  });

  it('counts the scheme: a redirect from http to https on the same host and port is another origin', async () => {
    const path = '/api/v2/channels/voice/phone_numbers/7';
    const https = home.url.replace('http:', 'https:');
    home.routes.set(`GET ${path}`, () => ({ status: 301, headers: { location: `${https}${path}` } }));

    const error = failed(await settle(zendesk(home.url).getPhoneNumber('7')));

    expect(error.message).toBe(
      `zendesk GET ${path} was redirected to ${https}, not the configured origin ${home.url}; refused so that credentials stay on ${home.url}`,
    );
    expect(calls(home)).toEqual([{ call: `GET ${path}`, credentials: { authorization: ZENDESK_BASIC } }]);
  });

  it('refuses a Zendesk next-page link to another origin, after yielding the pages it could read', async () => {
    const path = '/api/v2/channels/voice/phone_numbers';
    const page = (id: number) => ({ phone_numbers: [{ id, number: `+1555010000${id}` }], next_page: `${foreign.url}${path}.json?page=2`, previous_page: null, count: 2 });
    home.routes.set(`GET ${path}`, () => ({ status: 200, body: page(1) }));
    foreign.routes.set(`GET ${path}.json`, () => ({ status: 200, body: page(2) }));

    const seen: string[] = [];
    const outcome = await settle(
      (async () => {
        for await (const number of zendesk(home.url).listPhoneNumbers()) seen.push(number.id);
      })(),
    );

    expect(foreign.seen).toEqual([]);
    expect(seen).toEqual(['1']);
    const error = failed(outcome);
    expect(error).toMatchObject({ provider: 'zendesk', code: 'INVALID_RESPONSE', retryable: false, operation: `GET ${path}` });
    expect(error.message).toBe(
      `zendesk GET ${path} linked to ${foreign.url}, not the configured origin ${home.url}; refused so that credentials stay on ${home.url}`,
    );
    expect(calls(home)).toEqual([{ call: `GET ${path}`, credentials: { authorization: ZENDESK_BASIC } }]);
  });

  it('follows a Zendesk next-page link on its own origin, relative or absolute', async () => {
    const path = '/api/v2/channels/voice/phone_numbers';
    home.routes.set(`GET ${path}`, () => ({ status: 200, body: { phone_numbers: [{ id: 1, number: '+15550100001' }], next_page: `${path}.json?page=2` } }));
    home.routes.set(`GET ${path}.json`, (request) =>
      request.path.endsWith('page=2')
        ? { status: 200, body: { phone_numbers: [{ id: 2, number: '+15550100002' }], next_page: `${home.url}${path}.json?page=3` } }
        : { status: 200, body: { phone_numbers: [{ id: 3, number: '+15550100003' }], next_page: null } },
    );

    expect((await collect(zendesk(home.url).listPhoneNumbers())).map((n) => n.id)).toEqual(['1', '2', '3']);
    expect(calls(home).map((c) => c.credentials)).toEqual([1, 2, 3].map(() => ({ authorization: ZENDESK_BASIC })));
  });

  it('never sends a request off its origin, even one made on its got instance directly', async () => {
    foreign.routes.set('GET /x', () => ({ status: 200, body: {} }));
    const http = new HttpClient({
      provider: 'ringcx',
      baseUrl: home.url,
      timeoutMs: 1_000,
      retry: RETRY,
      headers: { authorization: 'Bearer static-secret' },
      authorize: (headers) => {
        headers['x-auth-token'] = 'hook-secret';
      },
      secrets: () => ['static-secret', 'hook-secret'],
      mapError: () => ({ message: 'failed' }),
    });

    const error = await http.got(`${foreign.url}/x`, { prefixUrl: '' }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );

    expect(error?.cause).toBeInstanceOf(ProviderError);
    expect((error!.cause as ProviderError).message).toBe(
      `ringcx request was about to be sent to ${foreign.url}, not the configured origin ${home.url}; refused so that credentials stay on ${home.url}`,
    );
    expect(foreign.seen).toEqual([]);
  });
});
