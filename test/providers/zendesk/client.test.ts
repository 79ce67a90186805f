import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { FastifyReply } from 'fastify';
import { ProviderError } from '../../../src/providers/core/errors.js';
import { ZendeskClient, zendeskE164, type ZendeskClientOptions, type ZendeskPhoneNumber } from '../../../src/providers/zendesk/index.js';
import { SandboxServer, type SandboxProvider } from '../../../sandbox/core/server.js';
import { createWorld, type World } from '../../../sandbox/seed/world.js';
import { createZendeskSandbox, type ZendeskSandbox } from '../../../sandbox/zendesk/index.js';
import { injectFaults, sandboxStats } from '../../support/sandbox.js';
import { collect } from '../../support/collect.js';

const LIST = 'GET /api/v2/channels/voice/phone_numbers';
const SHOW = 'GET /api/v2/channels/voice/phone_numbers/{id}';
const CREATE = 'POST /api/v2/channels/voice/phone_numbers';
const UPDATE = 'PUT /api/v2/channels/voice/phone_numbers/{id}';
const DELETE = 'DELETE /api/v2/channels/voice/phone_numbers/{id}';
const TEST_RETRY = { limit: 2, backoffLimitMs: 20, maxRetryAfterMs: 2_000, fallbackRetryAfterMs: 50 };


async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

/** What the client should make of a raw Zendesk number: the same record with string ids. */
function expectedFromWire(raw: Record<string, unknown>): ZendeskPhoneNumber {
  const id = (v: unknown) => (v === null ? null : String(v));
  return {
    ...(raw as unknown as ZendeskPhoneNumber),
    id: String(raw.id),
    group_ids: (raw.group_ids as number[]).map(String),
    default_group_id: id(raw.default_group_id),
    sms_group_id: id(raw.sms_group_id),
    greeting_ids: (raw.greeting_ids as number[]).map(String),
    ivr_id: id(raw.ivr_id),
    schedule_id: id(raw.schedule_id),
    brand_id: id(raw.brand_id),
  };
}

describe('ZendeskClient against the Zendesk sandbox', () => {
  let world: World;
  let sandbox: ZendeskSandbox;
  let server: SandboxServer;

  const client = (overrides: Partial<ZendeskClientOptions> = {}) =>
    new ZendeskClient({ baseUrl: server.baseUrl, ...sandbox.credentials, timeoutMs: 300, retry: TEST_RETRY, ...overrides });

  const raw = async (path: string): Promise<Record<string, unknown>> => {
    const auth = Buffer.from(`${sandbox.credentials.email}/token:${sandbox.credentials.apiToken}`).toString('base64');
    const response = await fetch(`${server.baseUrl}${path}`, { headers: { authorization: `Basic ${auth}` } });
    return (await response.json()) as Record<string, unknown>;
  };

  beforeAll(async () => {
    world = createWorld({ seed: 1, scale: 1 });
    sandbox = createZendeskSandbox(world);
    server = await SandboxServer.start(sandbox);
  });
  afterAll(async () => server.close());
  beforeEach(() => server.reset());

  describe('listPhoneNumbers', () => {
    it('pages through every Talk number with cursor paging, 100 at a time', async () => {
      const numbers = await collect(client().listPhoneNumbers());
      expect(numbers).toHaveLength(300);
      expect(new Set(numbers.map((n) => n.number))).toEqual(new Set(world.zendesk.numbers.map((n) => n.e164)));
      expect(numbers.filter((n) => n.external).map((n) => n.number).sort()).toEqual(
        world.zendesk.sharedWithRingCentral.map((n) => n.e164).sort(),
      );
      expect(await sandboxStats(server.baseUrl)).toEqual({ rateLimited: 0, total: 3, byRoute: { [LIST]: 3 } });
    });

    it('turns integer ids into strings and keeps every other field as sent', async () => {
      const [first] = await collect(client().listPhoneNumbers());
      const wire = (await raw('/api/v2/channels/voice/phone_numbers?per_page=1')).phone_numbers as Record<string, unknown>[];
      expect(first).toEqual(expectedFromWire(wire[0]!));
      expect(first!.id).toMatch(/^\d{14}$/);
    });

    it('reads every seeded display number back to the E.164 number', async () => {
      const numbers = await collect(client().listPhoneNumbers());
      for (const n of numbers) expect(zendeskE164({ display_number: n.display_number, country_code: n.country_code })).toBe(n.number);
    });
  });

  describe('getPhoneNumber', () => {
    it('returns one number', async () => {
      const [first] = await collect(client().listPhoneNumbers());
      server.reset();
      expect(await client().getPhoneNumber(first!.id)).toEqual(first);
      expect(await sandboxStats(server.baseUrl)).toEqual({ rateLimited: 0, total: 1, byRoute: { [SHOW]: 1 } });
    });

    it('maps 404 RecordNotFound to NOT_FOUND without retrying', async () => {
      const error = await failure(client().getPhoneNumber('1'));
      expect(error).toMatchObject({ provider: 'zendesk', code: 'NOT_FOUND', status: 404, providerCode: 'RecordNotFound', retryable: false });
      expect(error.message).toBe('zendesk GET /api/v2/channels/voice/phone_numbers/1 failed with 404: Not found');
      expect((await sandboxStats(server.baseUrl)).byRoute[SHOW]).toBe(1);
    });
  });

  describe('searchAvailablePhoneNumbers', () => {
    it('finds provisionable numbers matching area code and pattern, none already held', async () => {
      const found = await client().searchAvailablePhoneNumbers({ country: 'US', area_code: '415', contains: 'HELP' });
      expect(found).toHaveLength(20);
      const held = new Set([...world.ringcx.pool, ...world.ringcentral.own, ...world.zendesk.numbers, ...world.ringyo.numbers].map((n) => n.e164));
      for (const n of found) {
        expect(n.number).toMatch(/^\+1415\d{7}$/);
        expect(n.number.slice(2)).toContain('4357');
        expect(held.has(n.number)).toBe(false);
        expect(n).toMatchObject({ country_code: 'US', toll_free: false, location: 'CA', price: '$1.00', address_requirements: 'none' });
        expect(n.token).toMatch(/^[0-9a-f]{32}$/);
        expect(zendeskE164(n)).toBe(n.number);
      }
      expect((await sandboxStats(server.baseUrl)).byRoute['GET /api/v2/channels/voice/phone_numbers/search']).toBe(1);
    });

    it('finds UK toll-free numbers', async () => {
      const found = await client().searchAvailablePhoneNumbers({ country: 'GB', toll_free: true });
      expect(found.length).toBeGreaterThan(0);
      for (const n of found) {
        expect(n).toMatchObject({ toll_free: true, country_code: 'GB', location: null, address_requirements: 'any' });
        expect(n.display_number).toMatch(/^\+44 800 \d{3} \d{4}$/);
      }
    });

    it('reports the parameter Zendesk refused', async () => {
      const error = await failure(client().searchAvailablePhoneNumbers({ country: 'US', area_code: '41' }));
      expect(error).toMatchObject({ code: 'BAD_REQUEST', status: 400, providerCode: 'InvalidValue' });
      expect(error.message).toBe('zendesk GET /api/v2/channels/voice/phone_numbers/search failed with 400: Area code must be 3 digits (area_code)');
    });
  });

  describe('createPhoneNumber', () => {
    it('provisions a number from a search token', async () => {
      const api = client();
      const [offer] = await api.searchAvailablePhoneNumbers({ country: 'US', area_code: '512' });
      const created = await api.createPhoneNumber({ token: offer!.token });
      expect(created).toMatchObject({
        number: offer!.number,
        display_number: offer!.display_number,
        name: offer!.display_number,
        nickname: null,
        country_code: 'US',
        location: 'TX',
        toll_free: false,
        external: false,
        group_ids: [],
        default_group_id: null,
        ivr_id: null,
        token: offer!.token,
      });
      expect(await api.getPhoneNumber(created.id)).toEqual(created);
      expect(await collect(api.listPhoneNumbers())).toHaveLength(301);
      expect((await sandboxStats(server.baseUrl)).byRoute[CREATE]).toBe(1);
    });

    it('names the token when Zendesk refuses it', async () => {
      const api = client();
      const [offer] = await api.searchAvailablePhoneNumbers({ country: 'CA' });
      await api.createPhoneNumber({ token: offer!.token });
      const reused = await failure(api.createPhoneNumber({ token: offer!.token }));
      expect(reused).toMatchObject({ code: 'BAD_REQUEST', status: 422, providerCode: 'RecordInvalid', retryable: false });
      expect(reused.message).toBe(
        `zendesk POST /api/v2/channels/voice/phone_numbers failed with 422: Record validation errors (token: Number ${offer!.display_number} has already been provisioned)`,
      );
      const unknown = await failure(api.createPhoneNumber({ token: 'not-a-token' }));
      expect(unknown.message).toBe(
        'zendesk POST /api/v2/channels/voice/phone_numbers failed with 422: Record validation errors (token: Token is invalid or has expired; search again)',
      );
    });

    it('is never retried, even on a 503 or a reset connection', async () => {
      const api = client();
      const [offer] = await api.searchAvailablePhoneNumbers({ country: 'US' });
      await injectFaults(server.baseUrl, { rules: [{ match: CREATE, error: { status: 503, retryAfterSeconds: 0 }, times: 1 }] });
      const error = await failure(api.createPhoneNumber({ token: offer!.token }));
      expect(error).toMatchObject({ code: 'UNAVAILABLE', status: 503, providerCode: 'ServiceUnavailable', retryable: true });
      expect((await sandboxStats(server.baseUrl)).byRoute[CREATE]).toBe(1);

      await injectFaults(server.baseUrl, { rules: [{ match: CREATE, reset: true, times: 1 }] });
      expect(await failure(api.createPhoneNumber({ token: offer!.token }))).toMatchObject({ code: 'NETWORK' });
      expect((await sandboxStats(server.baseUrl)).byRoute[CREATE]).toBe(2);
      // Nothing was provisioned by the failed calls.
      expect(await collect(api.listPhoneNumbers())).toHaveLength(300);
    });
  });

  describe('updatePhoneNumber', () => {
    it('re-routes a number to other groups with a wrapped body of integer ids', async () => {
      const api = client();
      const groups = (await collect(api.listGroups())).filter((g) => !g.deleted);
      const number = (await collect(api.listPhoneNumbers())).find((n) => n.group_ids.length === 1)!;
      const target = groups.find((g) => g.id !== number.group_ids[0])!;
      server.reset();

      const updated = await api.updatePhoneNumber(number.id, { nickname: 'Overflow line', group_ids: [target.id], default_group_id: target.id, priority: 2 });
      expect(updated).toEqual({
        ...number,
        nickname: 'Overflow line',
        name: 'Overflow line',
        group_ids: [target.id],
        default_group_id: target.id,
        priority: 2,
      });
      expect(await api.getPhoneNumber(number.id)).toEqual(updated);
      expect(await sandboxStats(server.baseUrl)).toEqual({ rateLimited: 0, total: 2, byRoute: { [UPDATE]: 1, [SHOW]: 1 } });
    });

    it('moves a number to an IVR, which then lists it', async () => {
      const api = client();
      const number = (await collect(api.listPhoneNumbers())).find((n) => n.group_ids.length > 0 && !n.external)!;
      const [ivr] = await api.listIvrs();
      await api.updatePhoneNumber(number.id, { ivr_id: ivr!.id, group_ids: [] });
      const after = (await api.listIvrs()).find((i) => i.id === ivr!.id)!;
      expect(after.phone_number_ids).toContain(number.id);
      expect(after.phone_number_names).toContain(number.name);
      expect(await api.getPhoneNumber(number.id)).toMatchObject({ ivr_id: ivr!.id, group_ids: [], default_group_id: null });
    });

    it('names each refused field', async () => {
      const api = client();
      const [number] = await collect(api.listPhoneNumbers());
      const error = await failure(api.updatePhoneNumber(number!.id, { group_ids: ['123'], ivr_id: '456' }));
      expect(error).toMatchObject({ code: 'BAD_REQUEST', status: 422, providerCode: 'RecordInvalid' });
      expect(error.message).toBe(
        `zendesk PUT /api/v2/channels/voice/phone_numbers/${number!.id} failed with 422: Record validation errors (group_ids: Group ids 123 is not a valid group; ivr_id: IVR 456 not found)`,
      );
    });

    it('is retried after a 5xx, honouring Retry-After, because PUT is idempotent', async () => {
      const api = client();
      const [number] = await collect(api.listPhoneNumbers());
      await injectFaults(server.baseUrl, { rules: [{ match: UPDATE, error: { status: 502, retryAfterSeconds: 0.2 }, times: 1 }] });
      const started = Date.now();
      await expect(api.updatePhoneNumber(number!.id, { recorded: true })).resolves.toMatchObject({ id: number!.id, recorded: true });
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
      expect((await sandboxStats(server.baseUrl)).byRoute[UPDATE]).toBe(2);
    });
  });

  describe('deletePhoneNumber', () => {
    it('releases a number', async () => {
      const api = client();
      const [number] = await collect(api.listPhoneNumbers());
      await api.deletePhoneNumber(number!.id);
      expect(await failure(api.getPhoneNumber(number!.id))).toMatchObject({ code: 'NOT_FOUND' });
      expect(await collect(api.listPhoneNumbers())).toHaveLength(299);
      expect((await sandboxStats(server.baseUrl)).byRoute[DELETE]).toBe(1);
    });
  });

  describe('groups and IVRs', () => {
    it('lists every Support group, deleted ones flagged', async () => {
      const groups = await collect(client().listGroups());
      expect(groups).toHaveLength(13);
      expect(groups[0]).toEqual({
        id: '360001381413',
        name: 'Support',
        description: 'First-line support for every inbound call',
        default: true,
        deleted: false,
        is_public: true,
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      });
      expect(groups.filter((g) => g.deleted).map((g) => g.name)).toEqual(['Legacy Phone Queue']);
      expect(await sandboxStats(server.baseUrl)).toEqual({ rateLimited: 0, total: 1, byRoute: { 'GET /api/v2/groups': 1 } });
    });

    it('lists IVRs with the numbers routed to them and menus routing to live groups', async () => {
      const api = client();
      const [ivrs, numbers, groups] = [await api.listIvrs(), await collect(api.listPhoneNumbers()), await collect(api.listGroups())];
      expect(ivrs.map((i) => i.name)).toEqual(['Main Menu', 'Billing & Payments IVR', 'Technical Support IVR', 'UK Reception']);
      const live = new Set(groups.filter((g) => !g.deleted).map((g) => g.id));
      for (const ivr of ivrs) {
        expect(ivr.phone_number_ids).toEqual(numbers.filter((n) => n.ivr_id === ivr.id).map((n) => n.id));
        for (const route of ivr.menus.flatMap((m) => m.routes)) for (const g of route.options.group_ids ?? []) expect(live.has(g)).toBe(true);
      }
      expect(ivrs.reduce((sum, i) => sum + i.phone_number_ids.length, 0)).toBeGreaterThan(0);
    });
  });

  describe('errors', () => {
    it('maps a wrong API token to UNAUTHENTICATED, without retrying or quoting the token', async () => {
      const error = await failure(client({ apiToken: 'wrong-token-value' }).getPhoneNumber('1'));
      expect(error).toMatchObject({ code: 'UNAUTHENTICATED', status: 401, providerCode: undefined, retryable: false });
      expect(error.message).toBe("zendesk GET /api/v2/channels/voice/phone_numbers/1 failed with 401: Couldn't authenticate you");
      expect((await sandboxStats(server.baseUrl)).total).toBe(1);
    });

    it('maps 403 to FORBIDDEN', async () => {
      await injectFaults(server.baseUrl, { rules: [{ match: SHOW, error: { status: 403, message: 'You do not have access to this page.' } }] });
      const error = await failure(client().getPhoneNumber('1'));
      expect(error).toMatchObject({ code: 'FORBIDDEN', status: 403, providerCode: 'Forbidden', retryable: false });
      expect(error.message).toBe('zendesk GET /api/v2/channels/voice/phone_numbers/1 failed with 403: You do not have access to this page.');
    });

    it('waits out the account rate limit as Retry-After says, then succeeds', async () => {
      const api = client();
      const [number] = await collect(api.listPhoneNumbers());
      server.reset();
      await injectFaults(server.baseUrl, { rateLimits: { account: { limit: 2, windowSeconds: 1 } } });
      await api.getPhoneNumber(number!.id);
      await api.getPhoneNumber(number!.id);
      const started = Date.now();
      await expect(api.getPhoneNumber(number!.id)).resolves.toMatchObject({ id: number!.id });
      // One refused call, then one after the 1 s Retry-After.
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect((await sandboxStats(server.baseUrl)).byRoute[SHOW]).toBe(4);
    });

    it('fails fast with RATE_LIMITED when Retry-After is longer than we wait, and stops sending', async () => {
      await injectFaults(server.baseUrl, { rules: [{ match: SHOW, error: { status: 429, retryAfterSeconds: 30 }, times: 1 }] });
      const api = client();
      const error = await failure(api.getPhoneNumber('1'));
      expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryable: true, retryAfterMs: 30_000 });
      expect(error.message).toBe('zendesk GET /api/v2/channels/voice/phone_numbers/1 failed with 429: Injected fault: 429');
      expect(await failure(api.getPhoneNumber('2'))).toMatchObject({ code: 'RATE_LIMITED', status: undefined });
      expect((await sandboxStats(server.baseUrl)).byRoute[SHOW]).toBe(1);
    });

    it('retries a 5xx and gives up with UNAVAILABLE after the retry limit', async () => {
      await injectFaults(server.baseUrl, { rules: [{ match: SHOW, error: { status: 500 } }] });
      const error = await failure(client().getPhoneNumber('1'));
      expect(error).toMatchObject({ code: 'UNAVAILABLE', status: 500, providerCode: 'InternalError', retryable: true });
      expect((await sandboxStats(server.baseUrl)).byRoute[SHOW]).toBe(3);
    });

    it('times out a hung request and reports TIMEOUT', async () => {
      await injectFaults(server.baseUrl, { rules: [{ match: SHOW, hang: true }] });
      const error = await failure(client({ retry: { ...TEST_RETRY, limit: 1 } }).getPhoneNumber('1'));
      expect(error).toMatchObject({ code: 'TIMEOUT', status: undefined, retryable: true });
      expect(error.message).toBe('zendesk GET /api/v2/channels/voice/phone_numbers/1 did not answer within 300 ms');
      expect((await sandboxStats(server.baseUrl)).byRoute[SHOW]).toBe(2);
    });

    it('retries a reset connection on a GET and reports NETWORK', async () => {
      await injectFaults(server.baseUrl, { rules: [{ match: SHOW, reset: true }] });
      const error = await failure(client().getPhoneNumber('1'));
      expect(error).toMatchObject({ code: 'NETWORK', retryable: true });
      expect((await sandboxStats(server.baseUrl)).byRoute[SHOW]).toBe(3);
    });

    it('never puts the API token or the Basic credential in an error', async () => {
      const basic = Buffer.from(`${sandbox.credentials.email}/token:${sandbox.credentials.apiToken}`).toString('base64');
      await injectFaults(server.baseUrl, {
        rules: [{ match: SHOW, error: { status: 400, code: 'InvalidValue', message: `token ${sandbox.credentials.apiToken} / ${basic} rejected` } }],
      });
      const error = await failure(client().getPhoneNumber('1'));
      expect(error.message).toBe('zendesk GET /api/v2/channels/voice/phone_numbers/1 failed with 400: token [redacted] / [redacted] rejected');
      const serialised = JSON.stringify({ error, cause: error.cause, stack: error.stack });
      expect(serialised).not.toContain(sandbox.credentials.apiToken);
      expect(serialised).not.toContain(basic);
    });
  });
});

describe('ZendeskClient paging fallbacks', () => {
  let world: World;
  let offsetOnly: ZendeskSandbox;
  let limited: ZendeskSandbox;
  let offsetServer: SandboxServer;
  let limitedServer: SandboxServer;

  beforeAll(async () => {
    world = createWorld({ seed: 1, scale: 1 });
    offsetOnly = createZendeskSandbox(world, { cursorPagination: false });
    limited = createZendeskSandbox(world, { cursorPagination: false, offsetRecordLimit: 200 });
    offsetServer = await SandboxServer.start(offsetOnly);
    limitedServer = await SandboxServer.start(limited);
  });
  afterAll(async () => Promise.all([offsetServer.close(), limitedServer.close()]));
  beforeEach(() => {
    offsetServer.reset();
    limitedServer.reset();
  });

  it('follows full-URL next_page links when Talk answers with offset pages', async () => {
    const api = new ZendeskClient({ baseUrl: offsetServer.baseUrl, ...offsetOnly.credentials, timeoutMs: 500, retry: TEST_RETRY });
    const numbers = await collect(api.listPhoneNumbers());
    expect(numbers).toHaveLength(300);
    expect(new Set(numbers.map((n) => n.id)).size).toBe(300);
    expect(await sandboxStats(offsetServer.baseUrl)).toEqual({ rateLimited: 0, total: 3, byRoute: { [LIST]: 3 } });
  });

  it('surfaces the 10,000-record offset limit as BAD_REQUEST after the pages it could read', async () => {
    // The limit is scaled down to 200 records so 300 numbers cross it.
    const api = new ZendeskClient({ baseUrl: limitedServer.baseUrl, ...limited.credentials, timeoutMs: 500, retry: TEST_RETRY });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const n of api.listPhoneNumbers()) seen.push(n.id);
    })().then(
      () => undefined,
      (e: unknown) => e as ProviderError,
    );
    expect(seen).toHaveLength(200);
    expect(error).toMatchObject({ code: 'BAD_REQUEST', status: 400, providerCode: 'InvalidPaginationParameter', retryable: false });
    expect(error!.message).toBe(
      'zendesk GET /api/v2/channels/voice/phone_numbers failed with 400: Offset pagination is limited to the first 200 records. Use cursor pagination (page[size]) to go further. (page)',
    );
    expect(await sandboxStats(limitedServer.baseUrl)).toEqual({ rateLimited: 0, total: 3, byRoute: { [LIST]: 3 } });
  });
});

/**
 * A stand-in Zendesk whose links loop, and name another origin when
 * `linkOrigin` is set, to check what the client does with links it cannot trust.
 */
function linkingProvider(): SandboxProvider & { hosts: string[]; linkOrigin: string | undefined } {
  const hosts: string[] = [];
  const provider: SandboxProvider & { hosts: string[]; linkOrigin: string | undefined } = {
    name: 'zendesk',
    rateLimitGroups: [],
    hosts,
    linkOrigin: undefined,
    sendError(reply: FastifyReply, status: number, message: string) {
      return reply.code(status).send({ error: 'Error', description: message });
    },
    register(app) {
      const number = (id: number) => ({ id, number: '+19122145744', display_number: '+1 (912) 214-5744' });
      const page2 = (host: string | undefined) => `${provider.linkOrigin ?? `http://${host}`}/api/v2/channels/voice/phone_numbers.json?page=2`;
      app.get('/api/v2/channels/voice/phone_numbers', async (request) => {
        hosts.push(String(request.headers.host));
        return { phone_numbers: [number(1)], next_page: page2(request.headers.host), previous_page: null, count: 2 };
      });
      app.get('/api/v2/channels/voice/phone_numbers.json', async (request) => {
        hosts.push(String(request.headers.host));
        return { phone_numbers: [number(2)], next_page: page2(request.headers.host), previous_page: null, count: 2 };
      });
      app.get('/api/v2/groups', async () => ({ groups: 'not a list' }));
    },
    reset() {
      hosts.length = 0;
      provider.linkOrigin = undefined;
    },
  };
  return provider;
}

describe('ZendeskClient with links it cannot trust', () => {
  let provider: ReturnType<typeof linkingProvider>;
  let server: SandboxServer;

  beforeAll(async () => {
    provider = linkingProvider();
    server = await SandboxServer.start(provider);
  });
  afterAll(async () => server.close());
  beforeEach(() => server.reset());

  const api = () => new ZendeskClient({ baseUrl: server.baseUrl, email: 'a@b.example', apiToken: 'token-123456', timeoutMs: 500, retry: TEST_RETRY });

  it('follows links on its own origin, and stops when the links loop', async () => {
    const seen: string[] = [];
    const error = await (async () => {
      for await (const n of api().listPhoneNumbers()) seen.push(n.id);
    })().then(
      () => undefined,
      (e: unknown) => e as ProviderError,
    );
    expect(seen).toEqual(['1', '2']);
    expect(provider.hosts.every((host) => host === new URL(server.baseUrl).host)).toBe(true);
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', retryable: false });
    expect(error!.message).toBe(
      'zendesk GET /api/v2/channels/voice/phone_numbers returned a body we cannot use: the list pointed back to a page it already returned (/api/v2/channels/voice/phone_numbers.json?page=2)',
    );
    expect(await sandboxStats(server.baseUrl)).toEqual({
      rateLimited: 0,
      total: 2,
      byRoute: { [LIST]: 1, 'GET /api/v2/channels/voice/phone_numbers.json': 1 },
    });
  });

  it('refuses a link to another origin as INVALID_RESPONSE naming that origin, after the pages it could read', async () => {
    provider.linkOrigin = 'https://acme.zendesk.com';
    const seen: string[] = [];
    const error = await (async () => {
      for await (const n of api().listPhoneNumbers()) seen.push(n.id);
    })().then(
      () => undefined,
      (e: unknown) => e as ProviderError,
    );
    expect(seen).toEqual(['1']);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', retryable: false, operation: 'GET /api/v2/channels/voice/phone_numbers' });
    expect(error!.message).toBe(
      `zendesk GET /api/v2/channels/voice/phone_numbers linked to https://acme.zendesk.com, not the configured origin ${server.baseUrl}; refused so that credentials stay on ${server.baseUrl}`,
    );
    expect(await sandboxStats(server.baseUrl)).toEqual({ rateLimited: 0, total: 1, byRoute: { [LIST]: 1 } });
  });

  it('reports a 2xx body without the expected list as INVALID_RESPONSE', async () => {
    const error = await failure(collect(api().listGroups()));
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', operation: 'GET /api/v2/groups' });
    expect(error.message).toBe('zendesk GET /api/v2/groups returned a body we cannot use: expected an array at groups');
  });
});
